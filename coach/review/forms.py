"""Forms of the review area (CSRF through Flask-WTF)."""
from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, MultipleFileField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

CHANNELS = [("auto", "Guess it (greeting, company name, talk share)"), ("left", "Left channel"), ("right", "Right channel")]


class UploadForm(FlaskForm):
    recordings = MultipleFileField("Recordings", validators=[DataRequired(message="Choose at least one recording.")])
    agent_id = SelectField("Agent", coerce=int, validators=[DataRequired(message="Choose the agent on the call.")])
    call_date = DateField("Call date", default=date.today, validators=[DataRequired(message="Give the date of the call.")])
    call_type = StringField("Call type", validators=[Optional(), Length(max=60)], description="e.g. complaint, billing, cancellation")
    external_id = StringField("External call id", validators=[Optional(), Length(max=120)],
                              description="Your telephony system's id (single recording only)")
    agent_channel = SelectField("Agent channel (stereo recordings)", choices=CHANNELS, default="auto")
