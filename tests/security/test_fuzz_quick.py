"""The quick part of the fuzz suite (issue 13): seeded hostile scenario files, ``coach score-text`` lines, rubrics
and uploads, each read under a limit of CPU time. Every one is refused with a message that names its file and line
(or the uploaded file), or read in full; none crashes, none hangs. ``benchmarks/fuzz.py`` is the full run with the same
seed, so its first cases are these and a failure it finds replays here.
"""
from __future__ import annotations

from collections import Counter

import pytest

from tests.security import fuzz_uploads
from tests.security.fuzzing import (
    HANG_S,
    Report,
    check_rubric,
    check_scenario,
    check_scenario_folder,
    check_score_line,
    check_score_text_file,
    rubric_cases,
    run,
    scenario_cases,
    score_text_lines,
)

SCENARIOS, LINES, RUBRICS, UPLOADS = 150, 100, 50, 40


def assert_clean(report: Report, count: int) -> None:
    assert len(report.outcomes) == count
    assert not report.crashes, "\n\n".join(f"{o.case.name}\n{o.crash}" for o in report.crashes[:5])
    assert not report.hangs, [f"{o.case.name}: {o.cpu_seconds:.1f} s of CPU" for o in report.hangs]
    assert report.slowest.cpu_seconds < HANG_S


def test_mutated_scenario_files_give_problems_with_lines_or_load_and_play(tmp_path):
    report = run("scenario files", scenario_cases(SCENARIOS), lambda case: check_scenario(case, tmp_path))
    assert_clean(report, SCENARIOS)


def test_coach_scenarios_check_lists_every_broken_file_of_a_folder_by_file_and_line(tmp_path):
    check_scenario_folder(scenario_cases(SCENARIOS), tmp_path / "cases")


def test_hostile_score_text_lines_are_scored_or_refused_with_a_message():
    """Replies and contexts kept to 5,000 characters: ``known_slow_lines`` are the longer ones still slow."""
    assert_clean(run("score-text lines", score_text_lines(LINES, long_inputs=False), check_score_line), LINES)


def test_coach_score_text_answers_every_hostile_line_in_order_and_goes_on():
    check_score_text_file(score_text_lines(LINES, long_inputs=False))


def test_mutated_rubrics_load_or_name_their_file_and_a_loaded_one_scores_in_time(tmp_path):
    assert_clean(run("rubrics", rubric_cases(RUBRICS), lambda case: check_rubric(case, tmp_path)), RUBRICS)


@pytest.fixture
def target(tmp_path):
    with fuzz_uploads.upload_target(tmp_path) as target:
        yield target


def test_hostile_uploads_are_refused_naming_the_problem_or_end_in_a_plain_job(target):
    uploads = {upload.name: upload for upload in fuzz_uploads.upload_cases(UPLOADS)}
    outcomes = Counter()

    def check(case):
        upload = uploads[case.name]
        outcomes[upload.route, fuzz_uploads.check_upload(target, upload)] += 1

    assert_clean(run("uploads", [fuzz_uploads.as_case(u) for u in uploads.values()], check), UPLOADS)
    # both routes both refused and accepted something, so each branch of the check was taken
    assert all(outcomes[route, verdict] for route in ("reply", "call") for verdict in ("refused", "accepted")), outcomes
