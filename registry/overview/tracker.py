"""An HSCP's activity tracker: each cluster's current write-ups, for quarterly CQL meetings."""

from dataclasses import dataclass

from sqlalchemy import select

from registry.extensions import db
from registry.organisations.models import Cluster, Hscp
from registry.projects.models import Project
from registry.projects.permissions import Viewer, readable_clause

# Work not yet finished: completed and stopped projects are history, not activity.
CURRENT_STATUSES = ("idea", "active", "paused")
COLUMNS = ("Cluster", "Write-up", "Status", "Published", "Last updated", "Address")


@dataclass(frozen=True)
class ClusterActivity:
    cluster: Cluster
    projects: list[Project]


def activity(viewer: Viewer, hscp: Hscp) -> list[ClusterActivity]:
    """Every cluster of the HSCP with the current write-ups the viewer may read, latest first."""
    projects = db.session.scalars(
        select(Project)
        .join(Project.cluster)
        .where(
            Cluster.hscp_id == hscp.id,
            Project.status.in_(CURRENT_STATUSES),
            readable_clause(viewer),
        )
        .order_by(Project.updated_at.desc(), Project.id.desc())
    ).all()
    by_cluster: dict[int, list[Project]] = {}
    for project in projects:
        by_cluster.setdefault(project.cluster_id, []).append(project)
    return [ClusterActivity(cluster, by_cluster.get(cluster.id, [])) for cluster in hscp.clusters]
