"""The write-up editor and the read pages, through the test client: create, preview, grow the
form, validation on the same form, revisions, history and diffs, optimistic conflicts,
publishing, slugs, tags, lists, the project page and its per-revision HTML cache."""

import json
import re
from dataclasses import replace
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.markup import render_markdown
from registry.projects import services
from registry.projects.models import Project, Revision, Tag
from registry.writeup_format import Measure, Section

BLNS = json.loads((Path(__file__).parent / "data" / "blns" / "blns.json").read_text("utf-8"))
NEW = "/projects/new"

# Something typed into every field of the editor, so "nothing typed is lost" can be checked
# field by field.
TYPED = {
    "title": "Mirabegron blood-pressure monitoring",
    "summary": "Checking blood pressure before and after starting mirabegron.",
    "cluster": "paisley-north",
    "status": "completed",
    "role": "both",
    "visibility": "public",
    "started": "2023-04-01",
    "finished": "2023-11-30",
    "tags": "Mirabegron, Blood pressure",
    "authors": "Dr A. Example\nC. Example (ANP)",
    "adapted_from": "",
    "intro": "A short *introduction*.",
    "section_background": "MHRA advice: check **blood pressure** first.",
    "section_aim": "By November, 90% of new starters have a BP check.\n\nA second paragraph.",
    "section_measures": "Monthly search of new mirabegron prescriptions.",
    "section_changes": "1. Alert on the prescribing screen\n2. Pharmacist recall",
    "section_results": "| Month | Checked |\n|---|---|\n| May | 7/10 |",
    "section_lessons": "Alerts alone did not work; the recall did.",
    "section_reuse": "Copy the search and the letter.",
    "section_tools": "- Search: MIRA-BP\n- Letter template",
    "extra_sections-0-heading": "Patient voice",
    "extra_sections-0-body": "Patients liked the reminder letter.",
    "measures-0-name": "New starters with a BP check within 8 weeks",
    "measures-0-type": "process",
    "measures-0-definition": "Adults started on mirabegron this month",
    "measures-0-unit": "percent",
    "measures-0-goal": "90",
    "measures-0-data": "2023-04-30, 4/10\n2023-05-31, 7/10",
}
MIRABEGRON = "mirabegron-blood-pressure-monitoring"


class _FormValues(HTMLParser):
    """Each form control's current value by name, as a browser would submit it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name:
            if attributes.get("type") not in ("radio", "checkbox"):
                self.values[name] = attributes.get("value") or ""
            elif "checked" in attributes:
                self.values[name] = attributes.get("value") or ""
        elif tag == "textarea":
            self._textarea, self._text = name, []
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attributes:
            self.values[self._select] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            text = "".join(self._text).replace("\r\n", "\n")
            self.values[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_values(html: str) -> dict[str, str]:
    parser = _FormValues()
    parser.feed(html)
    parser.close()
    return parser.values


def assert_form_keeps(html: str, typed: dict[str, str]) -> None:
    values = form_values(html)
    for name, value in typed.items():
        if name != "action":
            assert values.get(name) == value, name


def field_error(html: str, field_id: str) -> str | None:
    match = re.search(rf'id="{re.escape(field_id)}-error">(.*?)</p>', html, flags=re.DOTALL)
    return unescape(match.group(1)) if match else None


def error_targets(html: str) -> set[str]:
    """The field ids the error summary links to."""
    match = re.search(r'<ul class="ds_error-summary__list">(.*?)</ul>', html, flags=re.DOTALL)
    return set(re.findall(r'<a href="#([^"]+)">', match.group(1))) if match else set()


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def post_editor(client, url: str = NEW, action: str = "save", **overrides):
    return client.post(url, data={**TYPED, **overrides, "action": action})


def project_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Project))


def get_project(slug: str) -> Project:
    db.session.expire_all()
    return db.session.scalar(select(Project).where(Project.slug == slug))


def links_to_project(html: str, slug: str) -> bool:
    return f'href="/projects/{slug}"' in html


@pytest.fixture
def second_client(app, client, lead, make_user, sign_in):
    """Another browser, signed in as a member of Paisley North; `client` stays the lead's."""
    other, user = app.test_client(), make_user("member", ("paisley-north",), name="Pat Pharmacist")
    leads_cookie = client.get_cookie("session", domain="commons.test")
    assert sign_in(user).status_code == 302
    other.set_cookie("session", client.get_cookie("session", domain="commons.test").value,
                     domain="commons.test")
    client.set_cookie("session", leads_cookie.value, domain="commons.test")
    other.user = user
    return other


