"""Organisations: the admin page for clusters and practices, and the board, HSCP and cluster
pages with the projects each viewer may see."""

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.organisations import services as organisations
from registry.organisations.models import Cluster, Practice

ADMIN_PAGE = "/admin/organisations"
ROLES_WITH_CLUSTERS = {"member": ("paisley-north",), "lead": ("paisley-north",)}


def organisation_state() -> tuple:
    db.session.rollback()
    return (
        sorted(db.session.execute(select(Cluster.name, Cluster.hscp_id)).all()),
        sorted(db.session.execute(select(Practice.name, Practice.cluster_id)).all()),
    )


def project_titles(html: str, titles) -> set[str]:
    """Which of `titles` the page links to as project cards."""
    return {title for title in titles if f">{title}</a>" in html}


@pytest.fixture
def as_role(make_user, sign_in):
    """Sign the test client in with a role; "anonymous" stays signed out."""

    def do(role: str, clusters: tuple[str, ...] | None = None):
        if role != "anonymous":
            clusters = ROLES_WITH_CLUSTERS.get(role, ()) if clusters is None else clusters
            assert sign_in(make_user(role, clusters)).status_code == 302

    return do


# Who may use the admin page.


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "role, status", [("anonymous", 302), ("member", 403), ("lead", 403), ("coordinator", 403),
                     ("admin", None)]
)
def test_only_admins_manage_organisations(client, org, as_role, role, status, method):
    as_role(role)
    before = organisation_state()
    response = getattr(client, method)(
        ADMIN_PAGE, data={"kind": "cluster", "name": "Johnstone", "hscp": "renfrewshire"}
    )
    if role == "admin":
        assert response.status_code == (302 if method == "post" else 200)
        return
    assert response.status_code == status
    if status == 302:
        assert response.headers["Location"].startswith("/sign-in?next=")
    else:
        assert "Only administrators can manage organisations." in response.text
    assert organisation_state() == before


@pytest.mark.parametrize(
    "form, created, notice",
    [
        ({"kind": "cluster", "name": "  Johnstone   North ", "hscp": "renfrewshire"},
         ("Johnstone North", "Renfrewshire"), "Cluster Johnstone North created."),
        ({"kind": "practice", "name": "Ferguslie Surgery", "cluster": "paisley-north"},
         ("Ferguslie Surgery", "Paisley North"), "Practice Ferguslie Surgery added to Paisley North."),
    ],
    ids=["cluster", "practice"],
)
def test_admin_adds_a_cluster_or_a_practice(client, org, as_role, form, created, notice):
    as_role("admin")
    response = client.post(ADMIN_PAGE, data=form)
    assert response.status_code == 302
    assert response.headers["Location"] == ADMIN_PAGE
    page = client.get(ADMIN_PAGE).text
    assert notice in page
    name, parent = created
    if form["kind"] == "cluster":
        cluster = db.session.scalar(select(Cluster).where(Cluster.name == name))
        assert cluster.hscp.name == parent and cluster.slug == "johnstone-north"
    else:
        practice = db.session.scalar(select(Practice).where(Practice.name == name))
        assert practice.cluster.name == parent
    assert name in page  # listed in the table of clusters and practices


