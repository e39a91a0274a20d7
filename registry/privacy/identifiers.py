"""Finding CHI and NHS numbers in free text and in tables. Pure Python: no Flask, no database.

A CHI number (Scotland) is a DDMMYY date of birth, three digits and a check digit under either
scheme in use: modulus 11, or the modulus-10 (Luhn) scheme Public Health Scotland brought in
from late 2025 for dates of birth whose modulus-11 numbers ran out. An NHS number (England) is
ten digits with a modulus-11 check digit. Numbers that fail the check digit or the date are
not identifiers and are never reported.
"""

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CHI = "CHI number"
NHS = "NHS number"
# The form: the date part stays so the author can find the number; the rest is hidden.
MASK = "•••••"


@dataclass(frozen=True)
class Finding:
    kind: str  # CHI or NHS
    masked: str  # the first six digits, then MASK
    where: str  # "line 4", "sheet 'Hidden', cell B7", "page 2, line 3"


_SEP = "[ \u00a0-]"
_GROUPED = rf"(?:[0-9]{{3}}{_SEP}[0-9]{{3}}|[0-9]{{6}}){_SEP}[0-9]{{4}}"
# Ten digits, or 3-3-4 / 6-4 groups, that are not part of a longer number. A grouped form may
# not continue a run of digit groups either: "+44 131 496 0000" is a phone number.
_IN_TEXT = re.compile(
    rf"(?<![0-9])(?:[0-9]{{10}}|(?<![0-9]{_SEP}){_GROUPED}(?!{_SEP}[0-9]))(?![0-9])"
)
# A cell holding nothing but a number: digits as typed (a text cell keeps CHI's leading zero),
# or a number a spreadsheet stored, printed as "101011237.0" or "1.01011237E+08". The exponent
# is one digit: anything larger is not a ten-digit number.
_CELL_DIGITS = re.compile(rf"[0-9]{{9,10}}|{_GROUPED}")
_CELL_NUMBER = re.compile(r"[0-9]{1,10}(?:\.[0-9]{0,12})?(?:[eE]\+?0?[0-9])?")
# Words in a column heading that name an identifier ("CHI", "NHS No", "PatientID", "UPI").
_IDENTIFIER_WORDS = {"chi", "nhs", "upi", "patient", "patients", "pt", "id", "ids", "identifier"}
_JOINED_IDENTIFIER = re.compile(r"(?:chi|nhs)(?:no|num|number)")
_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def find_in_text(text: str, where: str = "", *, today: date | None = None) -> list[Finding]:
    """CHI and NHS numbers in prose; `where` prefixes each finding's location.

    In prose a number passing only the NHS check is reported too, though one random ten-digit
    number in eleven passes it: prose seldom holds a bare ten-digit number (UK phone numbers
    have eleven digits, and a grouped one that continues is skipped), a wrong block costs the
    author a rewording the message explains, and a missed identifier is a data breach.
    """
    today = today or date.today()
    lines = "\n" in text
    found = []
    line, counted_to = 1, 0
    for match in _IN_TEXT.finditer(text):
        digits = _digits(match.group())
        kind = _kind(digits, zero_dropped=False, today=today)
        if kind:
            line += text.count("\n", counted_to, match.start())
            counted_to = match.start()
            place = location(where, f"line {line}" if lines else "")
            found.append(Finding(kind, _mask(digits), place))
    return found


