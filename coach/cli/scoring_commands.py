"""``coach score-text`` and ``coach models train``: the scoring engine from the command line."""
from __future__ import annotations

import json
import logging
import math
import sys
from pathlib import Path
from typing import Iterator

import click

from coach.cli.groups import cli, models
from coach.config import settings_from_env
from coach.review.training_rows import finalised_review_rows
from scoring import RubricError, ScoringError, load_rubric, score_reply, training
from scoring.jargon import LexiconError, load_jargon_lexicon
from scoring.learned import ModelsError

log = logging.getLogger(__name__)


MAX_LINE_BYTES = 1024 * 1024  # a reply is at most 100,000 characters; its JSON line, with context, at most 1 MB
MAX_NUMBER_DIGITS = 100
_LISTED_FAILURES = 10


def score_line(line: str | bytes, rubric, lexicon, scoring_models) -> dict:
    """Score one JSON Lines record; raises ValueError with a message for a malformed record."""
    record = _record(line)
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object with \"reply\" (and usually \"context\")")
    if "reply" not in record:
        raise ValueError("missing \"reply\"")
    if not isinstance(record["reply"], str):
        raise ValueError("\"reply\" must be a string")
    context = record.get("context", "")
    if context is not None and not isinstance(context, (str, list)):
        raise ValueError("\"context\" must be a string or a list of strings")
    facts = record.get("facts")
    if isinstance(facts, dict) and not all(isinstance(v, (str, int, float)) for v in facts.values()):
        raise ValueError("\"facts\" must map names to text or numbers, e.g. {\"name\": \"Sam\"}")
    try:
        scorecard = score_reply(record["reply"], context or "", facts=facts, rubric=rubric,
                                lexicon=lexicon, models=scoring_models)
    except ScoringError as error:
        raise ValueError(str(error)) from error
    extra = {key: value for key, value in record.items() if key not in ("reply", "context", "facts")}
    return {**extra, **scorecard.to_dict()}


def _record(line: str | bytes) -> object:
    """One line's JSON value: UTF-8, standard JSON only (no NaN), numbers of sane size, valid Unicode throughout."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(f"not UTF-8 text (byte 0x{line[error.start]:02x} at column {error.start + 1})") from None
    try:
        record = json.loads(line, parse_constant=_no_constant, parse_int=_bounded_int, parse_float=_finite_float)
        json.dumps(record, ensure_ascii=False).encode("utf-8")  # what is echoed back must be writable
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error.msg} at column {error.colno}") from error
    except RecursionError:
        raise ValueError("not valid JSON here: nested too deeply") from None
    except UnicodeEncodeError as error:
        raise ValueError(f"holds an unpaired surrogate escape (\\u{ord(error.object[error.start]):04x}), "
                         "which is not valid Unicode") from None
    return record


def _no_constant(name: str):
    raise ValueError(f"not valid JSON: {name} is not a JSON number")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(f"not valid JSON here: a number of more than {MAX_NUMBER_DIGITS} digits")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or len(text) > MAX_NUMBER_DIGITS:
        raise ValueError(f"not valid JSON here: the number {text[:20]} is out of range")
    return value


def numbered_lines(file) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line of a binary file, read at most ``MAX_LINE_BYTES`` at a time; a longer
    line comes as (number, None) and is skipped. Lines end at \\n, \\r\\n or \\r, as a text-mode file reads them."""
    number = 0
    while True:
        chunk = file.readline(MAX_LINE_BYTES + 1)
        if not chunk:
            return
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):  # skip the rest of the over-long line
                chunk = file.readline(MAX_LINE_BYTES)
            number += 1
            yield number, None
            continue
        for piece in chunk.splitlines() or [b""]:
            number += 1
            yield number, piece


