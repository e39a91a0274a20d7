"""Showcases: who may curate and read them (role × action × the write-up's reach), the
curator's forms and their errors, ordering, withdrawn write-ups, the API and Markdown XSS."""

import itertools
import re

import pytest
from sqlalchemy import func, select

from registry.errors import NotAllowed
from registry.extensions import db
from registry.showcases import services as showcases
from registry.showcases.models import Showcase
from tests.identifier_numbers import MODULUS_10, chi, grouped, nhs
from tests.showcase_fixtures import (
    COMBINATIONS,
    change_reach,
    links_to,
    make_showcase,
    public_list,
    showcase,
)
from tests.test_api import HOSTILE
from tests.test_markup_xss import XSS_VECTORS, assert_safe

# --- The rules, written out independently of registry.showcases ------------------------------
ROLES = ("anonymous", "member", "lead", "coordinator", "admin")
# Members and leads of the write-ups' own cluster: they edit the write-ups, not showcases.
ACCOUNTS = {
    "member": ("member", ("paisley-north",)),
    "lead": ("lead", ("paisley-north",)),
    "coordinator": ("coordinator", ()),
    "admin": ("admin", ()),
}
CURATORS = frozenset({"coordinator", "admin"})
ACTIONS = ("create", "edit", "publish", "reorder", "add_item", "view_draft", "view_published")


def shown(visibility: str, published: bool) -> bool:
    """Readers of a showcase see a write-up only while it is public and published."""
    return visibility == "public" and published


def expected_outcome(role: str, action: str, visibility: str, published: bool) -> str:
    """ok (200), sign-in (302 to /sign-in), done (302 back), refused (400), forbidden (403),
    not-found (404). `publish` and `view_draft` act on a draft showcase, the rest on a
    published one."""
    if action == "view_published":
        return "ok"
    if action == "view_draft":
        return "ok" if role in CURATORS else "not-found"
    if role == "anonymous":
        return "sign-in"
    if role not in CURATORS:
        return "not-found" if action == "publish" else "forbidden"  # a draft stays unrevealed
    if action == "add_item":
        return "done" if shown(visibility, published) else "refused"
    return "done"


STATUS_FOR = {"ok": 200, "sign-in": 302, "done": 302, "refused": 400, "forbidden": 403,
              "not-found": 404}
MATRIX = [
    pytest.param(
        role, action, visibility, published,
        expected_outcome(role, action, visibility, published),
        id=f"{role}-{action}-{visibility}-{'published' if published else 'draft'}",
    )
    for role, action, (visibility, published) in itertools.product(ROLES, ACTIONS, COMBINATIONS)
]

SUBJECT = "subject-write-up"  # its reach varies
ANCHOR = "anchor-write-up"  # always public and published
EXTRA = "extra-write-up"  # added by add_item; its reach varies too


@pytest.fixture
def curator(make_user):
    return make_user("coordinator", name="Setup Curator")


@pytest.fixture
def as_role(org, make_user, sign_in):
    def do(role: str) -> None:
        if role != "anonymous":
            account_role, clusters = ACCOUNTS[role]
            assert sign_in(make_user(account_role, clusters)).status_code == 302

    return do


@pytest.fixture
def scene(org, make_project, curator):
    """A published and a draft showcase, each holding SUBJECT then ANCHOR."""
    make_project(title="Subject write-up")
    make_project(title="Anchor write-up")
    make_showcase(curator, "Published showcase", [SUBJECT, ANCHOR])
    make_showcase(curator, "Draft showcase", [SUBJECT, ANCHOR], publish=False)
    return curator


def state() -> dict:
    db.session.expire_all()
    return {
        found.slug: (found.title, found.is_published, [i.project.slug for i in found.items])
        for found in db.session.scalars(select(Showcase).order_by(Showcase.slug))
    }


