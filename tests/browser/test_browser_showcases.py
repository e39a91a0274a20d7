"""A coordinator builds and publishes a showcase in the browser and a visitor reads it; axe-core
scans the showcase, overview and tracker pages."""

import re

import pytest
from playwright.sync_api import expect

from sqlalchemy import select

from registry.accounts import services as accounts
from registry.accounts.models import User
from registry.extensions import db
from tests.browser.helpers import ADAPTATION, NETWORK_ONLY, ORIGINAL, AxeReport, sign_in
from tests.conftest import PASSWORD
from tests.showcase_fixtures import change_reach, make_showcase

pytestmark = pytest.mark.browser

COORDINATOR_EMAIL = "coordinator@browser.test"
TITLE = "Safer valproate prescribing across Scotland"
INTRODUCTION = "Clusters that brought **every** woman on valproate into the programme."


def add_coordinator(server) -> None:
    with server.app.app_context():
        accounts.create_user(COORDINATOR_EMAIL, "Nat Coordinator", "coordinator", PASSWORD)
        db.session.remove()


def add_item(page, slug: str, note: str) -> None:
    page.get_by_label("Write-up to add").fill(slug)
    page.get_by_label("Curator’s note").fill(note)
    page.get_by_role("button", name="Add to showcase").click()


def test_coordinator_builds_and_publishes_a_showcase_that_a_visitor_reads(
    browser, page, live_server
):
    add_coordinator(live_server)
    sign_in(page, COORDINATOR_EMAIL)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Showcases").click()
    page.get_by_role("link", name="Create a showcase").click()
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Theme tag").fill("valproate")
    page.get_by_label("Introduction").fill(INTRODUCTION)
    page.get_by_role("button", name="Create draft showcase").click()
    expect(page).to_have_url(
        f"{live_server.url}/showcases/safer-valproate-prescribing-across-scotland"
    )
    expect(page.get_by_role("status")).to_contain_text("Showcase created as a draft")

    add_item(page, ORIGINAL, "Where it *started*.")
    expect(page.get_by_role("status")).to_have_text("Added “Safer valproate prescribing”.")
    add_item(page, f"{live_server.url}/projects/{ADAPTATION}", "Reused with community pharmacy.")

    # Network-only work cannot be showcased; the note typed stays on the form.
    add_item(page, NETWORK_ONLY, "Huddles that worked.")
    expect(page.get_by_role("alert")).to_contain_text("is not public and published")
    expect(page.get_by_label("Write-up to add")).to_have_value(NETWORK_ONLY)
    expect(page.get_by_label("Curator’s note")).to_have_value("Huddles that worked.")

    page.get_by_role("button", name="Move up Valproate recall with community pharmacy").click()
    manage = page.get_by_role("region", name="Manage the write-ups")
    expect(manage.get_by_role("listitem").locator("p > a")).to_have_text(
        ["Valproate recall with community pharmacy", "Safer valproate prescribing"]
    )
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text(
        "Published. Everyone can now see this showcase."
    )

    visitor = browser.new_context(base_url=live_server.url, reduced_motion="reduce").new_page()
    try:
        visitor.goto("/")
        featured = visitor.get_by_role("region", name="Featured showcase")
        featured.get_by_role("link", name=TITLE).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(visitor.locator(".cc-prose strong").first).to_have_text("every")
        items = visitor.get_by_role("region", name="The write-ups")
        expect(items.get_by_role("heading", level=3)).to_have_text(
            ["Valproate recall with community pharmacy", "Safer valproate prescribing"]
        )
        expect(items.locator("em")).to_have_text("started")
        expect(visitor.get_by_role("button", name="Publish")).to_have_count(0)
        expect(visitor.get_by_role("link", name="Follow this showcase (Atom feed)")) \
            .to_be_visible()
        expect(visitor.get_by_text("Frailty huddles")).to_have_count(0)

        visitor.get_by_role("link", name="Safer valproate prescribing").click()
        expect(visitor.get_by_role("region", name="Featured in")).to_contain_text(TITLE)
    finally:
        visitor.context.close()


def test_showcase_overview_and_tracker_pages_are_accessible(browser, demo_server, demo_page):
    page, axe = demo_page, AxeReport(demo_page)
    add_coordinator(demo_server)
    with demo_server.app.app_context():
        curator = db.session.scalar(select(User).where(User.email == COORDINATOR_EMAIL))
        showcase_url = "/showcases/" + make_showcase(
            curator, TITLE, [ORIGINAL, ADAPTATION], introduction=INTRODUCTION, theme="valproate"
        ).slug
        change_reach(curator, ADAPTATION, "network", True)  # withdrawn: the curator is warned
        db.session.remove()

    page.goto("/showcases")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    axe.scan("showcase list")
    page.goto(showcase_url)
    expect(page.get_by_role("region", name="The write-ups").get_by_role("heading", level=3)) \
        .to_have_count(1)
    axe.scan("showcase, as a visitor")
    page.goto("/overview")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    axe.scan("overview, as a visitor")
    page.goto("/hscp/renfrewshire/tracker")
    expect(page.get_by_role("heading", level=1)).to_have_text("Renfrewshire")
    axe.scan("HSCP tracker")

    sign_in(page, COORDINATOR_EMAIL)
    page.goto(showcase_url)
    expect(page.locator("#withdrawn")).to_contain_text("Valproate recall")
    axe.scan("showcase, as its curator, with a withdrawn write-up")
    add_item(page, "no-such-write-up", "Typed note.")
    expect(page.get_by_role("alert")).to_contain_text("There is no write-up")
    axe.scan("showcase, with an error on the add form")
    page.goto("/showcases/new")
    page.get_by_role("button", name="Create draft showcase").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a title")
    axe.scan("new showcase form with errors")
    page.goto("/overview")
    quiet = page.get_by_role(
        "region", name="Clusters with no write-up published in the last 12 months", exact=True
    )
    expect(quiet.get_by_role("row", name=re.compile("^Renfrew Town"))).to_contain_text("Never")
    axe.scan("overview, as a coordinator")

    axe.assert_clean()
