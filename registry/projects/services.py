"""Writing write-ups: save (create or edit) as a new revision, publish, unpublish.

Every change goes through `save_writeup`, whichever door it came in by: the editor, import or
reuse (reuse.py). It validates, checks permission and the optimistic version, writes the project's
columns and a revision with its sanitised HTML, and commits once.
"""

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from registry.accounts.models import User
from registry.database import begin_write
from registry.errors import Conflict, Invalid, NotAllowed, NotFound
from registry.extensions import db
from registry.markup import first_paragraph, render_markdown
from registry.organisations.models import Cluster
from registry.organisations.services import find_by_name_or_slug, place_new_cluster
from registry.privacy.scan import scan_writeup
from registry.projects.models import Project, Revision, Tag
from registry.projects.permissions import Viewer, can_edit, can_edit_cluster, can_read
from registry.search import services as search
from registry.text import slugify, tag_key
from registry.timeutil import utcnow
from registry.writeup_format import WriteUp
from registry.writeup_rules import check_writeup

_SLUG_ATTEMPTS = 3


def get_readable(viewer: Viewer, slug: str) -> Project:
    project = db.session.scalar(select(Project).where(Project.slug == slug))
    if project is None or not can_read(viewer, project):
        raise NotFound(slug)
    return project


def get_editable(viewer: Viewer, slug: str) -> Project:
    project = get_readable(viewer, slug)
    if not can_edit(viewer, project):
        raise NotAllowed(slug)
    return project


def save_writeup(
    actor: User | None,
    writeup: WriteUp,
    *,
    slug: str | None = None,
    expected_version: int | None = None,
    source: str = "editor",
    publish: bool = False,
    also: Callable[[Project], None] | None = None,
) -> Project:
    """Create a write-up (slug None) or save a new revision of one; commit once.

    `actor` None is the system (content import), which may write to any cluster and create
    the cluster a file names under the file's HSCP. `also` adds more to the same transaction
    (reuse links the original's tools to the copy).
    """
    for attempt in range(_SLUG_ATTEMPTS):
        try:
            return _save(actor, writeup, slug, expected_version, source, publish, also)
        except IntegrityError:
            # Another process took the same new slug or revision number between our read and
            # our write (PostgreSQL; SQLite's IMMEDIATE transactions queue instead).
            db.session.rollback()
            if slug is not None:
                project = db.session.scalar(select(Project).where(Project.slug == slug))
                raise _conflict(project) from None
            if attempt == _SLUG_ATTEMPTS - 1:
                raise
        except (Invalid, Conflict, NotFound, NotAllowed):
            db.session.rollback()  # end the write transaction before the page is rendered
            raise


def publish(actor: User, slug: str) -> Project:
    return _set_published(actor, slug, True)


def unpublish(actor: User, slug: str) -> Project:
    return _set_published(actor, slug, False)


def effective_summary(writeup: WriteUp) -> str:
    """The given summary, else the first paragraph of Aim or Background (the contract's rule)."""
    if writeup.summary:
        return writeup.summary
    for key in ("aim", "background"):
        section = writeup.section(key)
        if section and (paragraph := first_paragraph(section.body)):
            return paragraph
    return first_paragraph(writeup.intro)


def render_revision(writeup: WriteUp) -> dict[str, str]:
    """All of a revision's Markdown as sanitised HTML, computed once when it is saved."""
    rendered = {"intro": str(render_markdown(writeup.intro))}
    for number, section in enumerate(writeup.sections):
        rendered[f"section-{number}"] = str(render_markdown(section.body))
    return rendered


def writeup_problems(writeup: WriteUp) -> dict[str, list[str]]:
    """Field name -> messages: the contract's rules and the identifier guard, together."""
    errors = check_writeup(writeup)
    for name, message in scan_writeup(writeup).items():
        errors.setdefault(name, []).append(message)
    return errors


