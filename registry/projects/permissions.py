"""Who may read and edit which write-ups. One place, used by pages, API and services."""

from sqlalchemy import ColumnElement, and_, false, or_, true

from registry.accounts.models import User
from registry.organisations.models import Cluster
from registry.projects.models import Project

Viewer = User | None  # None: not signed in


def can_edit_cluster(viewer: Viewer, cluster: Cluster) -> bool:
    return viewer is not None and (viewer.is_national or cluster.id in viewer.cluster_ids)


def can_edit(viewer: Viewer, project: Project) -> bool:
    return viewer is not None and (viewer.is_national or project.cluster_id in viewer.cluster_ids)


def can_read(viewer: Viewer, project: Project) -> bool:
    if can_edit(viewer, project):
        return True
    if not project.is_published:
        return False
    if project.visibility == "public":
        return True
    return viewer is not None and project.visibility == "network"


def readable_clause(viewer: Viewer) -> ColumnElement[bool]:
    """The SQL form of can_read, for lists, counts and the API."""
    if viewer is None:
        return and_(Project.is_published.is_(True), Project.visibility == "public")
    if viewer.is_national:
        return true()
    own = Project.cluster_id.in_(viewer.cluster_ids) if viewer.cluster_ids else false()
    return or_(
        own,
        and_(Project.is_published.is_(True), Project.visibility.in_(("public", "network"))),
    )
