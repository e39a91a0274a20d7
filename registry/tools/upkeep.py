"""Keeping the upload directory and the tool rows in step: `flask --app wsgi tools check|prune`.

Uploads never leave an orphan on an ordinary failure, but a process killed between writing a
file and committing its row does, and a file lost from the disk (a restore from an older backup)
leaves a row whose download cannot be served.
"""

from dataclasses import dataclass

from sqlalchemy import select

from registry.extensions import db
from registry.tools.models import ToolVersion
from registry.tools.services import blob_store, is_referenced


@dataclass(frozen=True)
class FileDrift:
    missing: list[str]  # used by a tool version, not on disk
    unreferenced: list[str]  # on disk, used by no tool version (or only partly written)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unreferenced


def check_files() -> FileDrift:
    used = set(db.session.scalars(select(ToolVersion.sha256).distinct()))
    stored = set(blob_store().names())
    return FileDrift(missing=sorted(used - stored), unreferenced=sorted(stored - used))


def prune_files() -> list[str]:
    """Remove unused and partial files; the names (hashes) of those removed."""
    return blob_store().prune(_referenced_now)


def _referenced_now(sha256: str) -> bool:
    db.session.rollback()  # a fresh snapshot, to see a row committed while we waited for a lock
    return is_referenced(sha256)
