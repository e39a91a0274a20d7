"""The read API, /api/v1/projects: filters, paging, parameter errors, the full contract, 404s
and hostile input (the Big List of Naughty Strings) in every parameter."""

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.projects import services
from registry.projects.models import Project
from registry.writeup_format import Measure, Section

BLNS = json.loads((Path(__file__).parent / "data" / "blns" / "blns.json").read_text("utf-8"))
# Beyond the list: what PostgreSQL refuses outright, and very long values.
HOSTILE = BLNS + ["\x00", "a\x00b", "%00", "x" * 5000, "-1", "0", "1e3", "١٢", "99999999999999999999"]
PARAMETERS = ("tag", "board", "hscp", "cluster", "status", "role", "page", "per_page")
LIST = "/api/v1/projects"

# Four published, public write-ups across two boards, to filter.
CATALOGUE = {
    "safer-valproate-prescribing": dict(
        title="Safer valproate prescribing", cluster="paisley-north", status="completed",
        role="intrinsic", tags=["Valproate", "Safer prescribing"],
    ),
    "camhs-referrals-with-schools": dict(
        title="CAMHS referrals with schools", cluster="leith-portobello", status="active",
        role="extrinsic", tags=["Schools", "CAMHS"],
    ),
    "renal-audit": dict(
        title="Renal audit", cluster="paisley-north", status="paused", role="both",
        tags=["Renal", "Audit", "safer PRESCRIBING"],
    ),
    "kis-for-frail-patients": dict(
        title="KIS for frail patients", cluster="leith-portobello", status="idea",
        role="intrinsic", tags=["Frailty", "Audit"],
    ),
}


def get_json(client, url: str, **params):
    response = client.get(url, query_string=params)
    assert response.is_json, (response.status_code, response.get_data(as_text=True)[:300])
    return response.status_code, response.get_json()


def slugs_of(body: dict) -> set[str]:
    return {item["slug"] for item in body["results"]}


def revise(slug: str, **changes) -> None:
    """Save a new revision (as a content import) with some parts of the write-up changed."""
    project = db.session.scalar(select(Project).where(Project.slug == slug))
    services.save_writeup(None, replace(project.current_revision.writeup, **changes), slug=slug)


@pytest.fixture
def catalogue(make_project, org):
    return {slug: make_project(**fields) for slug, fields in CATALOGUE.items()}


# --- Filters and paging -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, set(CATALOGUE)),
        ({"tag": "valproate"}, {"safer-valproate-prescribing"}),
        ({"tag": "  Safer   Prescribing "}, {"safer-valproate-prescribing", "renal-audit"}),
        ({"tag": "audit"}, {"renal-audit", "kis-for-frail-patients"}),
        ({"tag": "no such tag"}, set()),
        ({"board": "nhs-lothian"}, {"camhs-referrals-with-schools", "kis-for-frail-patients"}),
        ({"board": "nhs-greater-glasgow-clyde"}, {"safer-valproate-prescribing", "renal-audit"}),
        ({"board": "nhs-fife"}, set()),
        ({"hscp": "renfrewshire"}, {"safer-valproate-prescribing", "renal-audit"}),
        ({"hscp": "edinburgh"}, {"camhs-referrals-with-schools", "kis-for-frail-patients"}),
        ({"cluster": "leith-portobello"}, {"camhs-referrals-with-schools", "kis-for-frail-patients"}),
        ({"cluster": "paisley-north"}, {"safer-valproate-prescribing", "renal-audit"}),
        ({"status": "paused"}, {"renal-audit"}),
        ({"status": "stopped"}, set()),
        ({"role": "extrinsic"}, {"camhs-referrals-with-schools"}),
        ({"role": "both"}, {"renal-audit"}),
        ({"role": "intrinsic"}, {"safer-valproate-prescribing", "kis-for-frail-patients"}),
        ({"tag": "audit", "board": "nhs-lothian"}, {"kis-for-frail-patients"}),
        ({"cluster": "paisley-north", "role": "intrinsic", "status": "completed"},
         {"safer-valproate-prescribing"}),
        ({"cluster": "paisley-north", "status": "idea"}, set()),
    ],
    ids=lambda value: json.dumps(value) if isinstance(value, dict) else None,
)
def test_each_filter_narrows_the_list(client, catalogue, params, expected):
    status, body = get_json(client, LIST, **params)
    assert status == 200
    assert slugs_of(body) == expected
    assert body["total"] == len(expected)
    # Echoed as applied: a tag as matched (trimmed, inner spaces folded, case-folded).
    applied = {name: value.strip() for name, value in params.items()}
    if "tag" in applied:
        applied["tag"] = " ".join(applied["tag"].split()).casefold()
    assert body["filters"] == applied


