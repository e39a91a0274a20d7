"""The national overview and the HSCP activity tracker: every figure checked against counts
worked out here in plain Python over the fixtures, for each audience; the charts, the CSV
downloads, the API, and what the public version must not reveal."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from registry.extensions import db
from registry.organisations import services as organisations
from registry.projects.models import Project
from registry.timeutil import utcnow
from registry.tools import services as tools
from registry.tools.rules import KINDS, ToolDetails
from tests.showcase_fixtures import project

REFERENCE = Path(__file__).resolve().parent.parent / "content" / "reference" / "organisations.csv"
SVG = "{http://www.w3.org/2000/svg}"

CLUSTERS = {  # slug: (name, HSCP, board)
    "paisley-north": ("Paisley North", "Renfrewshire", "NHS Greater Glasgow & Clyde"),
    "leith-portobello": ("Leith & Portobello", "Edinburgh", "NHS Lothian"),
    "renfrew-town": ("Renfrew Town", "Renfrewshire", "NHS Greater Glasgow & Clyde"),
    "kirkcaldy": ("Kirkcaldy", "Fife", "NHS Fife"),
    "quiet-glen": ("Quiet Glen", "Highland", "NHS Highland"),
    "old-town": ("Old Town", "Dundee", "NHS Tayside"),
    "hidden-hollow": ("Hidden Hollow", "Angus", "NHS Tayside"),
}
# title, cluster, visibility, published, status, role, tags, started, adapted from, days ago
WRITEUPS = [
    ("Valproate safety", "paisley-north", "public", True, "active", "intrinsic",
     ["Valproate", "Safer prescribing"], date(2023, 4, 1), None, None),
    ("Valproate recall", "leith-portobello", "public", True, "completed", "extrinsic",
     ["Valproate"], date(2024, 1, 10), "valproate-safety", None),
    ("Valproate network copy", "renfrew-town", "network", True, "idea", "both",
     ["Valproate", "Pharmacy"], date(2024, 5, 1), "valproate-safety", None),
    ("Valproate draft copy", "kirkcaldy", "public", False, "active", "intrinsic",
     ["Valproate"], date(2024, 6, 1), "valproate-safety", None),
    ("Frailty huddles", "leith-portobello", "network", True, "paused", "intrinsic",
     ["Frailty"], None, None, None),
    ("Secret audit", "hidden-hollow", "cluster", True, "completed", "intrinsic",
     ["Secret tag"], date(2022, 2, 2), None, None),
    ("Secret reuse", "kirkcaldy", "public", True, "stopped", "extrinsic",
     ["Audit"], date(2022, 9, 9), "secret-audit", None),
    ("Old audit", "old-town", "public", True, "completed", "intrinsic",
     ["Audit"], date(2019, 3, 3), None, 400),
    ("Old network", "old-town", "network", True, "active", "both",
     ["Audit", "Frailty"], date(2019, 5, 5), None, 500),
    ("Paisley cluster only", "paisley-north", "cluster", True, "active", "intrinsic",
     ["Pharmacy"], date(2025, 1, 1), None, None),
    ("Paisley draft", "paisley-north", "public", False, "idea", "intrinsic",
     ["Valproate"], None, None, None),
    ("Formula tag", "renfrew-town", "public", True, "active", "intrinsic",
     ["=SUM(1+1)"], date(2025, 2, 2), None, None),
]
# Tools: (title, write-up, kind); a reuse link copies a tool into an adaptation.
TOOLS = [
    ("Valproate search", "Valproate safety", "audit-search"),
    ("Valproate letter", "Valproate safety", "letter"),
    ("Secret protocol", "Secret audit", "protocol"),
    ("Draft slides", "Paisley draft", "slides"),
    ("Network sheet", "Frailty huddles", "spreadsheet"),
]
TOOL_LINKS = [("Valproate safety", "Valproate recall"), ("Valproate safety", "Valproate draft copy"),
              ("Secret audit", "Secret reuse")]  # (original, adaptation): every tool carried
AUDIENCES = ("public", "network", "national")
ROLE_FOR = {"network": ("member", ("paisley-north",)), "national": ("coordinator", ())}


def slug(title: str) -> str:
    return title.lower().replace(" ", "-")


def counted(audience: str) -> list[tuple]:
    """Which fixtures each audience's figures count, by the documented rule."""
    def included(w) -> bool:
        _, cluster, visibility, published = w[:4]
        if not published:
            return False
        if audience == "public":
            return visibility == "public"
        if audience == "network":
            return visibility in ("public", "network") or cluster == "paisley-north"
        return True

    return [w for w in WRITEUPS if included(w)]


