"""Who may see and change which write-ups: role × action × visibility × published, as one table.

The expected outcomes come from the rules in issue 2, written out below independently of
registry.projects.permissions, so a change to the app's rules makes this file fail until the
rules here have been reconsidered.
"""

import itertools
import re

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.projects.models import Project

# --- The rules (issue 2, section 4), written out independently of the app -------------------
ROLES = (
    "anonymous",
    "member_own",  # member of the owning cluster (Paisley North)
    "lead_own",  # lead of the owning cluster
    "member_other",  # member of another cluster (Leith & Portobello)
    "lead_other",  # lead of another cluster
    "coordinator",
    "admin",
)
# Role -> (account role, clusters); anonymous has no account.
ACCOUNTS = {
    "member_own": ("member", ("paisley-north",)),
    "lead_own": ("lead", ("paisley-north",)),
    "member_other": ("member", ("leith-portobello",)),
    "lead_other": ("lead", ("leith-portobello",)),
    "coordinator": ("coordinator", ()),
    "admin": ("admin", ()),
}
# Members and leads of the owning cluster create and edit its write-ups; coordinators and
# admins edit all. Editors read everything they can edit, drafts included.
EDITORS = frozenset({"member_own", "lead_own", "coordinator", "admin"})
# Who reads a *published* write-up of each visibility.
READERS = {
    "public": frozenset(ROLES),
    "network": frozenset(ROLES) - {"anonymous"},
    "cluster": EDITORS,
}
VISIBILITIES = tuple(READERS)

LIST_ACTIONS = ("list", "api_list")  # the write-up is listed or absent
READ_ACTIONS = ("page", "api_detail", "history", "edit_get")
CHANGE_ACTIONS = ("edit_post", "publish", "unpublish")
ACTIONS = LIST_ACTIONS + READ_ACTIONS + CHANGE_ACTIONS + ("create",)


def can_read(role: str, visibility: str, published: bool) -> bool:
    return role in EDITORS or (published and role in READERS[visibility])


def expected_outcome(role: str, action: str, visibility: str, published: bool) -> str:
    """One of: listed, absent, ok (200), sign-in (302 to /sign-in), done (302 to the write-up),
    refused (400 on the form), forbidden (403), not-found (404)."""
    reads = can_read(role, visibility, published)
    if action in LIST_ACTIONS:
        return "listed" if reads else "absent"
    if role == "anonymous" and action in ("edit_get", "create", *CHANGE_ACTIONS):
        return "sign-in"
    if action == "create":  # a new write-up in the owning cluster, with this visibility
        return "done" if role in EDITORS else "refused"
    if not reads:
        return "not-found"  # existence of an unreadable write-up is not revealed
    if action in ("page", "api_detail", "history"):
        return "ok"
    if role not in EDITORS:
        return "forbidden"
    return "ok" if action == "edit_get" else "done"


STATUS_FOR = {
    "listed": 200, "absent": 200, "ok": 200, "sign-in": 302, "done": 302,
    "refused": 400, "forbidden": 403, "not-found": 404,
}
MATRIX = [
    pytest.param(
        role, action, visibility, published,
        expected_outcome(role, action, visibility, published),
        id=f"{role}-{action}-{visibility}-{'published' if published else 'draft'}",
    )
    for role, action, visibility, published in itertools.product(
        ROLES, ACTIONS, VISIBILITIES, (True, False)
    )
]

# --- Helpers --------------------------------------------------------------------------------
SLUG = "safer-valproate-prescribing"
NEW_TITLE = "Menopause group consultations"


def editor_form(visibility: str, **overrides) -> dict:
    """A complete, valid editor submission for a write-up in Paisley North."""
    data = {
        "title": NEW_TITLE,
        "cluster": "paisley-north",
        "status": "active",
        "role": "intrinsic",
        "visibility": visibility,
        "section_aim": "Offer every woman a group consultation by March.",
        "action": "save",
    }
    data.update(overrides)
    return data


def links_to(html: str, slug: str) -> bool:
    return re.search(rf'href="/projects/{re.escape(slug)}"', html) is not None


def project_state(slug: str) -> tuple | None:
    db.session.expire_all()
    project = db.session.scalar(select(Project).where(Project.slug == slug))
    if project is None:
        return None
    return project.is_published, project.visibility, project.version


def project_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Project))


@pytest.fixture
def as_role(org, make_user, sign_in):
    """Sign the test client in as one of ROLES (anonymous: stay signed out)."""

    def do(role: str):
        if role != "anonymous":
            account_role, clusters = ACCOUNTS[role]
            response = sign_in(make_user(account_role, clusters))
            assert response.status_code == 302, "sign-in failed"

    return do


def perform(client, action: str, visibility: str, published: bool):
    """Do `action` on the write-up SLUG; return the response (already closed)."""
    requests = {
        "list": lambda: client.get("/projects"),
        "api_list": lambda: client.get("/api/v1/projects"),
        "page": lambda: client.get(f"/projects/{SLUG}"),
        "api_detail": lambda: client.get(f"/api/v1/projects/{SLUG}"),
        "history": lambda: client.get(f"/projects/{SLUG}/history"),
        "edit_get": lambda: client.get(f"/projects/{SLUG}/edit"),
        "edit_post": lambda: client.post(
            f"/projects/{SLUG}/edit",
            data=editor_form(visibility, title="Safer valproate prescribing, revised",
                             version="1", action="publish" if published else "save"),
        ),
        "publish": lambda: client.post(f"/projects/{SLUG}/publish"),
        "unpublish": lambda: client.post(f"/projects/{SLUG}/unpublish"),
        "create": lambda: client.post(
            "/projects/new",
            data=editor_form(visibility, action="publish" if published else "save"),
        ),
    }
    response = requests[action]()
    response.close()
    return response


