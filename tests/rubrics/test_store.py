"""coach.rubrics.store: which rubric scores whom, and storing and assigning uploaded rubrics."""
from dataclasses import replace

import pytest

from coach.rubrics import store as rubric_store
from coach.rubrics.store import RubricStoreError
from tests.rubrics.conftest import OWNERSHIP_ONLY, rubric_yaml


@pytest.fixture
def settings(app):
    return app.config["COACH"]


def test_everyone_is_scored_with_the_site_rubric_until_their_team_has_its_own(session, settings, team_setup, ownership_only):
    ann, cy = team_setup["ann"], team_setup["cy"]
    assert rubric_store.rubric_for_user(session, settings, ann.id).label == "default@1.0"
    rubric_store.assign_rubric(session, settings, team_setup["team"], "ownership-only@1")
    assert rubric_store.rubric_for_user(session, settings, ann.id).weights["ownership"] == 1.0
    assert rubric_store.rubric_for_user(session, settings, ann.id).label == "ownership-only@1"
    assert rubric_store.rubric_for_user(session, settings, cy.id).label == "default@1.0"
    assert rubric_store.rubric_for_user(session, settings, team_setup["rita"].id).label == "default@1.0"  # no team


def test_default_takes_a_team_back_to_the_site_rubric(session, settings, team_setup, ownership_only):
    team = team_setup["team"]
    rubric_store.assign_rubric(session, settings, team, "ownership-only@1")
    assert rubric_store.assign_rubric(session, settings, team, "default").origin == "site"
    assert team.rubric_id is None
    rubric_store.assign_rubric(session, settings, team, "ownership-only@1")
    rubric_store.assign_rubric(session, settings, team, "default@1.0")  # the site rubric by its label
    assert team.rubric_id is None


def test_a_scorecards_label_finds_the_rubric_that_produced_it(session, settings, ownership_only):
    assert rubric_store.rubric_by_label(session, settings, "ownership-only@1").weights["empathy"] == 0.0
    assert rubric_store.rubric_by_label(session, settings, "default@1.0").label == "default@1.0"
    assert rubric_store.rubric_by_label(session, settings, "ownership-only@2") is None
    assert rubric_store.rubric_by_label(session, settings, "") is None


def test_a_changed_rubric_needs_a_new_version(session, settings, ownership_only):
    with pytest.raises(RubricStoreError, match="ownership-only@1 exists already.*new `version`"):
        rubric_store.add_rubric(session, settings, rubric_yaml(weights="{ownership: 2, empathy: 1}"))
    bumped = rubric_store.add_rubric(session, settings, rubric_yaml(version="1.1", weights="{ownership: 2, empathy: 1}"))
    assert bumped.label == "ownership-only@1.1"
    assert [entry.label for entry in rubric_store.all_rubrics(session, settings)] == \
        ["default@1.0", "ownership-only@1", "ownership-only@1.1"]


def test_a_built_in_rubrics_name_and_version_cannot_be_taken(session, settings):
    with pytest.raises(RubricStoreError, match="default@1.0 exists already"):
        rubric_store.add_rubric(session, settings, rubric_yaml(name="default", version="1.0"))
    assert rubric_store.add_rubric(session, settings, rubric_yaml(name="default", version="1.1")).label == "default@1.1"


@pytest.mark.parametrize("text, message", [
    ("name: x\nversion: 1\nweights: {kindness: 1}\nband_thresholds: [20, 40, 60, 80]\n", "weights must map dimensions"),
    ("name: x\nversion: 1\nweights: {empathy: -1}\nband_thresholds: [20, 40, 60, 80]\n", "from 0 to"),
    ("name: x\nversion: 1\nweights: {empathy: lots}\nband_thresholds: [20, 40, 60, 80]\n", "weights.empathy must be a number"),
    ("name: x\nversion: 1\nweights: {empathy: 1}\nband_thresholds: [20, 40, 60, 80]\n"
     "not_applicable: {empathy: no_context}\n", "not_applicable.empathy must be a list"),
    ("name: x\nversion: 1\nweights: {empathy: 1}\nband_thresholds: [20, 40, 60, 80]\n"
     "anchors: {empathy: {six: nice}}\n", "band six is not 1-5"),
    ("name: team/north\nversion: 1\nweights: {empathy: 1}\nband_thresholds: [20, 40, 60, 80]\n", "letters, digits"),
    ("name: x\nversion: 1\nweights: {empathy: 1,\n", "not valid YAML at line 4"),
    ("   \n", "empty"),
])
def test_an_invalid_rubric_is_refused_with_what_to_fix(session, settings, text, message):
    with pytest.raises(RubricStoreError, match=message):
        rubric_store.add_rubric(session, settings, text)
    assert rubric_store.uploaded_rubrics(session) == []


def test_a_rubric_over_64_kb_is_refused(session, settings):
    padding = "# " + "x" * 1000 + "\n"
    with pytest.raises(RubricStoreError, match="at most 64 KB"):
        rubric_store.add_rubric(session, settings, OWNERSHIP_ONLY + padding * 70)
    with pytest.raises(RubricStoreError, match="at most 64 KB"):
        rubric_store.rubric_text((OWNERSHIP_ONLY + padding * 70).encode())
    with pytest.raises(RubricStoreError, match="not UTF-8"):
        rubric_store.rubric_text(b"name: caf\xe9\n")


def test_a_built_in_rubric_other_than_the_site_one_is_not_assigned_directly(session, settings, team_setup, tmp_path):
    site_file = tmp_path / "site.yaml"
    site_file.write_text(rubric_yaml(name="site-wide", version="3"))
    site = replace(settings, rubric=str(site_file))
    assert rubric_store.site_rubric(site).label == "site-wide@3"
    assert [e.origin for e in rubric_store.file_rubrics(site)] == ["site", "built-in"]
    with pytest.raises(RubricStoreError, match="built-in rubric and not the site rubric"):
        rubric_store.assign_rubric(session, site, team_setup["team"], "default@1.0")
    with pytest.raises(RubricStoreError, match="no rubric nope@1"):
        rubric_store.assign_rubric(session, site, team_setup["team"], "nope@1")
    with pytest.raises(RubricStoreError, match="site-wide@3 exists already"):
        rubric_store.add_rubric(session, site, rubric_yaml(name="site-wide", version="3"))