def test_filters_never_widen_what_a_reader_may_see(client, catalogue, make_project):
    make_project(title="Network-only renal work", cluster="paisley-north", visibility="network",
                 tags=["Renal"])
    make_project(title="Draft renal work", cluster="paisley-north", publish=False, tags=["Renal"])
    _, body = get_json(client, LIST, tag="renal", cluster="paisley-north")
    assert slugs_of(body) == {"renal-audit"}


def test_summaries_carry_what_a_list_needs(client, catalogue):
    _, body = get_json(client, LIST, cluster="leith-portobello", role="extrinsic")
    (item,) = body["results"]
    assert item["title"] == "CAMHS referrals with schools"
    assert item["cluster"] == {"slug": "leith-portobello", "name": "Leith & Portobello"}
    assert item["hscp"] == {"slug": "edinburgh", "name": "Edinburgh"}
    assert item["board"] == {"slug": "nhs-lothian", "name": "NHS Lothian"}
    assert item["status"] == "active" and item["role"] == "extrinsic"
    assert item["visibility"] == "public" and item["published"] is True
    assert sorted(item["tags"]) == ["CAMHS", "Schools"]
    assert item["url"] == "http://commons.test/projects/camhs-referrals-with-schools"
    assert item["api_url"] == "http://commons.test/api/v1/projects/camhs-referrals-with-schools"


def test_pages_split_the_list_without_losing_or_repeating(client, make_project, org):
    titles = [f"Home visit test of change {n}" for n in range(1, 6)]
    for title in titles:
        make_project(title=title)
    seen = []
    for page, size in ((1, 2), (2, 2), (3, 1)):
        status, body = get_json(client, LIST, page=page, per_page=2)
        assert status == 200
        assert (body["total"], body["page"], body["per_page"], body["pages"]) == (5, page, 2, 3)
        assert len(body["results"]) == size
        seen.extend(item["title"] for item in body["results"])
    assert seen == titles[::-1]  # most recently updated first, each exactly once

    _, beyond = get_json(client, LIST, page=4, per_page=2)
    assert beyond["results"] == [] and beyond["total"] == 5
    _, default = get_json(client, LIST)
    assert (default["page"], default["per_page"], default["pages"]) == (1, 20, 1)
    assert len(default["results"]) == 5


def test_paging_applies_after_filtering(client, catalogue):
    _, body = get_json(client, LIST, cluster="paisley-north", per_page=1, page=2)
    assert body["total"] == 2 and body["pages"] == 2
    assert len(body["results"]) == 1
    assert body["results"][0]["cluster"]["slug"] == "paisley-north"


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"page": "0"}, "page"),
        ({"page": "-3"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "ten"}, "per_page"),
        ({"status": "nope"}, "status"),
        ({"status": "ACTIVE"}, "status"),
        ({"role": "x"}, "role"),
        ({"tag": "t" * 300}, "tag"),
        ({"board": "b" * 300}, "board"),
        ({"hscp": "h" * 300}, "hscp"),
        ({"cluster": "c" * 300}, "cluster"),
        ({"tag": "a\x00b"}, "tag"),
        ({"cluster": "\x00"}, "cluster"),
    ],
    ids=lambda value: "-".join(f"{k}={v[:12]!r}" for k, v in value.items())
    if isinstance(value, dict) else value,
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, catalogue, params, parameter):
    status, body = get_json(client, LIST, **params)
    assert status == 400
    assert body["error"]["status"] == 400
    assert list(body["error"]["fields"]) == [parameter]
    assert body["error"]["fields"][parameter]
    assert parameter in body["error"]["message"]
    assert "results" not in body


