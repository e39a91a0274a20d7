"""Tools attached to write-ups, through the test client: attach, download, replace, remove;
bad files of every kind refused with nothing half-stored; the history; search finds a tool's
text; the /tools library and its API."""

import hashlib
import io
import re
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.search import services as search
from registry.tools import filetypes
from registry.tools import services as tools
from registry.tools.models import Tool, ToolVersion
from registry.tools.rules import ToolDetails, size_limit
from registry.tools.storage import BlobStore
from tests.identifier_numbers import chi, grouped, nhs
from tests.tool_fixtures import (
    AUDIT_SEARCH_CSV,
    LETTER_TXT,
    fetch,
    form,
    png_bytes,
    post_form,
    stored_files,
    tool_count,
    upload,
    upload_dir,  # noqa: F401 (a fixture)
    version_count,
)

SLUG = "safer-valproate-prescribing"


@pytest.fixture
def project(lead, make_project):
    return make_project(lead)


def only_tool() -> Tool:
    db.session.expire_all()
    return db.session.scalars(select(Tool)).one()


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# --- Attaching, downloading ------------------------------------------------------------------
def test_attaching_a_tool_stores_the_file_by_its_hash_and_shows_it(
    client, project, upload_dir
):
    response = upload(client, SLUG)

    assert response.status_code == 302
    assert response.location == f"/projects/{SLUG}#tools-title"
    tool = only_tool()
    assert (tool.title, tool.kind, tool.clinical_system, tool.version) == (
        "Valproate audit search", "audit-search", "emis", 1)
    sha = hashlib.sha256(AUDIT_SEARCH_CSV).hexdigest()
    assert tool.current.sha256 == sha
    assert tool.current.filename == "valproate-search.csv"
    assert "VALP-PPP" in tool.current.text  # extracted once, kept for the index
    assert stored_files(upload_dir) == [upload_dir / sha[:2] / sha]
    page = page_text(client.get(f"/projects/{SLUG}"))
    assert "Tool attached." in page
    assert "Valproate audit search" in page and "Audit search" in page and "EMIS" in page
    assert f'href="/projects/{SLUG}/tools/{tool.id}/download"' in page


def test_the_same_file_is_stored_once_however_often_it_is_attached(
    client, lead, make_project, upload_dir
):
    make_project(lead)
    make_project(lead, title="Valproate second cycle")
    upload(client, SLUG)
    upload(client, "valproate-second-cycle", title="Same search, second cycle")

    shas = {v.sha256 for v in db.session.scalars(select(ToolVersion))}
    assert tool_count() == 2 and len(shas) == 1
    assert len(stored_files(upload_dir)) == 1


def test_a_download_is_a_counted_attachment_that_is_never_sniffed(client, project):
    upload(client, SLUG)
    tool = only_tool()

    for expected_count in (1, 2):
        response = fetch(client, f"/projects/{SLUG}/tools/{tool.id}/download")
        assert response.status_code == 200
        assert response.data == AUDIT_SEARCH_CSV
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "valproate-search.csv" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.content_type == filetypes.detect(AUDIT_SEARCH_CSV, "a.csv").content_type
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert only_tool().download_count == expected_count


def test_an_image_tool_keeps_its_type_from_its_content(client, project):
    upload(client, SLUG, title="Run chart", kind="slides", clinical_system="",
           file=(png_bytes(), "run chart.png"))
    tool = only_tool()
    assert (tool.current.extension, tool.current.content_type) == ("png", "image/png")
    assert tool.clinical_system == ""


# --- Changing and removing -------------------------------------------------------------------
def test_a_new_version_keeps_the_old_one_in_the_history(client, project):
    upload(client, SLUG)
    tool = only_tool()
    newer = AUDIT_SEARCH_CSV + b"4,Exclude palliative care,Refinement\n"

    response = post_form(
        client, f"/projects/{SLUG}/tools/{tool.id}/edit",
        form(title="Valproate audit search v2", file=(newer, "valproate-search-v2.csv")),
    )

    assert response.status_code == 302
    tool = only_tool()
    assert tool.version == 2 and tool.title == "Valproate audit search v2"
    assert fetch(client, f"/projects/{SLUG}/tools/{tool.id}/download").data == newer
    old = fetch(client, f"/projects/{SLUG}/tools/{tool.id}/versions/1/download")
    assert old.status_code == 200 and old.data == AUDIT_SEARCH_CSV
    history = page_text(client.get(f"/projects/{SLUG}/history"))
    assert "New version 2 of “Valproate audit search v2”" in history
    assert "Attached “Valproate audit search v2”" in history
    assert "valproate-search.csv" in history and "valproate-search-v2.csv" in history
    assert "Dr Morag Fraser" in history


