"""The write-up editor form. Structure only; turning it into a WriteUp is editor.py's job.

Lengths, counts and control characters are the contract's rules (writeup_rules), which the
editor runs on every submission: checking them here too would word the same problem twice."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from registry.writeup_rules import MEASURE_TYPES, SECTION_TITLES

STATUS_CHOICES = [
    SelectChoice("idea", "Idea – not started yet"),
    SelectChoice("active", "Active – under way"),
    SelectChoice("completed", "Completed"),
    SelectChoice("paused", "Paused"),
    SelectChoice("stopped", "Stopped – did not continue"),
]
ROLE_CHOICES = [
    SelectChoice("intrinsic", "Intrinsic – improving care in and between our own practices"),
    SelectChoice("extrinsic", "Extrinsic – improving the wider system with the HSCP"),
    SelectChoice("both", "Both"),
]
VISIBILITY_CHOICES = [
    SelectChoice("public", "Public – anyone, including people who are not signed in"),
    SelectChoice("network", "Network – anyone signed in to Cluster Commons"),
    SelectChoice("cluster", "Cluster – only our cluster, and national coordinators"),
]
SECTION_HINTS = {
    "background": "The problem and its context: why this mattered locally.",
    "aim": "What, by how much, by when, for whom.",
    "measures": "How you measured: outcome, process and balancing measures.",
    "changes": "Change ideas and PDSA cycles: each with its prediction and what you learned.",
    "results": "What the data showed. Run charts described in words help everyone.",
    "lessons": "What you learned, including what did not work and why.",
    "reuse": "What another cluster needs to do to adopt this.",
    "tools": "Audit searches, spreadsheets, letters and protocols others can reuse.",
}


class MeasureForm(Form):
    name = StringField("Measure name")
    type = SelectField(
        "Type",
        validate_choice=False,
        choices=[SelectChoice("", "Choose a type")]
        + [SelectChoice(t, t.capitalize()) for t in MEASURE_TYPES],
    )
    definition = TextAreaField("Definition")
    unit = StringField("Unit")
    goal = StringField(
        "Goal", validators=[Length(max=40, message="Enter the goal as a number, for example 80.")]
    )
    data = TextAreaField("Data points")


class ExtraSectionForm(Form):
    heading = StringField("Section heading")
    body = TextAreaField("Section text")


class WriteUpForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Enter a title.")],
    )
    summary = TextAreaField("Summary")
    cluster = SelectField("Cluster", validate_choice=False)
    status = RadioField("Status", choices=STATUS_CHOICES, default="active")
    role = RadioField("Role of the work", choices=ROLE_CHOICES, default="intrinsic")
    visibility = RadioField("Who can read it", choices=VISIBILITY_CHOICES, default="network")
    started = DateField("Started", validators=[Optional()], format="%Y-%m-%d")
    finished = DateField("Finished", validators=[Optional()], format="%Y-%m-%d")
    tags = StringField("Tags")
    authors = TextAreaField("Authors")
    adapted_from = StringField(
        "Adapted from",
        validators=[Length(max=200, message="Give the slug of a write-up, up to 200 characters.")],
    )
    intro = TextAreaField("Introduction")
    measures = FieldList(FormField(MeasureForm), min_entries=1, max_entries=30)
    extra_sections = FieldList(FormField(ExtraSectionForm), min_entries=1, max_entries=20)
    version = HiddenField()


for _key, _title in SECTION_TITLES.items():
    setattr(WriteUpForm, f"section_{_key}", TextAreaField(_title))


class ReuseForm(FlaskForm):
    cluster = RadioField("Which cluster will own the copy?", validate_choice=False)