def find_in_table(
    rows: Sequence[Sequence[object]], where: str = "", *, today: date | None = None
) -> list[Finding]:
    """CHI and NHS numbers in a table's cells (str, int, float or None), judged column by column.

    One random ten-digit number in eleven passes the NHS check, so a number is reported only
    in an identifier column: one whose heading (any text above its first number) names an
    identifier, or where most numbers pass. A column of phone numbers whose leading zero a
    spreadsheet dropped is not one. Spreadsheets drop CHI's leading zero too, so nine-digit
    numbers (and floats, and scientific notation) count as CHI numbers with a zero in front.
    Text cells are read as prose, with `find_in_text`'s rule.
    """
    today = today or date.today()

    def cell(row_number: int, column: int) -> str:
        return location(where, f"cell {_cell_name(row_number, column)}")

    found: list[tuple[int, int, Finding]] = []  # with row and column, to report in reading order
    numbers: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    named: set[int] = set()
    for row_number, row in enumerate(rows):
        for column, value in enumerate(row):
            number = _number_in_cell(value)
            if number is not None:
                numbers[column].append((row_number, *number))
            elif isinstance(value, str):
                for finding in find_in_text(value, cell(row_number, column), today=today):
                    found.append((row_number, column, finding))
                if column not in numbers and names_identifier(value):
                    named.add(column)
    for column, cells in numbers.items():
        passing = [
            (row_number, digits, kind)
            for row_number, digits, zero_dropped in cells
            if (kind := _kind(digits, zero_dropped, today))
        ]
        if column in named or 2 * len(passing) > len(cells):
            for row_number, digits, kind in passing:
                finding = Finding(kind, _mask(digits), cell(row_number, column))
                found.append((row_number, column, finding))
    return [finding for _, _, finding in sorted(found, key=lambda item: item[:2])]


def names_identifier(heading: str) -> bool:
    """Whether a column heading names a patient identifier: CHI, NHS number, patient, ID…"""
    words = _CAMEL_CASE.sub(" ", heading).lower()
    return bool(
        _IDENTIFIER_WORDS.intersection(re.findall(r"[a-z]+", words))
        or _JOINED_IDENTIFIER.search(re.sub(r"[^a-z]", "", words))
    )


def location(*parts: str) -> str:
    """Parts of a place joined for people: "audit.xlsx, sheet 'Data', cell B7"."""
    return ", ".join(part for part in parts if part)


def _kind(digits: str, zero_dropped: bool, today: date) -> str | None:
    if _is_birth_date(digits[:6], today) and (_modulus_11(digits) or _modulus_10(digits)):
        return CHI
    # NHS numbers do not start with 0, so a number whose zero was restored is a CHI or nothing.
    if not zero_dropped and _modulus_11(digits):
        return NHS
    return None


def _is_birth_date(ddmmyy: str, today: date) -> bool:
    """A real date, not in the future, in either century: CHI numbers do not record which.

    A day still to come this century is a birthday last century (someone aged about 100), so in
    practice only 29 February 2000 can be refused as in the future, before it came.
    """
    day, month, year = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    for century in (2000, 1900):
        try:
            born = date(century + year, month, day)
        except ValueError:
            continue
        if born <= today:
            return True
    return False


def _modulus_11(digits: str) -> bool:
    """Weights 10 to 2 over the first nine digits; 11 - remainder, 11 is 0 and 10 is invalid."""
    check = 11 - sum(int(d) * weight for d, weight in zip(digits, range(10, 1, -1))) % 11
    return check != 10 and check % 11 == int(digits[9])


def _modulus_10(digits: str) -> bool:
    """Luhn over the first nine digits: digits 1, 3, 5, 7 and 9 doubled (less 9 above 9)."""
    total = 0
    for position, d in enumerate(digits[:9]):
        value = int(d) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10 == int(digits[9])


def _number_in_cell(value: object) -> tuple[str, bool] | None:
    """Ten digits and whether a leading zero was restored, if the cell holds only a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return _from_integer(int(value)) if value.is_integer() else None
    if isinstance(value, int):
        return _from_integer(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _CELL_DIGITS.fullmatch(text):
        digits = _digits(text)
        return (digits, False) if len(digits) == 10 else ("0" + digits, True)
    if _CELL_NUMBER.fullmatch(text):
        number = Decimal(text)
        return _from_integer(int(number)) if number == number.to_integral_value() else None
    return None


def _from_integer(number: int) -> tuple[str, bool] | None:
    text = str(number) if number > 0 else ""
    if len(text) == 10:
        return text, False
    if len(text) == 9:
        return "0" + text, True
    return None


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def _mask(digits: str) -> str:
    return digits[:6] + MASK


def _cell_name(row_number: int, column: int) -> str:
    """Spreadsheet style: column 0, row 0 is A1; column 26 is AA."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return f"{letters}{row_number + 1}"