def test_every_bad_parameter_is_named_at_once(client, catalogue):
    status, body = get_json(
        client, LIST, page="0", per_page="1000", status="nope", role="x", tag="t" * 300
    )
    assert status == 400
    assert set(body["error"]["fields"]) == {"page", "per_page", "status", "role", "tag"}


# --- One write-up: the whole contract ---------------------------------------------------------
ORIGINAL = dict(
    title="Safer valproate prescribing",
    summary="Every woman on valproate counselled and signed up.",
)
FULL = dict(
    title="Valproate: the Leith version",
    cluster="leith-portobello",
    status="completed",
    role="both",
    visibility="public",
    started=date(2023, 2, 1),
    finished=date(2023, 10, 31),
    tags=["Women's health", "Valproate"],
    authors=["Dr A. Example", "B. Example (practice pharmacist)"],
    summary="We adapted Paisley North's search and letters.",
    adapted_from="safer-valproate-prescribing",
    measures=[
        Measure(
            name="Signed risk forms", type="process", definition="Women 12-55 on valproate",
            unit="percent", goal=100,
            data=[
                {"date": "2023-02-01", "numerator": 9, "denominator": 22},
                {"date": "2023-03-01", "numerator": 12, "denominator": 22},
            ],
        ),
        Measure(name="Pharmacist hours", type="balancing", data=[{"date": "2023-03-01", "value": 6.5}]),
    ],
    intro="Adapted from *Paisley North*.",
    sections=[
        Section(heading="Aim", body="By October, **every** woman.", key="aim"),
        Section(heading="Results", body="<script>alert(1)</script>See [the chart](https://example.org/c).",
                key="results"),
        Section(heading="Patient voice", body="| Said | Times |\n|---|---|\n| yes | 3 |"),
    ],
)


@pytest.fixture
def lineage(make_project, org):
    original = make_project(**ORIGINAL)
    full = make_project(**FULL)
    return original, full


def test_detail_gives_every_field_of_the_contract(client, lineage):
    status, body = get_json(client, f"{LIST}/valproate-the-leith-version")
    assert status == 200
    expected = {
        "title": "Valproate: the Leith version",
        "slug": "valproate-the-leith-version",
        "cluster": {"slug": "leith-portobello", "name": "Leith & Portobello"},
        "hscp": {"slug": "edinburgh", "name": "Edinburgh"},
        "board": {"slug": "nhs-lothian", "name": "NHS Lothian"},
        "status": "completed",
        "role": "both",
        "started": "2023-02-01",
        "finished": "2023-10-31",
        "authors": ["Dr A. Example", "B. Example (practice pharmacist)"],
        "summary": "We adapted Paisley North's search and letters.",
        "visibility": "public",
        "published": True,
        "revision": 1,
    }
    assert {key: body[key] for key in expected} == expected
    assert sorted(body["tags"]) == ["Valproate", "Women's health"]
    assert body["adapted_from"]["slug"] == "safer-valproate-prescribing"
    assert body["adapted_from"]["title"] == "Safer valproate prescribing"
    assert body["measures"] == [
        {
            "name": "Signed risk forms", "type": "process", "definition": "Women 12-55 on valproate",
            "unit": "percent", "goal": 100,
            "data": [
                {"date": "2023-02-01", "numerator": 9, "denominator": 22},
                {"date": "2023-03-01", "numerator": 12, "denominator": 22},
            ],
        },
        {
            "name": "Pharmacist hours", "type": "balancing", "definition": None, "unit": None,
            "goal": None, "data": [{"date": "2023-03-01", "value": 6.5}],
        },
    ]


def test_sections_come_as_markdown_and_sanitised_html(client, lineage):
    _, body = get_json(client, f"{LIST}/valproate-the-leith-version")
    assert body["intro"] == {
        "markdown": "Adapted from *Paisley North*.",
        "html": "<p>Adapted from <em>Paisley North</em>.</p>",
    }
    aim, results, extra = body["sections"]
    assert (aim["key"], aim["heading"]) == ("aim", "Aim")
    assert aim["markdown"] == "By October, **every** woman."
    assert "<strong>every</strong>" in aim["html"]
    assert results["markdown"].startswith("<script>")  # the author's text, kept as typed
    assert "<script" not in results["html"] and "alert(1)" not in results["html"]
    assert 'href="https://example.org/c"' in results["html"]
    assert 'rel="nofollow noopener"' in results["html"]
    assert (extra["key"], extra["heading"]) == (None, "Patient voice")
    assert "<table>" in extra["html"] and "<td>yes</td>" in extra["html"]


