"""axe-core (WCAG 2.0/2.1 A and AA rules) in Chromium: no serious or critical violations.

Each page is scanned in the state a person meets it: with the demo content behind the lists,
signed in where the page needs it, with errors or a preview showing where it can have them.
Every page of a test is scanned before it fails, so one run lists all the problems.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import ADAPTATION, ORIGINAL, AxeReport, assert_accessible, sign_in

pytestmark = pytest.mark.browser

DEMO_WRITEUP = "safer-valproate-prescribing-for-women-of-childbearing-age"


def test_public_pages_with_the_demo_content(demo_page):
    page, axe = demo_page, AxeReport(demo_page)

    page.goto("/")
    expect(page.get_by_role("heading", name="Recently updated")).to_be_visible()
    expect(page.locator(".cc-card")).to_have_count(6)
    axe.scan("home")

    page.goto("/projects")
    expect(page.get_by_role("heading", name=re.compile(r"^\d\d projects$"))).to_be_visible()
    expect(page.get_by_role("navigation", name="Pages")).to_be_visible()
    axe.scan("project list")

    page.goto("/projects?tag=valproate")
    expect(page.get_by_role("heading", name=re.compile(r"^\d projects?$"))).to_be_visible()
    axe.scan("project list filtered by a tag")

    response = page.goto("/projects?status=finished&page=0")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    axe.scan("project list with bad filters")

    page.goto(f"/projects/{ORIGINAL}")
    expect(page.get_by_role("table", name="Measures").get_by_role("row")).to_have_count(3)
    expect(page.get_by_role("list", name="Tags")).to_be_visible()
    expect(page.get_by_role("region", name="Lineage")).to_contain_text("Adapted by")
    expect(page.get_by_role("region", name="Results").get_by_role("table")).to_be_visible()
    axe.scan("write-up with measures, tags, a table and an adaptation")

    page.goto(f"/projects/{ADAPTATION}")
    expect(page.get_by_role("region", name="Lineage")).to_contain_text("Adapted from")
    axe.scan("write-up adapted from another")

    page.goto(f"/projects/{DEMO_WRITEUP}")
    expect(page.get_by_role("table", name="Measures")).to_be_visible()
    axe.scan("demo write-up")

    page.goto(f"/projects/{ORIGINAL}/history")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe.scan("history")

    page.goto("/sign-in")
    axe.scan("sign-in")

    page.get_by_label("Email address").fill("nobody@example.nhs.scot")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your password.")
    axe.scan("sign-in with errors")

    response = page.goto("/projects/no-such-project")
    assert response.status == 404
    axe.scan("not found")

    axe.assert_clean()


def test_signed_in_pages_and_the_editor(page):
    axe = AxeReport(page)

    sign_in(page)  # lands on home with the "Signed in as …" message showing
    axe.scan("home, just signed in")

    page.goto(f"/projects/{ORIGINAL}")
    expect(page.get_by_role("link", name="Edit")).to_be_visible()
    axe.scan("write-up, as its editor")

    page.goto("/projects/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Write up a project")
    axe.scan("editor, empty")

    page.get_by_label("Data points").fill("yesterday, 4")
    page.get_by_label("Goal", exact=True).fill("most")
    page.get_by_role("button", name="Save draft").click()
    # Title, cluster, the measure's name (and type), its data and its goal.
    expect(page.locator(".ds_question__error-message")).to_have_count(5)
    axe.scan("editor with errors")

    page.get_by_label("Title", exact=True).fill("Menopause group consultations")
    page.get_by_label("Changes", exact=True).fill(
        "### Cycle 1\n\n- A *video* group\n\n| Cycle | People |\n|---|---|\n| 1 | 8 |\n\n"
        "[Slides](https://example.org/slides)"
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("region", name="Preview (not saved yet)")).to_be_visible()
    axe.scan("editor with a preview")

    page.get_by_role("button", name="Add another measure").click()
    expect(page.get_by_role("group", name="Measure 2")).to_be_visible()
    axe.scan("editor with a second measure")

    page.goto(f"/projects/{ORIGINAL}/edit")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Safer valproate prescribing")
    expect(page.get_by_role("group", name="Measure 2")).to_be_visible()
    axe.scan("editor, editing a published write-up with measures")

    axe.assert_clean()


def test_the_scan_fails_on_a_real_violation(page):
    """The check itself can fail: an unlabelled field and unreadable text are caught."""
    page.goto("/sign-in")
    page.evaluate(
        """() => {
          document.querySelector('label[for=email]').remove();
          document.querySelector('h1').style.color = '#eeeeee';
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "broken sign-in")
    message = str(failure.value)
    assert "broken sign-in" in message
    assert "label (critical)" in message
    assert "color-contrast (serious)" in message
    assert "#email" in message