def reference_organisations() -> list[dict]:
    with REFERENCE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def expected_tables(audience: str) -> dict[str, dict]:
    """Table key -> {row label(s): count}, worked out without the app."""
    rows = counted(audience)
    ids = {slug(w[0]) for w in rows}
    boards = {org["board"]: 0 for org in reference_organisations()}
    hscps = {(org["hscp"], org["board"]): 0 for org in reference_organisations()}
    for w in rows:
        _, hscp, board = CLUSTERS[w[1]]
        boards[board] += 1
        hscps[(hscp, board)] += 1
    years = Counter(str(w[7].year) if w[7] else "Not given" for w in rows)
    reuse = Counter(
        (next(o[0] for o in WRITEUPS if slug(o[0]) == w[8]), CLUSTERS[
            next(o[1] for o in WRITEUPS if slug(o[0]) == w[8])][0])
        for w in rows if w[8] in ids
    )
    kinds = Counter(kind for _, writeup, kind in TOOLS if slug(writeup) in ids)
    statuses = Counter(w[4] for w in rows)
    roles = Counter(w[5] for w in rows)
    return {
        "boards": {(board,): n for board, n in boards.items()},
        "hscps": {key: n for key, n in hscps.items()},
        "clusters": dict(Counter((CLUSTERS[w[1]][0], CLUSTERS[w[1]][1]) for w in rows)),
        "statuses": {(s.capitalize(),): statuses[s]
                     for s in ("idea", "active", "completed", "paused", "stopped")},
        "roles": {(r.capitalize(),): roles[r] for r in ("intrinsic", "extrinsic", "both")},
        "tags": {(tag,): n for tag, n in Counter(t for w in rows for t in w[6]).items()},
        "years": {(year,): n for year, n in years.items()},
        "reuse": dict(reuse),
        "tools": {(label,): kinds[kind] for kind, label in KINDS.items()},
    }


def expected_tools_reused(audience: str) -> int:
    ids = {slug(w[0]) for w in counted(audience)}
    return sum(
        1 for original, copy in TOOL_LINKS if slug(original) in ids and slug(copy) in ids
        for _, writeup, _ in TOOLS if writeup == original
    )


def as_counts(rows: list[list]) -> dict[tuple, int]:
    return {tuple(row[:-1]): row[-1] for row in rows}


@pytest.fixture
def country(app, org, make_project, make_user):
    for slug_, (name, hscp, _) in CLUSTERS.items():
        if slug_ not in ("paisley-north", "leith-portobello"):
            organisations.create_cluster(name, hscp)
    for title, cluster, visibility, published, status, role, tags, started, adapted, _ in WRITEUPS:
        make_project(title=title, cluster=cluster, visibility=visibility, publish=published,
                     status=status, role=role, tags=tags, started=started, adapted_from=adapted)
    admin = make_user("admin")
    for title, writeup, kind in TOOLS:
        tools.add_tool(admin, slug(writeup), ToolDetails(title, kind),
                       tools.Upload(f"{slug(title)}.txt", f"{title}: fictional".encode()))
    for original, copy in TOOL_LINKS:
        tools.link_tools(admin, project(slug(original)), project(slug(copy)))
    published_at = {}
    for w in WRITEUPS:
        if w[9]:
            published_at[slug(w[0])] = utcnow() - timedelta(days=w[9])
            db.session.execute(update(Project).where(Project.slug == slug(w[0]))
                               .values(published_at=published_at[slug(w[0])]))
    db.session.commit()
    return published_at


@pytest.fixture
def as_audience(make_user, sign_in):
    def do(audience: str) -> None:
        if audience != "public":
            role, clusters = ROLE_FOR[audience]
            assert sign_in(make_user(role, clusters)).status_code == 302

    return do


# --- Figures ---------------------------------------------------------------------------------
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_figure_matches_counts_worked_out_independently(
    client, country, as_audience, audience
):
    as_audience(audience)
    body = client.get("/api/v1/overview").get_json()
    expected = expected_tables(audience)
    rows = counted(audience)

    assert body["audience"] == audience
    assert body["headlines"] == {
        "writeups": len(rows),
        "clusters": len({w[1] for w in rows}),
        "adaptations": sum(expected["reuse"].values()),
        "tools": sum(expected["tools"].values()),
        "tools_reused": expected_tools_reused(audience),
    }
    for key, want in expected.items():
        table = body["tables"][key]
        assert as_counts(table["rows"]) == want, key
        counts = [row[-1] for row in table["rows"]]
        if key not in ("statuses", "roles", "years", "tools"):  # these keep their own order
            assert counts == sorted(counts, reverse=True), key
    years = [row[0] for row in body["tables"]["years"]["rows"]]
    assert years == sorted(y for y in years if y != "Not given") + (
        ["Not given"] if "Not given" in years else [])
    assert ("quiet-clusters" in body["tables"]) == (audience == "national")