def revise(slug: str, actor=None, **changes) -> Project:
    """Save a new revision of a stored write-up with some parts changed."""
    document = replace(get_project(slug).current_revision.writeup, **changes)
    return services.save_writeup(actor, document, slug=slug)


# --- Creating: the form, drafts, publishing ---------------------------------------------------
def test_new_form_offers_only_the_users_clusters(client, lead):
    html = page(client, NEW)
    values = form_values(html)
    assert values["cluster"] == "paisley-north"  # the only choice, chosen for them
    assert values["status"] == "active" and values["role"] == "intrinsic"
    assert values["visibility"] == "network"
    assert 'value="leith-portobello"' not in html
    for key in ("background", "aim", "measures", "changes", "results", "lessons", "reuse", "tools"):
        assert f'name="section_{key}"' in html
    assert 'value="preview"' in html and 'value="publish"' in html


def test_the_editor_needs_sign_in_and_national_roles_choose_any_cluster(
    client, make_user, sign_in, org
):
    response = client.get(NEW)
    assert response.status_code == 302 and response.location.startswith("/sign-in")
    sign_in(make_user("coordinator"))
    assert 'value="leith-portobello"' in page(client, NEW)  # national roles write for anyone


@pytest.mark.parametrize("action, published", [("save", False), ("publish", True)])
def test_saving_a_new_writeup(client, lead, action, published):
    response = post_editor(client, action=action)
    assert response.status_code == 302
    assert response.location == f"/projects/{MIRABEGRON}"
    project = get_project(MIRABEGRON)
    assert project.is_published is published
    assert (project.version, project.status, project.role) == (1, "completed", "both")
    assert project.current_revision.editor.name == "Dr Morag Fraser"
    stored = project.current_revision.writeup
    assert stored.authors == ["Dr A. Example", "C. Example (ANP)"]
    assert [s.heading for s in stored.sections] == [
        "Background", "Aim", "Measures", "Changes", "Results", "Lessons", "Reuse", "Tools",
        "Patient voice",
    ]
    assert stored.measures[0].data == [
        {"date": "2023-04-30", "numerator": 4, "denominator": 10},
        {"date": "2023-05-31", "numerator": 7, "denominator": 10},
    ]
    assert stored.measures[0].goal == 90
    html = page(client, response.location)
    assert ("Saved and published." if published else "Saved as a draft.") in html
    assert (" · Draft" in html) is not published


