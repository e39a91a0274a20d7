"""Real files of every accepted type, written in memory by the libraries people's tools use
(openpyxl, xlwt, odfpy, python-docx, python-pptx, fpdf2, Pillow), for the upload tests."""

import csv
import io
import zipfile

import docx
import openpyxl
import pptx
import xlwt
from fpdf import FPDF
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.style import Footer, MasterPage, PageLayout, Style, TableProperties
from odf.table import Table, TableCell, TableRow
from odf.text import P
from PIL import Image
from pptx.util import Inches

Rows = list[list[object]]
MAIN_PARTS = {
    extension: f"application/vnd.openxmlformats-officedocument.{kind}.main+xml"
    for extension, kind in (("xlsx", "spreadsheetml.sheet"), ("docx", "wordprocessingml.document"),
                            ("pptx", "presentationml.presentation"))
}


def xlsx(sheets: dict[str, Rows], hidden: tuple[str, ...] = (), very_hidden=()) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
        if name in very_hidden:
            sheet.sheet_state = "veryHidden"
    return _saved(workbook)


def xls(sheets: dict[str, Rows], hidden: tuple[str, ...] = ()) -> bytes:
    workbook = xlwt.Workbook()
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        sheet.visibility = 1 if name in hidden else 0
    return _saved(workbook)


def ods(sheets: dict[str, Rows], hidden: tuple[str, ...] = ()) -> bytes:
    document = OpenDocumentSpreadsheet()
    hidden_style = Style(name="hidden-sheet", family="table")
    hidden_style.addElement(TableProperties(display="false"))
    document.automaticstyles.addElement(hidden_style)
    for name, rows in sheets.items():
        table = Table(name=name, stylename=hidden_style if name in hidden else None)
        for row in rows:
            table.addElement(_odf_row(row))
        document.spreadsheet.addElement(table)
    return _saved(document)


def csv_file(rows: Rows, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def word(paragraphs: list[str], table: Rows = (), header: str = "", footer: str = "",
         comment: str = "") -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=max(len(row) for row in table))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = str(value)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    if comment:
        run = document.add_paragraph("Reviewed.").runs[0]
        document.add_comment(run, text=comment, author="Reviewer")
    return _saved(document)


def odt(paragraphs: list[str], table: Rows = (), footer: str = "") -> bytes:
    document = OpenDocumentText()
    for text in paragraphs:
        document.text.addElement(P(text=text))
    if table:
        grid = Table(name="Table1")
        for row in table:
            grid.addElement(_odf_row(row))
        document.text.addElement(grid)
    if footer:
        layout = PageLayout(name="page")
        document.automaticstyles.addElement(layout)
        master = MasterPage(name="Standard", pagelayoutname=layout)
        bottom = Footer()
        bottom.addElement(P(text=footer))
        master.addElement(bottom)
        document.masterstyles.addElement(master)
    return _saved(document)


def slides(*contents: dict) -> bytes:
    """One slide per dict: title, body, table (rows) and notes, each optional."""
    presentation = pptx.Presentation()
    for content in contents:
        slide = presentation.slides.add_slide(presentation.slide_layouts[5])
        slide.shapes.title.text = content.get("title", "")
        if "body" in content:
            box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
            box.text_frame.text = content["body"]
        if "table" in content:
            rows = content["table"]
            shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(1), Inches(3),
                                           Inches(6), Inches(2))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    shape.table.cell(r, c).text = str(value)
        if "notes" in content:
            slide.notes_slide.notes_text_frame.text = content["notes"]
    return _saved(presentation)


def pdf(*pages: list[str], user_password: str | None = None) -> bytes:
    document = FPDF()
    document.set_font("Helvetica", size=12)
    for lines in pages:
        document.add_page()
        for line in lines:
            document.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    if user_password is not None:
        document.set_encryption(owner_password="owner", user_password=user_password)
    return bytes(document.output())


def image(kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(out, kind)
    return out.getvalue()


def ooxml(main_part: str, **entries: bytes) -> bytes:
    """A bare Office archive whose main part has the content type `main_part`."""
    return zipped({"[Content_Types].xml": content_types(main_part), **entries})


def content_types(main_part: str) -> bytes:
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/main.xml" ContentType="{main_part}"/></Types>'
    ).encode()


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _odf_row(values: list[object]) -> TableRow:
    row = TableRow()
    for value in values:
        if isinstance(value, (int, float)):
            cell = TableCell(valuetype="float", value=str(value))
        else:
            cell = TableCell(valuetype="string")
        if value is not None:
            cell.addElement(P(text=str(value)))
        row.addElement(cell)
    return row


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
