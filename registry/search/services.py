"""The glue between write-ups and the search index: the outbox, queries and maintenance."""

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml
from flask import current_app
from search_index import Drift, IndexUnavailable, ProjectIndex, Results
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload, selectinload

from registry.accounts.models import User
from registry.database import begin_write
from registry.extensions import db
from registry.organisations.models import Cluster, Hscp
from registry.projects.models import Project
from registry.search.documents import document_for, fingerprint, scope_for
from registry.search.models import IndexChange

log = logging.getLogger(__name__)
_DRAIN_BATCH = 500


def create_index(index_dir: str, content_dir: str, time_limit: float) -> ProjectIndex:
    synonyms_file = Path(content_dir) / "search" / "synonyms.yaml"
    synonyms = yaml.safe_load(synonyms_file.read_text(encoding="utf-8")) if synonyms_file.exists() else {}
    return ProjectIndex(Path(index_dir), synonyms=synonyms, time_limit=time_limit)


def index() -> ProjectIndex:
    return current_app.extensions["search_index"]


def record_change(project: Project) -> None:
    """Queue the project's index refresh in the caller's transaction (before its commit)."""
    db.session.flush()
    db.session.add(IndexChange(project_id=project.id))


def apply_pending() -> int:
    """Bring the index up to date with every queued change; safe to call from any process.

    The index's cross-process write lock is held from reading the database to deleting the
    applied outbox rows, so two processes can never write an older state over a newer one.
    """
    applied = 0
    try:
        with index().writing():
            while True:
                batch = _next_batch()
                if not batch:
                    break
                project_ids = sorted({change.project_id for change in batch})
                projects = {p.id: p for p in _load_projects(project_ids)}
                index().update_many(document_for(projects[pid]) for pid in project_ids if pid in projects)
                for pid in project_ids:
                    if pid not in projects:
                        index().remove(pid)
                begin_write()
                db.session.execute(
                    delete(IndexChange).where(IndexChange.id.in_([c.id for c in batch]))
                )
                db.session.commit()
                applied += len(project_ids)
    except IndexUnavailable:
        db.session.rollback()
        log.warning("search index unavailable; %s change(s) stay queued", _pending_count())
    return applied


def search(
    viewer: User | None,
    query: str,
    filters: Mapping[str, Sequence[str]],
    sort: str,
    page: int,
    per_page: int,
) -> Results:
    return index().search(query, scope_for(viewer), filters, sort=sort, page=page, per_page=per_page)


def similar(viewer: User | None, project: Project, limit: int = 5):
    try:
        return index().similar(project.id, scope_for(viewer), limit=limit)
    except IndexUnavailable:
        return []


def rebuild() -> int:
    """Rebuild the whole index from the database into a new directory, then swap it in."""
    with index().writing():
        begin_write()
        db.session.execute(delete(IndexChange))
        projects = _load_projects(None)
        count = index().rebuild(document_for(p) for p in projects)
        db.session.commit()
    return count


def check() -> Drift:
    expected = {p.id: fingerprint(p) for p in _load_projects(None)}
    return index().check(expected)


def _next_batch() -> list[IndexChange]:
    db.session.rollback()  # a fresh snapshot: see every change committed before the lock
    return list(
        db.session.scalars(select(IndexChange).order_by(IndexChange.id).limit(_DRAIN_BATCH))
    )


def _pending_count() -> int:
    return len(db.session.scalars(select(IndexChange.id)).all())


def _load_projects(ids: list[int] | None) -> list[Project]:
    query = select(Project).options(
        joinedload(Project.cluster).joinedload(Cluster.hscp).joinedload(Hscp.board),
        selectinload(Project.tags),
        joinedload(Project.current_revision),
    )
    if ids is not None:
        query = query.where(Project.id.in_(ids))
    return list(db.session.scalars(query).unique())
