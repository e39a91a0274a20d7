"""Reading lists of write-ups: filters, pagination, counts. Visibility is applied in SQL."""

from dataclasses import dataclass, field
from math import ceil
from typing import Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from registry.errors import Invalid
from registry.extensions import db
from registry.organisations.models import Board, Cluster, Hscp
from registry.params import short_text, whole_number
from registry.projects.models import Project, Tag, project_tags
from registry.projects.permissions import Viewer, readable_clause
from registry.text import tag_key
from registry.writeup_rules import ROLES, STATUSES

MAX_PER_PAGE = 100
FILTER_NAMES = ("tag", "board", "hscp", "cluster", "status", "role")
Item = TypeVar("Item")


@dataclass(frozen=True)
class Filters:
    tag: str | None = None
    board: str | None = None
    hscp: str | None = None
    cluster: str | None = None
    status: str | None = None
    role: str | None = None

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTER_NAMES if getattr(self, name)}


@dataclass
class Page(Generic[Item]):
    """One page of a list (write-ups here, tools in registry/tools/queries.py)."""

    items: list[Item]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, ceil(self.total / self.per_page))


def parse_listing_args(args, default_per_page: int) -> tuple[Filters, int, int]:
    """Read filters and paging from query arguments; raise Invalid naming each bad one."""
    errors: dict[str, list[str]] = {}
    values = {name: short_text(args, name, errors) for name in FILTER_NAMES}
    for name, choices in (("status", STATUSES), ("role", ROLES)):
        if values[name] and values[name] not in choices:
            errors[name] = [f"Choose one of: {', '.join(choices)}."]
    page = whole_number(args, "page", 1, 100_000, errors)
    per_page = whole_number(args, "per_page", default_per_page, MAX_PER_PAGE, errors)
    if errors:
        raise Invalid(errors)
    if values["tag"]:
        values["tag"] = tag_key(values["tag"])  # as matched, so the list's tag filter shows it
    return Filters(**values), page, per_page


def list_projects(
    viewer: Viewer, filters: Filters, page: int = 1, per_page: int = 20
) -> Page[Project]:
    query = _filtered(viewer, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(
        query.options(
            joinedload(Project.cluster).joinedload(Cluster.hscp).joinedload(Hscp.board),
            selectinload(Project.tags),
        )
        .order_by(Project.updated_at.desc(), Project.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)



def headline_counts(viewer: Viewer) -> dict[str, int]:
    """Write-ups, clusters and boards the viewer can see work from."""
    visible = _filtered(viewer, Filters()).subquery()
    row = db.session.execute(
        select(
            func.count(visible.c.id),
            func.count(func.distinct(visible.c.cluster_id)),
        )
    ).one()
    boards = db.session.scalar(
        select(func.count(func.distinct(Hscp.board_id)))
        .select_from(Cluster)
        .join(Hscp)
        .where(Cluster.id.in_(select(visible.c.cluster_id)))
    )
    return {"projects": row[0], "clusters": row[1], "boards": boards}


def popular_tags(viewer: Viewer, limit: int = 20) -> list[tuple[Tag, int]]:
    visible = select(Project.id).where(readable_clause(viewer))
    rows = db.session.execute(
        select(Tag, func.count(project_tags.c.project_id).label("uses"))
        .join(project_tags, project_tags.c.tag_id == Tag.id)
        .where(project_tags.c.project_id.in_(visible))
        .group_by(Tag.id)
        .order_by(func.count(project_tags.c.project_id).desc(), Tag.key)
        .limit(limit)
    ).all()
    return [(tag, uses) for tag, uses in rows]


def all_tag_names() -> list[str]:
    """Existing tags, for the editor's suggestions."""
    return list(db.session.scalars(select(Tag.name).order_by(Tag.key)))


def _filtered(viewer: Viewer, filters: Filters):
    query = (
        select(Project)
        .join(Project.cluster)
        .join(Cluster.hscp)
        .join(Hscp.board)
        .where(readable_clause(viewer))
    )
    if filters.tag:
        query = query.where(Project.tags.any(Tag.key == tag_key(filters.tag)))
    if filters.board:
        query = query.where(Board.slug == filters.board)
    if filters.hscp:
        query = query.where(Hscp.slug == filters.hscp)
    if filters.cluster:
        query = query.where(Cluster.slug == filters.cluster)
    if filters.status:
        query = query.where(Project.status == filters.status)
    if filters.role:
        query = query.where(Project.role == filters.role)
    return query



def busiest_cluster_slugs(limit: int) -> list[str]:
    """Clusters with the most write-ups; the demo accounts belong to these."""
    return list(
        db.session.scalars(
            select(Cluster.slug)
            .join(Project, Project.cluster_id == Cluster.id)
            .group_by(Cluster.id)
            .order_by(func.count(Project.id).desc(), Cluster.slug)
            .limit(limit)
        )
    )