def perform(client, action: str):
    requests = {
        "create": lambda: client.post("/showcases/new", data={"title": "Brand new showcase"}),
        "edit": lambda: client.post("/showcases/published-showcase/edit",
                                    data={"title": "Renamed showcase"}),
        "publish": lambda: client.post("/showcases/draft-showcase/publish"),
        "reorder": lambda: client.post(
            f"/showcases/published-showcase/items/{_item_id('published-showcase', SUBJECT)}/move",
            data={"direction": "down"},
        ),
        "add_item": lambda: client.post("/showcases/published-showcase/items",
                                        data={"project": EXTRA, "note": "A fine example."}),
        "view_draft": lambda: client.get("/showcases/draft-showcase"),
        "view_published": lambda: client.get("/showcases/published-showcase"),
    }
    response = requests[action]()
    response.close()
    return response


def _item_id(showcase_slug: str, project_slug: str) -> int:
    found = showcase(showcase_slug)
    return next(item.id for item in found.items if item.project.slug == project_slug)


@pytest.mark.parametrize("role, action, visibility, published, outcome", MATRIX)
def test_permission_matrix(
    client, as_role, scene, make_project, role, action, visibility, published, outcome
):
    change_reach(scene, SUBJECT, visibility, published)
    make_project(title="Extra write-up", visibility=visibility, publish=published)
    before = state()
    as_role(role)

    response = perform(client, action)
    html = response.get_data(as_text=True)

    assert response.status_code == STATUS_FOR[outcome], html[:500]
    after = state()
    if outcome == "sign-in":
        assert response.location.startswith("/sign-in")
    if action.startswith("view") and outcome == "ok":
        # Readers see the subject exactly while it is public and published; curators are
        # warned when it is not, and no one else learns it is there.
        assert links_to(public_list(html), ANCHOR)
        assert links_to(public_list(html), SUBJECT) == shown(visibility, published)
        warned = 'id="withdrawn"' in html
        assert warned == (role in CURATORS and not shown(visibility, published))
        assert ("Subject write-up" in html) == (role in CURATORS or shown(visibility, published))
    elif action == "view_draft":
        assert "Draft showcase" not in html
    expected = dict(before)
    if outcome == "done":
        expected.update({
            "create": {"brand-new-showcase": ("Brand new showcase", False, [])},
            "edit": {"published-showcase": ("Renamed showcase", True, [SUBJECT, ANCHOR])},
            "publish": {"draft-showcase": ("Draft showcase", True, [SUBJECT, ANCHOR])},
            "reorder": {"published-showcase": ("Published showcase", True, [ANCHOR, SUBJECT])},
            "add_item": {
                "published-showcase": ("Published showcase", True, [SUBJECT, ANCHOR, EXTRA])
            },
        }[action])
    assert after == expected
    if outcome == "refused":
        assert "is not public and published, so it cannot be showcased" in html


