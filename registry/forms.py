"""Helpers every form view uses: errors keyed by field id, for messages beside each field."""

from wtforms import Form
from wtforms.fields import FieldList, FormField


def errors_by_field(form: Form) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                found.update(errors_by_field(entry.form) if isinstance(entry, FormField) else {})
        elif field.errors:
            found[field.id] = list(field.errors)
    return found