@pytest.mark.parametrize("url", [NEW, "/projects/safer-valproate-prescribing/edit"])
def test_preview_renders_html_and_saves_nothing(client, lead, make_project, url):
    make_project(actor=lead)
    revisions = db.session.scalar(select(func.count()).select_from(Revision))
    typed = {**TYPED, "version": "1", "section_results": "**Much** better <script>alert(1)</script>"}
    response = client.post(url, data={**typed, "action": "preview"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview (not saved yet)" in html
    preview = html.split('id="preview-title"', 1)[1].split("<form", 1)[0]
    assert "<strong>Much</strong> better" in preview
    assert "<script>alert(1)</script>" not in preview
    assert "<em>introduction</em>" in preview and "<h3>Patient voice</h3>" in preview
    assert_form_keeps(html, typed)
    assert db.session.scalar(select(func.count()).select_from(Revision)) == revisions
    assert project_count() == 1 and get_project(MIRABEGRON) is None


@pytest.mark.parametrize(
    "action, new_fields",
    [
        ("add_measure", ("measures-1-name", "measures-1-data")),
        ("add_section", ("extra_sections-1-heading", "extra_sections-1-body")),
    ],
)
def test_add_buttons_grow_the_form_and_keep_everything(client, lead, action, new_fields):
    response = post_editor(client, action=action)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert_form_keeps(html, TYPED)
    values = form_values(html)
    assert all(values[name] == "" for name in new_fields)
    assert project_count() == 0
    assert 'class="ds_error-summary"' not in html

    grown = {**TYPED, **{name: f"Typed into {name}" for name in new_fields}}
    if action == "add_measure":
        grown.update({"measures-1-type": "balancing", "measures-1-data": "2023-05-31, 3"})
    html = client.post(NEW, data={**grown, "action": action}).get_data(as_text=True)
    assert_form_keeps(html, grown)  # and again: the earlier additions survive


def test_added_measure_and_section_are_saved(client, lead):
    response = post_editor(
        client,
        **{"measures-1-name": "Falls", "measures-1-type": "balancing",
           "measures-1-data": "2023-05-31, 3", "extra_sections-1-heading": "Costs",
           "extra_sections-1-body": "Two pharmacist sessions a month."},
    )
    assert response.status_code == 302
    stored = get_project(MIRABEGRON).current_revision.writeup
    assert [m.name for m in stored.measures][1] == "Falls"
    assert stored.measures[1].data == [{"date": "2023-05-31", "value": 3}]
    assert stored.sections[-1] == Section(heading="Costs", body="Two pharmacist sessions a month.")


# --- Validation on the same form --------------------------------------------------------------
INVALID = [
    ("title-too-short", {"title": "ab"}, "title", "Enter a title of 3 to 200 characters."),
    ("title-missing", {"title": "   "}, "title", "Enter a title"),
    ("title-too-long", {"title": "t" * 201}, "title", "Enter a title of 3 to 200 characters."),
    ("summary-too-long", {"summary": "s" * 1001}, "summary", "Keep the summary to 1000"),
    ("heading-too-long", {"extra_sections-0-heading": "h" * 121}, "extra_sections-0-heading",
     "heading of up to 120 characters"),
    ("measure-name-too-long", {"measures-0-name": "m" * 501}, "measures-0-name",
     "Keep measure texts to 500 characters."),
    ("goal-too-long", {"measures-0-goal": "9" * 41}, "measures-0-goal", "as a number"),
    ("adapted-from-too-long", {"adapted_from": "a" * 201}, "adapted_from", "up to 200"),
    ("too-many-authors", {"authors": "\n".join(f"Dr A{n}" for n in range(31))}, "authors",
     "At most 30 authors."),
    ("started-not-a-date", {"started": "2023-13-45"}, "started", "Enter a real date"),
    ("finished-not-iso", {"finished": "30/11/2023"}, "finished", "Enter a real date"),
    ("finished-before-started", {"started": "2023-06-01", "finished": "2023-01-31"},
     "finished", "on or after the start date"),
    ("data-line-not-a-point", {"measures-0-data": "2023-04-30, 4/10\nlast Tuesday: 7"},
     "measures-0-data", "Line 2 is not a data point"),
    ("data-line-impossible-date", {"measures-0-data": "2023-02-30, 5"},
     "measures-0-data", "2023-02-30 is not a real date"),
    ("data-line-zero-denominator", {"measures-0-data": "2023-04-30, 4/0"},
     "measures-0-name", "denominator must be greater than zero"),
    ("measure-without-type", {"measures-0-type": ""}, "measures-0-name", "measure type is one of"),
    ("goal-not-a-number", {"measures-0-goal": "ninety"}, "measures-0-goal", "as a number"),
    ("unknown-adapted-from", {"adapted_from": "no-such-project"}, "adapted_from",
     "no project with the slug"),
    ("adapted-from-unreadable", {"adapted_from": "leith-private-work"}, "adapted_from",
     "no project with the slug"),
    ("adapted-from-not-a-slug", {"adapted_from": "Not a slug!"}, "adapted_from", "Give the slug"),
    ("someone-elses-cluster", {"cluster": "leith-portobello"}, "cluster",
     "only write for your own clusters"),
    ("no-such-cluster", {"cluster": "atlantis"}, "cluster", "no cluster called"),
    ("no-cluster", {"cluster": ""}, "cluster", "Choose the cluster"),
    ("tag-too-long", {"tags": "Fine, " + "x" * 61}, "tags", "60 characters"),
    ("heading-missing", {"extra_sections-0-heading": ""}, "extra_sections-0-heading",
     "Give each section a heading"),
    ("nul-in-title", {"title": "Valproate\x00 audit"}, "title", "control characters"),
    ("nul-in-summary", {"summary": "A\x00summary"}, "summary", "control characters"),
    ("nul-in-section", {"section_results": "Results\x00here"}, "section_results",
     "control characters"),
    ("nul-in-extra-section", {"extra_sections-0-body": "\x00"}, "extra_sections-0-heading",
     "control characters"),
    ("nul-in-tags", {"tags": "ok, bad\x00tag"}, "tags", "control characters"),
    ("nul-in-measure", {"measures-0-name": "BP\x00"}, "measures-0-name", "control characters"),
    ("nul-in-cluster", {"cluster": "paisley-north\x00"}, "cluster", "control characters"),
]


@pytest.mark.parametrize(
    "overrides, field, message", [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
@pytest.mark.parametrize("action", ["save", "publish"])
def test_validation_errors_come_back_on_the_same_form(
    client, lead, make_project, overrides, field, message, action
):
    make_project(title="Leith private work", cluster="leith-portobello", visibility="cluster")
    before = project_count()
    response = post_editor(client, action=action, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in (field_error(html, field) or ""), html[:3000]
    assert field in error_targets(html)  # the error summary links to the field
    # Everything typed is still there: a NUL cannot be shown back, and a cluster select offers
    # only the user's own clusters; everything else is.
    typed = {**TYPED, **overrides}
    if field == "cluster":
        typed.pop("cluster")
    assert_form_keeps(html, {k: v for k, v in typed.items() if "\x00" not in v})
    assert project_count() == before
    assert get_project(MIRABEGRON) is None


def test_several_errors_are_reported_together(client, lead):
    response = post_editor(client, title="ab", started="nope", adapted_from="no-such-project")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_targets(html) == {"title", "started"}
    for field in ("title", "started"):
        assert field_error(html, field), field


def test_errors_when_editing_keep_the_text_and_the_revision(client, lead, make_project):
    make_project(actor=lead)
    typed = {**TYPED, "version": "1", "finished": "2020-01-01"}
    response = client.post("/projects/safer-valproate-prescribing/edit", data={**typed, "action": "save"})
    assert response.status_code == 400
    assert_form_keeps(response.get_data(as_text=True), typed)
    assert get_project("safer-valproate-prescribing").version == 1


NAUGHTY_FIELDS = ("title", "summary", "section_aim", "tags")


def test_naughty_strings_are_saved_or_refused_never_a_server_error(client, lead):
    """Each string goes into all four fields at once. When that is refused, every error must be
    on one of those fields, and the string is tried again in the fields without an error,
    until it is saved or every field has refused it."""

    def attempt(**fields):
        data = {"title": "Naughty strings", "cluster": "paisley-north", "action": "save", **fields}
        response = client.post(NEW, data=data)
        assert response.status_code in (302, 400), (fields, response.status_code)
        return response

    saved = refused = 0
    for text in BLNS:
        remaining = set(NAUGHTY_FIELDS)
        while remaining:
            response = attempt(**dict.fromkeys(remaining, text))
            if response.status_code == 302:
                saved += 1
                html = page(client, response.location)
                title = re.search(r'<h1 class="ds_page-header__title">(.*?)</h1>', html, re.S)
                assert unescape(title.group(1)) == (
                    text.strip() if "title" in remaining else "Naughty strings"
                )
                break
            html = response.get_data(as_text=True)
            failing = {field for field in remaining if field_error(html, field)}
            assert failing and error_targets(html) == failing, text
            remaining -= failing
        refused += remaining != set(NAUGHTY_FIELDS)
    assert 0 < refused < len(BLNS) / 2  # both outcomes happen; most strings are fine as typed
    assert project_count() == saved


# --- Revisions, history, diffs, conflicts -----------------------------------------------------
def test_edit_form_is_prefilled_and_saving_makes_a_new_revision(client, lead):
    post_editor(client, action="publish")
    html = page(client, f"/projects/{MIRABEGRON}/edit")
    assert_form_keeps(html, {**TYPED, "version": "1"})
    assert 'value="publish"' not in html  # already published: one "Save" button

    changed = {**TYPED, "version": "1", "section_lessons": "Recall worked; alerts did not."}
    response = client.post(f"/projects/{MIRABEGRON}/edit", data={**changed, "action": "save"})
    assert response.status_code == 302
    project = get_project(MIRABEGRON)
    assert project.version == 2 and project.is_published
    first, second = project.revisions
    assert first.writeup.section("lessons").body == TYPED["section_lessons"]
    assert second.writeup.section("lessons").body == "Recall worked; alerts did not."
    assert project.slug == MIRABEGRON


def test_changing_the_title_keeps_the_address(client, lead, make_project):
    make_project(actor=lead)
    data = {**TYPED, "title": "A new title", "version": "1", "action": "save"}
    assert client.post("/projects/safer-valproate-prescribing/edit", data=data).status_code == 302
    assert get_project("safer-valproate-prescribing").title == "A new title"
    assert get_project("a-new-title") is None


def test_history_lists_every_revision_with_who_and_when(client, lead, second_client, make_project):
    make_project(actor=lead)
    revise("safer-valproate-prescribing", second_client.user, summary="Second.")
    revise("safer-valproate-prescribing", summary="Third.")
    html = page(client, "/projects/safer-valproate-prescribing/history")
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", html)
    revisions = get_project("safer-valproate-prescribing").revisions
    assert rows == [
        (str(r.number), r.created_at.strftime("%d %B %Y, %H:%M"), who)
        for r, who in zip(reversed(revisions), ("Content import", "Pat Pharmacist", "Dr Morag Fraser"))
    ]
    detail = page(client, "/projects/safer-valproate-prescribing")
    assert 'href="/projects/safer-valproate-prescribing/history"' in detail
    assert "Revision 3" in detail


def test_diff_shows_added_and_removed_lines(client, lead, make_project):
    make_project(actor=lead, sections=[Section("Aim", "Old aim line.\n\nKept line.", "aim")])
    revise("safer-valproate-prescribing", lead, tags=["Valproate", "safer prescribing", "Audit"],
           sections=[Section("Aim", "New aim line.\n\nKept line.", "aim")])
    html = page(client, "/projects/safer-valproate-prescribing/diff?from=1&to=2")
    removed = [unescape(t) for t in re.findall(r"<del[^>]*>.*?Removed: </span>(.*?)</del>", html)]
    added = [unescape(t) for t in re.findall(r"<ins[^>]*>.*?Added: </span>(.*?)</ins>", html)]
    assert "Old aim line." in removed and "New aim line." in added
    assert any("Audit" in line for line in added)
    assert "Kept line." not in removed + added
    assert re.search(r'<span class="cc-diff__line">Kept line.</span>', html)
    default = page(client, "/projects/safer-valproate-prescribing/diff")  # defaults: 1 → 2
    assert default.split('class="cc-diff"', 1)[1] == html.split('class="cc-diff"', 1)[1]
    assert "These two revisions are the same." in page(
        client, "/projects/safer-valproate-prescribing/diff?from=2&to=2"
    )
    page(client, "/projects/safer-valproate-prescribing/diff?from=1&to=9", status=404)


def test_second_save_of_the_same_version_is_a_conflict_that_loses_nothing(
    client, lead, second_client, make_project
):
    make_project(actor=lead)
    url = "/projects/safer-valproate-prescribing/edit"
    first_form = form_values(page(client, url))
    second_form = form_values(page(second_client, url))
    assert first_form["version"] == second_form["version"] == "1"

    first_form.update(section_results="Lead's results.", action="save")
    assert client.post(url, data=first_form).status_code == 302

    second_form.update(section_results="Pharmacist's results.", section_lessons="Typed by Pat.",
                       tags="Valproate, Pharmacy", action="save")
    response = second_client.post(url, data=second_form)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this write-up while you were editing" in html
    assert "Dr Morag Fraser saved revision 2" in html
    assert 'href="/projects/safer-valproate-prescribing/diff?from=1&amp;to=2"' in html
    kept = form_values(html)
    # The CSRF token embeds a timestamp, so it may differ from the one first rendered.
    typed = {k: v for k, v in second_form.items() if k not in ("version", "csrf_token")}
    assert_form_keeps(html, typed)
    assert kept["version"] == "2"
    assert get_project("safer-valproate-prescribing").current_revision.writeup.section(
        "results").body == "Lead's results."

    response = second_client.post(url, data={**kept, "action": "save"})
    assert response.status_code == 302
    project = get_project("safer-valproate-prescribing")
    assert project.version == 3
    assert project.current_revision.writeup.section("results").body == "Pharmacist's results."
    assert project.current_revision.editor.name == "Pat Pharmacist"


def test_publish_then_back_to_draft(client, lead, app):
    post_editor(client, action="save")
    visitor = app.test_client()
    assert visitor.get(f"/projects/{MIRABEGRON}").status_code == 404
    assert 'value="publish"' in page(client, f"/projects/{MIRABEGRON}/edit")
    assert ">Publish</button>" in page(client, f"/projects/{MIRABEGRON}")

    response = client.post(f"/projects/{MIRABEGRON}/publish")
    assert response.status_code == 302
    assert "It is now visible to its readers" in page(client, response.location)
    project = get_project(MIRABEGRON)
    assert project.is_published and project.published_at is not None
    assert visitor.get(f"/projects/{MIRABEGRON}").status_code == 200
    assert "Move back to draft" in page(client, f"/projects/{MIRABEGRON}")

    response = client.post(f"/projects/{MIRABEGRON}/unpublish")
    assert response.status_code == 302
    assert "Moved back to draft" in page(client, response.location)
    assert get_project(MIRABEGRON).is_published is False
    assert visitor.get(f"/projects/{MIRABEGRON}").status_code == 404
    assert get_project(MIRABEGRON).version == 1  # publishing is not an edit


# --- Slugs and tags ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "title, slug",
    [
        ("Safer valproate prescribing", "safer-valproate-prescribing"),
        ("  Safer   valproate prescribing!!! ", "safer-valproate-prescribing"),
        ("Mirabegron: BP monitoring (2024)", "mirabegron-bp-monitoring-2024"),
        ("Week-of-Care -- demand audit", "week-of-care-demand-audit"),
        ("O'Neill's “quoted” audit", "o-neill-s-quoted-audit"),
        ("Café, résumé & naïve – ça va?", "cafe-resume-naive-ca-va"),
        ("Ærøskøbing ß", "rskbing"),
        ("日本語のプロジェクト", "project"),
        ("!!!", "project"),
    ],
)
def test_slugs_from_titles(client, lead, title, slug):
    response = post_editor(client, title=title)
    assert response.status_code == 302
    assert response.location == f"/projects/{slug}"
    assert get_project(slug).title == title.strip()


def test_slugs_are_made_unique_with_a_number(client, lead):
    locations = [
        post_editor(client, title=title).location
        for title in ("Safer valproate prescribing", "Safer valproate prescribing",
                      "Safer valproate prescribing 4", "Safer Valproate Prescribing",
                      "Safer valproate prescribing extra")
    ]
    assert locations == [
        "/projects/safer-valproate-prescribing",
        "/projects/safer-valproate-prescribing-2",
        "/projects/safer-valproate-prescribing-4",
        "/projects/safer-valproate-prescribing-3",
        "/projects/safer-valproate-prescribing-extra",
    ]


def test_tags_match_case_folded_and_keep_the_first_spelling(client, lead, make_project):
    make_project(title="First", tags=["Safer Prescribing", "Straße", "Audit"])
    response = post_editor(client, title="Second",
                           tags="  safer   PRESCRIBING , STRASSE, audit, AUDIT")
    assert response.status_code == 302
    tags = {tag.key: tag.name for tag in db.session.scalars(select(Tag))}
    assert tags == {"safer prescribing": "Safer Prescribing", "strasse": "Straße", "audit": "Audit"}
    assert sorted(t.name for t in get_project("second").tags) == ["Audit", "Safer Prescribing", "Straße"]
    html = page(client, "/projects/second")
    assert '<a href="/tags/safer%20prescribing">Safer Prescribing</a>' in html
    for spelling in ("safer prescribing", "SAFER PRESCRIBING", "Safer%20%20Prescribing", "strasse"):
        listed = page(client, f"/tags/{spelling}")
        assert links_to_project(listed, "first") and links_to_project(listed, "second"), spelling
    assert 'list="tag-suggestions"' in page(client, NEW)
    assert '<option value="Safer Prescribing">' in page(client, NEW)


def test_tag_page_lists_only_visible_tagged_projects(client, make_project, org):
    make_project(title="Tagged", tags=["KIS"])
    make_project(title="Tagged but private", tags=["KIS"], visibility="cluster")
    make_project(title="Not tagged", tags=["Frailty"])
    html = page(client, "/tags/kis")
    assert links_to_project(html, "tagged")
    assert not links_to_project(html, "tagged-but-private")
    assert not links_to_project(html, "not-tagged")
    assert "1 project tagged" in html
    page(client, "/tags/no-such-tag", status=404)


# --- The list ---------------------------------------------------------------------------------
@pytest.fixture
def listed(make_project, org):
    make_project(title="Paisley completed", status="completed", tags=["Audit"])
    make_project(title="Paisley extrinsic", role="extrinsic", tags=["Schools"])
    make_project(title="Leith active", cluster="leith-portobello", tags=["Audit"])


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"paisley-completed", "paisley-extrinsic", "leith-active"}),
        ("tag=AUDIT", {"paisley-completed", "leith-active"}),
        ("cluster=paisley-north", {"paisley-completed", "paisley-extrinsic"}),
        ("hscp=edinburgh", {"leith-active"}),
        ("board=nhs-greater-glasgow-clyde", {"paisley-completed", "paisley-extrinsic"}),
        ("status=completed", {"paisley-completed"}),
        ("role=extrinsic", {"paisley-extrinsic"}),
        ("tag=audit&cluster=leith-portobello", {"leith-active"}),
        ("status=paused", set()),
    ],
)
def test_list_filters(client, listed, query, expected):
    html = page(client, f"/projects?{query}")
    shown = {slug for slug in ("paisley-completed", "paisley-extrinsic", "leith-active")
             if links_to_project(html, slug)}
    assert shown == expected
    assert f"{len(expected)} project" in html
    for pair in filter(None, query.split("&")):
        name, value = pair.split("=")
        assert re.search(rf'<option value="{value.lower()}" selected>', html), pair