def test_the_matrix_covers_every_outcome():
    assert {param.values[-1] for param in MATRIX} == set(STATUS_FOR)
    assert len(MATRIX) == len(ROLES) * len(ACTIONS) * len(COMBINATIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("visibility, published", COMBINATIONS)
def test_api_and_write_up_page_follow_the_same_rule(
    client, as_role, scene, role, visibility, published
):
    change_reach(scene, SUBJECT, visibility, published)
    as_role(role)

    body = client.get("/api/v1/showcases/published-showcase").get_json()
    slugs = [item["project"]["slug"] for item in body["items"]]
    assert slugs == ([SUBJECT, ANCHOR] if shown(visibility, published) else [ANCHOR])
    assert body["item_count"] == len(slugs)
    draft = client.get("/api/v1/showcases/draft-showcase")
    assert draft.status_code == (200 if role in CURATORS else 404)
    assert [s["slug"] for s in client.get("/api/v1/showcases").get_json()["results"]] == [
        "published-showcase"
    ]

    page = client.get(f"/projects/{SUBJECT}")
    if page.status_code == 200:
        html = page.get_data(as_text=True)
        # Only the published showcase, and only while readers of it see the write-up.
        assert ('href="/showcases/published-showcase"' in html) == shown(visibility, published)
        assert 'href="/showcases/draft-showcase"' not in html


# --- Withdrawn write-ups ---------------------------------------------------------------------
def test_a_write_up_made_non_public_leaves_every_showcase_and_comes_back(
    client, scene, sign_in
):
    change_reach(scene, SUBJECT, "network", True)
    html = client.get("/showcases/published-showcase").get_data(as_text=True)
    assert not links_to(public_list(html), SUBJECT)
    assert "Subject write-up" not in html
    assert "Subject write-up" not in client.get("/feeds/showcases/published-showcase.atom").text

    sign_in(scene)
    html = client.get("/showcases/published-showcase").get_data(as_text=True)
    warning = re.search(r'<div class="ds_warning-text" id="withdrawn">.*?</ul>', html, re.S)
    assert warning and "Subject write-up" in warning.group(0)
    assert "now for signed-in users only" in warning.group(0)
    assert "Hidden: now for signed-in users only" in html  # beside it in the manage list

    change_reach(scene, SUBJECT, "public", True)
    html = client.get("/showcases/published-showcase").get_data(as_text=True)
    assert links_to(public_list(html), SUBJECT)
    assert 'id="withdrawn"' not in html


def test_unpublished_write_up_is_reported_as_a_draft(client, scene, sign_in):
    change_reach(scene, SUBJECT, "public", False)
    sign_in(scene)
    html = client.get("/showcases/draft-showcase").get_data(as_text=True)
    assert "Hidden: moved back to draft" in html


# --- Publishing, listing, the home page ------------------------------------------------------
def test_publishing_needs_a_write_up_readers_can_see(client, org, make_project, curator, sign_in):
    make_project(title="Soon network only")
    make_showcase(curator, "Nothing public yet", ["soon-network-only"], publish=False)
    change_reach(curator, "soon-network-only", "network", True)
    sign_in(curator)

    response = client.post("/showcases/nothing-public-yet/publish")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<a href="#items">Add at least one public, published write-up before publishing.</a>' \
        in html
    assert showcase("nothing-public-yet").is_published is False


def test_curator_moves_a_showcase_back_to_draft(client, scene, sign_in):
    sign_in(scene)
    response = client.post("/showcases/published-showcase/unpublish")
    assert response.status_code == 302
    assert showcase("published-showcase").is_published is False
    client.post("/sign-out")
    assert client.get("/showcases/published-showcase").status_code == 404


def test_listing_shows_published_showcases_newest_first_and_drafts_to_curators(
    client, scene, make_project, sign_in
):
    make_showcase(scene, "Second published", [ANCHOR])
    html = client.get("/showcases").get_data(as_text=True)
    assert html.index("Second published") < html.index("Published showcase")
    assert "Draft showcase" not in html
    assert "2 published showcases" in html

    home = client.get("/").get_data(as_text=True)
    featured = re.search(r'<section aria-labelledby="featured-title">.*?</section>', home, re.S)
    assert featured and "Second published" in featured.group(0)
    assert "Published showcase" not in featured.group(0)

    sign_in(scene)
    html = client.get("/showcases").get_data(as_text=True)
    assert "Draft showcase" in html and 'href="/showcases/new"' in html


def test_home_page_has_no_showcase_section_without_one(client, org):
    assert "featured-title" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("page", ["0", "-1", "x", "10001", "1.5"])
def test_listing_page_parameter_errors_are_explained(client, org, page):
    response = client.get("/showcases", query_string={"page": page})
    assert response.status_code == 400
    assert '<a href="#page">Give a whole number from 1 to 10000.</a>' in response.text


# --- Creating and editing: every field's errors, nothing typed lost --------------------------
VALID = {"title": "Safer prescribing", "slug": "", "introduction": "Our *best* work.", "theme": ""}
BAD_FIELDS = [
    ("title", "", "Enter a title of 3 to 200 characters."),
    ("title", "ab", "Enter a title of 3 to 200 characters."),
    ("title", "x" * 201, "Enter a title of 3 to 200 characters."),
    ("title", "Bad\x00title", "Remove the control characters"),
    ("slug", "Not A Slug", "Use up to 200 lower-case letters, digits and single hyphens."),
    ("slug", "double--hyphen", "Use up to 200 lower-case letters, digits and single hyphens."),
    ("slug", "a" * 201, "Use up to 200 lower-case letters, digits and single hyphens."),
    ("slug", "new", "Another showcase already uses this address"),
    ("slug", "taken", "Another showcase already uses this address"),
    ("introduction", "x" * 20_001, "Keep the introduction to 20,000 characters."),
    ("introduction", "Hidden\x1bescape", "Remove the control characters"),
    ("theme", "no such tag", "No write-up uses the tag “no such tag”"),
    ("theme", "t" * 61, "Give an existing tag of up to 60 characters."),
    ("theme", "Valp\x00roate", "Give an existing tag of up to 60 characters."),
    ("title", f"Recall of {chi()}", "The title contains what looks like a CHI number"),
    ("slug", f"audit-{chi()}", "The address contains what looks like a CHI number"),
    ("introduction", f"Thanks to patient {grouped(chi(scheme=MODULUS_10))}.",
     "The introduction contains what looks like a CHI number"),
]


@pytest.fixture
def taken(org, make_project, curator):
    make_project()  # tags: Valproate, safer prescribing
    make_showcase(curator, "Editable", ["safer-valproate-prescribing"])
    return make_showcase(curator, "Taken", ["safer-valproate-prescribing"])


@pytest.mark.parametrize("url", ["/showcases/new", "/showcases/editable/edit"])
@pytest.mark.parametrize("field, value, message", BAD_FIELDS,
                         ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(BAD_FIELDS)])