def result_line(number: int, line: bytes | None, rubric, lexicon, scoring_models) -> tuple[str, bool]:
    """The output line for one input line, and whether it failed; a bad line never stops the file."""
    try:
        if line is None:
            raise ValueError(f"the line is longer than {MAX_LINE_BYTES // 1024} KB")
        return json.dumps(score_line(line, rubric, lexicon, scoring_models), ensure_ascii=False), False
    except ValueError as error:
        message = str(error)
    except Exception as error:  # noqa: BLE001  a fault in scoring is reported on its line; the file goes on
        log.exception("score-text line %d could not be scored", number)
        message = f"could not score this line ({type(error).__name__}); please report it"
    return json.dumps({"error": message, "line": number}, ensure_ascii=False), True


@cli.command("score-text")
@click.argument("file", type=click.File("rb"), default="-")
@click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False), help="Rubric YAML file or rubric name.")
@click.option("--lexicon", "lexicon_path", type=click.Path(exists=True, dir_okay=False),
              help="Organisation jargon lexicon (YAML) added to the built-in one.")
@click.option("--models", "models_path", type=click.Path(exists=True, file_okay=False),
              help="Folder of trained models (default: the instance's refitted ones, else the shipped ones).")
def score_text(file, rubric_path, lexicon_path, models_path) -> None:
    """Score replies from JSON Lines in FILE (or stdin): one {"context", "reply"} object per line."""
    settings = settings_from_env()
    try:
        rubric = load_rubric(rubric_path or settings.rubric)
        lexicon_path = lexicon_path or settings.jargon_lexicon
        lexicon = load_jargon_lexicon(lexicon_path) if lexicon_path else None
        scoring_models = models_path or _organisation_models(settings.instance_dir)
        failed = []
        for number, line in numbered_lines(file):
            if line is not None and not line.decode("utf-8", "replace").strip():
                continue
            text, bad = result_line(number, line, rubric, lexicon, scoring_models)
            if bad:
                failed.append(number)
            click.echo(text)
    except (RubricError, LexiconError, ModelsError) as error:
        raise click.ClickException(str(error)) from error
    if failed:
        listed = ", ".join(map(str, failed[:_LISTED_FAILURES])) + (", ..." if len(failed) > _LISTED_FAILURES else "")
        click.echo(f"{len(failed)} line(s) could not be scored (line {listed})", err=True)
        sys.exit(1)


def _organisation_models(instance_dir: Path) -> Path | None:
    """The instance's refitted models when a team has run ``--from-reviews``, else None (the shipped ones)."""
    folder = instance_dir / "models" / "scoring"
    return folder if (folder / "reply_model.joblib").is_file() else None


@models.command("train")
@click.option("--from-reviews", is_flag=True, help="Refit on finalised QA reviews and trainer overrides.")
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False),
              help="Labelled replies (JSON Lines); default: scoring/data/replies.jsonl.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Where to write the models.")
@click.option("--seed", default=0, show_default=True, help="Random seed.")
def train_models(from_reviews, data_path, out_dir, seed) -> None:
    """Train the scoring models (reproducible), or refit them toward your reviewers with --from-reviews."""
    if from_reviews:
        rows = finalised_review_rows()
        if not rows:
            raise click.ClickException("no finalised QA reviews or trainer score overrides yet; nothing to refit on")
        target = Path(out_dir) if out_dir else settings_from_env().instance_dir / "models" / "scoring"
        report = training.refit_from_reviews(rows, out_dir=target, random_state=seed)
        click.echo(f"Refitted on {report.rows} reviewed replies; models written to {report.out_dir}")
        click.echo(f"{'dimension':<18}{'before':>8}{'after':>8}")
        for dimension, (before, after) in report.agreement.items():
            click.echo(f"{dimension:<18}{before:>8.2f}{after:>8.2f}")
        return
    report = training.train(data_path=data_path, out_dir=out_dir, random_state=seed)
    click.echo(f"Trained on {report.rows} labelled replies; models written to {report.out_dir}")
    for dimension, value in report.agreement.items():
        click.echo(f"  {dimension:<18} held-out Spearman {value:.2f}")