def test_changing_only_the_details_keeps_the_file(client, project):
    upload(client, SLUG)
    tool = only_tool()
    response = post_form(
        client, f"/projects/{SLUG}/tools/{tool.id}/edit",
        form(title="Valproate search for Vision", clinical_system="vision"),
    )
    assert response.status_code == 302
    tool = only_tool()
    assert (tool.title, tool.clinical_system, tool.version) == (
        "Valproate search for Vision", "vision", 1)


def test_the_change_form_is_prefilled(client, project):
    upload(client, SLUG, description="Run it monthly.")
    page = client.get(f"/projects/{SLUG}/tools/{only_tool().id}/edit").get_data(as_text=True)
    assert 'value="Valproate audit search"' in page
    assert "Run it monthly." in page
    assert re.search(r'value="emis"\s+checked', page)


def test_removing_a_tool_keeps_its_files_in_the_history(client, project, upload_dir):
    upload(client, SLUG)
    tool_id = only_tool().id

    response = client.post(f"/projects/{SLUG}/tools/{tool_id}/remove")

    assert response.status_code == 302
    assert "Removed “Valproate audit search”" in page_text(client.get(f"/projects/{SLUG}"))
    assert "Valproate audit search" not in page_text(client.get(f"/projects/{SLUG}"))
    assert fetch(client, f"/projects/{SLUG}/tools/{tool_id}/download").status_code == 404
    assert client.get(f"/projects/{SLUG}/tools/{tool_id}/edit").status_code == 404
    old = fetch(client, f"/projects/{SLUG}/tools/{tool_id}/versions/1/download")
    assert old.status_code == 200
    history = page_text(client.get(f"/projects/{SLUG}/history"))
    assert "Removed “Valproate audit search”" in history
    assert client.get("/api/v1/tools").get_json()["total"] == 0
    assert len(stored_files(upload_dir)) == 1


def test_unknown_tools_and_versions_are_not_found(client, project, make_project, lead):
    upload(client, SLUG)
    tool_id = only_tool().id
    make_project(lead, title="Another project")
    for url in (f"/projects/another-project/tools/{tool_id}/download",
                f"/projects/{SLUG}/tools/{tool_id}/versions/2/download",
                f"/projects/{SLUG}/tools/999/download",
                f"/projects/no-such/tools/{tool_id}/download"):
        assert fetch(client, url).status_code == 404, url


# --- Bad input -------------------------------------------------------------------------------
def assert_nothing_stored(upload_dir: Path, files_before: int = 0) -> None:
    assert tool_count() == 0 and version_count() == 0
    assert len(stored_files(upload_dir)) == files_before


def errors_on(response) -> str:
    return page_text(response)


@pytest.mark.parametrize(
    "file, field, message",
    [
        (None, "file", "Choose a file to upload."),
        ((b"", "empty.csv"), "file", "empty"),
        ((b"MZ\x90\x00" + b"\x00" * 200, "report.pdf"), "file", "xlsx"),
        ((b"\x7fELF" + b"\x00" * 100, "audit-search"), "file", "csv"),
    ],
    ids=["no-file", "empty-file", "program-named-pdf", "no-extension"],
)
def test_bad_files_are_refused_beside_the_field_and_nothing_is_stored(
    client, project, upload_dir, file, field, message
):
    response = post_form(client, f"/projects/{SLUG}/tools/new", form(file=file))

    assert response.status_code == 400
    page = errors_on(response)
    assert "There is a problem" in page
    assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', page), page[:3000]
    # Everything typed is kept; the file must be chosen again, and the page says so.
    assert 'value="Valproate audit search"' in page
    assert "Finds women 12–55 on valproate without a signed form." in page
    assert re.search(r'value="audit-search"\s+checked', page)
    if file is not None:
        assert tools.REPEAT_FILE_HINT in page
    assert_nothing_stored(upload_dir)


