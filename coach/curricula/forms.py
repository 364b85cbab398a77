from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coach.progress.levels import DEFAULT_PASS_MARK, DIMENSIONS, SKILL_NAMES

MAX_STEPS = 40


class StepForm(Form):
    """One row of the step list; a row left on "(no step)" is ignored."""

    order = IntegerField("Order", validators=[Optional(), NumberRange(1, MAX_STEPS)])
    what = SelectField("Step", choices=[], validate_choice=False)
    calls_required = IntegerField("Calls needed", validators=[Optional(), NumberRange(1, 50)])
    due_days = IntegerField("Due (days after assigning)", validators=[Optional(), NumberRange(0, 365)])
    pass_mark = IntegerField("Pass mark (empty: the curriculum's)", validators=[Optional(), NumberRange(0, 100)])


class CurriculumForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    attempts_allowed = IntegerField("Attempts allowed per step (empty: no limit)", validators=[Optional(), NumberRange(1, 50)])
    steps = FieldList(FormField(StepForm), min_entries=1, max_entries=MAX_STEPS)

    def pass_mark_fields(self):
        return [getattr(self, f"pass_{skill}") for skill in DIMENSIONS]

    def pass_marks(self) -> dict[str, int]:
        return {skill: getattr(self, f"pass_{skill}").data for skill in DIMENSIONS}


for _skill in DIMENSIONS:
    setattr(CurriculumForm, f"pass_{_skill}", IntegerField(
        f"Pass mark: {SKILL_NAMES[_skill]}", default=DEFAULT_PASS_MARK,
        validators=[InputRequired(message="give a pass mark from 0 to 100"), NumberRange(0, 100)]))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignForm(FlaskForm):
    teams = MultiCheckboxField("Whole teams", coerce=int, choices=[])
    trainees = MultiCheckboxField("Trainees", coerce=int, choices=[])


class ActionForm(FlaskForm):
    """A button-only form (copy, archive): just the CSRF token."""
