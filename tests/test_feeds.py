"""Atom feeds: parsed as XML, holding only public, published write-ups, newest first; the
pages link to them."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from registry.projects import services as projects
from tests.showcase_fixtures import COMBINATIONS, change_reach, make_showcase

ATOM = "{http://www.w3.org/2005/Atom}"


def combination_title(cluster: str, visibility: str, published: bool) -> str:
    return f"{cluster} {visibility} {'published' if published else 'draft'}"


def combination_slug(cluster: str, visibility: str, published: bool) -> str:
    return combination_title(cluster, visibility, published).lower().replace(" ", "-")


CLUSTERS = ("paisley-north", "leith-portobello")
EVERY = [(c, v, p) for c in CLUSTERS for v, p in COMBINATIONS]
PUBLIC = [combination_slug(*w) for w in EVERY if w[1] == "public" and w[2]]


@pytest.fixture
def catalogue(org, make_project):
    """Every visibility × publication in two clusters (two boards), tagged by cluster."""
    for cluster, visibility, published in EVERY:
        make_project(
            title=combination_title(cluster, visibility, published), cluster=cluster,
            visibility=visibility, publish=published,
            tags=["Everywhere", "Paisley only" if cluster == "paisley-north" else "Leith only"],
        )


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    return feed


def alternate(element: ET.Element) -> str:
    """The href of the element's alternate link (Atom: a link with no rel is one)."""
    [link] = [link for link in element.findall(f"{ATOM}link")
              if link.get("rel", "alternate") == "alternate"]
    return link.get("href")


def entry_slugs(feed: ET.Element) -> list[str]:
    return [alternate(entry).rsplit("/", 1)[-1] for entry in feed.findall(f"{ATOM}entry")]


def newest_first(slugs: list[str]) -> list[str]:
    """The fixture publishes in EVERY's order, so later ones are newer."""
    order = [combination_slug(*w) for w in EVERY]
    return sorted(slugs, key=order.index, reverse=True)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/feeds/projects.atom", PUBLIC),
        ("/feeds/tags/everywhere.atom", PUBLIC),
        ("/feeds/tags/  EVERYWHERE .atom", PUBLIC),
        ("/feeds/tags/paisley only.atom", [s for s in PUBLIC if s.startswith("paisley")]),
        ("/feeds/tags/no such tag.atom", []),
        ("/feeds/clusters/leith-portobello.atom", [s for s in PUBLIC if s.startswith("leith")]),
        ("/feeds/boards/nhs-greater-glasgow-clyde.atom",
         [s for s in PUBLIC if s.startswith("paisley")]),
        ("/feeds/boards/nhs-fife.atom", []),
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_feeds_hold_only_public_published_write_ups_newest_first(
    client, catalogue, make_user, sign_in, role, url, expected
):
    if role == "coordinator":  # feeds are public documents, whoever fetches them
        sign_in(make_user("coordinator"))
    feed = parse(client.get(url))
    assert entry_slugs(feed) == newest_first(expected)


def test_entries_carry_what_a_reader_needs(client, catalogue):
    feed = parse(client.get("/feeds/clusters/paisley-north.atom"))
    assert feed.find(f"{ATOM}title").text == "Write-ups from Paisley North"
    assert feed.find(f"{ATOM}id").text == "http://commons.test/feeds/clusters/paisley-north.atom"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == feed.find(f"{ATOM}id").text
    assert alternate(feed) == "http://commons.test/clusters/paisley-north"
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "paisley-north public published"
    assert entry.find(f"{ATOM}id").text == \
        "http://commons.test/projects/paisley-north-public-published"
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Paisley North"
    assert entry.find(f"{ATOM}summary").text == "Every woman on valproate has a signed form."
    assert {c.get("label") for c in entry.findall(f"{ATOM}category")} == {
        "Everywhere", "Paisley only"}
    published = datetime.fromisoformat(entry.find(f"{ATOM}published").text)
    updated = datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    assert published.tzinfo is not None and updated >= published
    assert datetime.fromisoformat(feed.find(f"{ATOM}updated").text) == updated


