"""Helpers shared by the showcase, overview and feed tests: data goes in through the services."""

import re
from dataclasses import replace

from sqlalchemy import select

from registry.extensions import db
from registry.projects import services as projects
from registry.projects.models import Project
from registry.showcases import services as showcases
from registry.showcases.models import Showcase

COMBINATIONS = [
    (visibility, published)
    for visibility in ("public", "network", "cluster")
    for published in (True, False)
]


def project(slug: str) -> Project:
    db.session.expire_all()
    return db.session.scalar(select(Project).where(Project.slug == slug))


def showcase(slug: str) -> Showcase | None:
    db.session.expire_all()
    return db.session.scalar(select(Showcase).where(Showcase.slug == slug))


def make_showcase(curator, title: str, slugs=(), publish: bool = True, **fields) -> Showcase:
    """A showcase holding the write-ups `slugs`, in that order, each with a short note."""
    created = showcases.create(curator, showcases.ShowcaseFields(title=title, **fields))
    for slug in slugs:
        showcases.add_item(curator, created.slug, slug, f"Why *{slug}* matters.")
    if publish:
        showcases.publish(curator, created.slug)
    return showcase(created.slug)


def change_reach(editor, slug: str, visibility: str, published: bool) -> None:
    """Give a write-up another visibility and publication state, as its editors could."""
    found = project(slug)
    projects.save_writeup(
        None, replace(found.current_revision.writeup, visibility=visibility), slug=slug
    )
    if not published:
        projects.unpublish(editor, slug)


def public_list(html: str) -> str:
    """The part of a showcase page that lists what its readers see."""
    found = re.search(r'<ol class="cc-showcase">.*?</ol>', html, re.S)
    return found.group(0) if found else ""


def links_to(html: str, slug: str) -> bool:
    return f'href="/projects/{slug}"' in html
