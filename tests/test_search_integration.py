"""Search through the app: the outbox keeps the index true, and visibility holds inside search."""

import html
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.projects import services as projects
from registry.search import services as search
from registry.search.models import IndexChange
from tests.conftest import PASSWORD, writeup


@pytest.fixture
def index_ready(app):
    """A built (empty) index, as `init-db` leaves it."""
    search.rebuild()
    return search.index()


def found(client, query: str, **params) -> list[str]:
    response = client.get("/api/v1/search", query_string={"q": query, **params})
    assert response.status_code == 200, response.get_json()
    return [hit["slug"] for hit in response.get_json()["results"]]


def queued() -> int:
    return db.session.scalar(select(func.count()).select_from(IndexChange))


def test_a_published_writeup_is_searchable_as_soon_as_the_save_returns(
    client, org, index_ready, make_project
):
    make_project(title="Greener inhalers in Paisley", tags=["sustainability"])
    assert found(client, "inhalers") == ["greener-inhalers-in-paisley"]
    assert queued() == 0


def test_edits_and_unpublishing_reach_the_index(client, org, index_ready, make_user, make_project):
    lead = make_user("lead", ("paisley-north",))
    project = make_project(lead, title="Lithium monitoring recall")
    assert found(client, "lithium") == [project.slug]

    edited = projects.save_writeup(
        lead, writeup(title="Lithium and methotrexate monitoring"), slug=project.slug
    )
    assert found(client, "methotrexate") == [edited.slug]

    projects.unpublish(lead, project.slug)
    assert found(client, "lithium") == []
    signed_in = client.post("/sign-in", data={"email": lead.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert found(client, "lithium") == [project.slug]  # its own draft, for its editors


@pytest.mark.parametrize(
    "visibility, anonymous, other_cluster, own_cluster",
    [
        ("public", True, True, True),
        ("network", False, True, True),
        ("cluster", False, False, True),
    ],
)
def test_visibility_is_enforced_inside_search(
    app, org, index_ready, make_user, make_project, visibility, anonymous, other_cluster,
    own_cluster,
):
    make_project(title="Menopause group consultations", visibility=visibility)
    expected = {"anonymous": anonymous, "other": other_cluster, "own": own_cluster}
    readers = {
        "anonymous": None,
        "other": make_user("member", ("leith-portobello",)),
        "own": make_user("member", ("paisley-north",)),
    }
    for name, reader in readers.items():
        client = app.test_client()
        if reader is not None:
            client.post("/sign-in", data={"email": reader.email, "password": PASSWORD})
        assert bool(found(client, "menopause")) is expected[name], name


def test_search_api_shape_and_facets(client, org, index_ready, make_project):
    make_project(title="DOAC dose review", tags=["anticoagulation", "audit"], status="completed")
    make_project(title="Apixaban switching audit", tags=["anticoagulation"], cluster="leith-portobello")
    body = client.get("/api/v1/search", query_string={"q": "DOAC"}).get_json()
    assert set(body) >= {"query", "total", "page", "per_page", "results", "facets", "suggestion"}
    assert body["total"] == 2  # apixaban is a DOAC: the synonym file expands the query
    assert set(body["results"][0]) >= {
        "slug", "title", "url", "summary", "cluster", "board", "status", "tags", "score", "highlight"
    }
    tags = {facet["value"].lower(): facet["count"] for facet in body["facets"]["tags"]}
    assert tags["anticoagulation"] == 2 and tags["audit"] == 1
    narrowed = client.get(
        "/api/v1/search", query_string={"q": "DOAC", "cluster": "leith-portobello"}
    ).get_json()
    assert [hit["slug"] for hit in narrowed["results"]] == ["apixaban-switching-audit"]


@pytest.mark.parametrize(
    "params, bad",
    [
        ({"page": "0"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"sort": "popular"}, "sort"),
        ({"year": "last"}, "year"),
        ({"tag": "x" * 300}, "tag"),
        ({"q": "x" * 10_001}, "q"),
        ({"exact": "yes"}, "exact"),
    ],
)
def test_bad_search_parameters_are_named(client, index_ready, params, bad):
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 400
    assert bad in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("query", ['"unbalanced', "AND", "-", "*", "tag:", "\x01\x02", "x " * 5000])
def test_malformed_queries_never_fail(client, org, index_ready, make_project, query):
    make_project()
    assert client.get("/api/v1/search", query_string={"q": query}).status_code == 200
    assert client.get("/search", query_string={"q": query}).status_code == 200


def test_search_page_shows_results_suggestions_and_works_without_an_index(
    client, org, make_project
):
    make_project(title="Safer valproate prescribing")
    unavailable = client.get("/search", query_string={"q": "valproate"})
    assert unavailable.status_code == 503
    assert "Search is being rebuilt" in unavailable.get_data(as_text=True)
    assert client.get("/projects/safer-valproate-prescribing").status_code == 200
    assert queued() == 1  # kept for the rebuild, not lost

    search.rebuild()
    assert queued() == 0
    page = client.get("/search", query_string={"q": "valporate", "tag": ""}).get_data(as_text=True)
    assert "Safer valproate prescribing" in page
    assert "Showing results for <strong>valproate</strong>" in page
    original = re.search(r'href="([^"]+)">Search instead for valporate</a>', page)
    assert original, page

    as_typed = client.get(html.unescape(original.group(1))).get_data(as_text=True)
    assert "Safer valproate prescribing" not in as_typed
    assert "0 results" in as_typed
    assert re.search(r'Did you mean <a href="[^"]+">valproate</a>', as_typed)


def test_a_deleted_index_directory_degrades_gracefully(app, client, org, index_ready, make_project):
    make_project()
    shutil.rmtree(Path(app.config["INDEX_DIR"]))
    assert client.get("/search?q=valproate").status_code == 503
    assert client.get("/api/v1/search?q=valproate").status_code == 503
    assert client.get("/projects/safer-valproate-prescribing").status_code == 200


def test_similar_projects_follow_visibility(client, org, index_ready, make_project):
    make_project(title="Valproate audit in Paisley")
    make_project(title="Valproate recall in Leith", cluster="leith-portobello")
    make_project(title="Valproate network-only review", visibility="network")
    similar = client.get("/api/v1/projects/valproate-audit-in-paisley/similar").get_json()["results"]
    slugs = [hit["slug"] for hit in similar]
    assert "valproate-recall-in-leith" in slugs
    assert "valproate-network-only-review" not in slugs
    assert "valproate-audit-in-paisley" not in slugs
    assert client.get("/api/v1/projects/nope/similar").status_code == 404
    page = client.get("/projects/valproate-audit-in-paisley").get_data(as_text=True)
    assert "Similar projects" in page and "Valproate recall in Leith" in page


def test_search_check_and_rebuild_commands(cli, org, index_ready, make_project):
    project = make_project()
    assert cli.invoke(args=["search", "check"]).exit_code == 0

    project.status = "paused"  # a change that bypassed the outbox: the index is now stale
    db.session.commit()
    drifted = cli.invoke(args=["search", "check"])
    assert drifted.exit_code == 1
    assert "stale: 1" in drifted.output

    assert "rebuilt: 1" in cli.invoke(args=["search", "rebuild"]).output
    assert cli.invoke(args=["search", "check"]).exit_code == 0