def test_a_write_up_leaves_the_feeds_when_it_stops_being_public(client, catalogue, make_user):
    editor = make_user("coordinator")
    slug = "paisley-north-public-published"
    change_reach(editor, slug, "network", True)
    assert slug not in entry_slugs(parse(client.get("/feeds/projects.atom")))
    change_reach(editor, slug, "public", True)
    projects.unpublish(editor, slug)
    assert slug not in entry_slugs(parse(client.get("/feeds/projects.atom")))


def test_markup_in_titles_is_text_not_html(client, org, make_project):
    make_project(title="<script>alert(1)</script> & <b>bold</b>")
    raw = client.get("/feeds/projects.atom").get_data(as_text=True)
    assert "<script>" not in raw
    feed = ET.fromstring(raw.encode())
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == "<script>alert(1)</script> & <b>bold</b>"


@pytest.mark.parametrize("url", ["/feeds/clusters/nowhere.atom", "/feeds/boards/nhs-mars.atom",
                                 "/feeds/showcases/nothing.atom", "/feeds/projects.rss",
                                 "/feeds/tags/a%01b.atom", "/feeds/tags/%00.atom",
                                 f"/feeds/tags/{'t' * 61}.atom"])
def test_unknown_feeds_are_not_found(client, org, url):
    assert client.get(url).status_code == 404


# --- Showcase feeds --------------------------------------------------------------------------
def test_showcase_feed_holds_its_public_items_most_recently_added_first(
    client, catalogue, make_user
):
    curator = make_user("coordinator")
    make_showcase(curator, "Both clusters", ["paisley-north-public-published",
                                              "leith-portobello-public-published"])
    feed = parse(client.get("/feeds/showcases/both-clusters.atom"))
    assert feed.find(f"{ATOM}title").text == "Showcase: Both clusters"
    assert entry_slugs(feed) == ["leith-portobello-public-published",
                                 "paisley-north-public-published"]

    change_reach(curator, "leith-portobello-public-published", "cluster", True)
    assert entry_slugs(parse(client.get("/feeds/showcases/both-clusters.atom"))) == [
        "paisley-north-public-published"]


def test_a_draft_showcase_has_no_feed_even_for_its_curators(client, catalogue, make_user,
                                                             sign_in):
    curator = make_user("coordinator")
    make_showcase(curator, "Unfinished", ["paisley-north-public-published"], publish=False)
    sign_in(curator)
    assert client.get("/feeds/showcases/unfinished.atom").status_code == 404
    html = client.get("/showcases/unfinished").get_data(as_text=True)
    assert "application/atom+xml" not in html


# --- Pages link to their feeds ---------------------------------------------------------------
def alternates(html: str) -> list[str]:
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" '
                      r'href="([^"]+)">', html)


@pytest.mark.parametrize(
    "page, feed",
    [
        ("/", "/feeds/projects.atom"),
        ("/projects", "/feeds/projects.atom"),
        ("/tags/everywhere", "/feeds/tags/everywhere.atom"),
        ("/clusters/paisley-north", "/feeds/clusters/paisley-north.atom"),
        ("/boards/nhs-lothian", "/feeds/boards/nhs-lothian.atom"),
        ("/showcases/linked", "/feeds/showcases/linked.atom"),
        ("/overview", None),
        ("/projects/paisley-north-public-published", None),
    ],
)
def test_pages_link_to_their_feed(client, catalogue, make_user, page, feed):
    make_showcase(make_user("coordinator"), "Linked", ["paisley-north-public-published"])
    html = client.get(page).get_data(as_text=True)
    assert alternates(html) == ([feed] if feed else [])
    if feed:
        assert client.get(feed).status_code == 200
