"""Pages for tools: the /tools library, attaching and changing a write-up's tools, downloads."""

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import login_required

from registry.accounts.current import current_viewer
from registry.errors import Invalid, NotAllowed, NotFound
from registry.organisations.services import all_boards
from registry.projects import queries as project_queries
from registry.projects import services as projects
from registry.projects.permissions import can_read
from registry.tools import queries, services
from registry.tools.filetypes import ACCEPTED, ACCEPTED_MESSAGE
from registry.tools.forms import ToolForm
from registry.tools.rules import KINDS, SYSTEMS, ToolDetails, size_limit

bp = Blueprint("tools", __name__)
log = logging.getLogger(__name__)


@bp.get("/tools")
def library():
    viewer = current_viewer()
    per_page = current_app.config["PROJECTS_PER_PAGE"]
    errors: dict[str, list[str]] = {}
    try:
        filters, page, per_page = queries.parse_library_args(request.args, per_page)
    except Invalid as error:
        filters, page, errors = queries.ToolFilters(), 1, error.errors
    result = queries.list_tools(viewer, filters, page, per_page)
    return (
        render_template(
            "tools/library.html",
            result=result,
            filters=filters,
            errors=errors,
            reuses=queries.reuse_counts([tool.id for tool in result.items]),
            most_downloaded=queries.most_downloaded(viewer),
            most_reused=queries.most_reused(viewer),
            kinds=KINDS,
            systems=SYSTEMS,
            boards=all_boards(),
            tags=project_queries.popular_tags(viewer, limit=50),
        ),
        400 if errors else 200,
    )


@bp.route("/projects/<slug>/tools/new", methods=["GET", "POST"])
@login_required
def attach(slug: str):
    project = _editable_or_error(slug)
    form = ToolForm()
    if request.method == "POST":  # CSRFProtect has already checked the token
        return _save(form, project, lambda details, upload: services.add_tool(
            current_viewer(), slug, details, upload), "Tool attached.")
    return _render_form(form, project, None, {}, 200)


@bp.route("/projects/<slug>/tools/<int:tool_id>/edit", methods=["GET", "POST"])
@login_required
def change(slug: str, tool_id: int):
    project = _editable_or_error(slug)
    tool = _or_404(services.get_tool, project, tool_id)
    form = ToolForm(obj=tool) if request.method == "GET" else ToolForm()
    if request.method == "POST":
        return _save(form, project, lambda details, upload: services.change_tool(
            current_viewer(), slug, tool_id, details, upload), "Tool saved.", tool)
    return _render_form(form, project, tool, {}, 200)


@bp.post("/projects/<slug>/tools/<int:tool_id>/remove")
@login_required
def remove(slug: str, tool_id: int):
    try:
        tool = services.remove_tool(current_viewer(), slug, tool_id)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403, _EDIT_REFUSED)
    flash(f"Removed “{tool.title}”. Its files stay in the write-up’s history.", "success")
    return redirect(url_for("projects.detail", slug=slug, _anchor="tools-title"))


@bp.get("/projects/<slug>/tools/<int:tool_id>/download")
def download(slug: str, tool_id: int):
    return _send(slug, tool_id, None)


@bp.get("/projects/<slug>/tools/<int:tool_id>/versions/<int:number>/download")
def download_version(slug: str, tool_id: int, number: int):
    return _send(slug, tool_id, number)


@bp.app_template_global()
def tool_kind_label(kind: str) -> str:
    return KINDS.get(kind, kind)


@bp.app_template_global()
def tool_system_label(system: str) -> str:
    return SYSTEMS.get(system, system)


@bp.app_template_global()
def can_read_project(project) -> bool:
    """For links to other write-ups (where a tool was linked from): only readable ones."""
    return can_read(current_viewer(), project)


_EDIT_REFUSED = "Only the owning cluster and national coordinators can change this project's tools."


def _save(form: ToolForm, project, save, message: str, tool=None):
    details = ToolDetails(
        title=form.title.data or "",
        kind=form.kind.data or "",
        description=form.description.data or "",
        clinical_system=form.clinical_system.data or "",
    )
    chosen = form.file.data
    upload = services.Upload(chosen.filename or "", chosen.read()) if chosen else None
    try:
        save(details, upload)
    except Invalid as error:
        errors = dict(error.errors)
        if upload is not None:
            # The browser cannot keep the chosen file across the round trip: say so.
            errors["file"] = errors.get("file", []) + [services.REPEAT_FILE_HINT]
        return _render_form(form, project, tool, errors, 400)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403, _EDIT_REFUSED)
    flash(message, "success")
    return redirect(url_for("projects.detail", slug=project.slug, _anchor="tools-title"))


def _render_form(form: ToolForm, project, tool, errors: dict, status: int):
    return (
        render_template(
            "tools/form.html",
            form=form,
            project=project,
            tool=tool,
            errors=errors,
            accepted_message=ACCEPTED_MESSAGE,
            accepted_suffixes=",".join(f".{extension}" for extension in (*ACCEPTED, "jpeg")),
            size_limit=size_limit(),
        ),
        status,
    )


def _send(slug: str, tool_id: int, number: int | None):
    version = _or_404(services.download, current_viewer(), slug, tool_id, number)
    path = services.blob_store().path(version.sha256)
    if not path.is_file():
        log.error("tool file %s is missing from the upload directory", version.sha256)
        abort(404, "This file is missing from the server. Please tell the write-up's cluster.")
    response = send_file(
        path,
        mimetype=version.content_type,
        as_attachment=True,
        download_name=version.filename,
        max_age=0,
    )
    response.headers["Content-Type"] = version.content_type  # as stored, charset included
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Opened directly rather than downloaded, the file still runs nothing and loads nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _editable_or_error(slug: str):
    try:
        return projects.get_editable(current_viewer(), slug)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403, _EDIT_REFUSED)


def _or_404(function, *args):
    try:
        return function(*args)
    except NotFound:
        abort(404)
