"""Curating showcases: coordinators and admins build them; everyone reads the published ones.

A showcase is public once published, so readers only ever see the items whose write-up is
public and published *now*: a write-up made non-public or moved back to draft drops out of
every showcase without anyone editing it, and its curators see a warning instead.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from registry.accounts.models import User
from registry.database import begin_write
from registry.errors import Invalid, NotAllowed, NotFound
from registry.extensions import db
from registry.markup import render_markdown
from registry.privacy.scan import scan_text
from registry.projects.models import Project, Tag
from registry.projects.permissions import Viewer, can_read
from registry.projects.queries import Page
from registry.showcases.models import Showcase, ShowcaseItem
from registry.text import slugify, tag_key
from registry.timeutil import utcnow
from registry.writeup_rules import CONTROL_CHARACTERS, MAX_TAG, SLUG_PATTERN, TITLE_LENGTH

MAX_SLUG = 200
MAX_INTRODUCTION = 20_000
MAX_NOTE = 1_000
DIRECTIONS = ("up", "down")
# Paths of their own under /showcases/, so no showcase may take them as its slug.
RESERVED_SLUGS = frozenset({"new"})


@dataclass(frozen=True)
class ShowcaseFields:
    """What a curator types for a showcase; blank slug means "derive it from the title"."""

    title: str = ""
    slug: str = ""
    introduction: str = ""
    theme: str = ""


def can_curate(viewer: Viewer) -> bool:
    return viewer is not None and viewer.is_national


def shown_to_readers(item: ShowcaseItem) -> bool:
    """Whether a showcase's readers see the item: its write-up is public and published."""
    return can_read(None, item.project)


def public_items(showcase: Showcase) -> list[ShowcaseItem]:
    return [item for item in showcase.items if shown_to_readers(item)]


def withdrawn_items(showcase: Showcase) -> list[ShowcaseItem]:
    """Items readers no longer see; the curator is warned about these."""
    return [item for item in showcase.items if not shown_to_readers(item)]


