from flask import Blueprint, render_template, request
from search_index import IndexUnavailable

from registry.accounts.current import current_viewer
from registry.errors import Invalid
from registry.search import services
from registry.search.params import PARAMETER_FOR_FACET, SearchRequest, parse_search_args

bp = Blueprint("search", __name__)

FACET_TITLES = {
    "tags": "Tag", "board": "Health board", "hscp": "HSCP", "cluster": "Cluster",
    "status": "Status", "role": "Role", "year": "Year started", "tool_kind": "Kind of tool",
}


@bp.get("/search")
def page():
    errors: dict[str, list[str]] = {}
    try:
        wanted = parse_search_args(request.args)
    except Invalid as error:
        errors = error.errors
        wanted = SearchRequest(query=request.args.get("q", "")[:200])
    results = None
    unavailable = False
    if not errors:
        try:
            results = services.search(current_viewer(), wanted)
        except IndexUnavailable:
            unavailable = True
    return (
        render_template(
            "search/page.html",
            wanted=wanted,
            results=results,
            errors=errors,
            unavailable=unavailable,
            facet_titles=FACET_TITLES,
            parameter_for=PARAMETER_FOR_FACET,
        ),
        400 if errors else (503 if unavailable else 200),
    )
