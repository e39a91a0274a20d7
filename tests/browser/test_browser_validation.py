"""Editor validation in a real browser: errors on the same form, nothing the user typed lost."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import SEEDED_PROJECTS, project_count, sign_in

pytestmark = pytest.mark.browser

SUMMARY = "Reception staff signpost to the right member of the team."
TAGS = "Care navigation, Reception"
AIM = "Half of **routine** requests go to the right person first time by May 2025."
BAD_DATA = "2025-01-06, 31\nlast Tuesday, 40\n2025-01-20, 44"
BAD_LINE = "Line 2 is not a data point."


def test_errors_come_back_on_the_form_with_everything_typed(page, live_server):
    sign_in(page)
    page.goto("/projects/new")
    # No title; everything else typed, including a measure with one bad data line.
    page.get_by_label("Summary", exact=True).fill(SUMMARY)
    page.get_by_label("Cluster", exact=True).select_option(label="Renfrew Town")
    page.locator("label", has_text=re.compile("^Completed")).click()
    page.locator("label", has_text=re.compile("^Cluster – only")).click()
    page.get_by_label("Started", exact=True).fill("2024-11-04")
    page.get_by_label("Tags", exact=True).fill(TAGS)
    page.get_by_label("Aim", exact=True).fill(AIM)
    page.get_by_label("Measure name").fill("Requests sent to the right person")
    page.get_by_label("Type", exact=True).select_option(label="Process")
    page.get_by_label("Goal", exact=True).fill("50")
    page.get_by_label("Data points").fill(BAD_DATA)

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Save draft").click()
    assert answer.value.status == 400

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter a title.", re.compile(re.escape(BAD_LINE))]
    )
    expect(summary.get_by_role("link", name="Enter a title.")).to_have_attribute("href", "#title")

    title = page.get_by_label("Title", exact=True)
    expect(page.locator("#title-error")).to_have_text("Enter a title.")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_attribute("aria-describedby", re.compile(r"\btitle-error\b"))
    expect(title).to_have_value("")
    data = page.get_by_label("Data points")
    expect(page.locator("#measures-0-data-error")).to_contain_text(BAD_LINE)
    expect(data).to_have_attribute("aria-invalid", "true")
    expect(data).to_have_attribute("aria-describedby", re.compile(r"\bmeasures-0-data-error\b"))
    # Fields without a problem carry no error.
    expect(page.get_by_label("Summary", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator(".ds_question__error-message")).to_have_count(2)

    # Everything else is exactly as typed.
    expect(page.get_by_label("Summary", exact=True)).to_have_value(SUMMARY)
    expect(page.get_by_label("Cluster", exact=True)).to_have_value("renfrew-town")
    expect(page.get_by_role("radio", name=re.compile("^Completed"))).to_be_checked()
    expect(page.get_by_role("radio", name=re.compile("^Cluster – only"))).to_be_checked()
    expect(page.get_by_label("Started", exact=True)).to_have_value("2024-11-04")
    expect(page.get_by_label("Tags", exact=True)).to_have_value(TAGS)
    expect(page.get_by_label("Aim", exact=True)).to_have_value(AIM)
    expect(page.get_by_label("Measure name")).to_have_value("Requests sent to the right person")
    expect(page.get_by_label("Type", exact=True)).to_have_value("process")
    expect(page.get_by_label("Goal", exact=True)).to_have_value("50")
    expect(data).to_have_value(BAD_DATA)
    assert project_count(live_server) == SEEDED_PROJECTS

    # The summary's links lead to the fields.
    summary.get_by_role("link", name=re.compile(re.escape(BAD_LINE))).click()
    expect(page).to_have_url(re.compile(r"#measures-0-data$"))
    expect(data).to_be_in_viewport()

    # Correcting just the two problems saves the rest as typed.
    title.fill("Care navigation at reception")
    data.fill("2025-01-06, 31\n2025-01-13, 40\n2025-01-20, 44")
    page.get_by_role("button", name="Save draft").click()
    # (The browser keeps the #fragment from the error link across the redirect.)
    expect(page).to_have_url(
        re.compile(re.escape(f"{live_server.url}/projects/care-navigation-at-reception") + "(#|$)")
    )
    expect(page.get_by_role("status")).to_have_text(
        "Saved as a draft. Only its editors can see it until it is published."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Care navigation at reception")
    expect(page.get_by_text("This cluster only", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Renfrew Town")).to_be_visible()
    expect(page.get_by_role("table", name="Measures")).to_contain_text("44 (2025-01-20; 3 points)")
    expect(page.get_by_role("list", name="Tags").get_by_role("link")).to_have_text(
        ["Care navigation", "Reception"]
    )
    assert project_count(live_server) == SEEDED_PROJECTS + 1


def test_a_bad_date_in_the_data_is_named_and_the_preview_still_shows(page, live_server):
    """Preview with a broken measure: the Markdown is still previewed and the error shown."""
    sign_in(page)
    page.goto("/projects/new")
    page.get_by_label("Title", exact=True).fill("Asthma reviews by questionnaire")
    page.get_by_label("Aim", exact=True).fill("- fewer\n- faster")
    page.get_by_label("Measure name").fill("Reviews done")
    page.get_by_label("Data points").fill("2025-02-30, 12")
    page.get_by_role("button", name="Preview").click()

    expect(page.locator("#measures-0-data-error")).to_have_text(
        "Line 1: 2025-02-30 is not a real date."
    )
    expect(page.get_by_role("alert")).to_contain_text("Line 1: 2025-02-30 is not a real date.")
    preview = page.get_by_role("region", name="Preview (not saved yet)")
    expect(preview.get_by_role("listitem")).to_have_text(["fewer", "faster"])
    expect(page.get_by_label("Data points")).to_have_value("2025-02-30, 12")
    assert project_count(live_server) == SEEDED_PROJECTS
