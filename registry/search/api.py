"""/api/v1/search and /api/v1/projects/<slug>/similar: JSON over the same search services."""

from flask import Blueprint, jsonify, request, url_for
from search_index import Hit, IndexUnavailable, Results

from registry.accounts.current import current_viewer
from registry.api import bad_request, not_found
from registry.errors import Invalid, NotFound
from registry.projects import services as projects
from registry.search import services
from registry.search.params import parse_search_args

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")


@bp.get("/search")
def search():
    try:
        wanted = parse_search_args(request.args)
    except Invalid as error:
        return bad_request(error.errors)
    try:
        results = services.search(current_viewer(), wanted)
    except IndexUnavailable:
        return _unavailable()
    return jsonify(_results(results))


@bp.get("/projects/<slug>/similar")
def similar(slug: str):
    viewer = current_viewer()
    try:
        project = projects.get_readable(viewer, slug)
    except NotFound:
        return not_found(slug)
    return jsonify(results=[_hit(hit) for hit in services.similar(viewer, project)])


def _results(results: Results) -> dict:
    return {
        "query": results.query,
        "corrected_from": results.corrected_from,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "partial": results.partial,
        "message": results.message,
        "results": [_hit(hit) for hit in results.hits],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in results.facets.items()
        },
        "suggestion": results.suggestion,
    }


def _hit(hit: Hit) -> dict:
    return {
        "slug": hit.slug,
        "title": hit.title,
        "url": url_for("projects.detail", slug=hit.slug, _external=True),
        "summary": hit.summary,
        "cluster": hit.cluster,
        "board": hit.board,
        "status": hit.status,
        "tags": list(hit.tags),
        "score": round(hit.score, 4),
        "highlight": hit.highlight,
    }


def _unavailable():
    body = {"error": {"status": 503, "message": "Search is being rebuilt; try again shortly."}}
    return jsonify(body), 503, {"Retry-After": "30"}
