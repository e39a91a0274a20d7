"""Jinja filters the templates share."""

from urllib.parse import urlencode

from flask import Flask
from werkzeug.datastructures import MultiDict


def urlencode_with(args: MultiDict, **overrides) -> str:
    """The current query string with some parameters replaced (pagination links)."""
    merged = MultiDict(args)
    for name, value in overrides.items():
        merged.setlist(name, [value])
    return urlencode(list(merged.items(multi=True)))


def register(app: Flask) -> None:
    app.add_template_filter(urlencode_with)
