from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from coach.auth.accounts import MIN_PASSWORD_LENGTH
from coach.models import Role

ROLE_CHOICES = [(r.value, r.value.title()) for r in Role]


class UserForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    display_name = StringField("Full name", validators=[Optional(), Length(max=120)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    team_id = SelectField("Team", coerce=int, choices=[])
    password = PasswordField("Initial password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)])


class AccountForm(FlaskForm):
    """A user's role and team, as an administrator changes them."""
    role = SelectField("Role", choices=ROLE_CHOICES)
    team_id = SelectField("Team", coerce=int, choices=[])


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""


class RevokeForm(FlaskForm):
    token_id = IntegerField("Token", validators=[DataRequired()])


class TeamForm(FlaskForm):
    name = StringField("Team name", validators=[DataRequired(), Length(max=80)])
    trainer_id = SelectField("Trainer", coerce=int, choices=[])


class TokenForm(FlaskForm):
    user_id = SelectField("User", coerce=int, choices=[])
    label = StringField("What it is for", validators=[Optional(), Length(max=80)])
