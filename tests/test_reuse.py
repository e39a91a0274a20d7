"""Reuse this project: a draft copy in the reader's own cluster, and lineage both ways, on the
pages and in the API."""

import re

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.organisations import services as organisations
from registry.projects import services as projects
from registry.projects.models import Project
from registry.tools import services as tools
from registry.tools.models import Tool
from registry.tools.rules import ToolDetails
from registry.writeup_format import Measure, Section
from tests.conftest import writeup
from tests.tool_fixtures import AUDIT_SEARCH_CSV, fetch, form, post_form

ORIGINAL = "safer-valproate-prescribing"
COPY = "safer-valproate-prescribing-leith-portobello"
MEASURE = Measure(name="Women with a signed form", type="outcome", definition="ARAF coded",
                  unit="percent", goal=100,
                  data=[{"date": "2024-01-08", "numerator": 9, "denominator": 22}])
SECTIONS = [
    Section("Aim", "Every woman on valproate has a signed form.", "aim"),
    Section("Changes", "A monthly search and pharmacist review.", "changes"),
    Section("Results", "Paisley went from 9 of 22 to 20 of 21.", "results"),
    Section("Patient voice", "Women valued the pharmacist's call.", None),
]


@pytest.fixture
def original(org, make_user):
    owner = make_user("lead", ("paisley-north",), name="Dr Morag Fraser")
    project = projects.save_writeup(
        owner, writeup(measures=[MEASURE], sections=SECTIONS, visibility="network",
                       summary="A shared search and pharmacist reviews.", role="both"),
        publish=True,
    )
    tools.add_tool(owner, ORIGINAL, ToolDetails("Valproate audit search", "audit-search",
                                                "Monthly.", "emis"),
                   tools.Upload("search.csv", AUDIT_SEARCH_CSV))
    return project


@pytest.fixture
def leith_member(org, make_user, sign_in):
    user = make_user("member", ("leith-portobello",), name="Priya Nair")
    assert sign_in(user).status_code == 302
    return user


def project(slug: str) -> Project:
    db.session.expire_all()
    return db.session.scalar(select(Project).where(Project.slug == slug))


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_reuse_makes_a_draft_copy_in_the_readers_cluster(client, original, leith_member):
    page = text(client.get(f"/projects/{ORIGINAL}/reuse"))
    assert "The copy will belong to <strong>Leith &amp; Portobello</strong>" in page

    response = client.post(f"/projects/{ORIGINAL}/reuse")

    assert response.status_code == 302 and response.location == f"/projects/{COPY}/edit"
    copy = project(COPY)
    assert copy.cluster.slug == "leith-portobello" and not copy.is_published
    assert copy.adapted_from.slug == ORIGINAL
    assert [t.name for t in copy.tags] == [t.name for t in project(ORIGINAL).tags]
    assert (copy.status, copy.role, copy.visibility) == ("idea", "both", "network")
    copied = copy.current_revision.writeup
    assert copied.authors == ["Priya Nair"]
    assert copied.adapted_from == ORIGINAL
    assert copied.summary == "A shared search and pharmacist reviews."
    assert [s.heading for s in copied.sections] == ["Aim", "Changes", "Patient voice"]
    assert copied.measures == [Measure(name="Women with a signed form", type="outcome",
                                       definition="ARAF coded", unit="percent", goal=100)]
    assert copy.current_revision.source == "editor" and copy.version == 1
    # Its editor opens with the copy, and the reusing cluster saves it as its own.
    editor = client.get(response.location)
    assert editor.status_code == 200
    assert "draft is Leith &amp; Portobello’s own copy" in text(editor)
    saved = client.post(f"/projects/{COPY}/edit", data={
        "title": "Valproate recall in Leith", "cluster": "leith-portobello", "status": "active",
        "role": "both", "visibility": "public", "section_aim": "Our aim.", "version": "1",
        "adapted_from": ORIGINAL, "action": "publish"})
    assert saved.status_code == 302
    assert project(COPY).is_published and project(COPY).title == "Valproate recall in Leith"
    assert project(ORIGINAL).version == 1  # the original is untouched


