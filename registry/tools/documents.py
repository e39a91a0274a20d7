"""Reading documents and slides: .docx (python-docx), .pptx (python-pptx) and .pdf (pypdf)."""

import io

import docx
import pptx
import pypdf
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from pptx.shapes.group import GroupShape
from pypdf.errors import DependencyError, PdfReadError

from registry.tools.contents import MAX_PAGES, Budget, Extracted, Passage, Table, UnreadableFile

# The parts of a Word file that hold text people wrote, and what to call them.
_WORD_PARTS = {
    "document.main+xml": "",
    "header+xml": "header",
    "footer+xml": "footer",
    "footnotes+xml": "footnotes",
    "endnotes+xml": "endnotes",
    "comments+xml": "comments",
}
_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
# Deleted text (tracked changes) is still in the file, so it is read too.
_W_TEXT = {qn("w:t"): None, qn("w:delText"): None, qn("w:tab"): "\t", qn("w:br"): "\n",
           qn("w:cr"): "\n"}


def read_docx(data: bytes, budget: Budget) -> Extracted:
    """Every paragraph outside tables, and every table, of the body, headers, footers, notes
    and comments; text boxes too (read from the XML, which python-docx's API leaves out)."""
    package = docx.Document(io.BytesIO(data)).part.package
    passages, tables = [], []
    for part in package.iter_parts():
        kind = part.content_type.partition("wordprocessingml.")[2]
        if kind not in _WORD_PARTS:
            continue
        root = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
        lines = [
            budget.text(_paragraph_text(p))
            for p in root.iter(_W_P)
            if next(p.iterancestors(_W_TBL), None) is None
        ]
        passages.append(Passage(_WORD_PARTS[kind], "\n".join(lines)))
        for table in root.iter(_W_TBL):
            name = f"table {len(tables) + 1}"
            tables.append(Table(name, _word_rows(table, budget), kind="table"))
    return Extracted(passages, tables)


def read_pptx(data: bytes, budget: Budget) -> Extracted:
    """Each slide's text, speaker notes included, and its tables."""
    passages, tables = [], []
    for number, slide in enumerate(pptx.Presentation(io.BytesIO(data)).slides, 1):
        lines = []
        for shape in _shapes(slide.shapes):
            if shape.has_text_frame:
                lines.append(budget.text(shape.text_frame.text))
            if getattr(shape, "has_table", False):
                rows = [budget.row(cell.text for cell in row.cells) for row in shape.table.rows]
                tables.append(Table(f"slide {number}, table {len(tables) + 1}", rows, kind="table"))
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            lines.append(budget.text(slide.notes_slide.notes_text_frame.text))
        passages.append(Passage(f"slide {number}", "\n".join(lines)))
    return Extracted(passages, tables)


def read_pdf(data: bytes, budget: Budget) -> Extracted:
    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not _opens_without_password(reader):
        raise UnreadableFile(
            "This PDF is protected by a password, so nobody else could open it and we cannot "
            "check it for patient identifiers. Remove the password and upload it again."
        )
    if len(reader.pages) > MAX_PAGES:
        raise UnreadableFile(
            f"This PDF has {len(reader.pages):,} pages, more than we can check for patient "
            f"identifiers ({MAX_PAGES:,}). Split it into smaller files."
        )
    return Extracted(
        [
            Passage(f"page {number}", budget.text(page.extract_text() or ""))
            for number, page in enumerate(reader.pages, 1)
        ],
        [],
    )


def _opens_without_password(reader: pypdf.PdfReader) -> bool:
    """Many PDFs are encrypted with an empty password only to stop editing; those open."""
    try:
        return bool(reader.decrypt(""))
    except (DependencyError, PdfReadError):  # a cipher pypdf cannot do without extra packages
        return False


def read_text(text: str, budget: Budget) -> Extracted:
    return Extracted([Passage("", budget.text(text))], [])


def _paragraph_text(paragraph) -> str:
    """The paragraph's own text: a text box inside it is a paragraph of its own."""
    return "".join(
        _W_TEXT[element.tag] or element.text or ""
        for element in _own(paragraph, tuple(_W_TEXT), _W_P)
    )


def _word_rows(table, budget: Budget) -> list[list[object]]:
    """Rows of cells, each cell's own paragraphs; a merged cell keeps its columns in place."""
    rows = []
    for row in _own(table, _W_TR, _W_TBL):
        values: list[object] = []
        for cell in _own(row, _W_TC, _W_TR):
            text = "\n".join(_paragraph_text(p) for p in _own(cell, _W_P, _W_TC))
            span = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            values.append(text)
            if span is not None:  # Word tables have at most 63 columns
                values.extend([None] * (min(int(span.get(qn("w:val"), 1)), 63) - 1))
        rows.append(budget.row(values))
    return rows


def _own(parent, tags: str | tuple[str, ...], container: str):
    """Descendants of `parent` with `tags` whose nearest `container` is `parent` (not nested)."""
    tags = (tags,) if isinstance(tags, str) else tags
    return [e for e in parent.iter(*tags) if next(e.iterancestors(container), None) is parent]


def _shapes(shapes):
    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _shapes(shape.shapes)
        else:
            yield shape