def test_showcase_form_errors_are_beside_the_field_and_keep_what_was_typed(
    client, taken, curator, sign_in, url, field, value, message
):
    sign_in(curator)
    before = state()
    typed = {**VALID, "theme": "valproate", "introduction": "Keep **this** text.", field: value}

    response = client.post(url, data=typed)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<a href="#{field}">{message}' in html
    assert f'id="{field}-error"' in html
    assert f'aria-describedby="{field}-hint {field}-error"' in html
    for name, text in typed.items():
        if name != field and text:
            assert text in html, name  # every other field is as typed
    assert state() == before


def test_create_derives_a_unique_slug_and_resolves_the_theme(client, taken, curator, sign_in):
    sign_in(curator)
    first = client.post("/showcases/new", data={**VALID, "title": "New", "theme": " VALPROATE "})
    second = client.post("/showcases/new", data={**VALID, "title": "Taken"})
    assert first.location == "/showcases/new-2"  # "new" is the creation page's own address
    assert second.location == "/showcases/taken-2"
    assert showcase("new-2").theme.name == "Valproate"
    html = client.get("/showcases/new-2").get_data(as_text=True)
    assert '<a href="/tags/valproate">Valproate</a>' in html
    assert "<em>best</em>" in html


def test_edit_changes_the_address_and_keeps_it_when_left_blank(client, taken, curator, sign_in):
    sign_in(curator)
    page = client.get("/showcases/taken/edit").get_data(as_text=True)
    assert 'value="Taken"' in page and 'value="taken"' in page

    unchanged = client.post("/showcases/taken/edit", data={**VALID, "slug": "taken"})
    assert unchanged.location == "/showcases/taken"  # its own address is not "taken"
    moved = client.post("/showcases/taken/edit", data={**VALID, "slug": "renamed"})
    assert moved.location == "/showcases/renamed"
    kept = client.post("/showcases/renamed/edit", data={**VALID, "slug": ""})
    assert kept.location == "/showcases/renamed"
    assert showcase("renamed").title == "Safer prescribing"


