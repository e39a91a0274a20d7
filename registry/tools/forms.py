"""The tool form, for attaching a tool and for changing one. Structure only: rules.py checks."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectChoice, StringField, TextAreaField

from registry.tools.rules import KINDS, SYSTEMS


class ToolForm(FlaskForm):
    # Choices are checked by the service (check_details), with messages beside each field.
    title = StringField("Title")
    kind = RadioField(
        "Kind of tool",
        choices=[SelectChoice(key, label) for key, label in KINDS.items()],
        validate_choice=False,
    )
    description = TextAreaField("Description")
    clinical_system = RadioField(
        "Clinical system",
        choices=[SelectChoice(key, label) for key, label in SYSTEMS.items()],
        default="",
        validate_choice=False,
    )
    file = FileField("File")
