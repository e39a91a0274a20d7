"""Who may attach, change, remove, download and list tools: role × action × visibility ×
published, as one table. Tools follow their write-up: editing them is editing the write-up,
and reading them is reading it. The rules are written out here independently of the app."""

import itertools

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.tools import services as tools
from registry.tools.models import Tool
from registry.tools.rules import ToolDetails
from tests.test_permissions import ACCOUNTS, ROLES, SLUG, VISIBILITIES, can_read
from tests.tool_fixtures import AUDIT_SEARCH_CSV, LETTER_TXT, form, post_form

EDITORS = frozenset({"member_own", "lead_own", "coordinator", "admin"})
LIST_ACTIONS = ("library", "api")
CHANGE_ACTIONS = ("upload_form", "upload", "replace", "remove")
ACTIONS = LIST_ACTIONS + CHANGE_ACTIONS + ("download", "download_old")


def expected_outcome(role: str, action: str, visibility: str, published: bool) -> str:
    reads = can_read(role, visibility, published)
    if action in LIST_ACTIONS:
        return "listed" if reads else "absent"
    if role == "anonymous" and action in CHANGE_ACTIONS:
        return "sign-in"
    if not reads:
        return "not-found"
    if action in ("download", "download_old"):
        return "ok"
    if role not in EDITORS:
        return "forbidden"
    return "ok" if action == "upload_form" else "done"


STATUS_FOR = {"listed": 200, "absent": 200, "ok": 200, "sign-in": 302, "done": 302,
              "forbidden": 403, "not-found": 404}
MATRIX = [
    pytest.param(role, action, visibility, published,
                 expected_outcome(role, action, visibility, published),
                 id=f"{role}-{action}-{visibility}-{'published' if published else 'draft'}")
    for role, action, visibility, published in itertools.product(
        ROLES, ACTIONS, VISIBILITIES, (True, False))
]


@pytest.fixture
def tool_on_writeup(org, make_user, make_project):
    """The write-up SLUG in Paisley North with one tool that already has two versions."""

    def make(visibility: str, published: bool) -> int:
        owner = make_user("lead", ("paisley-north",))
        make_project(owner, visibility=visibility, publish=published)
        details = ToolDetails("Valproate audit search", "audit-search", "", "emis")
        tool = tools.add_tool(owner, SLUG, details, tools.Upload("search.csv", AUDIT_SEARCH_CSV))
        tools.change_tool(owner, SLUG, tool.id, details,
                          tools.Upload("search.csv", AUDIT_SEARCH_CSV + b"4,More,Rules\n"))
        return tool.id

    return make


def state() -> list[tuple]:
    db.session.expire_all()
    return [(t.title, t.version, t.removed_at is None, t.download_count)
            for t in db.session.scalars(select(Tool).order_by(Tool.id))]


def perform(client, action: str, tool_id: int):
    base = f"/projects/{SLUG}/tools"
    requests = {
        "library": lambda: client.get("/tools"),
        "api": lambda: client.get("/api/v1/tools"),
        "upload_form": lambda: client.get(f"{base}/new"),
        "upload": lambda: post_form(client, f"{base}/new", form(
            title="Recall letter", kind="letter", file=(LETTER_TXT, "letter.txt"))),
        "replace": lambda: post_form(client, f"{base}/{tool_id}/edit", form(
            file=(b"Rule\nNew search\n", "search-v3.csv"))),
        "remove": lambda: client.post(f"{base}/{tool_id}/remove"),
        "download": lambda: client.get(f"{base}/{tool_id}/download"),
        "download_old": lambda: client.get(f"{base}/{tool_id}/versions/1/download"),
    }
    response = requests[action]()
    response.close()
    return response


@pytest.mark.parametrize("role, action, visibility, published, outcome", MATRIX)
def test_tool_permission_matrix(client, tool_on_writeup, make_user, sign_in,
                                role, action, visibility, published, outcome):
    tool_id = tool_on_writeup(visibility, published)
    if role != "anonymous":
        account_role, clusters = ACCOUNTS[role]
        assert sign_in(make_user(account_role, clusters)).status_code == 302
    before = state()

    response = perform(client, action, tool_id)

    assert response.status_code == STATUS_FOR[outcome], response.get_data(as_text=True)[:300]
    after = state()
    if action == "library":
        listed = f'href="/projects/{SLUG}/tools/{tool_id}/download"' in response.get_data(
            as_text=True)
        assert listed == (outcome == "listed")
    elif action == "api":
        ids = [item["id"] for item in response.get_json()["results"]]
        assert (tool_id in ids) == (outcome == "listed")
    elif outcome == "sign-in":
        assert response.location.startswith("/sign-in")
    # Changes (and counted downloads) happen exactly when they are allowed.
    if outcome == "done" and action == "upload":
        assert len(after) == 2 and after[0] == before[0]
    elif outcome == "done" and action == "replace":
        assert after == [before[0][:1] + (3,) + before[0][2:]]
    elif outcome == "done" and action == "remove":
        assert after == [before[0][:2] + (False,) + before[0][3:]]
    elif outcome == "ok" and action.startswith("download"):
        assert after == [before[0][:3] + (before[0][3] + 1,)]
    else:
        assert after == before


def test_the_matrix_covers_every_outcome():
    assert {param.values[-1] for param in MATRIX} == set(STATUS_FOR)