def test_a_refused_type_names_what_is_accepted(client, project, upload_dir):
    response = upload(client, SLUG, file=(b"MZ\x90\x00" + b"\x00" * 200, "setup.exe"))
    assert response.status_code == 400
    message = re.search(r'id="file-error">([^<]*)<', errors_on(response)).group(1)
    for extension in ("xlsx", "csv", "docx", "pdf", "png"):
        assert extension in message.lower()
    assert_nothing_stored(upload_dir)


def test_detail_problems_are_reported_together_with_the_file_problem(client, project, upload_dir):
    response = upload(client, SLUG, title="ab", kind="spaceship", clinical_system="cerner",
                      description="x" * 2001, file=(b"", "empty.csv"))
    assert response.status_code == 400
    page = errors_on(response)
    for field in ("title", "kind", "clinical_system", "description", "file"):
        assert f'href="#{field}"' in page, field
    assert_nothing_stored(upload_dir)


@pytest.mark.parametrize("entries, size", [(1, 11 * 1024 * 1024), (10_001, 1)],
                         ids=["unpacks-a-thousand-fold", "ten-thousand-entries"])
def test_an_absurd_office_file_is_refused(client, project, upload_dir, entries, size):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(entries):
            archive.writestr(f"xl/worksheets/sheet{number}.xml", b"\x00" * size)
    response = upload(client, SLUG, file=(buffer.getvalue(), "audit.xlsx"))
    assert response.status_code == 400
    message = re.search(r'id="file-error">([^<]*)<', errors_on(response)).group(1)
    assert "“audit.xlsx”" in message and "not opened" in message
    assert_nothing_stored(upload_dir)


def test_a_patient_identifier_in_a_csv_is_refused_naming_the_file_and_place(
    client, project, upload_dir
):
    number = chi()
    extract = AUDIT_SEARCH_CSV + f"4,{grouped(number)},Follow up\n".encode()

    response = upload(client, SLUG, file=(extract, "recall list.csv"))

    assert response.status_code == 400
    message = re.search(r'id="file-error">([^<]*)<', errors_on(response)).group(1)
    assert message.startswith("recall list.csv, ")
    assert "CHI" in message
    assert number not in message and grouped(number) not in message
    assert re.search(r"cell B5|line 5|row 5", message), message
    assert_nothing_stored(upload_dir)


@pytest.mark.parametrize("field", ["title", "description"])
def test_a_patient_identifier_in_the_details_is_refused_and_what_was_typed_kept(
    client, project, upload_dir, field
):
    number = grouped(chi())
    typed = f"Recall for {number} and others"

    response = upload(client, SLUG, **{field: typed})

    assert response.status_code == 400
    page = errors_on(response)
    message = re.search(rf'id="{field}-error">([^<]*)<', page).group(1)
    assert f"The {field} contains what looks like a CHI number" in message
    assert number.replace(" ", "")[:6] + "•••••" in message
    assert page.count(number) == 1  # kept in the field, never repeated in the message
    assert_nothing_stored(upload_dir)


def test_changing_the_details_is_guarded_too(client, project):
    upload(client, SLUG)
    tool = only_tool()
    number = nhs()
    response = post_form(client, f"/projects/{SLUG}/tools/{tool.id}/edit",
                         form(description=f"Ask for NHS number {number}."))
    assert response.status_code == 400
    assert "The description contains what looks like an NHS number" in errors_on(response)
    assert only_tool().description == "Finds women 12–55 on valproate without a signed form."


