"""The glue between write-ups and the search index: the outbox, queries and maintenance."""

import fcntl
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from search_index import Drift, IndexUnavailable, ProjectIndex, Results, load_synonyms
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload, selectinload

from registry.accounts.models import User
from registry.database import begin_write
from registry.extensions import db
from registry.organisations.models import Cluster, Hscp
from registry.projects.models import Project
from registry.search.documents import document_for, fingerprint, scope_for
from registry.search.models import IndexChange
from registry.tools.models import Tool
from registry.search.params import SearchRequest

log = logging.getLogger(__name__)
_DRAIN_BATCH = 500
_DRAIN_WAIT_SECONDS = 5.0


def create_index(index_dir: str, content_dir: str, time_limit: float) -> ProjectIndex:
    """The index object; opening files waits for the first search or write."""
    synonyms_file = Path(content_dir) / "search" / "synonyms.yaml"
    synonyms = load_synonyms(synonyms_file) if synonyms_file.exists() else {}
    return ProjectIndex(Path(index_dir), synonyms=synonyms, time_limit=time_limit)


def index() -> ProjectIndex:
    return current_app.extensions["search_index"]


def record_change(project: Project) -> None:
    """Queue the project's index refresh in the caller's transaction (before its commit)."""
    db.session.flush()
    db.session.add(IndexChange(project_id=project.id))


def apply_pending() -> int:
    """Bring the index up to date with every queued change; safe to call from any process.

    A cross-process lock is held from reading the database to deleting the applied outbox
    rows, so two processes can never write an older state over a newer one. While the index
    is unavailable, changes stay queued for the rebuild.
    """
    if not index().available():
        return 0
    applied = 0
    try:
        # The holder of the lock drains until the outbox is empty, ours included; a rebuild
        # drains when it finishes.
        with _outbox_lock(timeout=_DRAIN_WAIT_SECONDS):
            while batch := _next_batch():
                project_ids = sorted({change.project_id for change in batch})
                projects = {p.id: p for p in _load_projects(project_ids)}
                index().update_many(document_for(p) for p in projects.values())
                for gone in set(project_ids) - set(projects):
                    index().remove(gone)
                begin_write()
                db.session.execute(
                    delete(IndexChange).where(IndexChange.id.in_([c.id for c in batch]))
                )
                db.session.commit()
                applied += len(project_ids)
    except IndexUnavailable:
        db.session.rollback()
        log.warning("search index unavailable; changes stay queued until it is rebuilt")
    except _Busy:
        log.info("another process is updating the search index; it will apply our changes")
    return applied


def search(viewer: User | None, wanted: SearchRequest) -> Results:
    """Raises IndexUnavailable while the index is missing or being recreated."""
    return index().search(
        wanted.query, scope_for(viewer), wanted.filters, sort=wanted.sort, page=wanted.page,
        per_page=wanted.per_page, autocorrect=not wanted.exact,
    )


def similar(viewer: User | None, project: Project, limit: int = 5):
    try:
        return index().similar(project.id, scope_for(viewer), limit=limit)
    except IndexUnavailable:
        return []


def rebuild() -> int:
    """Rebuild the whole index from the database into a new directory, then swap it in.

    Changes committed while it runs are queued as usual and applied by the next drain.
    """
    with _outbox_lock():
        db.session.rollback()
        pending = list(db.session.scalars(select(IndexChange.id)))
        count = index().rebuild(document_for(p) for p in _load_projects(None))
        begin_write()
        db.session.execute(delete(IndexChange).where(IndexChange.id.in_(pending)))
        db.session.commit()
    apply_pending()
    return count


def check() -> Drift:
    expected = {p.id: fingerprint(p) for p in _load_projects(None)}
    return index().check(expected)


def _next_batch() -> list[IndexChange]:
    db.session.rollback()  # a fresh snapshot: see every change committed before the lock
    return list(
        db.session.scalars(select(IndexChange).order_by(IndexChange.id).limit(_DRAIN_BATCH))
    )


class _Busy(Exception):
    pass


@contextmanager
def _outbox_lock(timeout: float = float("inf")) -> Iterator[None]:
    """Serialise drains and rebuilds across worker processes.

    The engine's own lock guards each write; this one spans reading the database and writing
    the index, so an older state can never be written over a newer one.
    """
    directory = Path(current_app.config["INDEX_DIR"])
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle = open(directory / "outbox.lock", "a")
    except OSError as error:
        raise IndexUnavailable(str(error)) from error
    with handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise _Busy from None
                time.sleep(0.005)
        yield


def _load_projects(ids: list[int] | None) -> list[Project]:
    query = select(Project).options(
        joinedload(Project.cluster).joinedload(Cluster.hscp).joinedload(Hscp.board),
        selectinload(Project.tags),
        joinedload(Project.current_revision),
        selectinload(Project.tools).joinedload(Tool.current),
    )
    if ids is not None:
        query = query.where(Project.id.in_(ids))
    return list(db.session.scalars(query).unique())
