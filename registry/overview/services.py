"""The national picture: counts of published write-ups, as the tables that the page, its CSV
downloads and the API all show.

Each audience counts the published write-ups it may open (registry.projects.permissions):
visitors count public ones; signed-in users add network ones and their own clusters'
cluster-only ones; coordinators and admins count every published write-up. Drafts are never
counted: they are not yet shared work. Each headline and each table is one function in
HEADLINES or TABLES, so a new figure is a new function and one line.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, extract, func, or_, select
from sqlalchemy.orm import aliased

from registry.errors import NotFound
from registry.extensions import db
from registry.organisations.models import Board, Cluster, Hscp
from registry.projects.models import Project, Tag, project_tags
from registry.projects.permissions import Viewer, readable_clause
from registry.timeutil import utcnow
from registry.tools.models import Tool
from registry.tools.rules import KINDS
from registry.writeup_rules import ROLES, STATUSES

TOP_TAGS = 15
QUIET_AFTER = timedelta(days=365)
COUNTS_INCLUDE = {
    "public": "Published write-ups that are public.",
    "network": "Published write-ups you can open: public and network ones, and your own "
    "clusters’ cluster-only ones.",
    "national": "Every published write-up, whatever its visibility.",
}

Cell = str | int | date | None


@dataclass(frozen=True)
class Table:
    key: str  # its address: /overview/<key>.csv
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    chart: bool = True  # a bar chart of the last column, labelled by the first

    def plain_rows(self) -> list[list[str | int | None]]:
        """Rows with dates as ISO 8601 text, for CSV and JSON."""
        return [[v.isoformat() if isinstance(v, date) else v for v in row] for row in self.rows]


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Overview:
    audience: str
    counts_include: str
    headlines: list[Headline]
    tables: list[Table]


def audience(viewer: Viewer) -> str:
    if viewer is None:
        return "public"
    return "national" if viewer.is_national else "network"


def overview(viewer: Viewer) -> Overview:
    ids = counted_ids(viewer)
    who = audience(viewer)
    return Overview(
        audience=who,
        counts_include=COUNTS_INCLUDE[who],
        headlines=[Headline(key, label, count(ids)) for key, label, count in HEADLINES],
        tables=[figure(ids) for figure in _tables_for(viewer).values()],
    )


def table(viewer: Viewer, key: str) -> Table:
    figure = _tables_for(viewer).get(key)
    if figure is None:
        raise NotFound(key)
    return figure(counted_ids(viewer))


def counted_ids(viewer: Viewer) -> Select:
    """The ids of the write-ups this viewer's figures count."""
    return select(Project.id).where(Project.is_published.is_(True), readable_clause(viewer))


# --- Headlines ------------------------------------------------------------------------------
def _writeups(ids: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(ids.subquery()))


def _clusters(ids: Select) -> int:
    return db.session.scalar(
        select(func.count(func.distinct(Project.cluster_id))).where(Project.id.in_(ids))
    )


def _adaptations(ids: Select) -> int:
    return db.session.scalar(
        select(func.count(Project.id)).where(Project.id.in_(ids), Project.adapted_from_id.in_(ids))
    )


def _shared_tools(ids: Select):
    """Tools on counted write-ups that their authors uploaded (not links made by reuse)."""
    return select(Tool).where(
        Tool.project_id.in_(ids), Tool.removed_at.is_(None), Tool.reused_from_id.is_(None)
    )


def _tools_shared(ids: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(_shared_tools(ids).subquery()))


def _tools_reused(ids: Select) -> int:
    """Tools carried into another write-up by "Reuse this project", both ends counted."""
    original = aliased(Tool)
    return db.session.scalar(
        select(func.count(Tool.id))
        .join(original, Tool.reused_from_id == original.id)
        .where(Tool.project_id.in_(ids), Tool.removed_at.is_(None), original.project_id.in_(ids))
    )


HEADLINES: tuple[tuple[str, str, Callable[[Select], int]], ...] = (
    ("writeups", "Published write-ups", _writeups),
    ("clusters", "Clusters sharing work", _clusters),
    ("adaptations", "Write-ups reusing another cluster’s work", _adaptations),
    ("tools", "Tools shared", _tools_shared),
    ("tools_reused", "Tools reused in another write-up", _tools_reused),
)


# --- Tables ---------------------------------------------------------------------------------
def _by_board(ids: Select) -> Table:
    counted = func.count(Project.id)
    rows = db.session.execute(
        select(Board.name, counted)
        .outerjoin(Hscp, Hscp.board_id == Board.id)
        .outerjoin(Cluster, Cluster.hscp_id == Hscp.id)
        .outerjoin(Project, and_(Project.cluster_id == Cluster.id, Project.id.in_(ids)))
        .group_by(Board.id, Board.name)
        .order_by(counted.desc(), Board.name)
    ).all()
    return Table("boards", "Write-ups by health board", ("Health board", "Write-ups"),
                 [tuple(row) for row in rows])


def _by_hscp(ids: Select) -> Table:
    counted = func.count(Project.id)
    rows = db.session.execute(
        select(Hscp.name, Board.name, counted)
        .join(Board, Hscp.board_id == Board.id)
        .outerjoin(Cluster, Cluster.hscp_id == Hscp.id)
        .outerjoin(Project, and_(Project.cluster_id == Cluster.id, Project.id.in_(ids)))
        .group_by(Hscp.id, Hscp.name, Board.name)
        .order_by(counted.desc(), Hscp.name)
    ).all()
    return Table("hscps", "Write-ups by Health and Social Care Partnership",
                 ("HSCP", "Health board", "Write-ups"), [tuple(row) for row in rows])


