import pytest

from coach import create_app
from coach.config import ConfigError, settings_from_env, validate


def test_defaults_use_sqlite_under_the_instance_folder(tmp_path):
    settings = settings_from_env({"COACH_INSTANCE_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'coach.sqlite3'}"
    assert settings.queue_url == f"sqlite:///{tmp_path / 'queue.sqlite3'}"


def test_redis_queue_url_is_taken_as_given(tmp_path):
    settings = settings_from_env({"COACH_INSTANCE_DIR": str(tmp_path), "COACH_QUEUE_URL": "redis://127.0.0.1:6379/3"})
    assert settings.queue_url == "redis://127.0.0.1:6379/3"


def test_secret_key_is_generated_once_and_kept_in_the_instance_folder(tmp_path):
    env = {"COACH_INSTANCE_DIR": str(tmp_path / "i"), "COACH_RECORDINGS_DIR": str(tmp_path / "r")}
    first = validate(settings_from_env(env)).secret_key
    second = validate(settings_from_env(env)).secret_key
    assert len(first) == 64 and first == second
    assert (tmp_path / "i" / "secret_key").read_text() == first


def test_unwritable_recordings_dir_names_the_setting(tmp_path):
    locked = tmp_path / "locked"
    locked.write_text("a file, not a folder")
    with pytest.raises(ConfigError, match="COACH_RECORDINGS_DIR"):
        validate(settings_from_env({"COACH_INSTANCE_DIR": str(tmp_path), "COACH_RECORDINGS_DIR": str(locked / "sub")}))


def test_bad_database_url_names_the_setting(tmp_path):
    with pytest.raises(ConfigError, match="COACH_DATABASE_URL"):
        create_app({"instance_dir": tmp_path, "recordings_dir": tmp_path / "r", "database_url": "mysql://x/y"})


def test_unreachable_database_names_the_setting(tmp_path):
    with pytest.raises(ConfigError, match="COACH_DATABASE_URL=.*cannot connect"):
        create_app({"instance_dir": tmp_path, "recordings_dir": tmp_path / "r",
                    "database_url": "postgresql://nobody@127.0.0.1:1/none"})


def test_non_numeric_upload_limit_names_the_setting():
    with pytest.raises(ConfigError, match="COACH_MAX_UPLOAD_MB"):
        settings_from_env({"COACH_MAX_UPLOAD_MB": "lots"})


def test_unknown_asr_engine_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="COACH_ASR_ENGINE"):
        validate(settings_from_env({"COACH_INSTANCE_DIR": str(tmp_path), "COACH_RECORDINGS_DIR": str(tmp_path / "r"), "COACH_ASR_ENGINE": "siri"}))
