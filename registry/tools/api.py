"""/api/v1/tools: the tool library as JSON, with the same filters and visibility as /tools."""

from flask import Blueprint, current_app, request

from registry.accounts.current import current_viewer
from registry.api import bad_request, listing, tool_json
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
    return listing(result, filters.active(),
                   [tool_json(tool, reuses.get(tool.id, 0), viewer) for tool in result.items])
