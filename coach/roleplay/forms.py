"""Forms of the role-play player: start a scenario, type a reply."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from coach.roleplay.practice import MAX_REPLY_CHARS


class StartForm(FlaskForm):
    assignment_id = HiddenField(validators=[Optional(), Regexp(r"^\d+$", message="not an assignment")])


class ReplyForm(FlaskForm):
    reply = TextAreaField("Your reply", validators=[
        DataRequired(message="Write your reply to the customer first."),
        Length(max=MAX_REPLY_CHARS, message=f"Keep your reply under {MAX_REPLY_CHARS:,} characters, as you would on a call."),
    ])
