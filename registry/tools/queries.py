"""Reading tools: the library's filters and pages, the most used, and a write-up's tool history.

The library's free-text filter `q` is a case-insensitive substring match (every word must
appear) over each tool's title, description, file name and extracted text, in SQL. Tools are
few beside write-ups, and a substring match finds "EMIS" inside "EMIS-Web" where the write-up
search's word index would not; the write-up search (/search) indexes the same text.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from registry.accounts.models import User
from registry.errors import Invalid
from registry.extensions import db
from registry.organisations.models import Board, Cluster, Hscp
from registry.params import short_text, whole_number
from registry.projects.models import Project, Tag
from registry.projects.permissions import Viewer, readable_clause
from registry.projects.queries import MAX_PER_PAGE, Page
from registry.text import tag_key
from registry.tools.models import Tool, ToolVersion
from registry.tools.rules import KINDS, SYSTEMS

FILTER_NAMES = ("kind", "system", "tag", "board", "q")
MAX_WORDS = 10


@dataclass(frozen=True)
class ToolFilters:
    kind: str | None = None
    system: str | None = None
    tag: str | None = None
    board: str | None = None
    q: str | None = None

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTER_NAMES if getattr(self, name)}


@dataclass(frozen=True)
class ToolEvent:
    """One line of a write-up's tool history."""

    at: datetime
    action: str  # "added", "replaced" or "removed"
    tool: Tool
    by: User | None
    version: ToolVersion | None  # the file added; None for a removal


def parse_library_args(args, default_per_page: int) -> tuple[ToolFilters, int, int]:
    """Read filters and paging from query arguments; raise Invalid naming each bad one."""
    errors: dict[str, list[str]] = {}
    values = {name: short_text(args, name, errors) for name in FILTER_NAMES}
    if values["kind"] and values["kind"] not in KINDS:
        errors["kind"] = [f"Choose one of: {', '.join(KINDS)}."]
    systems = [key for key in SYSTEMS if key]
    if values["system"] and values["system"] not in systems:
        errors["system"] = [f"Choose one of: {', '.join(systems)}."]
    page = whole_number(args, "page", 1, 100_000, errors)
    per_page = whole_number(args, "per_page", default_per_page, MAX_PER_PAGE, errors)
    if errors:
        raise Invalid(errors)
    if values["tag"]:
        values["tag"] = tag_key(values["tag"])
    return ToolFilters(**values), page, per_page


def list_tools(
    viewer: Viewer, filters: ToolFilters, page: int = 1, per_page: int = 20
) -> Page[Tool]:
    query = _filtered(viewer, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(
        _with_details(query)
        .order_by(Tool.updated_at.desc(), Tool.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def most_downloaded(viewer: Viewer, limit: int = 5) -> list[Tool]:
    query = _filtered(viewer, ToolFilters()).where(Tool.download_count > 0)
    return list(
        db.session.scalars(
            _with_details(query).order_by(Tool.download_count.desc(), Tool.id).limit(limit)
        )
    )


def most_reused(viewer: Viewer, limit: int = 5) -> list[tuple[Tool, int]]:
    counts = reuse_counts_subquery()
    rows = db.session.execute(
        _with_details(_filtered(viewer, ToolFilters()))
        .add_columns(counts.c.reuses)
        .join(counts, counts.c.tool_id == Tool.id)
        .order_by(counts.c.reuses.desc(), Tool.id)
        .limit(limit)
    ).all()
    return [(tool, reuses) for tool, reuses in rows]


def reuse_counts(tool_ids: list[int]) -> dict[int, int]:
    """How many write-ups link each tool (removed links not counted)."""
    if not tool_ids:
        return {}
    counts = reuse_counts_subquery()
    return dict(db.session.execute(select(counts).where(counts.c.tool_id.in_(tool_ids))).all())


def reuse_counts_subquery():
    links = aliased(Tool)
    return (
        select(links.reused_from_id.label("tool_id"), func.count().label("reuses"))
        .where(links.reused_from_id.is_not(None), links.removed_at.is_(None))
        .group_by(links.reused_from_id)
        .subquery()
    )


def tools_of(project: Project) -> list[Tool]:
    """The write-up's tools in use, with what their page shows loaded."""
    return list(
        db.session.scalars(
            select(Tool)
            .where(Tool.project_id == project.id, Tool.removed_at.is_(None))
            .options(
                joinedload(Tool.current),
                joinedload(Tool.reused_from).joinedload(Tool.project),
            )
            .order_by(Tool.id)
        )
    )


def history(project: Project) -> list[ToolEvent]:
    """Every tool added, replaced or removed on the write-up, newest first."""
    tools = db.session.scalars(
        select(Tool)
        .where(Tool.project_id == project.id)
        .options(selectinload(Tool.versions).joinedload(ToolVersion.uploaded_by))
    ).all()
    events = []
    for tool in tools:
        for version in tool.versions:
            action = "added" if version.number == 1 else "replaced"
            events.append(
                ToolEvent(version.uploaded_at, action, tool, version.uploaded_by, version)
            )
        if tool.removed_at:
            events.append(ToolEvent(tool.removed_at, "removed", tool, tool.removed_by, None))
    return sorted(events, key=lambda e: (e.at, e.version.number if e.version else 0), reverse=True)


def _filtered(viewer: Viewer, filters: ToolFilters) -> Select:
    query = (
        select(Tool)
        .join(Tool.project)
        .join(Project.cluster)
        .join(Cluster.hscp)
        .join(Hscp.board)
        .join(ToolVersion, and_(ToolVersion.tool_id == Tool.id, ToolVersion.number == Tool.version))
        .where(Tool.removed_at.is_(None), readable_clause(viewer))
    )
    if filters.kind:
        query = query.where(Tool.kind == filters.kind)
    if filters.system:
        # A tool for any system works on EMIS and Vision too.
        query = query.where(Tool.clinical_system.in_({filters.system, "any"}))
    if filters.tag:
        query = query.where(Project.tags.any(Tag.key == tag_key(filters.tag)))
    if filters.board:
        query = query.where(Board.slug == filters.board)
    for word in (filters.q or "").split()[:MAX_WORDS]:
        query = query.where(
            or_(*(column.icontains(word, autoescape=True) for column in (
                Tool.title, Tool.description, ToolVersion.filename, ToolVersion.text)))
        )
    return query


def _with_details(query: Select) -> Select:
    return query.options(
        joinedload(Tool.current),
        joinedload(Tool.project).joinedload(Project.cluster).joinedload(Cluster.hscp)
        .joinedload(Hscp.board),
        joinedload(Tool.reused_from).joinedload(Tool.project),
    )
