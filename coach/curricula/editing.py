"""Building, copying, archiving and assigning curricula: the work behind the trainer's forms."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from coach.models import Assignment, Curriculum, CurriculumStep, Scenario, Team, User, utcnow
from coach.permissions import trainees_clause

if TYPE_CHECKING:  # the forms are filled and read here, but only the blueprint makes them
    from coach.curricula.forms import CurriculumForm

NO_STEP = ""
REVIEWED_CALLS = "reviewed_calls"

BLANK_ROWS = 3


class CurriculumError(ValueError):
    """The curriculum cannot be saved as sent; the message says what to fix."""


@dataclass(frozen=True)
class StepInput:
    kind: str
    scenario_slug: str
    calls_required: int
    due_days: int | None
    pass_mark: int | None = None  # None: the curriculum's pass marks


def open_scenarios(session: Session) -> list[Scenario]:
    return list(session.exec(select(Scenario).where(Scenario.archived == False).order_by(Scenario.title)))  # noqa: E712


def step_choices(session: Session) -> list[tuple[str, str]]:
    return ([(NO_STEP, "(no step)"), (REVIEWED_CALLS, "Reviewed real calls (QA reviews)")]
            + [(s.slug, f"{s.title} ({s.difficulty}, {s.channel})") for s in open_scenarios(session)])


def prepare_form(form: CurriculumForm, session: Session, extra_rows: int = 0) -> None:
    """Offer the scenario choices on every row, with blank rows to add steps."""
    blanks = sum(1 for row in form.steps if not row.form.what.data)
    for _ in range(max(0, BLANK_ROWS - blanks) + extra_rows):
        form.steps.append_entry()
    choices = step_choices(session)
    for row in form.steps:
        row.form.what.choices = choices


def steps_from_form(form: CurriculumForm, session: Session) -> list[StepInput]:
    """The filled rows in the order given (by the Order column, then as listed)."""
    open_slugs = {s.slug for s in open_scenarios(session)}
    rows = []
    for index, row in enumerate(form.steps):
        what = row.form.what.data or NO_STEP
        if what == NO_STEP:
            continue
        if what == REVIEWED_CALLS:
            if not row.form.calls_required.data:
                raise CurriculumError(f"step {index + 1}: say how many reviewed real calls are needed")
            step = StepInput("reviewed_calls", "", row.form.calls_required.data, row.form.due_days.data,
                             row.form.pass_mark.data)
        elif what in open_slugs:
            step = StepInput("scenario", what, 0, row.form.due_days.data, row.form.pass_mark.data)
        else:
            raise CurriculumError(f"step {index + 1}: there is no open scenario called {what!r}")
        rows.append((row.form.order.data or index + 1, index, step))
    if not rows:
        raise CurriculumError("add at least one step: pick a scenario or reviewed real calls")
    return [step for _, _, step in sorted(rows, key=lambda r: (r[0], r[1]))]


def save_curriculum(session: Session, curriculum: Curriculum, form: CurriculumForm, steps: list[StepInput]) -> Curriculum:
    curriculum.name = form.name.data.strip()
    curriculum.description = (form.description.data or "").strip()
    curriculum.attempts_allowed = form.attempts_allowed.data or None
    curriculum.pass_marks = form.pass_marks()
    session.add(curriculum)
    session.flush()
    _replace_steps(session, curriculum, steps)
    session.commit()
    return curriculum


def _replace_steps(session: Session, curriculum: Curriculum, steps: list[StepInput]) -> None:
    for old in session.exec(select(CurriculumStep).where(CurriculumStep.curriculum_id == curriculum.id)):
        session.delete(old)
    session.flush()
    for position, step in enumerate(steps, start=1):
        session.add(CurriculumStep(curriculum_id=curriculum.id, position=position, kind=step.kind,
                                   scenario_slug=step.scenario_slug, calls_required=step.calls_required,
                                   due_days=step.due_days, pass_mark=step.pass_mark))


def fill_form(form: CurriculumForm, curriculum: Curriculum, steps: list[CurriculumStep]) -> None:
    """Put a stored curriculum into the edit form."""
    form.name.data, form.description.data = curriculum.name, curriculum.description
    form.attempts_allowed.data = curriculum.attempts_allowed
    for field in form.pass_mark_fields():
        skill = field.name.removeprefix("pass_")
        if skill in curriculum.pass_marks:
            field.data = curriculum.pass_marks[skill]
    while len(form.steps):
        form.steps.pop_entry()
    for step in steps:
        form.steps.append_entry({"order": step.position, "calls_required": step.calls_required or None,
                                 "due_days": step.due_days, "pass_mark": step.pass_mark,
                                 "what": REVIEWED_CALLS if step.kind == "reviewed_calls" else step.scenario_slug})


def copy_curriculum(session: Session, curriculum: Curriculum, owner: User) -> Curriculum:
    steps = session.exec(select(CurriculumStep).where(CurriculumStep.curriculum_id == curriculum.id)
                         .order_by(CurriculumStep.position)).all()
    copy = Curriculum(name=f"Copy of {curriculum.name}"[:120], description=curriculum.description, owner_id=owner.id,
                      pass_marks=dict(curriculum.pass_marks), attempts_allowed=curriculum.attempts_allowed)
    session.add(copy)
    session.flush()
    _replace_steps(session, copy, [StepInput(s.kind, s.scenario_slug, s.calls_required, s.due_days, s.pass_mark)
                                      for s in steps])
    session.commit()
    return copy


@dataclass(frozen=True)
class AssignReport:
    assigned: list[str]
    already: list[str]


def assign(session: Session, curriculum: Curriculum, teams: list[Team], trainees: list[User], by: User) -> AssignReport:
    """Assign to every trainee of ``teams`` and to ``trainees``; anyone holding it unfinished keeps that one."""
    if curriculum.archived:
        raise CurriculumError("an archived curriculum cannot be assigned; restore it first")
    targets: dict[int, tuple[User, int | None]] = {}
    for team in teams:
        members = session.exec(select(User).where(User.team_id == team.id, trainees_clause(),
                                                  User.active == True)).all()  # noqa: E712
        for member in members:
            targets[member.id] = (member, team.id)
    for trainee in trainees:
        targets.setdefault(trainee.id, (trainee, None))
    if not targets:
        raise CurriculumError("choose a team with trainees in it, or at least one trainee")
    report = AssignReport([], [])
    now = utcnow()
    for user, team_id in sorted(targets.values(), key=lambda t: t[0].username):
        open_one = session.exec(select(Assignment).where(Assignment.curriculum_id == curriculum.id,
                                                         Assignment.user_id == user.id,
                                                         Assignment.completed_at.is_(None))).first()
        if open_one:
            report.already.append(user.username)
            continue
        session.add(Assignment(curriculum_id=curriculum.id, user_id=user.id, team_id=team_id or user.team_id,
                               assigned_by=by.id, assigned_at=now))
        report.assigned.append(user.username)
    session.commit()
    return report
