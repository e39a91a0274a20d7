"""The guard wired in: a CHI or NHS number in any text field of a write-up stops the save (in the
editor, with everything typed kept, and in the service), import-content refuses the file and
writes nothing from it, and publishing re-checks the revision. Invalid numbers pass."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.errors import Invalid
from registry.extensions import db
from registry.organisations.models import Cluster
from registry.privacy.identifiers import MASK
from registry.projects import services
from registry.projects.models import Project
from registry.writeup_format import Measure, Section
from tests.conftest import writeup
from tests.identifier_numbers import MODULUS_10, bad_check_digit, bad_date, chi, nhs
from tests.test_cli import document, run, write
from tests.test_projects import NEW, TYPED, field_error, form_values, get_project, project_count

CHI_NUMBER = chi(date(1967, 10, 21))  # no leading zero: stays ten digits as a number too
MASKED = CHI_NUMBER[:6] + MASK
BLOCKED = {
    "chi-modulus-11": chi(date(1980, 5, 17)),
    "chi-modulus-10": chi(date(1980, 5, 17), scheme=MODULUS_10),
    "chi-3-3-4": " ".join((CHI_NUMBER[:3], CHI_NUMBER[3:6], CHI_NUMBER[6:])),
    "nhs": nhs(),
}
ALLOWED = {
    "bad-check-digit": bad_check_digit(CHI_NUMBER),
    "no-such-date": bad_date(),
    "nhs-bad-check-digit": bad_check_digit(nhs()),
}


def with_number(number: str = CHI_NUMBER) -> str:
    return f"Case {number} was missed"


# --- The editor: the message beside the field, and nothing typed lost ---------------------------
EDITOR_FIELDS = [
    # (form field typed into, field id the error is shown at, how the message names the field)
    ("title", "title", "Title"),
    ("summary", "summary", "Summary"),
    ("tags", "tags", "Tags"),
    ("authors", "authors", "Authors"),
    ("intro", "intro", "Introduction"),
    ("section_background", "section_background", "Background"),
    ("section_aim", "section_aim", "Aim"),
    ("section_results", "section_results", "Results"),
    ("section_tools", "section_tools", "Tools"),
    ("extra_sections-0-body", "extra_sections-0-heading", "The section “Patient voice”"),
    ("extra_sections-0-heading", "extra_sections-0-heading", "A section heading"),
    ("measures-0-name", "measures-0-name", "Measure 1"),
    ("measures-0-definition", "measures-0-name", "Measure 1"),
    ("measures-0-unit", "measures-0-name", "Measure 1"),
]


@pytest.mark.parametrize("action", ["save", "publish"])
@pytest.mark.parametrize("field, error_id, label", EDITOR_FIELDS)
def test_an_identifier_in_any_editor_field_stops_the_save_and_keeps_what_was_typed(
    client, lead, field, error_id, label, action
):
    typed = {**TYPED, field: with_number()}
    response = client.post(NEW, data={**typed, "action": action})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(html, error_id) == (
        f"{label} contains what looks like a CHI number ({MASKED}). "
        "Remove patient identifiers before saving."
    )
    values = form_values(html)
    for name, value in typed.items():
        assert values.get(name) == value, name
    assert project_count() == 0


def test_an_identifier_in_a_measures_data_is_found_as_a_number(client, lead):
    typed = {**TYPED, "measures-0-data": f"2023-04-30, 4/10\n2023-05-31, {CHI_NUMBER}"}
    html = client.post(NEW, data={**typed, "action": "save"}).get_data(as_text=True)
    assert MASKED in field_error(html, "measures-0-name")
    assert form_values(html)["measures-0-data"] == typed["measures-0-data"]
    assert project_count() == 0


def test_the_message_shows_the_number_masked_and_every_field_at_once(client, lead):
    typed = {**TYPED, "title": with_number(), "section_aim": f"Aim\n\nNHS {BLOCKED['nhs']}"}
    html = client.post(NEW, data={**typed, "action": "save"}).get_data(as_text=True)
    assert field_error(html, "section_aim") == (
        f"Aim contains what looks like an NHS number ({BLOCKED['nhs'][:6]}{MASK}). "
        "Remove patient identifiers before saving."
    )
    assert MASKED in field_error(html, "title")
    # The whole number is only where the author typed it, never in a message.
    assert html.count(CHI_NUMBER) == 1


@pytest.mark.parametrize("action", ["save", "preview"])
def test_an_identifier_is_reported_with_the_other_problems_not_after_them(client, lead, action):
    typed = {**TYPED, "title": "ab", "section_aim": with_number()}
    response = client.post(NEW, data={**typed, "action": action})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "title" in field_error(html, "title").lower()
    assert MASKED in field_error(html, "section_aim")
    assert project_count() == 0


def test_editing_a_saved_write_up_is_guarded_too(client, lead, make_project):
    project = make_project(lead)
    typed = {**TYPED, "version": str(project.version), "section_lessons": with_number()}
    response = client.post(f"/projects/{project.slug}/edit", data={**typed, "action": "save"})
    assert response.status_code == 400
    assert MASKED in field_error(response.get_data(as_text=True), "section_lessons")
    assert get_project(project.slug).version == 1


@pytest.mark.parametrize("number", ALLOWED.values(), ids=ALLOWED.keys())
def test_numbers_that_are_not_identifiers_save(client, lead, number):
    response = client.post(NEW, data={**TYPED, "section_aim": with_number(number),
                                       "action": "save"})
    assert response.status_code == 302
    assert project_count() == 1


# --- The service: every door, every text field ------------------------------------------------
SERVICE_FIELDS = {
    "title": dict(title=with_number()),
    "summary": dict(summary=with_number()),
    "tags": dict(tags=["valproate", CHI_NUMBER]),
    "authors": dict(authors=["Dr A. Example", f"for {CHI_NUMBER}"]),
    "intro": dict(intro=with_number()),
    "slug": dict(slug=f"audit-{CHI_NUMBER[:6]}-{CHI_NUMBER[6:]}"),
    "sections-2": dict(sections=[Section("Aim", "Clean.", "aim"),
                                 Section("Changes", with_number(), "changes")]),
    "measures-1": dict(measures=[Measure("Reviewed", "process", definition=with_number())]),
}


@pytest.mark.parametrize("field", SERVICE_FIELDS)
def test_save_writeup_refuses_an_identifier_in_each_field(org, field):
    with pytest.raises(Invalid) as refused:
        services.save_writeup(None, writeup(**SERVICE_FIELDS[field]))
    assert MASKED in " ".join(refused.value.errors[field])
    assert project_count() == 0


@pytest.mark.parametrize("number", BLOCKED.values(), ids=BLOCKED.keys())
def test_save_writeup_refuses_every_kind_and_form_of_identifier(org, number):
    with pytest.raises(Invalid) as refused:
        services.save_writeup(None, writeup(summary=with_number(number)))
    assert list(refused.value.errors) == ["summary"]


@pytest.mark.parametrize("number", ALLOWED.values(), ids=ALLOWED.keys())
def test_save_writeup_accepts_numbers_that_fail_the_checks(org, number):
    project = services.save_writeup(None, writeup(summary=with_number(number)))
    assert project.summary == with_number(number)


def test_a_measure_value_whose_leading_zero_was_lost_is_still_a_chi_number(org):
    number = chi(date(1984, 2, 3))  # 0302…: an int loses the zero
    measure = Measure("Reviewed", "process", data=[{"date": "2024-01-31", "value": int(number)}])
    with pytest.raises(Invalid) as refused:
        services.save_writeup(None, writeup(measures=[measure]))
    assert f"{number[:6]}{MASK}" in refused.value.errors["measures-1"][0]


# --- import-content -----------------------------------------------------------------------------
def test_import_refuses_a_file_with_an_identifier_and_writes_nothing_from_it(cli, org, tmp_path):
    clusters = db.session.scalar(select(func.count()).select_from(Cluster))
    bad = write(
        tmp_path / "content" / "bad.md",
        document(cluster="Johnstone & Linwood", body=f"## Aim\nRecall {CHI_NUMBER} first.\n"),
    )
    write(tmp_path / "content" / "good.md",
          document(title="Renal audit", body=f"## Aim\nRef {ALLOWED['bad-check-digit']}.\n"))

    result = run(cli, "import-content", tmp_path / "content")

    assert result.exit_code == 1
    assert (
        f"{bad.as_posix()}: section “Aim”: Aim contains what looks like a CHI number "
        f"({MASKED}). Remove patient identifiers before saving."
    ) in result.output
    assert CHI_NUMBER not in result.output
    assert "Imported: 1 created, 0 updated, 0 unchanged, 1 failed." in result.output
    assert list(db.session.scalars(select(Project.slug))) == ["renal-audit"]
    # The new cluster the refused file named was not created either.
    assert db.session.scalar(select(func.count()).select_from(Cluster)) == clusters


def test_import_names_the_front_matter_key_holding_an_identifier(cli, org, tmp_path):
    path = write(tmp_path / "one.md", document(summary=f"'{with_number(BLOCKED['nhs'])}'"))
    result = run(cli, "import-content", path)
    assert result.exit_code == 1
    assert f"{path.as_posix()}: key `summary`: Summary contains what looks like an NHS number" in (
        result.output
    )


def test_import_never_repeats_an_identifier_held_in_a_section_heading(cli, org, tmp_path):
    body = f"## Aim\nFewer falls.\n\n## Case {CHI_NUMBER}\nWhat happened.\n"
    path = write(tmp_path / "one.md", document(body=body))
    result = run(cli, "import-content", path)
    assert result.exit_code == 1
    assert f"{path.as_posix()}: section 2: A section heading contains what looks like a CHI" in (
        result.output
    )
    assert CHI_NUMBER not in result.output


# --- Publishing re-checks the revision ----------------------------------------------------------
def _plant_identifier(project) -> None:
    """Put an identifier into the current revision behind the guard's back (as an older
    revision, or a data migration, could have)."""
    revision = project.current_revision
    document = revision.writeup
    revision.document = replace(
        document, sections=[*document.sections, Section("Results", with_number(), "results")]
    ).to_json()
    db.session.commit()


def test_publishing_refuses_a_revision_holding_an_identifier(client, lead, make_project):
    project = make_project(lead, publish=False)
    _plant_identifier(project)

    with pytest.raises(Invalid) as refused:
        services.publish(lead, project.slug)
    assert MASKED in refused.value.errors["sections-3"][0]

    response = client.post(f"/projects/{project.slug}/publish", follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Not published. Results contains what looks like a CHI number" in html
    assert not get_project(project.slug).is_published


def test_publishing_a_clean_draft_still_works(client, lead, make_project):
    project = make_project(lead, publish=False)
    response = client.post(f"/projects/{project.slug}/publish")
    assert response.status_code == 302
    assert get_project(project.slug).is_published