# --- Items: adding, notes, ordering, removing ------------------------------------------------
@pytest.fixture
def curating(client, org, make_project, curator, sign_in):
    for title in ("First write-up", "Second write-up", "Third write-up", "Spare write-up"):
        make_project(title=title)
    make_project(title="Network write-up", visibility="network")
    make_project(title="Draft write-up", publish=False)
    make_showcase(curator, "Ordered", ["first-write-up", "second-write-up", "third-write-up"])
    sign_in(curator)
    return client


BAD_ITEMS = [
    ("project", "", "Give the address (slug) of the write-up to add."),
    ("project", "   ", "Give the address (slug) of the write-up to add."),
    ("project", "no-such-write-up",
     "There is no write-up with the address “no-such-write-up”."),
    ("project", "Not a slug!", "Give a write-up’s address (slug)"),
    ("project", "a\x00b", "Give a write-up’s address (slug)"),
    ("project", "x" * 300, "Give a write-up’s address (slug)"),
    ("project", "network-write-up", "“Network write-up” is not public and published"),
    ("project", "draft-write-up", "“Draft write-up” is not public and published"),
    ("project", "first-write-up", "“First write-up” is already in this showcase."),
    ("note", "n" * 1_001, "Keep the note to 1,000 characters."),
    ("note", "bell\x07", "Remove the control characters"),
    ("note", f"Ask {nhs()} about it.", "The note contains what looks like an NHS number"),
]


@pytest.mark.parametrize("field, value, message", BAD_ITEMS,
                         ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(BAD_ITEMS)])
def test_add_item_errors_keep_what_was_typed(curating, field, value, message):
    typed = {"project": "https://commons.test/projects/spare-write-up/", "note": "A *kept* note.",
             field: value}
    before = state()

    response = curating.post("/showcases/ordered/items", data=typed)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<a href="#{field}">{message}' in html
    assert f'id="{field}-error"' in html
    other = "note" if field == "project" else "project"
    assert typed[other] in html
    assert state() == before


def test_add_item_accepts_a_page_address_and_appends_with_its_note(curating):
    response = curating.post(
        "/showcases/ordered/items",
        data={"project": "https://commons.test/projects/spare-write-up/",
              "note": "Chosen for its **huddles**."},
    )
    assert response.status_code == 302
    assert response.location == "/showcases/ordered#manage"
    found = showcase("ordered")
    assert [i.project.slug for i in found.items][-1] == "spare-write-up"
    assert [i.position for i in found.items] == [1, 2, 3, 4]
    assert found.items[-1].note_html == "<p>Chosen for its <strong>huddles</strong>.</p>"


def order() -> list[str]:
    return [item.project.slug for item in showcase("ordered").items]


def test_items_move_up_and_down_and_stop_at_the_ends(curating):
    first, second, third = (_item_id("ordered", s) for s in
                            ("first-write-up", "second-write-up", "third-write-up"))
    assert curating.post(f"/showcases/ordered/items/{third}/move",
                         data={"direction": "up"}).status_code == 302
    assert order() == ["first-write-up", "third-write-up", "second-write-up"]
    curating.post(f"/showcases/ordered/items/{first}/move", data={"direction": "down"})
    assert order() == ["third-write-up", "first-write-up", "second-write-up"]

    at_end = curating.post(f"/showcases/ordered/items/{second}/move", data={"direction": "down"},
                           follow_redirects=True)
    assert "already at that end" in at_end.get_data(as_text=True)
    assert order() == ["third-write-up", "first-write-up", "second-write-up"]
    html = curating.get("/showcases/ordered").get_data(as_text=True)
    listed = re.findall(r'<h3 class="cc-card__title"><a href="/projects/([a-z-]+)"', html)
    assert listed == order()


