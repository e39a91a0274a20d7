"""The curator's forms. Structure and CSRF only: the service owns every rule."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField


class ShowcaseForm(FlaskForm):
    title = StringField("Title")
    slug = StringField("Web address")
    introduction = TextAreaField("Introduction")
    theme = StringField("Theme tag")


class ItemForm(FlaskForm):
    project = StringField("Write-up to add")
    note = TextAreaField("Curator’s note")


class NoteForm(FlaskForm):
    note = TextAreaField("Curator’s note")