def test_the_audiences_really_differ():
    """Guard: the fixtures make each audience's figures different, so the rule is exercised."""
    totals = [len(counted(audience)) for audience in AUDIENCES]
    assert totals == sorted(set(totals))


def test_quiet_clusters_for_coordinators(client, country, make_user, sign_in):
    sign_in(make_user("admin"))
    table = client.get("/api/v1/overview").get_json()["tables"]["quiet-clusters"]
    cutoff = utcnow() - timedelta(days=365)
    expected = []
    for cluster_slug, (name, hscp, board) in CLUSTERS.items():
        latest = max(
            (country.get(slug(w[0]), utcnow()) for w in WRITEUPS if w[1] == cluster_slug and w[3]),
            default=None,
        )
        if latest is None or latest < cutoff:
            expected.append([name, hscp, board, latest.date().isoformat() if latest else None])
    assert sorted(table["rows"], key=str) == sorted(expected, key=str)
    assert {row[0] for row in table["rows"]} == {"Quiet Glen", "Old Town"}

    html = client.get("/overview").get_data(as_text=True)
    section = re.search(r'<section class="cc-section" id="table-quiet-clusters".*?</section>',
                        html, re.S).group(0)
    assert "<th scope=\"row\">Quiet Glen</th><td>Highland</td><td>NHS Highland</td><td>Never</td>" \
        in section
    old = country["old-audit"].strftime("%d %B %Y")
    assert f"<th scope=\"row\">Old Town</th><td>Dundee</td><td>NHS Tayside</td><td>{old}</td>" \
        in section


@pytest.mark.parametrize("audience", ["public", "network"])
def test_only_aggregates_for_others_and_nothing_they_may_not_see(
    client, country, as_audience, audience
):
    as_audience(audience)
    html = client.get("/overview").get_data(as_text=True)
    assert "quiet-clusters" not in html
    assert "Quiet Glen" not in html
    assert client.get("/overview/quiet-clusters.csv").status_code == 404
    # Cluster-only work from a cluster the viewer is not in leaves no trace.
    for secret in ("Hidden Hollow", "Secret audit", "Secret tag"):
        assert secret not in html
    if audience == "public":
        for network_only_tag in ("Frailty", "Pharmacy"):
            assert network_only_tag not in html