def list_published(page: int = 1, per_page: int = 20) -> Page:
    query = select(Showcase).where(Showcase.is_published.is_(True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(
        query.options(selectinload(Showcase.items).selectinload(ShowcaseItem.project))
        .order_by(Showcase.published_at.desc(), Showcase.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def drafts(viewer: Viewer) -> list[Showcase]:
    if not can_curate(viewer):
        return []
    return list(
        db.session.scalars(
            select(Showcase)
            .where(Showcase.is_published.is_(False))
            .order_by(Showcase.updated_at.desc(), Showcase.id.desc())
        )
    )


def newest_published() -> Showcase | None:
    return next(iter(list_published(1, 1).items), None)


def featuring(project: Project) -> list[Showcase]:
    """Published showcases whose readers see this write-up."""
    if not can_read(None, project):
        return []
    return list(
        db.session.scalars(
            select(Showcase)
            .join(ShowcaseItem)
            .where(ShowcaseItem.project_id == project.id, Showcase.is_published.is_(True))
            .order_by(Showcase.title)
        )
    )


def get_viewable(viewer: Viewer, slug: str) -> Showcase:
    showcase = db.session.scalar(select(Showcase).where(Showcase.slug == slug))
    if showcase is None or not (showcase.is_published or can_curate(viewer)):
        raise NotFound(slug)  # a draft's existence is not revealed
    return showcase


def get_curatable(viewer: Viewer, slug: str) -> Showcase:
    showcase = get_viewable(viewer, slug)
    if not can_curate(viewer):
        raise NotAllowed(slug)
    return showcase


def get_curated_item(actor: User, slug: str, item_id: int) -> tuple[Showcase, ShowcaseItem]:
    showcase = get_curatable(actor, slug)
    for item in showcase.items:
        if item.id == item_id:
            return showcase, item
    raise NotFound(str(item_id))


def create(actor: User, fields: ShowcaseFields) -> Showcase:
    if not can_curate(actor):
        raise NotAllowed("showcases")
    with _writing(), _slug_race():
        showcase = Showcase(created_by=actor)
        _apply(showcase, fields)
        db.session.add(showcase)
    return showcase


def update(actor: User, slug: str, fields: ShowcaseFields) -> Showcase:
    with _writing(), _slug_race():
        showcase = get_curatable(actor, slug)
        _apply(showcase, fields)
    return showcase


def publish(actor: User, slug: str) -> Showcase:
    with _writing():
        showcase = get_curatable(actor, slug)
        if not public_items(showcase):
            raise Invalid(
                {"items": ["Add at least one public, published write-up before publishing."]}
            )
        if not showcase.is_published:
            showcase.is_published = True
            showcase.published_at = showcase.updated_at = utcnow()
    return showcase


def unpublish(actor: User, slug: str) -> Showcase:
    with _writing():
        showcase = get_curatable(actor, slug)
        if showcase.is_published:
            showcase.is_published = False
            showcase.updated_at = utcnow()
    return showcase


def add_item(actor: User, slug: str, project_ref: str, note: str) -> ShowcaseItem:
    """Add a write-up (named by its slug or its page's address) at the end of the showcase."""
    with _writing():
        showcase = get_curatable(actor, slug)
        errors = _note_errors(note)
        project = _showcasable(actor, showcase, project_ref, errors)
        if errors:
            raise Invalid(errors)
        item = ShowcaseItem(
            project=project,
            position=len(showcase.items) + 1,
            note=note.strip(),
            note_html=str(render_markdown(note.strip())),
        )
        showcase.items.append(item)
        showcase.updated_at = utcnow()
    return item


def update_note(actor: User, slug: str, item_id: int, note: str) -> ShowcaseItem:
    with _writing():
        showcase, item = get_curated_item(actor, slug, item_id)
        if errors := _note_errors(note):
            raise Invalid(errors)
        item.note = note.strip()
        item.note_html = str(render_markdown(item.note))
        showcase.updated_at = utcnow()
    return item


def move_item(actor: User, slug: str, item_id: int, direction: str) -> bool:
    """Swap the item with its neighbour; False when it is already at that end."""
    with _writing():
        showcase, item = get_curated_item(actor, slug, item_id)
        if direction not in DIRECTIONS:
            raise Invalid({"direction": ["Move an item up or down."]})
        items = showcase.items
        index = items.index(item)
        other = index - 1 if direction == "up" else index + 1
        moved = 0 <= other < len(items)
        if moved:
            item.position, items[other].position = items[other].position, item.position
            showcase.updated_at = utcnow()
    return moved


def remove_item(actor: User, slug: str, item_id: int) -> Project:
    with _writing():
        showcase, item = get_curated_item(actor, slug, item_id)
        project = item.project
        showcase.items.remove(item)
        for position, remaining in enumerate(showcase.items, 1):
            remaining.position = position
        showcase.updated_at = utcnow()
    return project


@contextmanager
def _writing() -> Iterator[None]:
    """One write transaction per use case: commit once, or roll back whatever went wrong."""
    begin_write()
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


@contextmanager
def _slug_race() -> Iterator[None]:
    """Another curator took the same slug between our check and our flush (PostgreSQL)."""
    try:
        yield
        db.session.flush()
    except IntegrityError:
        raise Invalid({"slug": ["Another showcase already uses this address."]}) from None


def _apply(showcase: Showcase, fields: ShowcaseFields) -> None:
    errors: dict[str, list[str]] = {}
    title = " ".join(fields.title.split())
    low, high = TITLE_LENGTH
    if not low <= len(title) <= high:
        errors["title"] = [f"Enter a title of {low} to {high} characters."]
    slug = _slug(showcase, fields.slug.strip(), title, errors)
    introduction = fields.introduction.strip()
    if len(introduction) > MAX_INTRODUCTION:
        errors["introduction"] = [f"Keep the introduction to {MAX_INTRODUCTION:,} characters."]
    theme = _theme(fields.theme, errors)
    for name in ("title", "slug", "introduction", "theme"):
        if name not in errors and CONTROL_CHARACTERS.search(getattr(fields, name)):
            errors[name] = ["Remove the control characters (invisible characters such as NUL)."]
    # Showcases are public, so what a curator types is guarded like a write-up.
    for name, label in (("title", "The title"), ("slug", "The address"),
                        ("introduction", "The introduction")):
        if name not in errors and (message := scan_text(label, getattr(fields, name))):
            errors[name] = [message]
    if errors:
        raise Invalid(errors)
    showcase.title = title
    showcase.slug = slug
    showcase.introduction = introduction
    showcase.introduction_html = str(render_markdown(introduction))
    showcase.theme = theme
    showcase.updated_at = utcnow()


def _slug(showcase: Showcase, wanted: str, title: str, errors) -> str:
    if wanted:
        if len(wanted) > MAX_SLUG or not SLUG_PATTERN.match(wanted):
            errors["slug"] = [
                f"Use up to {MAX_SLUG} lower-case letters, digits and single hyphens."
            ]
        elif wanted in RESERVED_SLUGS or _taken(wanted, showcase):
            errors["slug"] = ["Another showcase already uses this address; choose another."]
        return wanted
    if showcase.slug:
        return showcase.slug  # keep a published address when the field is cleared
    base = slugify(title, "showcase")[: MAX_SLUG - 10].strip("-") or "showcase"
    candidate, suffix = base, 2
    while candidate in RESERVED_SLUGS or _taken(candidate, showcase):
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def _taken(slug: str, showcase: Showcase) -> bool:
    other = db.session.scalar(select(Showcase.id).where(Showcase.slug == slug))
    return other is not None and other != showcase.id


def _theme(name: str, errors) -> Tag | None:
    name = " ".join(name.split())
    if not name:
        return None
    if len(name) > MAX_TAG or CONTROL_CHARACTERS.search(name):
        errors["theme"] = [f"Give an existing tag of up to {MAX_TAG} characters."]
        return None
    tag = db.session.scalar(select(Tag).where(Tag.key == tag_key(name)))
    if tag is None:
        errors["theme"] = [f"No write-up uses the tag “{name}”; choose an existing tag."]
    return tag


def _note_errors(note: str) -> dict[str, list[str]]:
    if len(note.strip()) > MAX_NOTE:
        return {"note": [f"Keep the note to {MAX_NOTE:,} characters."]}
    if CONTROL_CHARACTERS.search(note):
        return {"note": ["Remove the control characters (invisible characters such as NUL)."]}
    if message := scan_text("The note", note):
        return {"note": [message]}
    return {}


def _showcasable(actor: User, showcase: Showcase, reference: str, errors) -> Project | None:
    slug = reference.strip().rstrip("/").rsplit("/projects/", 1)[-1]
    if not slug:
        errors["project"] = ["Give the address (slug) of the write-up to add."]
        return None
    if len(slug) > MAX_SLUG or not SLUG_PATTERN.match(slug):
        errors["project"] = [
            "Give a write-up’s address (slug), such as safer-valproate-prescribing, or the web "
            "address of its page."
        ]
        return None
    project = db.session.scalar(select(Project).where(Project.slug == slug))
    if project is None or not can_read(actor, project):
        errors["project"] = [f"There is no write-up with the address “{slug}”."]
    elif not can_read(None, project):
        errors["project"] = [
            f"“{project.title}” is not public and published, so it cannot be showcased."
        ]
    elif any(item.project_id == project.id for item in showcase.items):
        errors["project"] = [f"“{project.title}” is already in this showcase."]
    else:
        return project
    return None
