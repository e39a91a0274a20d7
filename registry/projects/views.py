from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required
from wtforms import SelectChoice

from registry.accounts.current import current_viewer
from registry.errors import Conflict, Invalid, NotAllowed, NotFound
from registry.forms import errors_by_field
from registry.markup import render_markdown
from registry.organisations.services import all_boards, all_clusters, all_hscps
from registry.projects import history, queries, services
from registry.projects.editor import DATA_HINT, form_data_from_writeup, writeup_from_form
from registry.projects.forms import SECTION_HINTS, WriteUpForm
from registry.projects.lineage import lineage
from registry.projects.permissions import can_edit, can_edit_cluster
from registry.projects.reuse import reuse_choices
from registry.search import services as search
from registry.showcases import services as showcases
from registry.tools import queries as tool_queries
from registry.writeup_rules import SECTION_TITLES

bp = Blueprint("projects", __name__)

_EDITOR_ACTIONS = ("preview", "save", "publish", "add_measure", "add_section")


@bp.get("/projects")
def listing():
    viewer = current_viewer()
    try:
        filters, page, per_page = queries.parse_listing_args(
            request.args, default_per_page=_per_page()
        )
    except Invalid as error:
        filters, page, per_page = queries.Filters(), 1, _per_page()
        return _render_list(viewer, filters, page, per_page, error.errors), 400
    return _render_list(viewer, filters, page, per_page, {})


@bp.get("/tags/<path:tag>")
def tag(tag: str):
    viewer = current_viewer()
    try:
        _, page, per_page = queries.parse_listing_args(request.args, _per_page())
    except Invalid:
        page, per_page = 1, _per_page()
    result = queries.list_projects(viewer, queries.Filters(tag=tag), page, per_page)
    if result.total == 0:
        abort(404, "No projects you can see use this tag.")
    return render_template("projects/tag.html", tag=tag, result=result)


@bp.get("/projects/<slug>")
def detail(slug: str):
    viewer = current_viewer()
    project = _readable_or_404(viewer, slug)
    revision = project.current_revision
    tools = tool_queries.tools_of(project)
    return render_template(
        "projects/detail.html",
        project=project,
        revision=revision,
        writeup=revision.writeup,
        can_edit=can_edit(viewer, project),
        lineage=lineage(viewer, project),
        tools=tools,
        tool_reuses=tool_queries.reuse_counts([tool.id for tool in tools]),
        # Everyone but those whose only clusters own it already (they edit it instead).
        offer_reuse=viewer is None or not viewer.clusters or bool(reuse_choices(viewer, project)),
        similar=search.similar(viewer, project),
        showcases=showcases.featuring(project),
        section_titles=SECTION_TITLES,
    )


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def create():
    viewer = current_viewer()
    clusters = [c for c in all_clusters() if can_edit_cluster(viewer, c)]
    if not clusters:
        abort(403, "You need to belong to a cluster to write up a project.")
    form = WriteUpForm()
    _offer_clusters(form, clusters)
    if request.method == "GET":
        form.cluster.data = clusters[0].slug if len(clusters) == 1 else ""
    return _edit(form, project=None)