@pytest.mark.parametrize(
    "form, field, message, kept",
    [
        ({"kind": "cluster", "name": "", "hscp": "renfrewshire"}, "cluster-name",
         "Enter a cluster name of 2 to 120 characters.",
         ['<option value="renfrewshire" selected>']),
        ({"kind": "cluster", "name": "paisley north", "hscp": "renfrewshire"}, "cluster-name",
         "A cluster with this name already exists.",
         ['id="cluster-name" name="name" value="paisley north"',
          '<option value="renfrewshire" selected>']),
        ({"kind": "cluster", "name": "Johnstone", "hscp": "atlantis"}, "cluster-hscp",
         "Choose the HSCP the cluster belongs to.",
         ['id="cluster-name" name="name" value="Johnstone"']),
        ({"kind": "cluster", "name": "Johnstone", "hscp": ""}, "cluster-hscp",
         "Choose the HSCP the cluster belongs to.",
         ['id="cluster-name" name="name" value="Johnstone"']),
        ({"kind": "practice", "name": "", "cluster": "paisley-north"}, "practice-name",
         "Enter a practice name of 2 to 160 characters.",
         ['<option value="paisley-north" selected>']),
        ({"kind": "practice", "name": "ABBEY SURGERY", "cluster": "paisley-north"},
         "practice-name", "This cluster already has a practice with this name.",
         ['id="practice-name" name="name" value="ABBEY SURGERY"',
          '<option value="paisley-north" selected>']),
        ({"kind": "practice", "name": "Ferguslie Surgery", "cluster": "nowhere"},
         "practice-cluster", "Choose the cluster the practice belongs to.",
         ['id="practice-name" name="name" value="Ferguslie Surgery"']),
    ],
    ids=["blank-cluster-name", "duplicate-cluster", "unknown-hscp", "blank-hscp",
         "blank-practice-name", "duplicate-practice", "unknown-cluster"],
)
def test_admin_form_errors_sit_by_their_field_and_keep_what_was_typed(
    client, org, as_role, form, field, message, kept
):
    organisations.create_practice("Abbey Surgery", "paisley-north")
    as_role("admin")
    before = organisation_state()

    response = client.post(ADMIN_PAGE, data=form)

    assert response.status_code == 400
    page = response.text
    assert f'<p class="ds_question__error-message" id="{field}-error">{message}</p>' in page
    assert f'<a href="#{field}">{message}</a>' in page  # the error summary links to the field
    for snippet in kept:
        assert snippet in page
    other = "practice" if form["kind"] == "cluster" else "cluster"
    assert f'id="{other}-name" name="name" value=""' in page  # the other form stays empty
    assert organisation_state() == before


def test_admin_post_of_an_unknown_kind_is_refused(client, org, as_role):
    as_role("admin")
    before = organisation_state()
    response = client.post(ADMIN_PAGE, data={"kind": "board", "name": "NHS Atlantis"})
    assert response.status_code == 400
    assert "Choose whether to add a cluster or a practice." in response.text
    assert organisation_state() == before


# Board, HSCP and cluster pages.

PAISLEY_PROJECTS = {
    "Public audit": {"visibility": "public"},
    "Network audit": {"visibility": "network"},
    "Cluster audit": {"visibility": "cluster"},
    "Draft audit": {"visibility": "public", "publish": False},
}
ELSEWHERE = "Leith audit"  # public, in another cluster, HSCP and board
EVERYTHING = set(PAISLEY_PROJECTS)
ORGANISATION_PAGES = {
    "cluster": "/clusters/paisley-north",
    "hscp": "/hscps/renfrewshire",
    "board": "/boards/nhs-greater-glasgow-clyde",
}


@pytest.mark.parametrize("kind", list(ORGANISATION_PAGES))
@pytest.mark.parametrize(
    "role, clusters, visible",
    [
        ("anonymous", None, {"Public audit"}),
        ("member", ("leith-portobello",), {"Public audit", "Network audit"}),
        ("member", ("paisley-north",), EVERYTHING),
        ("coordinator", None, EVERYTHING),
    ],
    ids=["anonymous", "other-cluster-member", "own-cluster-member", "coordinator"],
)
def test_organisation_pages_list_only_visible_projects(
    client, org, as_role, make_project, kind, role, clusters, visible
):
    for title, fields in PAISLEY_PROJECTS.items():
        make_project(title=title, **fields)
    make_project(title=ELSEWHERE, cluster="leith-portobello", visibility="public")
    as_role(role, clusters)

    response = client.get(ORGANISATION_PAGES[kind])

    assert response.status_code == 200
    assert project_titles(response.text, EVERYTHING | {ELSEWHERE}) == visible
    assert f"Projects ({len(visible)})" in response.text


@pytest.mark.parametrize(
    "url, heading, listed",
    [
        ("/clusters/paisley-north", "Paisley North", ["Abbey Surgery", "Renfrewshire"]),
        ("/hscps/renfrewshire", "Renfrewshire", ["Paisley North", "NHS Greater Glasgow &amp; Clyde"]),
        ("/boards/nhs-lothian", "NHS Lothian", ["Edinburgh", "West Lothian"]),
    ],
)
def test_organisation_pages_show_their_place_in_the_hierarchy(client, org, url, heading, listed):
    organisations.create_practice("Abbey Surgery", "paisley-north")
    page = client.get(url).text
    assert f'<h1 class="ds_page-header__title">{heading}</h1>' in page
    for name in listed:
        assert name in page
    assert "No projects you can see yet." in page


@pytest.mark.parametrize("kind", ["clusters", "hscps", "boards"])
def test_unknown_organisation_is_not_found(client, org, kind):
    assert client.get(f"/{kind}/atlantis").status_code == 404
