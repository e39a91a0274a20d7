"""Reading real files of every accepted type: their text for the index, their tables with typed
cells, hidden sheets, headers, footers, comments and notes, identifiers found with their sheet,
cell, page or line, damaged files and the limits on what is read."""

import io
import zipfile
from datetime import date

import pytest

from registry.privacy.identifiers import CHI, NHS
from registry.privacy.scan import scan_file
from registry.tools.contents import MAX_PIECES, MAX_TEXT_CHARACTERS
from registry.tools.extract import UnreadableFile, extract
from registry.tools.filetypes import detect
from tests import sample_files
from tests.sample_files import MAIN_PARTS, ooxml
from tests.identifier_numbers import bad_check_digit, chi, chis, nhs

CHI_NUMBER = chi(date(1958, 4, 9))
DROPPED = chi(date(1971, 1, 2))  # starts with 0, which a spreadsheet drops
NHS_NUMBER = nhs()


def read(data: bytes, name: str):
    return extract(data, detect(data, name))


def found(data: bytes, name: str) -> list[tuple[str, str]]:
    return [(f.kind, f.where) for f in scan_file(read(data, name), name)]


# --- Spreadsheets: every sheet, hidden ones too, with typed cells ------------------------------
SHEETS = {
    "Summary": [["Practice", "Patients reviewed"], ["Glenview", 41], ["Riverside", 37]],
    "Old list": [["Name", "CHI"], ["A", int(DROPPED)], ["B", CHI_NUMBER]],
    "Scratch": [["notes"], [f"recall NHS {NHS_NUMBER}"]],
}


def test_xlsx_every_sheet_with_hidden_and_very_hidden_ones():
    data = sample_files.xlsx(SHEETS, hidden=("Old list",), very_hidden=("Scratch",))
    extracted = read(data, "audit.xlsx")
    assert [(t.name, t.hidden) for t in extracted.tables] == [
        ("Summary", False), ("Old list", True), ("Scratch", True)
    ]
    assert extracted.tables[1].rows[1] == ["A", int(DROPPED)]  # the number as stored
    assert found(data, "audit.xlsx") == [
        (CHI, "audit.xlsx, sheet 'Old list' (hidden), cell B2"),
        (CHI, "audit.xlsx, sheet 'Old list' (hidden), cell B3"),
        (NHS, "audit.xlsx, sheet 'Scratch' (hidden), cell A2"),
    ]
    assert "Glenview 41" in extracted.text and "Patients reviewed" in extracted.text


def test_xlsx_sheets_with_far_away_cells_keep_their_rows_and_columns():
    data = sample_files.xlsx({"Data": [["CHI"]] + [[None]] * 500 + [[None, None, CHI_NUMBER]]})
    assert found(data, "far.xlsx") == [(CHI, "far.xlsx, sheet 'Data', cell C502")]


def test_xlsx_claiming_the_largest_sheet_is_read_by_the_cells_it_has():
    rows = [["Practice", "Count"]] + [[f"Practice {n}", n] for n in range(100)]
    data = sample_files.xlsx({"Data": rows})
    # Read at its declared width, 16,384 cells a row, this would pass the cell limit.
    data = _patched(data, "xl/worksheets/sheet1.xml", b'<dimension ref="A1:B101"/>',
                    b'<dimension ref="A1:XFD1048576"/>')
    assert read(data, "claims.xlsx").tables[0].rows == rows


def test_xls_every_sheet_numbers_as_floats():
    data = sample_files.xls(SHEETS, hidden=("Old list",))
    extracted = read(data, "audit.xls")
    assert [(t.name, t.hidden) for t in extracted.tables] == [
        ("Summary", False), ("Old list", True), ("Scratch", False)
    ]
    assert extracted.tables[1].rows[1] == ["A", float(int(DROPPED))]
    assert found(data, "audit.xls") == [
        (CHI, "audit.xls, sheet 'Old list' (hidden), cell B2"),
        (CHI, "audit.xls, sheet 'Old list' (hidden), cell B3"),
        (NHS, "audit.xls, sheet 'Scratch', cell A2"),
    ]


