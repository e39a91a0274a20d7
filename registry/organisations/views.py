from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from registry.accounts.current import current_viewer
from registry.accounts.models import Role
from registry.errors import Invalid, NotFound
from registry.organisations import services
from registry.organisations.models import Board, Cluster, Hscp
from registry.projects import queries

bp = Blueprint("organisations", __name__)


@bp.get("/boards/<slug>")
def board(slug: str):
    found = _get_or_404(Board, slug)
    return _organisation_page("board", found, queries.Filters(board=slug))


@bp.get("/hscps/<slug>")
def hscp(slug: str):
    found = _get_or_404(Hscp, slug)
    return _organisation_page("hscp", found, queries.Filters(hscp=slug))


@bp.get("/clusters/<slug>")
def cluster(slug: str):
    found = _get_or_404(Cluster, slug)
    return _organisation_page("cluster", found, queries.Filters(cluster=slug))


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_viewer().role != Role.ADMIN:
            abort(403, "Only administrators can manage organisations.")
        return view(*args, **kwargs)

    return wrapped


@bp.route("/admin/organisations", methods=["GET", "POST"])
@admin_required
def manage():
    errors: dict[str, list[str]] = {}
    typed = {}
    if request.method == "POST":
        kind = request.form.get("kind")
        typed = request.form
        try:
            if kind == "cluster":
                created = services.create_cluster(
                    request.form.get("name", ""), request.form.get("hscp", "")
                )
                flash(f"Cluster {created.name} created.", "success")
            elif kind == "practice":
                created = services.create_practice(
                    request.form.get("name", ""), request.form.get("cluster", "")
                )
                flash(f"Practice {created.name} added to {created.cluster.name}.", "success")
            else:
                abort(400, "Choose whether to add a cluster or a practice.")
        except Invalid as error:
            errors = {f"{kind}-{name}": messages for name, messages in error.errors.items()}
        else:
            return redirect(url_for("organisations.manage"))
    return (
        render_template(
            "organisations/manage.html",
            errors=errors,
            typed=typed,
            hscps=services.all_hscps(),
            clusters=services.all_clusters(),
        ),
        400 if errors else 200,
    )


def _organisation_page(kind: str, organisation, filters: queries.Filters):
    viewer = current_viewer()
    try:
        _, page, per_page = queries.parse_listing_args(
            request.args, current_app.config["PROJECTS_PER_PAGE"]
        )
    except Invalid:
        page, per_page = 1, current_app.config["PROJECTS_PER_PAGE"]
    return render_template(
        "organisations/detail.html",
        kind=kind,
        organisation=organisation,
        result=queries.list_projects(viewer, filters, page, per_page),
    )


def _get_or_404(model, slug: str):
    try:
        return services.get_by_slug(model, slug)
    except NotFound:
        abort(404)