# --- The matrix -----------------------------------------------------------------------------
@pytest.mark.parametrize("role, action, visibility, published, outcome", MATRIX)
def test_permission_matrix(
    client, as_role, make_project, role, action, visibility, published, outcome
):
    make_project(visibility=visibility, publish=published)
    before, count_before = project_state(SLUG), project_count()
    as_role(role)

    response = perform(client, action, visibility, published)

    assert response.status_code == STATUS_FOR[outcome], response.get_data(as_text=True)[:500]
    if action == "list":
        assert links_to(response.get_data(as_text=True), SLUG) == (outcome == "listed")
    elif action == "api_list":
        slugs = [item["slug"] for item in response.get_json()["results"]]
        assert (SLUG in slugs) == (outcome == "listed")
        assert response.get_json()["total"] == len(slugs)
    elif action == "api_detail":
        body = response.get_json()
        assert (body.get("slug") == SLUG) if outcome == "ok" else body["error"]["status"] == 404
    elif outcome == "sign-in":
        assert response.location.startswith("/sign-in")
    elif outcome == "done" and action != "create":
        assert response.location == f"/projects/{SLUG}"

    # Changes happen exactly when they are allowed, and only then.
    after = project_state(SLUG)
    if outcome == "done" and action == "create":
        created = project_state("menopause-group-consultations")
        assert created == (published, visibility, 1)
        assert response.location == "/projects/menopause-group-consultations"
        assert project_count() == count_before + 1
    elif outcome == "done" and action == "edit_post":
        assert after == (published or before[0], visibility, before[2] + 1)
    elif outcome == "done":
        assert after[0] is (action == "publish")
        assert after[1:] == before[1:]
    else:
        assert after == before
        assert project_count() == count_before


def test_the_matrix_covers_every_outcome():
    """Guard against a table that can no longer fail in some direction."""
    outcomes = {param.values[-1] for param in MATRIX}
    assert outcomes == set(STATUS_FOR)
    assert len(MATRIX) == len(ROLES) * len(ACTIONS) * len(VISIBILITIES) * 2


# --- Every listing surface follows the same rules ---------------------------------------------
COMBINATIONS = list(itertools.product(VISIBILITIES, (True, False)))


def combination_slug(visibility: str, published: bool) -> str:
    return f"matrix-{visibility}-{'published' if published else 'draft'}"


@pytest.mark.parametrize("role", ROLES)
def test_lists_pages_and_counts_show_exactly_what_the_role_may_read(
    client, as_role, make_project, role
):
    for visibility, published in COMBINATIONS:
        make_project(
            title=combination_slug(visibility, published).replace("-", " "),
            visibility=visibility, publish=published, tags=["Matrix tag"],
        )
    readable = {
        combination_slug(v, p) for v, p in COMBINATIONS if can_read(role, v, p)
    }
    as_role(role)

    surfaces = (
        "/projects", "/tags/matrix tag", "/clusters/paisley-north", "/hscps/renfrewshire",
        "/boards/nhs-greater-glasgow-clyde",
    )
    for url in surfaces:
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        shown = {combination_slug(v, p) for v, p in COMBINATIONS
                 if links_to(html, combination_slug(v, p))}
        assert shown == readable, url

    api = client.get("/api/v1/projects").get_json()
    assert {item["slug"] for item in api["results"]} == readable
    assert api["total"] == len(readable)

    home = client.get("/").get_data(as_text=True)
    assert f"<strong>{len(readable)}</strong> write-ups" in home
    assert {s for s in map(lambda c: combination_slug(*c), COMBINATIONS) if links_to(home, s)} \
        == readable
    for visibility, published in COMBINATIONS:
        slug = combination_slug(visibility, published)
        status = client.get(f"/projects/{slug}").status_code
        assert status == (200 if slug in readable else 404), slug


def test_anonymous_visitors_see_only_public_published_work(client, make_project, org):
    """The headline rule, stated directly: one public published write-up among six."""
    for visibility, published in COMBINATIONS:
        make_project(
            title=combination_slug(visibility, published).replace("-", " "),
            visibility=visibility, publish=published, tags=["Matrix tag"],
        )
    api = client.get("/api/v1/projects").get_json()
    assert [item["slug"] for item in api["results"]] == ["matrix-public-published"]
    home = client.get("/").get_data(as_text=True)
    assert "<strong>1</strong> write-ups" in home
    assert "<strong>1</strong> clusters" in home
    tags = client.get("/").get_data(as_text=True)
    assert "Matrix tag <span class=\"cc-count\">(1)</span>" in tags
    for visibility, published in COMBINATIONS[1:]:
        slug = combination_slug(visibility, published)
        assert client.get(f"/api/v1/projects/{slug}").status_code == 404
        assert client.get(f"/projects/{slug}/history").status_code == 404
        assert client.get(f"/projects/{slug}/diff").status_code == 404