@pytest.mark.parametrize("query, field", [("status=nope", "status"), ("page=0", "page"),
                                          ("role=x", "role"), ("tag=a%00b", "tag")])
def test_list_reports_bad_parameters(client, listed, query, field):
    html = page(client, f"/projects?{query}", status=400)
    assert "There is a problem" in html
    assert f'href="#filter-{field}"' in html
    if field != "page":  # a filter the form has: the summary's link reaches it
        assert f'id="filter-{field}"' in html


def test_list_pages_keep_filters_and_page_size(client, make_project, org):
    for number in range(1, 6):
        make_project(title=f"Audit calendar {number}", tags=["Audit"])
    make_project(title="Another topic", tags=["Other"])
    html = page(client, "/projects?tag=audit&per_page=2")
    assert "Page 1 of 3" in html and "5 projects" in html
    next_link = unescape(re.search(r'href="([^"]*)">Next', html).group(1))
    assert "tag=audit" in next_link and "per_page=2" in next_link and "page=2" in next_link
    second = page(client, next_link)
    assert "Page 2 of 3" in second
    shown = [n for n in range(1, 6) if links_to_project(second, f"audit-calendar-{n}")]
    assert shown == [2, 3]  # newest first: 5, 4 | 3, 2 | 1
    last = page(client, "/projects?tag=audit&per_page=2&page=3")
    assert links_to_project(last, "audit-calendar-1") and ">Next" not in last
    assert "Previous" in last


