from flask import Blueprint, abort, render_template, url_for

from registry.accounts.current import current_viewer
from registry.errors import NotFound
from registry.organisations import services as organisations
from registry.organisations.models import Hscp
from registry.overview import services, tracker
from registry.overview.downloads import csv_response

bp = Blueprint("overview", __name__)

# Bars drawn per chart; every row is in the table below it.
CHART_ROWS = 15


@bp.get("/overview")
def page():
    return render_template(
        "overview/page.html", overview=services.overview(current_viewer()), chart_rows=CHART_ROWS
    )


@bp.get("/overview/<key>.csv")
def table_csv(key: str):
    try:
        table = services.table(current_viewer(), key)
    except NotFound:
        abort(404, "There is no such table in the overview.")
    return csv_response(f"{key}.csv", table.columns, table.plain_rows())


@bp.get("/hscp/<slug>/tracker")
def hscp_tracker(slug: str):
    hscp = _hscp_or_404(slug)
    return render_template(
        "overview/tracker.html", hscp=hscp, activity=tracker.activity(current_viewer(), hscp)
    )


@bp.get("/hscp/<slug>/tracker.csv")
def hscp_tracker_csv(slug: str):
    hscp = _hscp_or_404(slug)
    rows = []
    for entry in tracker.activity(current_viewer(), hscp):
        # A cluster with no current work keeps its row: the gap is what the meeting discusses.
        rows.extend(_tracker_row(entry.cluster, project) for project in entry.projects)
        if not entry.projects:
            rows.append((entry.cluster.name, "", "", "", "", ""))
    return csv_response(f"{slug}-tracker.csv", tracker.COLUMNS, rows)


def _tracker_row(cluster, project) -> tuple:
    return (
        cluster.name,
        project.title,
        project.status.capitalize(),
        "Yes" if project.is_published else "No (draft)",
        project.updated_at.date().isoformat(),
        url_for("projects.detail", slug=project.slug, _external=True),
    )


def _hscp_or_404(slug: str) -> Hscp:
    try:
        return organisations.get_by_slug(Hscp, slug)
    except NotFound:
        abort(404)