def test_the_copy_links_the_originals_tools(client, original, leith_member):
    client.post(f"/projects/{ORIGINAL}/reuse")
    linked = project(COPY).tools[0]
    source = project(ORIGINAL).tools[0]
    assert linked.id != source.id and linked.reused_from_id == source.id
    assert linked.current.sha256 == source.current.sha256
    assert (linked.title, linked.kind, linked.clinical_system) == (
        source.title, source.kind, source.clinical_system)

    page = text(client.get(f"/projects/{COPY}"))
    assert f'Linked from <a href="/projects/{ORIGINAL}">Safer valproate prescribing</a>' in page
    download = fetch(client, f"/projects/{COPY}/tools/{linked.id}/download")
    assert download.data == AUDIT_SEARCH_CSV
    # The reusing cluster replaces its linked tool without touching the original's.
    post_form(client, f"/projects/{COPY}/tools/{linked.id}/edit",
              form(file=(b"Rule\nLeith's own search\n", "leith.csv")))
    assert project(COPY).tools[0].version == 2 and project(ORIGINAL).tools[0].version == 1
    reused = client.get("/api/v1/tools", query_string={"q": "VALP-PPP"}).get_json()["results"]
    assert [(t["project"]["slug"], t["reused"]) for t in reused] == [(ORIGINAL, 1)]


def test_the_original_shows_who_reused_it_and_the_chain_below(
    client, original, leith_member, make_user, sign_in
):
    client.post(f"/projects/{ORIGINAL}/reuse")
    projects.publish(leith_member, COPY)
    organisations.create_cluster("Renfrew Town", "Renfrewshire")
    renfrew = make_user("lead", ("renfrew-town",))
    projects.save_writeup(renfrew, writeup(title="Valproate in Renfrew", cluster="renfrew-town",
                                           adapted_from=COPY), publish=True)

    page = text(client.get(f"/projects/{ORIGINAL}"))
    lineage = page.split('id="lineage-title"')[1].split("</section>")[0]
    assert "An original project." in lineage
    assert "Reused by 2 clusters" in lineage
    assert 'href="/clusters/leith-portobello">Leith &amp; Portobello</a>' in lineage
    # The tree: the copy, and the Renfrew adaptation nested under it.
    assert re.search(rf'href="/projects/{COPY}".*<ul>.*href="/projects/valproate-in-renfrew"',
                     lineage)

    middle = text(client.get(f"/projects/{COPY}")).split('id="lineage-title"')[1]
    assert f'Adapted from <a href="/projects/{ORIGINAL}">' in middle
    assert 'href="/projects/valproate-in-renfrew"' in middle

    bottom = text(client.get("/projects/valproate-in-renfrew")).split('id="lineage-title"')[1]
    assert f'Adapted from <a href="/projects/{COPY}">' in bottom
    assert f'adapted from <a href="/projects/{ORIGINAL}">' in bottom  # further back


def test_a_hidden_link_in_the_chain_is_skipped(client, original, make_user, sign_in):
    leith = make_user("lead", ("leith-portobello",))
    projects.save_writeup(leith, writeup(title="Leith private work", cluster="leith-portobello",
                                         adapted_from=ORIGINAL), publish=False)
    organisations.create_cluster("Renfrew Town", "Renfrewshire")
    # An import (the system) may adapt what no Renfrew reader can see.
    projects.save_writeup(None, writeup(title="Valproate in Renfrew", cluster="renfrew-town",
                                        adapted_from="leith-private-work"), publish=True)
    sign_in(make_user("member", ("paisley-north",)))

    lineage = text(client.get(f"/projects/{ORIGINAL}")).split('id="lineage-title"')[1]
    assert "leith-private-work" not in lineage and "Leith private work" not in lineage
    assert 'href="/projects/valproate-in-renfrew"' in lineage
    assert "Reused by 1 cluster" in lineage
    body = client.get(f"/api/v1/projects/{ORIGINAL}").get_json()["lineage"]
    assert [(d["slug"], d["adapted_from"], d["depth"]) for d in body["descendants"]] == [
        ("valproate-in-renfrew", ORIGINAL, 1)]


