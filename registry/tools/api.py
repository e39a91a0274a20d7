"""/api/v1/tools: the tool library as JSON, with the same filters and visibility as /tools."""

from flask import Blueprint, current_app, jsonify, request

from registry.accounts.current import current_viewer
from registry.api import bad_request, tool_json
from registry.errors import Invalid
from registry.tools import queries

bp = Blueprint("tools_api", __name__, url_prefix="/api/v1")


@bp.get("/tools")
def tools():
    viewer = current_viewer()
    try:
        filters, page, per_page = queries.parse_library_args(
            request.args, current_app.config["PROJECTS_PER_PAGE"]
        )
    except Invalid as error:
        return bad_request(error.errors)
    result = queries.list_tools(viewer, filters, page, per_page)
    reuses = queries.reuse_counts([tool.id for tool in result.items])
    return jsonify(
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
        filters=filters.active(),
        results=[tool_json(tool, reuses.get(tool.id, 0), viewer) for tool in result.items],
    )