@pytest.mark.parametrize("direction", ["", "sideways", "UP", "up\x00"])
def test_a_bad_direction_is_explained_and_changes_nothing(curating, direction):
    item = _item_id("ordered", "second-write-up")
    response = curating.post(f"/showcases/ordered/items/{item}/move",
                             data={"direction": direction})
    assert response.status_code == 400
    assert "Move an item up or down." in response.get_data(as_text=True)
    assert order() == ["first-write-up", "second-write-up", "third-write-up"]


def test_items_of_another_showcase_or_unknown_ones_are_not_found(curating, curator):
    other = make_showcase(curator, "Other", ["first-write-up"])
    foreign = other.items[0].id
    for url in (f"/showcases/ordered/items/{foreign}/move", "/showcases/ordered/items/999/move",
                f"/showcases/ordered/items/{foreign}/remove", "/showcases/nope/items/1/remove"):
        assert curating.post(url, data={"direction": "up"}).status_code == 404, url
    assert curating.get(f"/showcases/ordered/items/{foreign}/edit").status_code == 404
    assert order() == ["first-write-up", "second-write-up", "third-write-up"]


def test_remove_closes_the_gap(curating):
    item = _item_id("ordered", "second-write-up")
    response = curating.post(f"/showcases/ordered/items/{item}/remove", follow_redirects=True)
    assert "Removed “Second write-up” from the showcase." in response.get_data(as_text=True)
    found = showcase("ordered")
    assert [(i.project.slug, i.position) for i in found.items] == [
        ("first-write-up", 1), ("third-write-up", 2)
    ]


def test_note_edit_saves_and_its_errors_keep_the_text(curating):
    item = _item_id("ordered", "first-write-up")
    page = curating.get(f"/showcases/ordered/items/{item}/edit")
    assert "Why *first-write-up* matters." in page.get_data(as_text=True)

    bad = curating.post(f"/showcases/ordered/items/{item}/edit",
                        data={"note": "Typed text " + "x" * 1000})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert '<a href="#note">Keep the note to 1,000 characters.</a>' in html
    assert "Typed text xxx" in html

    good = curating.post(f"/showcases/ordered/items/{item}/edit", data={"note": "A _new_ note"})
    assert good.status_code == 302
    assert showcase("ordered").items[0].note_html == "<p>A <em>new</em> note</p>"


@pytest.mark.parametrize("role", ["anonymous", "member", "lead"])
def test_only_curators_edit_notes_and_remove_items(client, curating, as_role, role):
    curating.post("/sign-out")
    item = _item_id("ordered", "first-write-up")
    as_role(role)
    for method, url in (("get", f"/showcases/ordered/items/{item}/edit"),
                        ("post", f"/showcases/ordered/items/{item}/edit"),
                        ("post", f"/showcases/ordered/items/{item}/remove")):
        response = getattr(client, method)(url, data={"note": "Hijacked"})
        assert response.status_code == (302 if role == "anonymous" else 403), url
    assert order() == ["first-write-up", "second-write-up", "third-write-up"]
    assert "Hijacked" not in showcase("ordered").items[0].note


# --- The API ----------------------------------------------------------------------------------
def test_api_showcase_contract(client, scene):
    body = client.get("/api/v1/showcases/published-showcase").get_json()
    assert body["title"] == "Published showcase"
    assert body["url"] == "http://commons.test/showcases/published-showcase"
    assert body["feed_url"] == "http://commons.test/feeds/showcases/published-showcase.atom"
    assert body["published"] is True and body["published_at"]
    first = body["items"][0]
    assert first["note"] == {"markdown": f"Why *{SUBJECT}* matters.",
                             "html": f"<p>Why <em>{SUBJECT}</em> matters.</p>"}
    assert first["project"]["api_url"] == f"http://commons.test/api/v1/projects/{SUBJECT}"
    assert first["project"]["cluster"] == {"slug": "paisley-north", "name": "Paisley North"}

    missing = client.get("/api/v1/showcases/no-such-showcase")
    assert missing.status_code == 404
    assert missing.get_json() == {"error": {"status": 404,
                                            "message": "No showcase “no-such-showcase”."}}


