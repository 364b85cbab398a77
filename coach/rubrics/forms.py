"""Forms of the rubrics area (CSRF through Flask-WTF)."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField


class UploadForm(FlaskForm):
    rubric_file = FileField("Rubric file (YAML)")
    rubric_text = TextAreaField("…or paste the YAML", render_kw={"rows": 18, "spellcheck": "false"})
