"""Fixtures for the scenario tests: a tiny scenario on disk and a predictable scorer."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

DIMENSIONS = ("active_listening", "empathy", "clarity", "jargon", "ownership")

DATA = Path(__file__).parent / "data"


@dataclass
class FakeScorecard:
    """Shaped like ``scoring.Scorecard`` as far as the player reads it."""

    scores: dict[str, int]
    overall: int
    tips: dict[str, str] = field(default_factory=dict)
    evidence: list = field(default_factory=list)
    auto_fail: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"scores": dict(self.scores), "overall": self.overall, "tips": dict(self.tips)}


@pytest.fixture
def fixed_scorer():
    """A scorer factory giving every dimension one level, to test the player apart from scoring."""
    def make(level: int):
        def score(reply, context="", facts=None, words=None, voice=None):
            scores = {dimension: level for dimension in DIMENSIONS}
            return FakeScorecard(scores, level, {dimension: f"tip for {dimension}" for dimension in DIMENSIONS})
        return score
    return make


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