def test_lineage_is_given_both_ways(client, lineage, make_project):
    make_project(title="Valproate in Paisley, second cycle", adapted_from="safer-valproate-prescribing")
    make_project(title="A hidden adaptation", adapted_from="safer-valproate-prescribing",
                 visibility="cluster")
    _, original = get_json(client, f"{LIST}/safer-valproate-prescribing")
    assert original["adapted_from"] is None
    assert sorted(link["slug"] for link in original["adapted_by"]) == [
        "valproate-in-paisley-second-cycle", "valproate-the-leith-version",
    ]  # the cluster-only adaptation is not revealed to an anonymous reader
    for link in original["adapted_by"]:
        assert link["url"] == f"http://commons.test/projects/{link['slug']}"
    _, adapted = get_json(client, f"{LIST}/valproate-the-leith-version")
    assert adapted["adapted_by"] == []


def test_revision_number_and_timestamps_follow_saves(client, lineage):
    _, first = get_json(client, f"{LIST}/safer-valproate-prescribing")
    revise("safer-valproate-prescribing", tags=["Valproate", "Audit"])
    _, second = get_json(client, f"{LIST}/safer-valproate-prescribing")
    assert (first["revision"], second["revision"]) == (1, 2)
    assert "Audit" in second["tags"]
    stamps = {key: datetime.fromisoformat(second[key])
              for key in ("created_at", "published_at", "revised_at", "updated_at")}
    assert all(stamp.utcoffset() is not None for stamp in stamps.values())
    assert stamps["created_at"] <= stamps["published_at"] < stamps["revised_at"]
    assert stamps["revised_at"] == stamps["updated_at"]
    assert second["created_at"] == first["created_at"]
    assert second["published_at"] == first["published_at"]


def test_a_draft_has_no_publication_time(client, make_project, make_user, sign_in, org):
    make_project(publish=False)
    sign_in(make_user("coordinator"))
    _, body = get_json(client, f"{LIST}/safer-valproate-prescribing")
    assert body["published"] is False and body["published_at"] is None


def test_summary_falls_back_to_the_aim(client, lineage):
    _, body = get_json(client, f"{LIST}/safer-valproate-prescribing")
    assert body["summary"] == "Every woman on valproate counselled and signed up."
    revise("safer-valproate-prescribing", summary=None)
    _, body = get_json(client, f"{LIST}/safer-valproate-prescribing")
    assert body["summary"] == "Every woman on valproate has a signed form."
    assert body["summary_given"] is None


@pytest.mark.parametrize("slug", ["no-such-project", "safer-valproate-prescribing-draft"])
def test_unknown_or_unreadable_slug_is_a_404_json_error(client, make_project, org, slug):
    make_project(title="Safer valproate prescribing draft", publish=False)
    status, body = get_json(client, f"{LIST}/{slug}")
    assert status == 404
    assert body["error"]["status"] == 404
    assert slug in body["error"]["message"]


def test_unknown_api_paths_answer_in_json(client):
    status, body = get_json(client, "/api/v1/nothing-here")
    assert status == 404 and body["error"]["status"] == 404


# --- Hostile input ----------------------------------------------------------------------------
@pytest.mark.parametrize("parameter", PARAMETERS)
def test_hostile_strings_in_any_parameter_never_break_the_list(client, catalogue, parameter):
    outcomes = {}
    for text in HOSTILE:
        status, body = get_json(client, LIST, **{parameter: text})
        assert status in (200, 400), (parameter, text, status)
        if status == 400:
            assert list(body["error"]["fields"]) == [parameter], text
        else:
            assert len(body["results"]) <= body["total"] <= len(CATALOGUE)
        outcomes[status] = outcomes.get(status, 0) + 1
    assert outcomes  # at least one request made; the loop did run


def test_hostile_strings_as_a_slug_are_404_json(client, catalogue):
    for text in HOSTILE:
        response = client.get(f"{LIST}/{quote(text, safe='')}")
        assert response.status_code == 404, (text, response.status_code)
        assert response.get_json()["error"]["status"] == 404, text
