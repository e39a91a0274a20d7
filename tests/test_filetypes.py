"""File types from content, never from the name: every accepted type, renamed files, markup and
programs in disguise, zip bombs and damaged archives, empty files, and safe file names."""

import io
import zipfile

import pytest

from registry.tools.filetypes import (
    ACCEPTED,
    MAX_ENTRIES,
    MAX_NAME_BYTES,
    MAX_UPLOAD_BYTES,
    MB,
    EmptyFile,
    UnsafeArchive,
    UnsupportedFile,
    detect,
    sanitise_filename,
)
from tests import sample_files
from tests.sample_files import MAIN_PARTS, content_types, ooxml

SAMPLES = {
    "xlsx": sample_files.xlsx({"Data": [["Practice", "Count"], ["A", 3]]}),
    "xls": sample_files.xls({"Data": [["Practice", "Count"], ["A", 3]]}),
    "ods": sample_files.ods({"Data": [["Practice", "Count"], ["A", 3]]}),
    "docx": sample_files.word(["Audit protocol"]),
    "odt": sample_files.odt(["Audit protocol"]),
    "pptx": sample_files.slides({"title": "Results"}),
    "pdf": sample_files.pdf(["Audit protocol"]),
    "png": sample_files.image("PNG"),
    "jpg": sample_files.image("JPEG"),
}


@pytest.mark.parametrize("extension", SAMPLES)
@pytest.mark.parametrize("name", ["{}", "renamed.bin", "no-extension", "wrong.csv"])
def test_binary_types_are_decided_by_content_whatever_the_name(extension, name):
    file_type = detect(SAMPLES[extension], name.format(f"tool.{extension}"))
    assert file_type.extension == extension
    assert file_type.content_type and file_type.label


def test_every_accepted_type_is_covered_and_served_as_a_known_type():
    text_kinds = {detect(b"a,b\n1,2\n", f"x.{ext}").extension for ext in ("csv", "md", "txt")}
    assert set(SAMPLES) | text_kinds == set(ACCEPTED)
    assert detect(SAMPLES["xlsx"], "x").content_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert detect(SAMPLES["png"], "x").content_type == "image/png"


@pytest.mark.parametrize(
    "name, extension, content_type",
    [
        ("audit.csv", "csv", "text/csv; charset=utf-8"),
        ("AUDIT.CSV", "csv", "text/csv; charset=utf-8"),
        ("notes.md", "md", "text/markdown; charset=utf-8"),
        ("notes.markdown", "md", "text/markdown; charset=utf-8"),
        ("notes.txt", "txt", "text/plain; charset=utf-8"),
        ("notes.html", "txt", "text/plain; charset=utf-8"),  # plain text, whatever it is called
        ("notes", "txt", "text/plain; charset=utf-8"),
        ("audit.xlsx", "txt", "text/plain; charset=utf-8"),  # the name cannot make text Excel
    ],
)
def test_the_name_chooses_only_between_text_kinds(name, extension, content_type):
    file_type = detect("Practice,Count\nGlenview,12\n".encode(), name)
    assert (file_type.extension, file_type.content_type) == (extension, content_type)


@pytest.mark.parametrize(
    "data, encoding, charset",
    [
        ("Càraid, Łódź\n".encode("utf-8"), "utf-8", "utf-8"),
        ("Càraid\n".encode("utf-8-sig"), "utf-8-sig", "utf-8"),
        ("Càraid\tCount\n".encode("utf-16"), "utf-16", "utf-16"),  # Excel's "Unicode text"
        ("Café – £12\n".encode("cp1252"), "cp1252", "windows-1252"),
    ],
)
def test_text_encodings_are_recognised_for_reading_and_serving(data, encoding, charset):
    file_type = detect(data, "export.txt")
    assert file_type.encoding == encoding
    assert file_type.content_type == f"text/plain; charset={charset}"
    assert data.decode(file_type.encoding).strip()


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"  \n<html lang='en'><body>hi</body></html>",
        b"<script>fetch('/api')</script>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<?xml version="1.0"?><svg/>',
        b"\xef\xbb\xbf<iframe src=x>",
        b"<!-- a comment --><p>text</p>",
    ],
)
@pytest.mark.parametrize("name", ["notes.txt", "audit.csv", "readme.md"])
def test_markup_a_browser_would_render_is_refused_even_when_named_as_text(data, name):
    with pytest.raises(UnsupportedFile, match="web page or other markup"):
        detect(data, name)