def test_a_file_over_the_limit_is_refused_with_the_limit(client, project, upload_dir, app):
    too_big = b"a,b\n" + b"1,2\n" * (filetypes.MAX_UPLOAD_BYTES // 4)
    assert filetypes.MAX_UPLOAD_BYTES < len(too_big) < app.config["MAX_CONTENT_LENGTH"] - 10_000
    response = upload(client, SLUG, file=(too_big, "big.csv"))
    assert response.status_code == 400
    assert f"larger than {size_limit()}" in errors_on(response)
    assert_nothing_stored(upload_dir)


def test_an_oversize_request_gets_a_413_page_stating_the_limit(client, project, upload_dir, app):
    huge = b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = upload(client, SLUG, file=(huge, "huge.csv"))
    assert response.status_code == 413
    page = errors_on(response)
    assert size_limit() in page and "nothing was saved" in page
    assert_nothing_stored(upload_dir)


@pytest.mark.parametrize(
    "name",
    ["../../../etc/passwd.csv", "..\\..\\windows\\audit.csv", "/absolute/audit.csv",
     ".hidden.csv", "a" * 300 + ".csv", "con.csv", "audit\x00.exe.csv", "  .csv"],
)
def test_hostile_file_names_are_made_safe(client, project, upload_dir, name):
    response = upload(client, SLUG, file=(AUDIT_SEARCH_CSV, name))
    assert response.status_code == 302
    stored = only_tool().current.filename
    assert "/" not in stored and "\\" not in stored and "\x00" not in stored
    assert not stored.startswith(".") and stored.endswith(".csv") and len(stored) <= 255
    assert all(upload_dir in path.parents for path in stored_files(upload_dir))
    download = fetch(client, f"/projects/{SLUG}/tools/{only_tool().id}/download")
    assert download.status_code == 200 and ".." not in download.headers["Content-Disposition"]


def test_a_unicode_file_name_is_kept_for_the_download(client, project):
    upload(client, SLUG, file=(AUDIT_SEARCH_CSV, "Évaluation – Ùig audit ✓.csv"))
    stored = only_tool().current.filename
    disposition = fetch(client, f"/projects/{SLUG}/tools/{only_tool().id}/download").headers[
        "Content-Disposition"]
    assert stored.endswith(".csv")
    assert "filename*=UTF-8''" + quote(stored) in disposition


def test_duplicate_titles_and_files_on_one_writeup_are_refused(client, project, upload_dir):
    upload(client, SLUG)
    same_title = upload(client, SLUG, file=(LETTER_TXT, "letter.txt"))
    assert same_title.status_code == 400
    assert "already has a tool called “Valproate audit search”" in errors_on(same_title)
    same_file = upload(client, SLUG, title="Another name", file=(AUDIT_SEARCH_CSV, "copy.csv"))
    assert same_file.status_code == 400
    assert "already has this file, as “Valproate audit search”" in errors_on(same_file)
    assert tool_count() == 1 and len(stored_files(upload_dir)) == 1


def test_same_name_different_content_are_two_files(client, project, upload_dir):
    upload(client, SLUG, file=(AUDIT_SEARCH_CSV, "search.csv"))
    upload(client, SLUG, title="Letter", kind="letter", file=(LETTER_TXT, "search.csv"))
    tools_by_title = {t.title: t for t in db.session.scalars(select(Tool))}
    assert len(stored_files(upload_dir)) == 2
    for title, content in (("Valproate audit search", AUDIT_SEARCH_CSV), ("Letter", LETTER_TXT)):
        url = f"/projects/{SLUG}/tools/{tools_by_title[title].id}/download"
        assert fetch(client, url).data == content


# --- Nothing half-stored -----------------------------------------------------------------------
def test_a_failed_commit_leaves_no_file_and_no_row(app, project, lead, upload_dir, monkeypatch):
    def fail(_project):
        raise RuntimeError("database went away")

    monkeypatch.setattr(search, "record_change", fail)
    with pytest.raises(RuntimeError):
        tools.add_tool(lead, SLUG, ToolDetails("Valproate search", "audit-search"),
                       tools.Upload("search.csv", AUDIT_SEARCH_CSV))
    assert_nothing_stored(upload_dir)


def test_a_failed_commit_keeps_a_file_another_tool_uses(
    app, project, lead, make_project, upload_dir, monkeypatch
):
    tools.add_tool(lead, SLUG, ToolDetails("Valproate search", "audit-search"),
                   tools.Upload("search.csv", AUDIT_SEARCH_CSV))
    make_project(lead, title="Second cycle")
    monkeypatch.setattr(search, "record_change", lambda _p: (_ for _ in ()).throw(OSError()))
    with pytest.raises(OSError):
        tools.add_tool(lead, "second-cycle", ToolDetails("Same search", "audit-search"),
                       tools.Upload("search.csv", AUDIT_SEARCH_CSV))
    assert tool_count() == 1
    sha = hashlib.sha256(AUDIT_SEARCH_CSV).hexdigest()
    assert stored_files(upload_dir) == [upload_dir / sha[:2] / sha]


def test_a_failed_upload_cannot_remove_a_file_another_upload_is_committing(tmp_path):
    """Two uploads of the same bytes at once: the first fails after writing the file, while the
    second is waiting to commit a row that uses it. The second must still find its file."""
    store = BlobStore(tmp_path)
    committed: set[str] = set()
    first_inside, first_may_fail = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> None:
        try:
            with store.storing(AUDIT_SEARCH_CSV, committed.__contains__):
                first_inside.set()
                first_may_fail.wait(5)
                raise RuntimeError("commit failed")
        except RuntimeError:
            outcomes["first"] = "failed"

    def second() -> None:
        with store.storing(AUDIT_SEARCH_CSV, committed.__contains__) as sha256:
            committed.add(sha256)
            outcomes["second"] = sha256

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_inside.wait(5)
    threads[1].start()
    time.sleep(0.2)
    assert "second" not in outcomes  # it waits for the first upload's lock
    first_may_fail.set()
    for thread in threads:
        thread.join(5)
    assert outcomes["first"] == "failed"
    assert store.exists(outcomes["second"])
    assert [p.name for p in stored_files(tmp_path)] == [outcomes["second"]]


# --- Search ----------------------------------------------------------------------------------
@pytest.fixture
def index_ready(app):
    search.rebuild()


def found(client, query: str, **params) -> list[str]:
    response = client.get("/api/v1/search", query_string={"q": query, **params})
    assert response.status_code == 200, response.get_json()
    return [hit["slug"] for hit in response.get_json()["results"]]


def test_search_finds_a_writeup_by_the_text_inside_its_tool(client, index_ready, project, lead,
                                                            make_project):
    make_project(lead, title="Valproate recall letters")  # mentions valproate, not the search
    assert found(client, "VALP-PPP") == []

    upload(client, SLUG)

    assert found(client, "valproate search EMIS")[0] == SLUG
    assert found(client, "VALP-PPP") == [SLUG]
    body = client.get("/api/v1/search", query_string={"q": "valproate"}).get_json()
    kinds = {facet["label"]: facet["count"] for facet in body["facets"]["tool_kind"]}
    assert kinds == {"Audit search": 1}
    assert search.check().ok

    client.post(f"/projects/{SLUG}/tools/{only_tool().id}/remove")
    assert found(client, "VALP-PPP") == []
    assert search.check().ok


def test_a_new_version_changes_what_search_finds(client, index_ready, project):
    upload(client, SLUG)
    post_form(client, f"/projects/{SLUG}/tools/{only_tool().id}/edit",
              form(file=(b"Rule,Notes\nTopiramate added,Epilim brand\n", "v2.csv")))
    assert found(client, "Epilim") == [SLUG]
    assert found(client, "VALP-PPP") == []
    assert search.check().ok


# --- The library and its API -------------------------------------------------------------------
@pytest.fixture
def library(client, org, lead, make_user, make_project):
    """Four tools on three write-ups in two boards; one write-up is cluster-only."""
    leith = make_user("lead", ("leith-portobello",))
    make_project(lead, tags=["Valproate"])
    make_project(lead, title="Greener inhalers", tags=["Sustainability"])
    make_project(leith, title="Frailty huddles", cluster="leith-portobello", tags=["Frailty"],
                 visibility="cluster")
    add = tools.add_tool
    add(lead, SLUG, ToolDetails("Valproate audit search", "audit-search", "", "emis"),
        tools.Upload("valproate.csv", AUDIT_SEARCH_CSV))
    add(lead, SLUG, ToolDetails("Pregnancy prevention letter", "letter", "Template letter"),
        tools.Upload("letter.txt", LETTER_TXT))
    add(lead, "greener-inhalers", ToolDetails("Inhaler switch search", "audit-search", "", "any"),
        tools.Upload("inhalers.csv", b"Rule\nSalbutamol MDI to dry powder\n"))
    add(leith, "frailty-huddles", ToolDetails("Huddle template", "protocol", "", "vision"),
        tools.Upload("huddle.txt", b"Frailty huddle agenda\n"))


def titles(client, **params) -> list[str]:
    response = client.get("/api/v1/tools", query_string=params)
    assert response.status_code == 200, response.get_json()
    return sorted(item["title"] for item in response.get_json()["results"])


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, ["Inhaler switch search", "Pregnancy prevention letter", "Valproate audit search"]),
        ({"kind": "audit-search"}, ["Inhaler switch search", "Valproate audit search"]),
        ({"system": "emis"}, ["Inhaler switch search", "Valproate audit search"]),
        ({"system": "vision"}, ["Inhaler switch search"]),
        ({"tag": "VALPROATE"}, ["Pregnancy prevention letter", "Valproate audit search"]),
        ({"board": "nhs-greater-glasgow-clyde"},
         ["Inhaler switch search", "Pregnancy prevention letter", "Valproate audit search"]),
        ({"board": "nhs-lothian"}, []),
        ({"q": "valp-ppp"}, ["Valproate audit search"]),
        ({"q": "salbutamol dry"}, ["Inhaler switch search"]),
        ({"q": "salbutamol valproate"}, []),
        ({"q": "100%_"}, []),
    ],
)
def test_library_filters(client, library, params, expected):
    client.post("/sign-out")
    assert titles(client, **params) == expected


