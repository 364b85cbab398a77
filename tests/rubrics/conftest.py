"""Rubric fixtures: the YAML of a rubric in which only ownership counts, and that rubric stored."""
from __future__ import annotations

import pytest

from coach.rubrics import store as rubric_store

OWNERSHIP_ONLY = """\
# Only ownership counts: a reply's overall is its ownership score.
name: ownership-only
version: "1"
description: Only ownership counts.
weights: {ownership: 1}
band_thresholds: [10, 30, 50, 70]
anchors:
  ownership:
    5: Owns the problem from start to finish
auto_fail:
  - id: dismissive
    label: Agent brushed the customer off
    patterns: ['\\bwhatever\\b']
not_applicable:
  empathy: [no_context]
"""


def rubric_yaml(name: str = "ownership-only", version: str = "1", weights: str = "{ownership: 1}") -> str:
    return OWNERSHIP_ONLY.replace("name: ownership-only", f"name: {name}").replace('version: "1"', f'version: "{version}"') \
        .replace("weights: {ownership: 1}", f"weights: {weights}")


@pytest.fixture
def ownership_only(app, session):
    """The ownership-only rubric, uploaded (by nobody: as from the command line)."""
    return rubric_store.add_rubric(session, app.config["COACH"], OWNERSHIP_ONLY)
