"""Turning write-ups into the plain documents the search index takes."""

import hashlib

from search_index import ProjectDocument, Scope

from registry.accounts.models import User
from registry.projects.models import Project
from registry.timeutil import aware
from registry.tools.models import Tool
from registry.tools.rules import KINDS, SYSTEMS


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
        tool_kinds=tuple(sorted({KINDS[tool.kind] for tool in project.tools})),
        tool_text="\n\n".join(_tool_text(tool) for tool in project.tools),
    )


def fingerprint(project: Project) -> str:
    """Changes whenever anything the index holds about the project changes."""
    cluster = project.cluster
    parts = [
        project.version, int(project.is_published), project.visibility, project.status,
        cluster.id, cluster.name, cluster.hscp.name, cluster.board.name,
    ]
    if project.tools:  # only then, so write-ups without tools keep their fingerprints
        parts.append(_tools_fingerprint(project.tools))
    return ":".join(str(part) for part in parts)


def _tool_text(tool: Tool) -> str:
    """What a tool adds to its write-up's search: its details and the text inside its file."""
    system = SYSTEMS[tool.clinical_system] if tool.clinical_system else ""
    return "\n".join(
        part
        for part in (tool.title, KINDS[tool.kind], system, tool.description,
                     tool.current.filename, tool.current.text)
        if part
    )


def _tools_fingerprint(tools: list[Tool]) -> str:
    details = repr([(t.id, t.version, t.kind, t.title, t.description, t.clinical_system)
                    for t in tools])
    return hashlib.sha256(details.encode("utf-8")).hexdigest()[:16]


def scope_for(viewer: User | None) -> Scope:
    if viewer is None:
        return Scope()
    if viewer.is_national:
        return Scope(everything=True)
    return Scope(signed_in=True, cluster_ids=frozenset(viewer.cluster_ids))
