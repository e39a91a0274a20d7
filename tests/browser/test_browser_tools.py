"""Tools in the browser: a lead attaches an audit search, a reader finds the write-up by words
that appear only inside the file, the lead reuses the project into another cluster, and the
lineage shows both ways. axe-core scans the tool library, the upload form and the reuse page."""

import re

import pytest
from playwright.sync_api import expect

from registry.extensions import db
from registry.search import services as search
from tests.browser.helpers import ADAPTATION, ORIGINAL, AxeReport, sign_in
from tests.tool_fixtures import AUDIT_SEARCH_CSV

pytestmark = pytest.mark.browser

TOOL = "Valproate audit search"
COPY = f"{ORIGINAL}-renfrew-town"


@pytest.fixture
def indexed(live_server):
    with live_server.app.app_context():
        search.rebuild()
        db.session.remove()
    return live_server


def csv_file(content: bytes, name: str = "valproate-search.csv") -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": content}


def test_attach_find_by_its_text_reuse_and_see_the_lineage(page, indexed):
    axe = AxeReport(page)
    sign_in(page)
    page.goto(f"/projects/{ORIGINAL}")
    tools = page.get_by_role("region", name="Tools to reuse")
    expect(tools).to_contain_text("No files are attached to this write-up yet.")
    tools.get_by_role("link", name="Attach a tool").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attach a tool")
    axe.scan("upload form, empty")

    # A first try with an empty file: the error is beside the field, and nothing typed is lost.
    page.get_by_label("Title", exact=True).fill(TOOL)
    page.locator("label", has_text=re.compile("^Audit search$")).click()
    page.get_by_label("Description", exact=True).fill("Finds women 12–55 on valproate.")
    page.locator("label", has_text=re.compile("^EMIS$")).click()
    page.get_by_label("File", exact=True).set_input_files(csv_file(b"", "empty.csv"))
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Attach tool").click()
    assert answer.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("“empty.csv” is empty")
    file_input = page.get_by_label("File", exact=True)
    expect(file_input).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#file-error")).to_contain_text("Choose the file again")
    expect(page.get_by_label("Title", exact=True)).to_have_value(TOOL)
    expect(page.get_by_label("Description", exact=True)).to_have_value(
        "Finds women 12–55 on valproate.")
    expect(page.get_by_role("radio", name="Audit search")).to_be_checked()
    expect(page.get_by_role("radio", name="EMIS")).to_be_checked()
    axe.scan("upload form with an error")

    file_input.set_input_files(csv_file(AUDIT_SEARCH_CSV))
    page.get_by_role("button", name="Attach tool").click()
    expect(page).to_have_url(re.compile(rf"/projects/{ORIGINAL}#tools-title$"))
    expect(page.get_by_role("status")).to_have_text("Tool attached.")
    tools = page.get_by_role("region", name="Tools to reuse")
    expect(tools.get_by_role("link", name=TOOL, exact=True)).to_be_visible()
    expect(tools).to_contain_text("CSV")
    axe.scan("write-up with a tool")

    # The write-up never says "EMIS" or "VALP-PPP": only its tool does.
    page.goto("/search?q=VALP-PPP")
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    page.goto("/search?q=valproate+search+EMIS")
    expect(page.locator(".cc-results").get_by_role("link").first).to_have_text(
        "Safer valproate prescribing")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Tools").click()
    expect(page.get_by_role("heading", name="1 tool", exact=True)).to_be_visible()
    page.get_by_label("Words in the tool").fill("valp-ppp")
    page.get_by_label("Kind of tool").select_option(label="Audit search")
    page.get_by_role("button", name="Find tools").click()
    expect(page.get_by_role("link", name=TOOL, exact=True)).to_be_visible()
    axe.scan("tool library, filtered")
    with page.expect_download() as downloading:
        page.get_by_role("link", name=TOOL, exact=True).click()
    assert downloading.value.suggested_filename == "valproate-search.csv"

    # Reuse into the lead's other cluster; Paisley North owns the original already.
    page.goto(f"/projects/{ORIGINAL}")
    page.get_by_role("link", name="Reuse this project").click()
    expect(page.get_by_text("The copy will belong to Renfrew Town.")).to_be_visible()
    axe.scan("reuse this project")
    page.get_by_role("button", name="Make a draft copy").click()
    expect(page).to_have_url(re.compile(rf"/projects/{COPY}/edit$"))
    expect(page.get_by_role("status")).to_contain_text("Renfrew Town’s own copy")
    expect(page.get_by_label("Adapted from")).to_have_value(ORIGINAL)
    expect(page.get_by_label("Cluster", exact=True)).to_have_value("renfrew-town")
    page.get_by_label("Title", exact=True).fill("Valproate prescribing in Renfrew")
    page.get_by_role("button", name="Save draft").click()

    lineage = page.get_by_role("region", name="Lineage")
    expect(lineage).to_contain_text("Adapted from Safer valproate prescribing (Paisley North).")
    linked = page.get_by_role("region", name="Tools to reuse")
    expect(linked).to_contain_text("Linked from Safer valproate prescribing")

    page.goto(f"/projects/{ORIGINAL}")
    lineage = page.get_by_role("region", name="Lineage")
    expect(lineage).to_contain_text("Reused by 2 clusters")
    expect(lineage.get_by_role("link", name="Valproate prescribing in Renfrew")).to_be_visible()
    expect(lineage.get_by_role("link", name="Valproate recall with community pharmacy")) \
        .to_have_attribute("href", f"/projects/{ADAPTATION}")
    axe.scan("write-up reused by two clusters")

    page.goto("/tools")
    expect(page.get_by_role("region", name="Most reused")).to_contain_text(TOOL)
    expect(page.get_by_role("region", name="Most downloaded")).to_contain_text("1 download")
    axe.scan("tool library with most downloaded and most reused")

    axe.assert_clean()