def test_api_list_pages(client, org, make_project, curator):
    make_project()
    for number in range(5):
        make_showcase(curator, f"Showcase number {number}", ["safer-valproate-prescribing"])
    body = client.get("/api/v1/showcases?per_page=2&page=3").get_json()
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (5, 3, 2, 3)
    assert [s["slug"] for s in body["results"]] == ["showcase-number-0"]


@pytest.mark.parametrize(
    "params, fields",
    [
        ({"page": "0"}, {"page": ["Give a whole number from 1 to 10000."]}),
        ({"page": "abc"}, {"page": ["Give a whole number from 1 to 10000."]}),
        ({"per_page": "101"}, {"per_page": ["Give a whole number from 1 to 100."]}),
        ({"per_page": "-5", "page": "\x00"}, {
            "page": ["Give a whole number from 1 to 10000."],
            "per_page": ["Give a whole number from 1 to 100."],
        }),
    ],
)
def test_api_parameter_errors_name_each_field(client, org, params, fields):
    response = client.get("/api/v1/showcases", query_string=params)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["fields"] == fields
    assert error["message"].startswith("Some parameters are not valid: ")


def test_hostile_page_parameters_never_break_the_list_or_the_api(client, org):
    for value in HOSTILE:
        for url in ("/showcases", "/api/v1/showcases"):
            for name in ("page", "per_page"):
                status = client.get(url, query_string={name: value}).status_code
                assert status in (200, 400), (url, name, value)


# --- Markdown in the introduction and the notes never runs -----------------------------------
def test_no_xss_vector_in_introduction_or_note_yields_executable_html(client, org, make_project,
                                                                      curator, sign_in):
    make_project()
    sign_in(curator)
    for number, (name, vector) in enumerate(XSS_VECTORS):
        slug = f"xss-{number}"
        created = client.post("/showcases/new", data={"title": f"XSS {number}", "slug": slug,
                                                      "introduction": vector})
        if created.status_code == 400:  # control characters are refused, never stored
            assert "Remove the control characters" in created.get_data(as_text=True), name
            continue
        assert created.status_code == 302, name
        added = client.post(f"/showcases/{slug}/items",
                            data={"project": "safer-valproate-prescribing", "note": vector})
        assert added.status_code == 302, name
        assert client.post(f"/showcases/{slug}/publish").status_code == 302, name
        found = showcase(slug)
        assert_safe(found.introduction_html)
        assert_safe(found.items[0].note_html)
        html = client.get(f"/showcases/{slug}").get_data(as_text=True)
        assert "<script" not in html.lower(), name
        assert found.introduction_html in html and found.items[0].note_html in html, name
        body = client.get(f"/api/v1/showcases/{slug}").get_json()
        assert body["introduction"]["html"] == found.introduction_html, name
        assert body["items"][0]["note"]["html"] == found.items[0].note_html, name
    published = db.session.scalar(select(func.count()).select_from(Showcase))
    assert published > len(XSS_VECTORS) // 2
    # Every card (introductions as plain text) on every page of the list, and the home page.
    for page in range(1, published // 20 + 2):
        html = client.get(f"/showcases?page={page}").get_data(as_text=True)
        assert "<script" not in html.lower(), page
    assert "<script" not in client.get("/").get_data(as_text=True).lower()


def test_curator_services_refuse_non_curators(org, make_user, curator):
    lead = make_user("lead", ("paisley-north",))
    with pytest.raises(NotAllowed):
        showcases.create(lead, showcases.ShowcaseFields(title="Not mine"))