def test_text_that_merely_mentions_markup_is_accepted():
    data = b"# Letters\n\nUse <b>bold</b> for the practice name.\n"
    assert detect(data, "template.md").extension == "md"


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200),  # a Windows program
        b"\x7fELF\x02\x01\x01" + bytes(100),
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00",
        bytes(range(256)) * 4,
    ],
    ids=["exe", "elf", "gif", "binary"],
)
@pytest.mark.parametrize("name", ["tool.pdf", "notes.txt", "audit.xlsx"])
def test_programs_and_other_binaries_are_refused_whatever_their_name(data, name):
    with pytest.raises(UnsupportedFile, match=r"\.xlsx, \.xls, \.ods, \.csv"):
        detect(data, name)


def test_the_refusal_names_the_file_and_what_is_accepted():
    with pytest.raises(UnsupportedFile) as refused:
        detect(b"MZ" + bytes(100), r"C:\Users\me\Desktop\setup.exe")
    assert str(refused.value).startswith("“setup.exe” is not a file we accept.")
    assert "images (.png, .jpg)" in str(refused.value)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", "\ufeff".encode("utf-8")])
def test_empty_files_are_refused(data):
    with pytest.raises(EmptyFile, match="“list.csv” is empty"):
        detect(data, "list.csv")


def test_files_over_the_size_limit_are_refused():
    with pytest.raises(UnsupportedFile, match="larger than 20 MB"):
        detect(b"a" * (MAX_UPLOAD_BYTES + 1), "big.txt")


# --- Containers: zip (OOXML, ODF) and OLE2 ----------------------------------------------------
def test_office_files_are_typed_by_their_declared_main_part_not_their_folders():
    data = ooxml(MAIN_PARTS["docx"], **{"xl/workbook.xml": b"<x/>"})
    assert detect(data, "x.xlsx").extension == "docx"


@pytest.mark.parametrize(
    "content_type, message",
    [
        ("application/vnd.ms-excel.sheet.macroEnabled.main+xml", "contains macros"),
        ("application/vnd.ms-word.document.macroEnabled.main+xml", "contains macros"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
         "template or slide show"),
        ("application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
         "template or slide show"),
    ],
)
def test_macro_enabled_and_template_office_files_are_refused(content_type, message):
    with pytest.raises(UnsupportedFile, match=message):
        detect(ooxml(content_type), "budget.xlsx")


def test_other_opendocument_kinds_are_refused():
    data = sample_files.zipped({"mimetype": b"application/vnd.oasis.opendocument.presentation"})
    with pytest.raises(UnsupportedFile, match="OpenDocument file of a kind not accepted"):
        detect(data, "slides.ods")


def test_a_plain_zip_archive_is_refused_with_advice():
    data = sample_files.zipped({"audit.xlsx": SAMPLES["xlsx"], "letter.docx": SAMPLES["docx"]})
    with pytest.raises(UnsupportedFile, match="is a zip archive. Upload the files inside it"):
        detect(data, "tools.zip")


