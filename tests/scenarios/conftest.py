"""Fixtures for the scenario tests: a tiny scenario on disk and a predictable scorer."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.fixed_scoring import fixed_scorer as scorer_at

DATA = Path(__file__).parent / "data"


@pytest.fixture
def fixed_scorer():
    """A scorer factory giving every dimension one level, to test the player apart from scoring."""
    return scorer_at


@pytest.fixture
def tiny_text() -> str:
    """A small valid scenario (chat, two turns, three endings) to break in tests."""
    return (DATA / "tiny.yaml").read_text()


@pytest.fixture
def tiny_file(tmp_path: Path, tiny_text: str) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(tiny_text)
    return path


@pytest.fixture
def write_scenario(tmp_path: Path):
    """Write YAML text to a file in a fresh folder and return its path."""
    def write(text: str, name: str = "broken.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path
    return write
