"""A write-up's lineage: what it was adapted from, back to the original, and every adaptation of
it, and of those, down the chain. Only what the viewer may read is shown; a hidden link in the
chain is skipped, so a readable adaptation of a hidden one hangs from the nearest readable
ancestor."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from registry.extensions import db
from registry.organisations.models import Cluster
from registry.projects.models import Project
from registry.projects.permissions import Viewer, can_read

# Far beyond any real chain; a guard against a loop written straight into the database.
MAX_DEPTH = 50


@dataclass
class Adaptation:
    project: Project
    children: list["Adaptation"] = field(default_factory=list)


@dataclass
class Lineage:
    project: Project
    ancestors: list[Project]  # nearest first: what it was adapted from, then that one's original…
    adaptations: list[Adaptation]  # a tree: adapted by, and further down the chain

    def descendants(self) -> list[tuple[Project, Project, int]]:
        """(adaptation, what it hangs from, depth from 1) in tree order."""
        found: list[tuple[Project, Project, int]] = []

        def walk(nodes: list[Adaptation], parent: Project, depth: int) -> None:
            for node in nodes:
                found.append((node.project, parent, depth))
                walk(node.children, node.project, depth + 1)

        walk(self.adaptations, self.project, 1)
        return found

    def reusing_clusters(self) -> list[Cluster]:
        """Other clusters with an adaptation anywhere down the chain, by name."""
        own = self.project.cluster_id
        clusters = {
            p.cluster.id: p.cluster for p, _, _ in self.descendants() if p.cluster_id != own
        }
        return sorted(clusters.values(), key=lambda c: c.name)


def lineage(viewer: Viewer, project: Project) -> Lineage:
    ancestors: list[Project] = []
    seen = {project.id}
    ancestor = project.adapted_from
    while ancestor is not None and ancestor.id not in seen and len(seen) < MAX_DEPTH:
        seen.add(ancestor.id)
        if can_read(viewer, ancestor):
            ancestors.append(ancestor)
        ancestor = ancestor.adapted_from
    return Lineage(project, ancestors, _adaptations(viewer, project))


def _adaptations(viewer: Viewer, root: Project) -> list[Adaptation]:
    children: dict[int, list[Project]] = {}
    seen = {root.id}
    frontier = [root.id]
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        found = db.session.scalars(
            select(Project)
            .where(Project.adapted_from_id.in_(frontier), Project.id.not_in(seen))
            .options(joinedload(Project.cluster))
            .order_by(Project.title, Project.id)
        ).all()
        for adaptation in found:
            children.setdefault(adaptation.adapted_from_id, []).append(adaptation)
            seen.add(adaptation.id)
        frontier = [adaptation.id for adaptation in found]

    def readable_below(project_id: int) -> list[Adaptation]:
        nodes: list[Adaptation] = []
        for child in children.get(project_id, []):
            if can_read(viewer, child):
                nodes.append(Adaptation(child, readable_below(child.id)))
            else:
                nodes.extend(readable_below(child.id))
        return nodes

    return readable_below(root.id)
