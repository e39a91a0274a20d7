"""Revision history of a write-up and readable differences between two revisions."""

import difflib
from dataclasses import dataclass

from sqlalchemy import select

from registry.errors import NotFound
from registry.extensions import db
from registry.projects.models import Project, Revision
from registry.writeup_format import serialise


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context" or "gap"
    text: str


def revisions(project: Project) -> list[Revision]:
    return list(
        db.session.scalars(
            select(Revision).where(Revision.project_id == project.id).order_by(Revision.number.desc())
        )
    )


def get_revision(project: Project, number: int) -> Revision:
    revision = db.session.scalar(
        select(Revision).where(Revision.project_id == project.id, Revision.number == number)
    )
    if revision is None:
        raise NotFound(f"{project.slug} revision {number}")
    return revision


def diff(older: Revision, newer: Revision, context: int = 3) -> list[DiffLine]:
    """Line differences between the two revisions' documents, as the file format shows them."""
    before = serialise(older.writeup).splitlines()
    after = serialise(newer.writeup).splitlines()
    lines: list[DiffLine] = []
    for group in difflib.SequenceMatcher(None, before, after).get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("context", text) for text in before[i1:i2])
                continue
            lines.extend(DiffLine("removed", text) for text in before[i1:i2])
            lines.extend(DiffLine("added", text) for text in after[j1:j2])
    return lines