def _by_cluster(ids: Select) -> Table:
    """Only clusters with counted work: the quiet ones are a list of their own, for curators."""
    counted = func.count(Project.id)
    rows = db.session.execute(
        select(Cluster.name, Hscp.name, counted)
        .join(Hscp, Cluster.hscp_id == Hscp.id)
        .join(Project, and_(Project.cluster_id == Cluster.id, Project.id.in_(ids)))
        .group_by(Cluster.id, Cluster.name, Hscp.name)
        .order_by(counted.desc(), Cluster.name)
    ).all()
    return Table("clusters", "Write-ups by cluster", ("Cluster", "HSCP", "Write-ups"),
                 [tuple(row) for row in rows])


def _by_status(ids: Select) -> Table:
    found = _grouped(Project.status, ids)
    return Table("statuses", "Write-ups by status", ("Status", "Write-ups"),
                 [(status.capitalize(), found.get(status, 0)) for status in STATUSES])


def _by_role(ids: Select) -> Table:
    found = _grouped(Project.role, ids)
    return Table("roles", "Intrinsic and extrinsic work", ("Role", "Write-ups"),
                 [(role.capitalize(), found.get(role, 0)) for role in ROLES])


def _by_tag(ids: Select) -> Table:
    counted = func.count(project_tags.c.project_id)
    rows = db.session.execute(
        select(Tag.name, counted)
        .join(project_tags, project_tags.c.tag_id == Tag.id)
        .where(project_tags.c.project_id.in_(ids))
        .group_by(Tag.id, Tag.name, Tag.key)
        .order_by(counted.desc(), Tag.key)
        .limit(TOP_TAGS)
    ).all()
    return Table("tags", f"The {TOP_TAGS} most used tags", ("Tag", "Write-ups"),
                 [tuple(row) for row in rows])


def _by_year(ids: Select) -> Table:
    # PostgreSQL's EXTRACT gives a decimal, SQLite's an integer.
    found = {
        None if year is None else int(year): uses
        for year, uses in _grouped(extract("year", Project.started), ids).items()
    }
    rows: list[tuple[Cell, ...]] = [
        (str(year), found[year]) for year in sorted(y for y in found if y is not None)
    ]
    if None in found:
        rows.append(("Not given", found[None]))
    return Table("years", "Write-ups by year started", ("Year started", "Write-ups"), rows)


def _reuse(ids: Select) -> Table:
    original = aliased(Project)
    counted = func.count(Project.id)
    rows = db.session.execute(
        select(original.title, Cluster.name, counted)
        .join(original, Project.adapted_from_id == original.id)
        .join(Cluster, original.cluster_id == Cluster.id)
        .where(Project.id.in_(ids), original.id.in_(ids))
        .group_by(original.id, original.title, Cluster.name)
        .order_by(counted.desc(), original.title)
    ).all()
    return Table("reuse", "Write-ups reused by other clusters",
                 ("Original write-up", "Cluster", "Adaptations"), [tuple(row) for row in rows])


def _tools_by_kind(ids: Select) -> Table:
    shared = _shared_tools(ids).subquery()
    found = dict(db.session.execute(
        select(shared.c.kind, func.count()).group_by(shared.c.kind)
    ).all())
    return Table("tools", "Tools shared, by kind", ("Kind of tool", "Tools"),
                 [(label, found.get(kind, 0)) for kind, label in KINDS.items()])


def _quiet_clusters(_ids: Select) -> Table:
    """Clusters with no write-up published in the last 12 months, whatever its visibility."""
    latest = func.max(Project.published_at)
    rows = db.session.execute(
        select(Cluster.name, Hscp.name, Board.name, latest)
        .join(Hscp, Cluster.hscp_id == Hscp.id)
        .join(Board, Hscp.board_id == Board.id)
        .outerjoin(Project, and_(Project.cluster_id == Cluster.id, Project.is_published.is_(True)))
        .group_by(Cluster.id, Cluster.name, Hscp.name, Board.name)
        .having(or_(latest.is_(None), latest < utcnow() - QUIET_AFTER))
        .order_by(Board.name, Hscp.name, Cluster.name)
    ).all()
    return Table(
        "quiet-clusters",
        "Clusters with no write-up published in the last 12 months",
        ("Cluster", "HSCP", "Health board", "Last published"),
        [(cluster, hscp, board, _day(last)) for cluster, hscp, board, last in rows],
        chart=False,
    )


TABLES: dict[str, Callable[[Select], Table]] = {
    "boards": _by_board,
    "hscps": _by_hscp,
    "clusters": _by_cluster,
    "statuses": _by_status,
    "roles": _by_role,
    "tags": _by_tag,
    "years": _by_year,
    "reuse": _reuse,
    "tools": _tools_by_kind,
}
# Only coordinators and admins see which clusters are quiet, so support can be offered.
NATIONAL_TABLES: dict[str, Callable[[Select], Table]] = {"quiet-clusters": _quiet_clusters}


def _tables_for(viewer: Viewer) -> dict[str, Callable[[Select], Table]]:
    return {**TABLES, **NATIONAL_TABLES} if audience(viewer) == "national" else TABLES


def _grouped(column, ids: Select) -> dict:
    return dict(
        db.session.execute(
            select(column, func.count(Project.id)).where(Project.id.in_(ids)).group_by(column)
        ).all()
    )


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment else None
