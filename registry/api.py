"""The read API, /api/v1: the same services and visibility rules as the pages."""

from flask import Blueprint, current_app, jsonify, request, url_for

from registry.accounts.current import current_viewer
from registry.errors import Invalid, NotFound
from registry.projects import queries, services
from registry.projects.lineage import Lineage, lineage
from registry.projects.models import Project
from registry.projects.permissions import can_read
from registry.timeutil import aware
from registry.tools import queries as tool_queries
from registry.tools.models import Tool
from registry.tools.rules import KINDS

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/projects")
def projects():
    viewer = current_viewer()
    try:
        filters, page, per_page = queries.parse_listing_args(
            request.args, current_app.config["PROJECTS_PER_PAGE"]
        )
    except Invalid as error:
        return bad_request(error.errors)
    result = queries.list_projects(viewer, filters, page, per_page)
    return listing(result, filters.active(), [_summary(project) for project in result.items])


def listing(result, filters: dict, results: list[dict]):
    """One page of a filtered list, as every list endpoint returns it."""
    return jsonify(total=result.total, page=result.page, per_page=result.per_page,
                   pages=result.pages, filters=filters, results=results)


@bp.get("/projects/<slug>")
def project(slug: str):
    viewer = current_viewer()
    try:
        found = services.get_readable(viewer, slug)
    except NotFound:
        return not_found(slug)
    return jsonify(_full(found, viewer))


def _summary(project: Project) -> dict:
    cluster = project.cluster
    return {
        "slug": project.slug,
        "title": project.title,
        "url": url_for("projects.detail", slug=project.slug, _external=True),
        "api_url": url_for("api.project", slug=project.slug, _external=True),
        "summary": project.summary,
        "cluster": {"slug": cluster.slug, "name": cluster.name},
        "hscp": {"slug": cluster.hscp.slug, "name": cluster.hscp.name},
        "board": {"slug": cluster.board.slug, "name": cluster.board.name},
        "status": project.status,
        "role": project.role,
        "visibility": project.visibility,
        "published": project.is_published,
        "tags": [tag.name for tag in project.tags],
        "started": project.started.isoformat() if project.started else None,
        "finished": project.finished.isoformat() if project.finished else None,
        "updated_at": aware(project.updated_at).isoformat(),
    }


def _full(project: Project, viewer) -> dict:
    revision = project.current_revision
    writeup = revision.writeup
    rendered = revision.rendered
    return {
        **_summary(project),
        "summary_given": writeup.summary,
        "authors": writeup.authors,
        "adapted_from": _link(project.adapted_from, viewer),
        "adapted_by": [_link(p, viewer) for p in project.adaptations if can_read(viewer, p)],
        "lineage": _lineage(lineage(viewer, project)),
        "tools": _tools(tool_queries.tools_of(project), viewer),
        "measures": [
            {
                "name": m.name,
                "type": m.type,
                "definition": m.definition,
                "unit": m.unit,
                "goal": m.goal,
                "data": m.data,
            }
            for m in writeup.measures
        ],
        "intro": {"markdown": writeup.intro, "html": rendered["intro"]},
        "sections": [
            {
                "key": section.key,
                "heading": section.heading,
                "markdown": section.body,
                "html": rendered[f"section-{number}"],
            }
            for number, section in enumerate(writeup.sections)
        ],
        "revision": revision.number,
        "created_at": aware(project.created_at).isoformat(),
        "published_at": aware(project.published_at).isoformat() if project.published_at else None,
        "revised_at": aware(revision.created_at).isoformat(),
    }


def tool_json(tool: Tool, reuses: int, viewer) -> dict:
    """A tool as the API shows it, here and in /api/v1/tools."""
    project, current = tool.project, tool.current
    original = tool.reused_from.project if tool.reused_from else None
    return {
        "id": tool.id,
        "title": tool.title,
        "kind": {"key": tool.kind, "label": KINDS[tool.kind]},
        "clinical_system": tool.clinical_system or None,
        "description": tool.description,
        "file": {
            "name": current.filename,
            "type": current.extension,
            "content_type": current.content_type,
            "size": current.size,
        },
        "version": tool.version,
        "downloads": tool.download_count,
        "reused": reuses,
        "download_url": url_for(
            "tools.download", slug=project.slug, tool_id=tool.id, _external=True
        ),
        "project": {
            **_link(project, viewer),
            "cluster": {"slug": project.cluster.slug, "name": project.cluster.name},
            "board": {"slug": project.cluster.board.slug, "name": project.cluster.board.name},
        },
        "linked_from": _link(original, viewer),
        "updated_at": aware(tool.updated_at).isoformat(),
    }


def _tools(tools: list[Tool], viewer) -> list[dict]:
    reuses = tool_queries.reuse_counts([tool.id for tool in tools])
    return [tool_json(tool, reuses.get(tool.id, 0), viewer) for tool in tools]


def _lineage(found: Lineage) -> dict:
    def placed(project: Project) -> dict:
        return {
            "slug": project.slug,
            "title": project.title,
            "url": url_for("projects.detail", slug=project.slug, _external=True),
            "cluster": {"slug": project.cluster.slug, "name": project.cluster.name},
        }

    return {
        "ancestors": [placed(project) for project in found.ancestors],
        "descendants": [
            {**placed(project), "adapted_from": parent.slug, "depth": depth}
            for project, parent, depth in found.descendants()
        ],
        "reused_by_clusters": [
            {"slug": cluster.slug, "name": cluster.name} for cluster in found.reusing_clusters()
        ],
    }


def _link(project: Project | None, viewer) -> dict | None:
    if project is None or not can_read(viewer, project):
        return None
    return {
        "slug": project.slug,
        "title": project.title,
        "url": url_for("projects.detail", slug=project.slug, _external=True),
    }


def not_found(slug: str):
    return jsonify(error={"status": 404, "message": f"No project “{slug}”."}), 404


def bad_request(errors: dict[str, list[str]]):
    return (
        jsonify(
            error={
                "status": 400,
                "message": "Some parameters are not valid: " + ", ".join(sorted(errors)) + ".",
                "fields": errors,
            }
        ),
        400,
    )