@bp.route("/projects/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    viewer = current_viewer()
    project = _editable_or_error(viewer, slug)
    revision = project.current_revision
    if request.method == "GET":
        data = form_data_from_writeup(revision.writeup, project.cluster.slug, project.version)
        form = WriteUpForm(data=data)
    else:
        form = WriteUpForm()
    clusters = [c for c in all_clusters() if can_edit_cluster(viewer, c)]
    if project.cluster not in clusters:
        clusters.insert(0, project.cluster)
    _offer_clusters(form, clusters)
    return _edit(form, project=project)


@bp.post("/projects/<slug>/publish")
@login_required
def publish(slug: str):
    return _change_publication(
        services.publish, slug, "Published. It is now visible to its readers."
    )


@bp.post("/projects/<slug>/unpublish")
@login_required
def unpublish(slug: str):
    return _change_publication(
        services.unpublish, slug, "Moved back to draft. Only its editors can see it now."
    )


@bp.get("/projects/<slug>/history")
def revisions(slug: str):
    project = _readable_or_404(current_viewer(), slug)
    return render_template(
        "projects/history.html",
        project=project,
        revisions=history.revisions(project),
        tool_events=tool_queries.history(project),
    )


@bp.get("/projects/<slug>/diff")
def diff(slug: str):
    project = _readable_or_404(current_viewer(), slug)
    latest = project.version
    older_number = request.args.get("from", type=int, default=max(1, latest - 1))
    newer_number = request.args.get("to", type=int, default=latest)
    try:
        older = history.get_revision(project, older_number)
        newer = history.get_revision(project, newer_number)
    except NotFound:
        abort(404, "There is no such revision of this project.")
    return render_template(
        "projects/diff.html",
        project=project,
        older=older,
        newer=newer,
        lines=history.diff(older, newer),
        revisions=history.revisions(project),
    )


def _edit(form: WriteUpForm, project):
    """The editor's shared flow: preview, grow the measure/section lists, or save."""
    viewer = current_viewer()
    previous = project.current_revision.writeup if project else None
    action = request.form.get("action", "save") if request.method == "POST" else None
    if action is not None and action not in _EDITOR_ACTIONS:
        action = "save"
    errors: dict[str, list[str]] = {}
    preview = None
    conflict = None
    if action == "add_measure":
        form.measures.append_entry()
    elif action == "add_section":
        form.extra_sections.append_entry()
    elif action is not None:
        valid = form.validate()
        errors = errors_by_field(form)
        for field in (form.started, form.finished):
            if field.errors:  # WTForms' own wording ("Not a valid date value") is unhelpful
                errors[field.id] = ["Enter a real date, for example 2024-04-01."]
        writeup, field_for, conversion_errors = writeup_from_form(form, previous)
        errors.update(conversion_errors)
        # The contract's rules and the identifier guard too, so the first error summary lists
        # every problem.
        problems = services.writeup_problems(writeup)
        for field_id, messages in _field_errors(problems, field_for).items():
            errors.setdefault(field_id, messages)
        if action == "preview":
            preview = _preview(writeup)
        elif valid and not errors:
            expected = int(form.version.data) if (form.version.data or "").isdigit() else None
            try:
                saved = services.save_writeup(
                    viewer,
                    writeup,
                    slug=project.slug if project else None,
                    expected_version=expected if project else None,
                    publish=action == "publish",
                )
            except Invalid as error:
                errors = _field_errors(error.errors, field_for)
            except Conflict as error:
                conflict = error
                form.version.data = str(error.latest_version)
            except NotAllowed:
                abort(403)
            except NotFound:
                abort(404)
            else:
                flash(_saved_message(saved, action), "success")
                return redirect(url_for("projects.detail", slug=saved.slug))
    status = 409 if conflict else (400 if errors else 200)
    return (
        render_template(
            "projects/edit.html",
            form=form,
            project=project,
            errors=errors,
            preview=preview,
            conflict=conflict,
            tag_names=queries.all_tag_names(),
            section_titles=SECTION_TITLES,
            section_hints=SECTION_HINTS,
            data_hint=DATA_HINT,
        ),
        status,
    )


def _change_publication(change, slug: str, message: str):
    try:
        project = change(current_viewer(), slug)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    except Invalid as error:  # publishing found a patient identifier in the write-up
        problems = " ".join(m for messages in error.errors.values() for m in messages)
        flash(f"Not published. {problems} Edit the write-up, then publish it.", "error")
        return redirect(url_for("projects.detail", slug=slug))
    flash(message, "success")
    return redirect(url_for("projects.detail", slug=project.slug))


def _preview(writeup) -> dict:
    return {
        "title": writeup.title,
        "summary": services.effective_summary(writeup),
        "intro": render_markdown(writeup.intro),
        "sections": [(s.heading, render_markdown(s.body)) for s in writeup.sections],
    }


def _field_errors(errors: dict[str, list[str]], field_for: dict[str, str]) -> dict[str, list[str]]:
    return {field_for.get(name, name): messages for name, messages in errors.items()}


def _saved_message(project, action: str) -> str:
    if action == "publish":
        return "Saved and published."
    if project.is_published:
        return "Saved. The published page now shows this revision."
    return "Saved as a draft. Only its editors can see it until it is published."


def _offer_clusters(form: WriteUpForm, clusters) -> None:
    form.cluster.choices = [SelectChoice("", "Choose a cluster")] + [
        SelectChoice(c.slug, c.name) for c in clusters
    ]


def _render_list(viewer, filters, page, per_page, errors):
    return render_template(
        "projects/list.html",
        result=queries.list_projects(viewer, filters, page, per_page),
        filters=filters,
        errors=errors,
        boards=all_boards(),
        hscps=all_hscps(),
        clusters=all_clusters(),
        tags=queries.popular_tags(viewer, limit=50),
    )


def _readable_or_404(viewer, slug: str):
    try:
        return services.get_readable(viewer, slug)
    except NotFound:
        abort(404)


def _editable_or_error(viewer, slug: str):
    try:
        return services.get_editable(viewer, slug)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403, "Only the owning cluster and national coordinators can edit this project.")


def _per_page() -> int:
    return current_app.config["PROJECTS_PER_PAGE"]
