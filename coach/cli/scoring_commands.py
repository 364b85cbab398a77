"""``coach score-text`` and ``coach models train``: the scoring engine from the command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from coach.cli.groups import cli, models
from coach.config import settings_from_env
from coach.review.training_rows import finalised_review_rows
from scoring import RubricError, ScoringError, load_rubric, score_reply, training
from scoring.jargon import LexiconError, load_jargon_lexicon
from scoring.learned import ModelsError


def score_line(line: str, rubric, lexicon, scoring_models) -> dict:
    """Score one JSON Lines record; raises ValueError with a message for a malformed record."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error.msg} at column {error.colno}") from error
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object with \"reply\" (and usually \"context\")")
    if "reply" not in record:
        raise ValueError("missing \"reply\"")
    if not isinstance(record["reply"], str):
        raise ValueError("\"reply\" must be a string")
    context = record.get("context", "")
    if context is not None and not isinstance(context, (str, list)):
        raise ValueError("\"context\" must be a string or a list of strings")
    try:
        scorecard = score_reply(record["reply"], context or "", facts=record.get("facts"), rubric=rubric,
                                lexicon=lexicon, models=scoring_models)
    except ScoringError as error:
        raise ValueError(str(error)) from error
    extra = {key: value for key, value in record.items() if key not in ("reply", "context", "facts")}
    return {**extra, **scorecard.to_dict()}


@cli.command("score-text")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
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
        failed = 0
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                result = score_line(line, rubric, lexicon, scoring_models)
            except ValueError as error:
                failed += 1
                result = {"error": str(error), "line": number}
            click.echo(json.dumps(result, ensure_ascii=False))
    except (RubricError, LexiconError, ModelsError) as error:
        raise click.ClickException(str(error)) from error
    if failed:
        click.echo(f"{failed} line(s) could not be scored", err=True)
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
