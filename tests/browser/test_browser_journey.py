"""A Cluster Quality Lead writes up a project in the browser; readers find it; visibility holds."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    LEAD_EMAIL,
    NETWORK_ONLY,
    ORIGINAL,
    SEEDED_PROJECTS,
    project_count,
    sign_in,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Home visit triage by the practice team"
SLUG = "home-visit-triage-by-the-practice-team"
CHANGES = (
    "We tested two changes in PDSA cycles:\n\n"
    "- Triage by an advanced nurse practitioner\n"
    "- A shared visit list for the whole team\n\n"
    "See [the protocol](https://example.org/protocol)."
)
DATA = "2025-01-06, 52\n2025-01-13, 47\n2025-01-20, 41"


def test_lead_writes_previews_publishes_and_readers_find_it(page, live_server):
    sign_in(page)

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Write up a project"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write up a project")
    # A lead of two clusters must choose; nothing is picked for them.
    expect(page.get_by_label("Cluster", exact=True)).to_have_value("")

    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary", exact=True).fill("Urgent home visits triaged by the wider team.")
    page.get_by_label("Cluster", exact=True).select_option(label="Paisley North")
    # Design-system radios: the styled label covers the input, so click it as a person would.
    page.locator("label", has_text=re.compile("^Public")).click()
    expect(page.get_by_role("radio", name=re.compile("^Public"))).to_be_checked()
    page.get_by_label("Tags", exact=True).fill("Home visits, Triage")
    page.get_by_label("Aim", exact=True).fill("Cut **urgent** home visits by 20% by June 2025.")
    page.get_by_label("Changes", exact=True).fill(CHANGES)
    page.get_by_label("Measure name").fill("Home visits per week")
    page.get_by_label("Type", exact=True).select_option(label="Outcome")
    page.get_by_label("Unit", exact=True).fill("visits")
    page.get_by_label("Goal", exact=True).fill("40")
    page.get_by_label("Data points").fill(DATA)

    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview (not saved yet)")
    expect(preview).to_be_visible()
    expect(preview.get_by_role("heading", name="Changes")).to_be_visible()
    items = preview.get_by_role("listitem")
    expect(items).to_have_text(
        ["Triage by an advanced nurse practitioner", "A shared visit list for the whole team"]
    )
    expect(preview.locator("strong", has_text="urgent")).to_be_visible()
    link = preview.get_by_role("link", name="the protocol")
    expect(link).to_have_attribute("href", "https://example.org/protocol")
    expect(link).to_have_attribute("rel", re.compile(r"\bnofollow\b"))
    expect(preview).not_to_contain_text("**")
    # Previewing saves nothing and keeps everything typed.
    assert project_count(live_server) == SEEDED_PROJECTS
    expect(page.get_by_label("Title", exact=True)).to_have_value(TITLE)
    expect(page.get_by_label("Changes", exact=True)).to_have_value(CHANGES)
    expect(page.get_by_label("Data points")).to_have_value(DATA)
    expect(page.get_by_label("Cluster", exact=True)).to_have_value("paisley-north")
    expect(page.get_by_role("radio", name=re.compile("^Public"))).to_be_checked()

    page.get_by_role("button", name="Save and publish").click()
    expect(page).to_have_url(f"{live_server.url}/projects/{SLUG}")
    expect(page.get_by_role("status")).to_have_text("Saved and published.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    changes = page.get_by_role("region", name="Changes")
    expect(changes.get_by_role("listitem").first).to_have_text(
        "Triage by an advanced nurse practitioner"
    )
    measures = page.get_by_role("table", name="Measures")
    expect(measures.get_by_role("row", name=re.compile("Home visits per week"))).to_contain_text(
        "41 (2025-01-20; 3 points)"
    )
    tags = page.get_by_role("list", name="Tags")
    expect(tags.get_by_role("link")).to_have_text(["Home visits", "Triage"])
    expect(page.get_by_text("Everyone", exact=True)).to_be_visible()

    # The lead finds it in the list, where network-only work is visible to them too.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    expect(page.get_by_role("heading", name="4 projects")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_role("link", name="Frailty huddles with district nursing")).to_be_visible()

    # …and through the tag filter, which leaves the other projects out.
    page.get_by_label("Tag", exact=True).select_option(label="Home visits")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]tag=home(\+|%20)visits(&|$)"))
    expect(page.get_by_role("heading", name="1 project", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_role("link", name="Safer valproate prescribing")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You have signed out on every device.")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")) \
        .to_be_visible()

    # Anonymous: public work is listed and readable, network-only work does not exist.
    page.goto("/projects")
    expect(page.get_by_role("heading", name="3 projects")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_role("link", name="Safer valproate prescribing")).to_be_visible()
    expect(page.get_by_role("link", name="Frailty huddles with district nursing")).to_have_count(0)
    expect(page.get_by_label("Tag", exact=True).locator("option", has_text="Frailty")) \
        .to_have_count(0)

    response = page.goto(f"/projects/{NETWORK_ONLY}")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not Found")
    expect(page.locator("main")).not_to_contain_text("Frailty huddles")

    for slug, title in ((ORIGINAL, "Safer valproate prescribing"), (SLUG, TITLE)):
        response = page.goto(f"/projects/{slug}")
        assert response.status == 200
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)


def test_signed_in_reader_sees_network_project_that_anonymous_cannot(page, live_server):
    """The other half of the visibility check: the 404 above is about who asks."""
    response = page.goto(f"/projects/{NETWORK_ONLY}")
    assert response.status == 404
    invitation = page.get_by_role("main").get_by_role("link", name="sign in")
    expect(invitation).to_be_visible()

    invitation.click()
    page.get_by_label("Email address").fill(LEAD_EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Back where they were going, now allowed to read it.
    expect(page).to_have_url(f"{live_server.url}/projects/{NETWORK_ONLY}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Frailty huddles with district nursing"
    )
    expect(page.get_by_text("Signed-in users", exact=True)).to_be_visible()
