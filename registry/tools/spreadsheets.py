"""Reading spreadsheets: .xlsx (openpyxl), .xls (xlrd) and .csv, every sheet, hidden ones too.

Cells keep the types the file stores (a CHI number saved as a number is the float 101011237.0),
so the identifier check can tell a number whose leading zero was dropped from text.
"""

import csv
import io

import openpyxl
import xlrd

from registry.tools.contents import Budget, Extracted, Table, trimmed

_SNIFF_BYTES = 16_384
_XLS_EMPTY = {xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR}


def read_xlsx(data: bytes, budget: Budget) -> Extracted:
    # Cached values rather than formulas: what the sheet shows is what could identify someone.
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        tables = []
        for sheet in workbook.worksheets:
            # A sheet's declared size can claim a million rows; read the rows that exist.
            sheet.reset_dimensions()
            rows = [budget.row(row) for row in sheet.iter_rows(values_only=True)]
            tables.append(Table(sheet.title, trimmed(rows), hidden=sheet.sheet_state != "visible"))
        return Extracted([], tables)
    finally:
        workbook.close()


def read_xls(data: bytes, budget: Budget) -> Extracted:
    book = xlrd.open_workbook(file_contents=data, on_demand=True)
    try:
        tables = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = [
                budget.row(_xls_value(cell) for cell in sheet.row(number))
                for number in range(sheet.nrows)
            ]
            tables.append(Table(sheet.name, trimmed(rows), hidden=sheet.visibility != 0))
            book.unload_sheet(index)
        return Extracted([], tables)
    finally:
        book.release_resources()


def read_csv(text: str, budget: Budget) -> Extracted:
    try:
        dialect = csv.Sniffer().sniff(text[:_SNIFF_BYTES], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [budget.row(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    return Extracted([], [Table("", trimmed(rows))])


def _xls_value(cell) -> object:
    if cell.ctype in _XLS_EMPTY:
        return None
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value  # text, or a float for numbers and dates alike