def test_the_api_returns_lineage_both_ways(client, original, leith_member):
    client.post(f"/projects/{ORIGINAL}/reuse")
    top = client.get(f"/api/v1/projects/{ORIGINAL}").get_json()
    assert top["lineage"]["ancestors"] == []
    assert [(d["slug"], d["depth"], d["cluster"]["slug"]) for d in top["lineage"]["descendants"]] \
        == [(COPY, 1, "leith-portobello")]
    assert top["lineage"]["reused_by_clusters"] == [
        {"slug": "leith-portobello", "name": "Leith & Portobello"}]
    copy = client.get(f"/api/v1/projects/{COPY}").get_json()
    assert [a["slug"] for a in copy["lineage"]["ancestors"]] == [ORIGINAL]
    assert copy["tools"][0]["linked_from"]["slug"] == ORIGINAL


def test_a_lead_of_several_clusters_chooses_which(client, original, make_user, sign_in):
    organisations.create_cluster("Renfrew Town", "Renfrewshire")
    sign_in(make_user("lead", ("leith-portobello", "renfrew-town", "paisley-north")))

    page = text(client.get(f"/projects/{ORIGINAL}/reuse"))
    assert "Which cluster will own the copy?" in page
    assert 'value="renfrew-town"' in page and 'value="paisley-north"' not in page  # its own

    unchosen = client.post(f"/projects/{ORIGINAL}/reuse")
    assert unchosen.status_code == 400
    assert "Choose which of your clusters will own the copy." in text(unchosen)
    assert client.post(f"/projects/{ORIGINAL}/reuse", data={"cluster": "paisley-north"}) \
        .status_code == 400
    chosen = client.post(f"/projects/{ORIGINAL}/reuse", data={"cluster": "renfrew-town"})
    assert chosen.location == "/projects/safer-valproate-prescribing-renfrew-town/edit"
    assert project("safer-valproate-prescribing-renfrew-town").cluster.slug == "renfrew-town"


@pytest.mark.parametrize(
    "role, clusters, message",
    [
        ("coordinator", (), "You are not a member of any cluster"),
        ("member", ("paisley-north",), "already belongs to your cluster, Paisley North"),
    ],
)
def test_those_with_no_other_cluster_get_a_clear_message(
    client, original, make_user, sign_in, role, clusters, message
):
    sign_in(make_user(role, clusters))
    page = client.get(f"/projects/{ORIGINAL}/reuse")
    assert page.status_code == 200 and message in text(page)
    assert "Make a draft copy" not in text(page)
    refused = client.post(f"/projects/{ORIGINAL}/reuse")
    assert refused.status_code == 403 and message in text(refused)
    assert project(COPY) is None


def test_reuse_needs_sign_in_and_a_readable_original(client, original, make_user, sign_in):
    for method in (client.get, client.post):
        response = method(f"/projects/{ORIGINAL}/reuse")
        assert response.status_code == 302 and response.location.startswith("/sign-in")
    projects.unpublish(make_user("coordinator"), ORIGINAL)
    sign_in(make_user("member", ("leith-portobello",)))
    assert client.get(f"/projects/{ORIGINAL}/reuse").status_code == 404
    assert client.post(f"/projects/{ORIGINAL}/reuse").status_code == 404
    assert db.session.scalar(select(Tool).where(Tool.reused_from_id.is_not(None))) is None


def test_the_detail_page_offers_reuse_to_those_who_can(client, original, make_user, sign_in):
    link = f'href="/projects/{ORIGINAL}/reuse"'
    sign_in(make_user("member", ("paisley-north",)))
    assert link not in text(client.get(f"/projects/{ORIGINAL}"))  # its own cluster edits instead
    client.post("/sign-out")
    sign_in(make_user("member", ("leith-portobello",)))
    assert link in text(client.get(f"/projects/{ORIGINAL}"))
