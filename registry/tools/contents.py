"""What a file holds once read: passages of text and tables of cells, and the limits on reading.

Every byte of what is extracted is checked for patient identifiers, so a file too large to
read whole is refused rather than read in part.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from registry.tools.filetypes import FileProblem

MAX_TEXT_CHARACTERS = 2_000_000  # text and cell text together: a 1,000-page report
MAX_PIECES = 1_000_000  # cells, rows, paragraphs, pages and slides
MAX_PAGES = 5_000


class UnreadableFile(FileProblem):
    """The file is of an accepted type but cannot be read whole; str(error) says why."""


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name, "table 2" in a document, "" for a CSV file
    rows: list[list[object]]  # str, int, float, bool, dates or None, as the file stores them
    hidden: bool = False
    kind: str = "sheet"  # "sheet" of a workbook or CSV file, or "table" in a document

    @property
    def where(self) -> str:
        """The table in a location people can follow: "sheet 'Data' (hidden)", "table 2"."""
        if self.kind != "sheet":
            return self.name
        if not self.name:
            return ""
        return f"sheet '{self.name}'" + (" (hidden)" if self.hidden else "")


@dataclass(frozen=True)
class Passage:
    where: str  # "page 2", "slide 3", "footer", or "" for a document's body
    text: str


@dataclass(frozen=True)
class Extracted:
    passages: list[Passage]
    tables: list[Table]

    @property
    def text(self) -> str:
        """All of it as one text, for the search index: the passages, then each table's rows."""
        parts = [passage.text for passage in self.passages if passage.text]
        for table in self.tables:
            parts.extend(
                " ".join(cell_text(value) for value in row if value is not None)
                for row in table.rows
            )
        return "\n".join(part for part in parts if part)


def cell_text(value: object) -> str:
    """A cell as people see it: 42 rather than 42.0, dates in ISO form."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return str(value)


class Budget:
    """Counts what a reader takes out of one file and stops at the limits."""

    def __init__(self) -> None:
        self.characters = 0
        self.pieces = 0

    def text(self, text: str) -> str:
        self.characters += len(text)
        self.piece()
        if self.characters > MAX_TEXT_CHARACTERS:
            raise UnreadableFile(
                "This file holds more text than we can check for patient identifiers (over "
                f"{MAX_TEXT_CHARACTERS:,} characters). Split it into smaller files."
            )
        return text

    def row(self, values) -> list[object]:
        """One row of cells, counted, with its empty cells at the end dropped."""
        self.piece()
        row = []
        for value in values:
            if isinstance(value, str):
                value = self.text(value) or None
            else:
                self.piece()
            row.append(value)
        while row and row[-1] is None:
            row.pop()
        return row

    def piece(self) -> None:
        self.pieces += 1
        if self.pieces > MAX_PIECES:
            raise UnreadableFile(
                "This file holds more than we can check for patient identifiers (over "
                f"{MAX_PIECES:,} cells, rows or paragraphs). Split it into smaller files."
            )


def trimmed(rows: list[list[object]]) -> list[list[object]]:
    """Rows without the empty ones at the end (spreadsheets often carry many)."""
    while rows and not rows[-1]:
        rows.pop()
    return rows
