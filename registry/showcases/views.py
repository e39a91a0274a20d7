from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps

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

from registry.accounts.current import current_viewer
from registry.errors import Invalid, NotAllowed, NotFound
from registry.params import whole_number
from registry.projects import queries
from registry.projects.models import Project
from registry.showcases import services
from registry.showcases.forms import ItemForm, NoteForm, ShowcaseForm

bp = Blueprint("showcases", __name__)
bp.add_app_template_global(services.public_items, "public_items")

_NOT_CURATOR = "Only national coordinators and administrators curate showcases."


def curator_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not services.can_curate(current_viewer()):
            abort(403, _NOT_CURATOR)
        return view(*args, **kwargs)

    return wrapped


@bp.get("/showcases")
def listing():
    errors: dict[str, list[str]] = {}
    page = whole_number(request.args, "page", 1, 10_000, errors)
    per_page = current_app.config["PROJECTS_PER_PAGE"]
    return (
        render_template(
            "showcases/list.html",
            result=services.list_published(page, per_page),
            drafts=services.drafts(current_viewer()),
            can_curate=services.can_curate(current_viewer()),
            errors=errors,
        ),
        400 if errors else 200,
    )


@bp.route("/showcases/new", methods=["GET", "POST"])
@curator_required
def create():
    form = ShowcaseForm()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            showcase = services.create(current_viewer(), _fields(form))
        except Invalid as error:
            errors = error.errors
        else:
            flash("Showcase created as a draft. Add write-ups, then publish it.", "success")
            return redirect(url_for("showcases.detail", slug=showcase.slug))
    return _render_form(form, None, errors)


@bp.get("/showcases/<slug>")
def detail(slug: str):
    showcase = _viewable_or_404(slug)
    return _render_detail(showcase, ItemForm(formdata=None), {})


@bp.route("/showcases/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    showcase = _curatable_or_error(slug)
    if request.method == "GET":
        form = ShowcaseForm(
            data={
                "title": showcase.title,
                "slug": showcase.slug,
                "introduction": showcase.introduction,
                "theme": showcase.theme.name if showcase.theme else "",
            }
        )
        return _render_form(form, showcase, {})
    form = ShowcaseForm()
    try:
        showcase = services.update(current_viewer(), slug, _fields(form))
    except Invalid as error:
        return _render_form(form, showcase, error.errors)
    flash("Showcase saved.", "success")
    return redirect(url_for("showcases.detail", slug=showcase.slug))


@bp.post("/showcases/<slug>/publish")
@login_required
def publish(slug: str):
    return _change(services.publish, slug, "Published. Everyone can now see this showcase.")


@bp.post("/showcases/<slug>/unpublish")
@login_required
def unpublish(slug: str):
    return _change(services.unpublish, slug, "Moved back to draft. Only curators can see it now.")


@bp.post("/showcases/<slug>/items")
@login_required
def add_item(slug: str):
    showcase = _curatable_or_error(slug)
    form = ItemForm()
    try:
        item = services.add_item(
            current_viewer(), slug, form.project.data or "", form.note.data or ""
        )
    except Invalid as error:
        return _render_detail(showcase, form, error.errors)
    flash(f"Added “{item.project.title}”.", "success")
    return redirect(url_for("showcases.detail", slug=showcase.slug, _anchor="manage"))


@bp.route("/showcases/<slug>/items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_note(slug: str, item_id: int):
    with _refusals_as_http_errors():
        showcase, item = services.get_curated_item(current_viewer(), slug, item_id)
    errors: dict[str, list[str]] = {}
    if request.method == "GET":
        form = NoteForm(data={"note": item.note})
    else:
        form = NoteForm()
        try:
            services.update_note(current_viewer(), slug, item_id, form.note.data or "")
        except Invalid as error:
            errors = error.errors
        else:
            flash("Note saved.", "success")
            return redirect(url_for("showcases.detail", slug=slug, _anchor="manage"))
    return (
        render_template("showcases/note.html", showcase=showcase, item=item, form=form,
                        errors=errors),
        400 if errors else 200,
    )


@bp.post("/showcases/<slug>/items/<int:item_id>/move")
@login_required
def move_item(slug: str, item_id: int):
    direction = request.form.get("direction", "")
    with _refusals_as_http_errors():
        try:
            moved = services.move_item(current_viewer(), slug, item_id, direction)
        except Invalid as error:
            return _detail_with_errors(slug, error.errors)
    if not moved:
        flash("That write-up is already at that end of the showcase.", "info")
    return redirect(url_for("showcases.detail", slug=slug, _anchor="manage"))


@bp.post("/showcases/<slug>/items/<int:item_id>/remove")
@login_required
def remove_item(slug: str, item_id: int):
    with _refusals_as_http_errors():
        project = services.remove_item(current_viewer(), slug, item_id)
    flash(f"Removed “{project.title}” from the showcase.", "success")
    return redirect(url_for("showcases.detail", slug=slug, _anchor="manage"))


def _fields(form: ShowcaseForm) -> services.ShowcaseFields:
    return services.ShowcaseFields(
        title=form.title.data or "",
        slug=form.slug.data or "",
        introduction=form.introduction.data or "",
        theme=form.theme.data or "",
    )


def _change(change, slug: str, message: str):
    with _refusals_as_http_errors():
        try:
            showcase = change(current_viewer(), slug)
        except Invalid as error:
            return _detail_with_errors(slug, error.errors)
    flash(message, "success")
    return redirect(url_for("showcases.detail", slug=showcase.slug))


def _detail_with_errors(slug: str, errors: dict[str, list[str]]):
    return _render_detail(_curatable_or_error(slug), ItemForm(formdata=None), errors)


def _render_form(form: ShowcaseForm, showcase, errors):
    return (
        render_template(
            "showcases/form.html",
            form=form,
            showcase=showcase,
            errors=errors,
            tag_names=queries.all_tag_names(),
        ),
        400 if errors else 200,
    )


def _render_detail(showcase, item_form: ItemForm, errors):
    curating = services.can_curate(current_viewer())
    return (
        render_template(
            "showcases/detail.html",
            showcase=showcase,
            items=services.public_items(showcase),
            curating=curating,
            withdrawn=services.withdrawn_items(showcase) if curating else [],
            item_form=item_form,
            candidates=_candidates(showcase) if curating else [],
            errors=errors,
        ),
        400 if errors else 200,
    )


def _candidates(showcase) -> list[Project]:
    """Public, published write-ups not yet in the showcase: suggestions for the add form."""
    present = {item.project_id for item in showcase.items}
    result = queries.list_projects(None, queries.Filters(), 1, queries.MAX_PER_PAGE)
    return [project for project in result.items if project.id not in present]


def _viewable_or_404(slug: str):
    try:
        return services.get_viewable(current_viewer(), slug)
    except NotFound:
        abort(404)


def _curatable_or_error(slug: str):
    with _refusals_as_http_errors():
        return services.get_curatable(current_viewer(), slug)


@contextmanager
def _refusals_as_http_errors() -> Iterator[None]:
    """The services' NotFound and NotAllowed as 404 and 403 pages."""
    try:
        yield
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403, _NOT_CURATOR)
