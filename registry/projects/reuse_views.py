"""Reuse this project: choose a cluster, get a draft copy to edit."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from wtforms import SelectChoice

from registry.accounts.current import current_viewer
from registry.errors import Invalid, NotAllowed, NotFound
from registry.projects import reuse, services
from registry.projects.forms import ReuseForm

bp = Blueprint("reuse", __name__)


@bp.route("/projects/<slug>/reuse", methods=["GET", "POST"])
@login_required
def reuse_project(slug: str):
    viewer = current_viewer()
    try:
        original = services.get_readable(viewer, slug)
    except NotFound:
        abort(404)
    choices = reuse.reuse_choices(viewer, original)
    form = ReuseForm()
    form.cluster.choices = [SelectChoice(c.slug, c.name) for c in choices]
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            copy = reuse.reuse_project(viewer, slug, form.cluster.data)
        except NotAllowed as error:
            abort(403, str(error))
        except Invalid as error:
            errors = {form.cluster.id: error.errors["cluster"]}
        else:
            flash(
                f"This draft is {copy.cluster.name}’s own copy of “{original.title}”. Change "
                "anything to fit your cluster, then publish it.",
                "success",
            )
            return redirect(url_for("projects.edit", slug=copy.slug))
    return (
        render_template(
            "projects/reuse.html",
            original=original,
            form=form,
            choices=choices,
            refusal=reuse.why_not(viewer, original),
            errors=errors,
        ),
        400 if errors else 200,
    )