def test_ods_every_sheet_numbers_as_floats():
    data = sample_files.ods(SHEETS, hidden=("Old list",))
    extracted = read(data, "audit.ods")
    assert [(t.name, t.hidden) for t in extracted.tables] == [
        ("Summary", False), ("Old list", True), ("Scratch", False)
    ]
    assert extracted.tables[0].rows == [["Practice", "Patients reviewed"], ["Glenview", 41.0],
                                        ["Riverside", 37.0]]
    assert found(data, "audit.ods") == [
        (CHI, "audit.ods, sheet 'Old list' (hidden), cell B2"),
        (CHI, "audit.ods, sheet 'Old list' (hidden), cell B3"),
        (NHS, "audit.ods, sheet 'Scratch', cell A2"),
    ]


def test_ods_repeated_cells_and_rows_are_expanded_only_where_they_hold_data():
    data = sample_files.ods({"Data": [["CHI"]]})
    # LibreOffice writes runs of empty cells and rows as one element "repeated" many times.
    rows = (
        b'<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
        b'<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
        b'<table:table-cell office:value-type="float" office:value="' + DROPPED[1:].encode()
        + b'"/></table:table-row>'
        b'<table:table-row table:number-rows-repeated="1048000">'
        b'<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    data = _patched(data, "content.xml", b"</table:table>", rows + b"</table:table>")
    assert found(data, "gaps.ods") == [(CHI, "gaps.ods, sheet 'Data', cell C5")]


def test_csv_with_its_own_delimiter_and_encoding():
    rows = [["Practice", "CHI"], ["Glenview", CHI_NUMBER], ["Riverside", DROPPED[1:]]]
    data = sample_files.csv_file(rows, delimiter=";", encoding="utf-8-sig")
    extracted = read(data, "list.csv")
    assert extracted.tables[0].rows == rows
    assert found(data, "list.csv") == [(CHI, "list.csv, cell B2"), (CHI, "list.csv, cell B3")]


# --- Documents and slides: prose, tables, and the parts people forget ----------------------------
def test_docx_body_tables_header_footer_and_comments():
    data = sample_files.word(
        ["Recall protocol", "", f"Example: {CHI_NUMBER} was missed."],
        table=[["Patient", "NHS number"], ["A", NHS_NUMBER], ["B", bad_check_digit(NHS_NUMBER)]],
        header="Glenview Medical Practice",
        footer=f"Printed for {chis(1, seed=5)[0]}",
        comment=f"Check {grouped_chi()}",
    )
    assert found(data, "protocol.docx") == [
        (CHI, "protocol.docx, line 3"),
        (CHI, "protocol.docx, footer"),
        (CHI, "protocol.docx, comments"),
        (NHS, "protocol.docx, table 1, cell B2"),
    ]
    text = read(data, "protocol.docx").text
    assert "Recall protocol" in text and "Glenview Medical Practice" in text


def test_docx_text_deleted_with_tracked_changes_is_still_read():
    data = sample_files.word([f"Deleted {CHI_NUMBER}"])
    data = _patched(
        data, "word/document.xml", f"<w:r><w:t>Deleted {CHI_NUMBER}</w:t></w:r>".encode(),
        f'<w:del w:id="1" w:author="A"><w:r><w:delText>Deleted {CHI_NUMBER}</w:delText></w:r>'
        "</w:del>".encode(),
    )
    assert found(data, "tracked.docx") == [(CHI, "tracked.docx")]


def test_docx_text_boxes_are_read_once_as_paragraphs_of_their_own():
    data = sample_files.word(["See the box", "After"])
    box = (
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>"
        f"<w:t>CHI {NHS_NUMBER}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>"
        "</w:r>"
    )
    data = _patched(data, "word/document.xml", b"<w:t>See the box</w:t></w:r>",
                    f"<w:t>See the box</w:t></w:r>{box}".encode())
    assert found(data, "box.docx") == [(NHS, "box.docx, line 2")]
    assert read(data, "box.docx").passages[0].text == f"See the box\nCHI {NHS_NUMBER}\nAfter"


def test_odt_body_tables_and_footer():
    data = sample_files.odt(
        ["Recall protocol", f"Example: {CHI_NUMBER}."],
        table=[["CHI"], [DROPPED[1:]]],  # typed without its zero, in a column named CHI
        footer=f"Printed for {NHS_NUMBER}",
    )
    assert found(data, "protocol.odt") == [
        (CHI, "protocol.odt, line 2"),
        (NHS, "protocol.odt, header or footer"),
        (CHI, "protocol.odt, table 1, cell A2"),
    ]


def test_pptx_slides_tables_and_speaker_notes():
    data = sample_files.slides(
        {"title": "Valproate audit", "body": "Results by practice"},
        {"title": "Cases", "table": [["CHI", "Age"], [CHI_NUMBER, "34"]]},
        {"title": "Next steps", "notes": f"Follow up {NHS_NUMBER} before the meeting"},
    )
    assert found(data, "slides.pptx") == [
        (NHS, "slides.pptx, slide 3, line 2"),
        (CHI, "slides.pptx, slide 2, table 1, cell A2"),
    ]
    assert "Results by practice" in read(data, "slides.pptx").text


def test_pdf_pages_and_lines():
    data = sample_files.pdf(["Audit results", "Glenview 41"], ["Exceptions", f"CHI {CHI_NUMBER}"])
    extracted = read(data, "results.pdf")
    assert [p.where for p in extracted.passages] == ["page 1", "page 2"]
    assert found(data, "results.pdf") == [(CHI, "results.pdf, page 2, line 2")]


def test_pdf_protected_only_against_editing_is_read():
    data = sample_files.pdf([f"CHI {CHI_NUMBER}"], user_password="")
    assert found(data, "locked.pdf") == [(CHI, "locked.pdf, page 1")]


def test_pdf_needing_a_password_to_open_cannot_be_checked():
    data = sample_files.pdf([f"CHI {CHI_NUMBER}"], user_password="secret")
    with pytest.raises(UnreadableFile, match="protected by a password"):
        read(data, "locked.pdf")


@pytest.mark.parametrize("name", ["notes.txt", "notes.md"])
def test_plain_text_lines(name):
    data = f"# Notes\r\n\r\nPatient {CHI_NUMBER}\r\n".encode("cp1252")
    assert found(data, name) == [(CHI, f"{name}, line 3")]


def test_images_have_no_text():
    for kind, name in (("PNG", "chart.png"), ("JPEG", "photo.jpg")):
        extracted = read(sample_files.image(kind), name)
        assert (extracted.text, extracted.tables) == ("", [])


# --- Damaged files and limits: UnreadableFile, never anything else -------------------------------
def test_damaged_files_of_every_kind_are_unreadable():
    damaged = {
        "audit.xlsx": ooxml(MAIN_PARTS["xlsx"], **{"xl/workbook.xml": b"<not-a-workbook"}),
        "protocol.docx": ooxml(MAIN_PARTS["docx"]),
        "slides.pptx": ooxml(MAIN_PARTS["pptx"]),
        "audit.ods": sample_files.zipped({
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": b"<broken",
        }),
        "report.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ntrailer <<>>",
        "old.xls": _xls_with_broken_records(),
    }
    for name, data in damaged.items():
        with pytest.raises(UnreadableFile, match="could not be read") as refused:
            read(data, name)
        assert "save it again" in str(refused.value), name


def test_a_file_with_more_text_than_can_be_checked_is_refused_not_read_in_part():
    line = "Glenview practice reviewed its valproate recall list again.\n"
    data = (line * (MAX_TEXT_CHARACTERS // len(line) + 1) + CHI_NUMBER).encode()
    with pytest.raises(UnreadableFile, match="more text than we can check"):
        read(data, "huge.txt")


def test_a_spreadsheet_with_more_cells_than_can_be_checked_is_refused():
    data = sample_files.csv_file([[1, 2, 3, 4]] * (MAX_PIECES // 4 + 1))
    with pytest.raises(UnreadableFile, match="more than we can check"):
        read(data, "huge.csv")


def test_a_cell_repeated_a_billion_times_is_refused_quickly():
    row = (
        b'<table:table-row><table:table-cell table:number-columns-repeated="1000000000" '
        b'office:value-type="float" office:value="7"/></table:table-row>'
    )
    data = _patched(sample_files.ods({"Data": [["x"]]}), "content.xml", b"</table:table>",
                    row + b"</table:table>")
    with pytest.raises(UnreadableFile, match="more than we can check"):
        read(data, "repeated.ods")


def grouped_chi() -> str:
    number = chis(1, seed=9)[0]
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def _xls_with_broken_records() -> bytes:
    """A sound OLE2 container whose workbook stream (its first sector) is garbage."""
    data = sample_files.xls({"Data": [["x"]]})
    return data[:512] + b"\xff" * 512 + data[1024:]


def _patched(data: bytes, entry: str, old: bytes, new: bytes) -> bytes:
    """The archive with the first `old` in `entry` replaced by `new`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {info.filename: source.read(info) for info in source.infolist()}
    assert old in entries[entry]
    entries[entry] = entries[entry].replace(old, new, 1)
    return sample_files.zipped(entries)