# --- The project page -------------------------------------------------------------------------
RICH = dict(
    title="Safer valproate prescribing",
    status="completed",
    authors=["Dr A. Example", "B. Example (practice pharmacist)"],
    tags=["Valproate", "Women's health"],
    intro="Written for **other clusters**.",
    measures=[
        Measure(name="Signed risk forms", type="process", definition="Women 12-55",
                unit="percent", goal=100,
                data=[{"date": "2023-02-01", "numerator": 9, "denominator": 22},
                      {"date": "2023-03-01", "numerator": 12, "denominator": 22}]),
        Measure(name="Pharmacist hours", type="balancing", data=[{"date": "2023-03-01", "value": 6.5}]),
    ],
    sections=[
        Section("Background", "MHRA *alert* in 2018.", "background"),
        Section("Aim", "Every woman has a signed form.", "aim"),
        Section("Measures", "Monthly search.", "measures"),
        Section("Changes", "1. Search\n2. Letter", "changes"),
        Section("Results", "From 9/22 to 22/22.", "results"),
        Section("Lessons", "Letters alone did not work.", "lessons"),
        Section("Reuse", "Copy the search.", "reuse"),
        Section("Tools", "- [Search](https://example.org/search)", "tools"),
        Section("Patient voice", "> It was reassuring.", None),
    ],
)