# --- The page: charts and tables -------------------------------------------------------------
def contrast(foreground: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_each_table_has_an_accessible_chart_a_data_table_and_a_csv_link(
    client, country, make_user, sign_in
):
    sign_in(make_user("coordinator"))
    html = client.get("/overview").get_data(as_text=True)
    tables = client.get("/api/v1/overview").get_json()["tables"]
    for key, table in tables.items():
        section = re.search(rf'<section class="cc-section" id="table-{key}".*?</section>',
                            html, re.S).group(0)
        assert f'href="/overview/{key}.csv"' in section
        for row in table["rows"]:
            assert f'<th scope="row">{row[0]}</th>'.replace("&", "&amp;") in section, (key, row)
        svg_source = re.search(r"<svg.*?</svg>", section, re.S)
        if key == "quiet-clusters" or not table["rows"]:
            assert svg_source is None
            continue
        svg = ET.fromstring(svg_source.group(0).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text == table["title"]
        shown = table["rows"][:15]
        assert len(svg.findall(f"{SVG}rect")) == len(shown)
        texts = [t.text for t in svg.findall(f"{SVG}text")]
        for row in shown:
            assert f"{row[0]}: {row[-1]}" in desc.text
            assert str(row[-1]) in texts
            assert any(row[0].startswith(t.rstrip("…")) for t in texts[::2]), row
        for element in svg.iter():
            if element.get("fill"):
                need = 4.5 if element.tag == f"{SVG}text" else 3
                assert contrast(element.get("fill")) >= need, element.get("fill")
        widths = [float(rect.get("width")) for rect in svg.findall(f"{SVG}rect")]
        largest = max(row[-1] for row in shown)
        for width, row in zip(widths, shown):
            assert width == pytest.approx(380 * row[-1] / largest if largest else 0, abs=0.1)


def test_long_tables_chart_the_first_fifteen(client, org, make_project):
    tags = [f"Tag {letter}" for letter in "ABCDEFGHIJKLMNOPQRST"]
    make_project(title="Many tags", tags=tags)
    make_project(title="Some tags", tags=tags[:5])
    table = client.get("/api/v1/overview").get_json()["tables"]["tags"]
    assert len(table["rows"]) == 15
    assert {row[0] for row in table["rows"][:5]} == set(tags[:5])
    assert all(row[1] == 2 for row in table["rows"][:5])
    assert all(row[1] == 1 and row[0] in tags[5:] for row in table["rows"][5:])


# --- CSV downloads ---------------------------------------------------------------------------
def read_csv(response) -> list[list[str]]:
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    raw = response.get_data(as_text=True)
    assert raw.startswith("\ufeff")
    return list(csv.reader(io.StringIO(raw[1:])))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_table_downloads_as_csv_with_the_same_contents(
    client, country, as_audience, audience
):
    as_audience(audience)
    tables = client.get("/api/v1/overview").get_json()["tables"]
    for key, table in tables.items():
        found = read_csv(client.get(f"/overview/{key}.csv"))
        assert found[0] == table["columns"], key
        expected = [["" if v is None else str(v) for v in row] for row in table["rows"]]
        expected = [[("'" + v if v.startswith("=") else v) for v in row] for row in expected]
        assert found[1:] == expected, key


def test_csv_cells_cannot_become_spreadsheet_formulas(client, country):
    found = read_csv(client.get("/overview/tags.csv"))
    assert ["'=SUM(1+1)", "1"] in found
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in found for cell in row)


@pytest.mark.parametrize("key", ["nope", "quiet-clusters", "boards.csv", "BOARDS"])
def test_unknown_tables_are_not_found(client, org, key):
    assert client.get(f"/overview/{key}.csv").status_code == 404


# --- The HSCP activity tracker ---------------------------------------------------------------
def tracker_sections(html: str) -> dict[str, list[str]]:
    """Cluster slug -> the write-ups listed under its heading, in order."""
    return {
        match.group(1): re.findall(r'<th scope="row"><a href="/projects/([a-z0-9-]+)"',
                                   match.group(2))
        for match in re.finditer(r'<h2 id="cluster-([a-z-]+)">(.*?)(?=<h2 id="cluster-|</main>)',
                                 html, re.S)
    }


def expected_tracker(audience: str) -> dict[str, list[str]]:
    def readable(w) -> bool:
        cluster, visibility, published = w[1], w[2], w[3]
        if audience == "network" and cluster == "paisley-north":
            return True  # their own cluster's work, drafts included
        return published and (visibility == "public" or (
            audience == "network" and visibility == "network"))

    def last_update(w) -> tuple[int, int]:
        """Created in WRITEUPS order, then updated again by each tool added, in TOOLS order."""
        tooled = [number for number, tool in enumerate(TOOLS) if tool[1] == w[0]]
        return (max(tooled) + 1 if tooled else 0, WRITEUPS.index(w))

    return {
        cluster: [slug(w[0]) for w in sorted(WRITEUPS, key=last_update, reverse=True)
                  if w[1] == cluster and w[4] in ("idea", "active", "paused") and readable(w)]
        for cluster in ("paisley-north", "renfrew-town")
    }


@pytest.mark.parametrize("audience", ["public", "network"])
def test_tracker_lists_current_work_each_viewer_may_see(client, country, as_audience, audience):
    as_audience(audience)
    response = client.get("/hscp/renfrewshire/tracker")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert tracker_sections(html) == expected_tracker(audience)
    assert ('<span class="ds_tag ds_tag--grey">Draft</span>' in html) == (audience == "network")

    rows = read_csv(client.get("/hscp/renfrewshire/tracker.csv"))
    assert rows[0] == ["Cluster", "Write-up", "Status", "Published", "Last updated", "Address"]
    by_cluster = {}
    for row in rows[1:]:
        by_cluster.setdefault(row[0], []).extend(
            [row[5].rsplit("/", 1)[-1]] if row[1] else [])
    expected = expected_tracker(audience)
    assert by_cluster == {"Paisley North": expected["paisley-north"],
                          "Renfrew Town": expected["renfrew-town"]}
    for row in rows[1:]:
        if row[1]:
            w = next(w for w in WRITEUPS if w[0] == row[1])
            assert row[2] == w[4].capitalize()
            assert row[3] == ("Yes" if w[3] else "No (draft)")
            assert row[4] == utcnow().date().isoformat()
            assert row[5] == f"http://commons.test/projects/{slug(w[0])}"


def test_tracker_keeps_clusters_with_no_current_work(client, country):
    html = client.get("/hscp/highland/tracker").get_data(as_text=True)
    assert "Quiet Glen" in html and "No current write-ups you can see." in html
    rows = read_csv(client.get("/hscp/highland/tracker.csv"))
    assert rows[1:] == [["Quiet Glen", "", "", "", "", ""]]


@pytest.mark.parametrize("url", ["/hscp/no-such-hscp/tracker", "/hscp/no-such-hscp/tracker.csv",
                                 "/hscp/%00/tracker"])
def test_tracker_of_an_unknown_hscp_is_not_found(client, org, url):
    assert client.get(url).status_code == 404
