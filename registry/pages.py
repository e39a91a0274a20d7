from pathlib import Path

from flask import Blueprint, current_app, render_template, send_from_directory

from registry.accounts.current import current_viewer
from registry.projects import queries
from registry.showcases import services as showcases

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    viewer = current_viewer()
    return render_template(
        "home.html",
        recent=queries.list_projects(viewer, queries.Filters(), 1, 6).items,
        tags=queries.popular_tags(viewer, limit=15),
        counts=queries.headline_counts(viewer),
        showcase=showcases.newest_published(),
    )


@bp.get("/assets/design-system/<path:filename>")
def design_system(filename: str):
    """The design system's built files, installed by npm ci and never committed."""
    dist = Path(current_app.config["ASSETS_DIR"]) / "@scottish-government" / "design-system" / "dist"
    return send_from_directory(dist, filename, max_age=86400)