def test_project_page_shows_everything(client, make_project, org):
    make_project(title="Valproate in Paisley, first cycle")
    make_project(**RICH, adapted_from="valproate-in-paisley-first-cycle")
    make_project(title="Valproate in Leith", cluster="leith-portobello",
                 adapted_from="safer-valproate-prescribing")
    html = page(client, "/projects/safer-valproate-prescribing")
    for section in RICH["sections"]:
        assert f">{section.heading}</h2>" in html
        assert str(render_markdown(section.body)) in html
    assert "<p>Written for <strong>other clusters</strong>.</p>" in html
    assert '<a href="https://example.org/search" rel="nofollow noopener">Search</a>' in html
    table = html.split('<table class="ds_table cc-measures">', 1)[1].split("</table>", 1)[0]
    cells = [unescape(c) for c in re.findall(r"<td>(.*?)</td>", table)]
    assert cells == [
        "Signed risk forms", "Process", "Women 12-55", "percent", "100",
        "12 / 22 (55%) (2023-03-01; 2 points)",
        "Pharmacist hours", "Balancing", "", "", "", "6.5 (2023-03-01; 1 point)",
    ]
    assert "<strong>Authors:</strong> Dr A. Example, B. Example (practice pharmacist)" in html
    assert '<a href="/clusters/paisley-north">Paisley North</a>' in html
    assert '<a href="/hscps/renfrewshire">Renfrewshire</a>' in html
    assert '<a href="/boards/nhs-greater-glasgow-clyde">NHS Greater Glasgow &amp; Clyde</a>' in html
    assert '<a href="/tags/women&#39;s%20health">Women&#39;s health</a>' in html
    assert re.search(r'Adapted from <a href="/projects/valproate-in-paisley-first-cycle">'
                     r"Valproate in Paisley, first cycle</a> \(Paisley North\)", html)
    assert re.search(r'<a href="/projects/valproate-in-leith">Valproate in Leith</a> '
                     r"\(Leith &amp; Portobello\)", html)
    assert 'href="/projects/safer-valproate-prescribing/history"' in html
    original = page(client, "/projects/valproate-in-paisley-first-cycle")
    assert links_to_project(original, "safer-valproate-prescribing") and "Adapted by:" in original