def _save(actor, writeup, slug, expected_version, source, publish, also) -> Project:
    begin_write()
    errors = writeup_problems(writeup)
    # A cluster already found wanting (blank, control characters) is not looked up: PostgreSQL
    # refuses NUL in a query parameter.
    cluster = None if "cluster" in errors else find_by_name_or_slug(Cluster, writeup.cluster)
    if cluster is None and actor is None and "cluster" not in errors:
        try:
            cluster = place_new_cluster(writeup.cluster, writeup.hscp, writeup.board)
        except Invalid as error:
            errors.update(error.errors)
    elif cluster is None and "cluster" not in errors:
        errors["cluster"] = [f"There is no cluster called “{writeup.cluster}”."]
    project = None
    if slug is not None:
        project = db.session.scalar(select(Project).where(Project.slug == slug))
        if project is None or (actor is not None and not can_read(actor, project)):
            raise NotFound(slug)
        if actor is not None and not can_edit(actor, project):
            raise NotAllowed(slug)
    if cluster is not None and actor is not None and not can_edit_cluster(actor, cluster):
        errors["cluster"] = [f"You can only write for your own clusters, not {cluster.name}."]
    adapted_from = _adapted_from(actor, writeup.adapted_from, project, errors)
    if errors:
        raise Invalid(errors)
    if project is not None and expected_version is not None and project.version != expected_version:
        raise _conflict(project)
    if project is None:
        project = Project(slug=_unique_slug(writeup.slug or slugify(writeup.title, "project")))
        db.session.add(project)
    _apply(project, writeup, cluster, adapted_from)
    now = utcnow()
    project.version = (project.version or 0) + 1
    project.updated_at = now
    if publish and not project.is_published:
        project.is_published = True
        project.published_at = now
    writeup.slug = project.slug
    writeup.cluster = cluster.name
    writeup.hscp = cluster.hscp.name
    writeup.board = cluster.board.name
    search.record_change(project)
    db.session.add(
        Revision(
            project=project,
            number=project.version,
            editor=actor,
            source=source,
            created_at=now,
            document=writeup.to_json(),
            rendered=render_revision(writeup),
        )
    )
    if also is not None:
        also(project)
    db.session.commit()
    search.apply_pending()
    return project


def _apply(project: Project, writeup: WriteUp, cluster: Cluster, adapted_from) -> None:
    project.title = writeup.title.strip()
    project.summary = effective_summary(writeup)
    project.cluster = cluster
    project.status = writeup.status
    project.role = writeup.role
    project.visibility = writeup.visibility
    project.started = writeup.started
    project.finished = writeup.finished
    project.adapted_from = adapted_from
    project.tags = _tags(writeup.tags)


def _tags(names: list[str]) -> list[Tag]:
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(tag_key(name), " ".join(name.split()))
    existing = {
        tag.key: tag for tag in db.session.scalars(select(Tag).where(Tag.key.in_(wanted)))
    }
    for key, name in wanted.items():
        if key not in existing:
            existing[key] = Tag(key=key, name=name)
            db.session.add(existing[key])
    return [existing[key] for key in wanted]


def _adapted_from(actor, slug, project, errors) -> Project | None:
    if not slug or "adapted_from" in errors:
        return None
    original = db.session.scalar(select(Project).where(Project.slug == slug))
    if original is None or (actor is not None and not can_read(actor, original)):
        errors["adapted_from"] = [f"There is no project with the slug “{slug}”."]
        return None
    ancestor = original
    while ancestor is not None and project is not None:
        if ancestor.id == project.id:
            errors["adapted_from"] = ["A project cannot be adapted from itself or its own adaptations."]
            return None
        ancestor = ancestor.adapted_from
    return original


def _unique_slug(base: str) -> str:
    base = base[:190].strip("-") or "project"
    taken = set(
        db.session.scalars(
            select(Project.slug).where(
                (Project.slug == base) | Project.slug.startswith(base + "-", autoescape=True)
            )
        )
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def _conflict(project: Project | None) -> Conflict:
    if project is None:
        return Conflict(0, "someone", None)
    latest = project.current_revision
    editor = latest.editor.name if latest and latest.editor else "an import"
    return Conflict(project.version, editor, latest.created_at if latest else None)


def _set_published(actor: User, slug: str, published: bool) -> Project:
    begin_write()
    project = get_editable(actor, slug)
    if published and not project.is_published:
        _refuse_identifiers(project)
    if project.is_published != published:
        project.is_published = published
        if published:
            project.published_at = utcnow()
        search.record_change(project)
    db.session.commit()
    search.apply_pending()
    return project


def _refuse_identifiers(project: Project) -> None:
    """Check the revision being published again: it may predate the guard, or have been
    changed since by a migration; publishing never happens with an identifier in it."""
    found = scan_writeup(project.current_revision.writeup)
    if found:
        db.session.rollback()  # end the write transaction before the page is rendered
        raise Invalid({name: [message] for name, message in found.items()})
