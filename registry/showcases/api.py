"""/api/v1/showcases: published showcases as JSON, with the items their readers see."""

from flask import Blueprint, abort, current_app, jsonify, request, url_for

from registry.accounts.current import current_viewer
from registry.api import bad_request, listing
from registry.errors import NotFound
from registry.params import whole_number
from registry.projects.queries import MAX_PER_PAGE
from registry.showcases import services
from registry.showcases.models import Showcase, ShowcaseItem
from registry.timeutil import aware

bp = Blueprint("showcases_api", __name__, url_prefix="/api/v1")


@bp.get("/showcases")
def showcases():
    errors: dict[str, list[str]] = {}
    page = whole_number(request.args, "page", 1, 10_000, errors)
    per_page = whole_number(
        request.args, "per_page", current_app.config["PROJECTS_PER_PAGE"], MAX_PER_PAGE, errors
    )
    if errors:
        return bad_request(errors)
    result = services.list_published(page, per_page)
    return listing(result, {}, [_summary(showcase) for showcase in result.items])


@bp.get("/showcases/<slug>")
def showcase(slug: str):
    try:
        found = services.get_viewable(current_viewer(), slug)
    except NotFound:
        abort(404, f"No showcase “{slug}”.")
    return jsonify(
        **_summary(found),
        introduction={"markdown": found.introduction, "html": found.introduction_html},
        items=[_item(item) for item in services.public_items(found)],
    )


def _summary(showcase: Showcase) -> dict:
    return {
        "slug": showcase.slug,
        "title": showcase.title,
        "url": url_for("showcases.detail", slug=showcase.slug, _external=True),
        "api_url": url_for("showcases_api.showcase", slug=showcase.slug, _external=True),
        "feed_url": url_for("feeds.showcase", slug=showcase.slug, _external=True)
        if showcase.is_published
        else None,
        "theme": showcase.theme.name if showcase.theme else None,
        "published": showcase.is_published,
        "published_at": aware(showcase.published_at).isoformat() if showcase.published_at else None,
        "updated_at": aware(showcase.updated_at).isoformat(),
        "item_count": len(services.public_items(showcase)),
    }


def _item(item: ShowcaseItem) -> dict:
    project = item.project
    return {
        "note": {"markdown": item.note, "html": item.note_html},
        "project": {
            "slug": project.slug,
            "title": project.title,
            "summary": project.summary,
            "cluster": {"slug": project.cluster.slug, "name": project.cluster.name},
            "status": project.status,
            "url": url_for("projects.detail", slug=project.slug, _external=True),
            "api_url": url_for("api.project", slug=project.slug, _external=True),
        },
    }