def test_the_library_shows_only_what_the_reader_may_see(client, library, make_user, sign_in):
    assert "Huddle template" not in titles(client)
    sign_in(make_user("member", ("leith-portobello",)))
    assert "Huddle template" in titles(client)


def test_library_api_shape_and_pages(client, library):
    body = client.get("/api/v1/tools", query_string={"per_page": 2}).get_json()
    assert (body["total"], body["pages"], len(body["results"])) == (3, 2, 2)
    second = client.get("/api/v1/tools", query_string={"per_page": 2, "page": 2}).get_json()
    assert len(second["results"]) == 1
    item = next(t for t in body["results"] + second["results"]
                if t["title"] == "Valproate audit search")
    assert item["kind"] == {"key": "audit-search", "label": "Audit search"}
    assert item["clinical_system"] == "emis"
    assert item["file"]["name"] == "valproate.csv" and item["file"]["size"] == len(AUDIT_SEARCH_CSV)
    assert item["project"]["slug"] == SLUG and item["project"]["board"]["slug"]
    assert item["download_url"].endswith(f"/projects/{SLUG}/tools/{item['id']}/download")
    assert (item["downloads"], item["reused"], item["linked_from"]) == (0, 0, None)


@pytest.mark.parametrize(
    "params, bad",
    [({"page": "0"}, "page"), ({"per_page": "101"}, "per_page"), ({"kind": "rocket"}, "kind"),
     ({"system": "cerner"}, "system"), ({"tag": "x" * 201}, "tag"), ({"q": "a\x00b"}, "q")],
)
def test_library_bad_parameters_are_named(client, library, params, bad):
    api = client.get("/api/v1/tools", query_string=params)
    assert api.status_code == 400 and bad in api.get_json()["error"]["fields"]
    page = client.get("/tools", query_string=params)
    assert page.status_code == 400 and "There is a problem" in page_text(page)
    assert f'href="#filter-{bad}"' in page_text(page)
    if bad not in ("page", "per_page"):  # a filter the form has: the summary's link reaches it
        assert f'id="filter-{bad}"' in page_text(page)


def test_library_page_lists_filters_and_most_downloaded(client, library):
    tool = db.session.scalar(select(Tool).where(Tool.title == "Valproate audit search"))
    for _ in range(3):
        fetch(client, f"/projects/{SLUG}/tools/{tool.id}/download")
    page = page_text(client.get("/tools"))
    assert "3 tools" in page
    most = page.split('id="most-downloaded-title"')[1].split("</section>")[0]
    assert "Valproate audit search" in most and "3 downloads" in most
    filtered = page_text(client.get("/tools", query_string={"kind": "letter"}))
    assert "1 tool" in filtered and "Pregnancy prevention letter" in filtered
    assert "Most downloaded" not in filtered


def test_project_api_lists_its_tools(client, library):
    body = client.get(f"/api/v1/projects/{SLUG}").get_json()
    assert sorted(t["title"] for t in body["tools"]) == [
        "Pregnancy prevention letter", "Valproate audit search"]
