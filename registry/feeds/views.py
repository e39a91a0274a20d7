"""Atom feeds of newly published public write-ups, and the pages' links to them."""

from datetime import datetime

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, request, url_for

from registry.errors import NotFound
from registry.feeds import services
from registry.organisations import services as organisations
from registry.organisations.models import Board, Cluster
from registry.projects.models import Project
from registry.showcases import services as showcases
from registry.timeutil import aware, utcnow
from registry.writeup_rules import CONTROL_CHARACTERS, MAX_TAG

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

ATOM = "application/atom+xml"


@bp.get("/projects.atom")
def projects():
    return _atom(
        "New write-ups on Cluster Commons",
        url_for("projects.listing", _external=True),
        services.newest(),
    )


@bp.get("/tags/<path:tag>.atom")
def tag(tag: str):
    # No tag holds control characters, and XML cannot carry most of them.
    if len(tag) > MAX_TAG or CONTROL_CHARACTERS.search(tag):
        abort(404)
    # Any other tag gives a feed, empty until a public write-up uses it: nothing is revealed.
    return _atom(
        f"Write-ups tagged “{' '.join(tag.split())}”",
        url_for("projects.tag", tag=tag, _external=True),
        services.newest(services.tagged(tag)),
    )


@bp.get("/clusters/<slug>.atom")
def cluster(slug: str):
    return _organisation_feed(Cluster, slug, "organisations.cluster", services.in_cluster)


@bp.get("/boards/<slug>.atom")
def board(slug: str):
    return _organisation_feed(Board, slug, "organisations.board", services.in_board)


@bp.get("/showcases/<slug>.atom")
def showcase(slug: str):
    try:
        found = showcases.get_viewable(None, slug)
    except NotFound:
        abort(404)
    return _atom(
        f"Showcase: {found.title}",
        url_for("showcases.detail", slug=slug, _external=True),
        services.showcased(found),
        aware(found.updated_at),
    )


# The pages with a feed of their own, and which feed: linked from every page's <head>.
_ALTERNATES = {
    "pages.home": lambda args: ("New write-ups", url_for("feeds.projects")),
    "projects.listing": lambda args: ("New write-ups", url_for("feeds.projects")),
    "projects.tag": lambda args: (
        f"Write-ups tagged {args['tag']}", url_for("feeds.tag", tag=args["tag"])
    ),
    "organisations.cluster": lambda args: (
        "New write-ups from this cluster", url_for("feeds.cluster", slug=args["slug"])
    ),
    "organisations.board": lambda args: (
        "New write-ups from this board", url_for("feeds.board", slug=args["slug"])
    ),
}


@bp.app_context_processor
def feed_links() -> dict:
    def links() -> list[tuple[str, str]]:
        alternate = _ALTERNATES.get(request.endpoint or "")
        return [alternate(request.view_args or {})] if alternate else []

    return {"feed_links": links}


def _atom(title: str, page: str, projects: list[Project], updated: datetime | None = None):
    feed = FeedGenerator()
    feed.id(request.base_url)
    feed.title(title)
    feed.link(href=request.base_url, rel="self", type=ATOM)
    feed.link(href=page, rel="alternate", type="text/html")
    feed.language("en-GB")
    times = [_updated(project) for project in projects]
    feed.updated(max(times + ([updated] if updated else []), default=utcnow()))
    for project, when in zip(projects, times):
        entry = feed.add_entry(order="append")
        link = url_for("projects.detail", slug=project.slug, _external=True)
        entry.id(link)
        entry.title(project.title)
        entry.link(href=link)
        entry.published(aware(project.published_at))
        entry.updated(when)
        entry.author(name=project.cluster.name)
        entry.summary(project.summary or project.title)
        for tag in project.tags:
            entry.category(term=tag.key, label=tag.name)
    return Response(feed.atom_str(pretty=True), mimetype=ATOM)


def _updated(project: Project) -> datetime:
    # Publishing an old draft leaves updated_at before published_at; Atom wants the later.
    return max(aware(project.updated_at), aware(project.published_at))


def _organisation_feed(model, slug: str, page_endpoint: str, condition):
    try:
        found = organisations.get_by_slug(model, slug)
    except NotFound:
        abort(404)
    return _atom(
        f"Write-ups from {found.name}",
        url_for(page_endpoint, slug=slug, _external=True),
        services.newest(condition(found)),
    )
