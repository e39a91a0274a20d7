"""Turning write-ups into the plain documents the search index takes."""

from search_index import ProjectDocument, Scope

from registry.accounts.models import User
from registry.projects.models import Project
from registry.timeutil import aware


def document_for(project: Project) -> ProjectDocument:
    writeup = project.current_revision.writeup
    cluster = project.cluster
    aim = writeup.section("aim")
    body_parts = [writeup.intro] + [s.body for s in writeup.sections if s.key != "aim"]
    return ProjectDocument(
        id=project.id,
        slug=project.slug,
        title=project.title,
        summary=project.summary,
        aim=aim.body if aim else "",
        body="\n\n".join(part for part in body_parts if part),
        tags=tuple(tag.name for tag in project.tags),
        authors=tuple(writeup.authors),
        cluster=cluster.slug,
        cluster_name=cluster.name,
        hscp=cluster.hscp.slug,
        hscp_name=cluster.hscp.name,
        board=cluster.board.slug,
        board_name=cluster.board.name,
        status=project.status,
        role=project.role,
        year=project.started.year if project.started else None,
        visibility=project.visibility,
        published=project.is_published,
        cluster_id=cluster.id,
        updated=aware(project.updated_at),
        fingerprint=fingerprint(project),
    )


def fingerprint(project: Project) -> str:
    """Changes whenever anything the index holds about the project changes."""
    cluster = project.cluster
    return ":".join(
        str(part)
        for part in (
            project.version, int(project.is_published), project.visibility, project.status,
            cluster.id, cluster.name, cluster.hscp.name, cluster.board.name,
        )
    )


def scope_for(viewer: User | None) -> Scope:
    if viewer is None:
        return Scope()
    if viewer.is_national:
        return Scope(everything=True)
    return Scope(signed_in=True, cluster_ids=frozenset(viewer.cluster_ids))