def test_measures_table_appears_without_a_measures_section(client, make_project, org):
    make_project(measures=RICH["measures"])
    html = page(client, "/projects/safer-valproate-prescribing")
    assert '<h2 id="measures-title">Measures</h2>' in html
    assert "<td>Signed risk forms</td>" in html


def test_unknown_project_is_a_404_page(client):
    html = page(client, "/projects/no-such-project", status=404)
    assert "<html" in html


def test_rendered_html_is_cached_in_the_revision(client, make_project, org):
    project = make_project(sections=[Section("Aim", "Original *aim*.", "aim")])
    revision = project.current_revision
    assert revision.rendered == {"intro": "", "section-0": "<p>Original <em>aim</em>.</p>"}
    revision.rendered = {**revision.rendered, "section-0": "<p>Served from the cache</p>"}
    db.session.commit()

    html = page(client, "/projects/safer-valproate-prescribing")
    assert '<div class="cc-prose"><p>Served from the cache</p></div>' in html
    assert "<em>aim</em>" not in html
    api = client.get("/api/v1/projects/safer-valproate-prescribing").get_json()
    assert api["sections"][0]["html"] == "<p>Served from the cache</p>"

    revise("safer-valproate-prescribing", sections=[Section("Aim", "Revised *aim*.", "aim")])
    html = page(client, "/projects/safer-valproate-prescribing")
    assert "<p>Revised <em>aim</em>.</p>" in html and "Served from the cache" not in html


@pytest.mark.parametrize(
    "fields, summary",
    [
        ({"summary": ""}, "By November, 90% of new starters have a BP check."),
        ({"summary": "", "section_aim": "", "section_background": "Why:\n\n- a list"}, "Why:"),
        ({"summary": "", "section_aim": "", "section_background": "", "intro": ""}, ""),
        ({"summary": "  Given   summary  wins. "}, "Given summary wins."),
        ({"summary": "", "section_aim": "# Heading first\n\nThen **the** aim."}, "Then the aim."),
    ],
)
def test_summary_is_derived_from_the_aim_when_absent(client, lead, fields, summary):
    assert post_editor(client, **fields).status_code == 302
    project = get_project(MIRABEGRON)
    assert project.summary == summary
    html = page(client, f"/projects/{MIRABEGRON}")
    assert (f'<p class="ds_lead">{summary}</p>' in html) is bool(summary)
    stored = project.current_revision.writeup
    assert stored.summary == (summary if fields["summary"].strip() else None)
