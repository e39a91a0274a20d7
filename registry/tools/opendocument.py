"""Reading OpenDocument spreadsheets (.ods) and text documents (.odt) with odfpy."""

import io
from itertools import repeat

from odf import teletype
from odf.namespaces import TABLENS, TEXTNS
from odf.opendocument import load
from odf.style import Style, TableProperties
from odf.table import Table as OdfTable
from odf.table import TableRow

from registry.tools.contents import Budget, Extracted, Passage, Table, trimmed

_NUMBER_TYPES = {"float", "percentage", "currency"}
_PARAGRAPHS = {(TEXTNS, "p"), (TEXTNS, "h")}
_TABLE = (TABLENS, "table")
_CELLS = {(TABLENS, "table-cell"), (TABLENS, "covered-table-cell")}


def read_ods(data: bytes, budget: Budget) -> Extracted:
    document = load(io.BytesIO(data))
    hidden_styles = {
        style.getAttribute("name")
        for style in document.automaticstyles.getElementsByType(Style)
        if any(p.getAttribute("display") == "false"
               for p in style.getElementsByType(TableProperties))
    }
    tables = [
        Table(table.getAttribute("name") or f"Sheet {number}", _rows(table, budget),
              hidden=table.getAttribute("stylename") in hidden_styles)
        for number, table in enumerate(document.spreadsheet.getElementsByType(OdfTable), 1)
    ]
    return Extracted([], tables)


def read_odt(data: bytes, budget: Budget) -> Extracted:
    document = load(io.BytesIO(data))
    # Headers and footers live in the master pages, apart from the body.
    roots = {"": document.text, "header or footer": document.masterstyles}
    passages = [
        Passage(where, "\n".join(budget.text(teletype.extractText(p)) for p in _paragraphs(root)))
        for where, root in roots.items()
    ]
    tables = [
        Table(f"table {number}", _rows(table, budget), kind="table")
        for number, table in enumerate(
            (table for root in roots.values() for table in root.getElementsByType(OdfTable)), 1
        )
    ]
    return Extracted(passages, tables)


def _paragraphs(node):
    """Paragraphs and headings in document order, leaving out those inside tables."""
    for child in node.childNodes:
        if child.qname in _PARAGRAPHS:
            yield child
        elif child.qname != _TABLE:
            yield from _paragraphs(child)


def _rows(table, budget: Budget) -> list[list[object]]:
    """A table's values, repeated rows and cells expanded only where they hold something.

    Spreadsheets end each sheet with a million repeated empty rows and each row with thousands
    of repeated empty cells; those stay unexpanded, while data after a gap still lands in its
    true row and column.
    """
    rows: list[list[object]] = []
    empty_rows = 0
    for row in table.getElementsByType(TableRow):
        if _table_of(row) is not table:  # a row of a table nested in a cell
            continue
        values = budget.row(_cells(row))
        times = int(row.getAttribute("numberrowsrepeated") or 1)
        if not values:
            empty_rows += times
            continue
        rows.extend(budget.row([]) for _ in range(empty_rows))
        empty_rows = 0
        rows.append(values)
        rows.extend(budget.row(values) for _ in range(times - 1))
    return trimmed(rows)


def _cells(row):
    empty = 0
    for cell in row.childNodes:
        if cell.qname not in _CELLS:
            continue
        value = _cell_value(cell)
        times = int(cell.getAttribute("numbercolumnsrepeated") or 1)
        if value is None:
            empty += times
            continue
        # Lazily: the reader's budget stops a crafted "repeated a billion times" early.
        yield from repeat(None, empty)
        empty = 0
        yield from repeat(value, times)


def _cell_value(cell) -> object:
    if cell.getAttribute("valuetype") in _NUMBER_TYPES:
        return float(cell.getAttribute("value"))
    return "\n".join(teletype.extractText(p) for p in _paragraphs(cell)) or None


def _table_of(node):
    parent = node.parentNode
    while parent is not None and parent.qname != _TABLE:
        parent = parent.parentNode
    return parent