@pytest.mark.parametrize(
    "damage",
    [lambda d: d[: len(d) // 2], lambda d: d[:40], lambda d: d[:-30] + bytes(30)],
    ids=["truncated", "header-only", "directory-overwritten"],
)
def test_damaged_zip_containers_are_refused_as_unsafe(damage):
    with pytest.raises(UnsafeArchive, match="is damaged"):
        detect(damage(SAMPLES["xlsx"]), "audit.xlsx")


def test_a_content_types_part_with_entities_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><Types>&a;</Types>'
    data = sample_files.zipped({"[Content_Types].xml": bomb})
    with pytest.raises(UnsafeArchive):
        detect(data, "audit.xlsx")


def bomb(unpacked_bytes: int) -> bytes:
    """An Excel-looking archive whose sheet is `unpacked_bytes` of zeros (about 1000 to 1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types(MAIN_PARTS["xlsx"]))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = bytes(MB)
            for _ in range(unpacked_bytes // MB):
                sheet.write(chunk)
    return out.getvalue()


def test_an_archive_unpacking_past_200_mb_is_refused():
    data = bomb(201 * MB)
    assert len(data) < MB  # an upload well within the size limit
    with pytest.raises(UnsafeArchive, match="unpacks to 201 MB, more than we can check"):
        detect(data, "audit.xlsx")


def test_an_archive_compressed_past_100_to_1_is_refused():
    with pytest.raises(UnsafeArchive, match="compressed more than 100 to 1"):
        detect(bomb(20 * MB), "audit.xlsx")


def test_small_archives_may_compress_well():
    data = ooxml(MAIN_PARTS["xlsx"], **{"xl/empty.xml": bytes(5 * MB)})
    assert detect(data, "x.xlsx").extension == "xlsx"


def test_an_archive_with_too_many_entries_is_refused():
    entries = {f"xl/media/{number}.xml": b"" for number in range(MAX_ENTRIES + 1)}
    data = ooxml(MAIN_PARTS["xlsx"], **entries)
    with pytest.raises(UnsafeArchive, match="holds 10,002 files inside it"):
        detect(data, "audit.xlsx")


def test_a_damaged_ole2_container_is_refused():
    with pytest.raises(UnsupportedFile, match="is damaged"):
        detect(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000), "old.xls")


# --- Safe names -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, extension, expected",
    [
        ("Valproate audit.xlsx", "xlsx", "Valproate audit.xlsx"),
        ("audit.XLS", "xlsx", "audit.xlsx"),  # the content's extension replaces a wrong one
        ("audit.jpeg", "jpg", "audit.jpg"),
        ("letter", "docx", "letter.docx"),
        ("report.final.pdf", "pdf", "report.final.pdf"),
        ("invoice.pdf.exe", "pdf", "invoice.pdf.exe.pdf"),
        ("../../etc/passwd", "txt", "passwd.txt"),
        (r"C:\Users\gp\Desktop\Recall list.csv", "csv", "Recall list.csv"),
        ("..\\..\\boot.ini", "txt", "boot.ini.txt"),
        (".htaccess", "txt", "htaccess.txt"),
        ("...", "pdf", "tool.pdf"),
        ("", "png", "tool.png"),
        ("   ", "png", "tool.png"),
        ("/", "md", "tool.md"),
        ("CON", "txt", "_CON.txt"),
        ("nul.txt", "txt", "_nul.txt"),
        ("com1.tar.csv", "csv", "_com1.tar.csv"),
        ("console.txt", "txt", "console.txt"),
        ("a\x00b\x1f\x7fc.txt", "txt", "abc.txt"),
        ("summary\u202etxt.exe", "pdf", "summarytxt.exe.pdf"),  # a right-to-left override
        ('what?<now>:"|*.csv', "csv", "what__now_____.csv"),
        ("Cafe\u0301 audit.odt", "odt", "Café audit.odt"),  # normalised to one character
        ("Càraid – Łódź 審查 📊.xlsx", "xlsx", "Càraid – Łódź 審查 📊.xlsx"),
        ("tab\tand\nnewline.txt", "txt", "tabandnewline.txt"),
        ("  spaced   out  .pdf", "pdf", "spaced out.pdf"),
        ("-rf.txt", "txt", "rf.txt"),
    ],
)
def test_sanitise_filename(name, extension, expected):
    assert sanitise_filename(name, extension) == expected


@pytest.mark.parametrize("letter", ["a", "é", "審", "📊"])
def test_long_names_are_cut_to_whole_characters_keeping_the_extension(letter):
    name = sanitise_filename(letter * 400 + ".xlsx", "xlsx")
    assert name.endswith(".xlsx") and name.startswith(letter)
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert set(name[: -len(".xlsx")]) == {letter}
