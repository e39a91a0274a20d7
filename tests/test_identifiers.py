"""The detection rules: CHI numbers under both check-digit schemes and their dates, NHS numbers,
the forms they are written in, prose versus tables, columns judged by heading and by majority,
leading zeros a spreadsheet dropped, and scan_file's locations (hidden sheets too)."""

from datetime import date

import pytest

from registry.privacy.identifiers import (
    CHI,
    MASK,
    NHS,
    find_in_table,
    find_in_text,
    names_identifier,
)
from registry.privacy.scan import identifier_message, scan_file, scan_text
from registry.tools.contents import Extracted, Passage, Table
from tests.identifier_numbers import (
    MODULUS_10,
    bad_check_digit,
    bad_date,
    chi,
    chis,
    grouped,
    modulus_11_check,
    nhs,
    nhss,
    passes_modulus_10,
    passes_modulus_11,
    phone_like,
)

CHI_11 = chi(date(1962, 7, 3))
CHI_10 = chi(date(1962, 7, 3), scheme=MODULUS_10)
NHS_NUMBER = nhs()


def kinds(findings) -> list[tuple[str, str]]:
    return [(f.kind, f.masked) for f in findings]


def test_the_generated_numbers_are_what_they_claim():
    assert passes_modulus_11(CHI_11)
    assert passes_modulus_10(CHI_10) and not passes_modulus_11(CHI_10)
    assert passes_modulus_11(NHS_NUMBER) and NHS_NUMBER.startswith("4")
    for number in (CHI_11, CHI_10):
        broken = bad_check_digit(number)
        assert not passes_modulus_11(broken) and not passes_modulus_10(broken)
    assert passes_modulus_10(bad_date()) and not passes_modulus_11(bad_date())


# --- Free text ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "number, kind",
    [(CHI_11, CHI), (CHI_10, CHI), (NHS_NUMBER, NHS)],
    ids=["chi-modulus-11", "chi-modulus-10", "nhs"],
)
@pytest.mark.parametrize(
    "written",
    [
        lambda n: n,
        lambda n: grouped(n, "3-3-4", " "),
        lambda n: grouped(n, "3-3-4", "-"),
        lambda n: grouped(n, "6-4", " "),
        lambda n: grouped(n, "6-4", "-"),
        lambda n: grouped(n, "3-3-4", "\u00a0"),
    ],
    ids=["plain", "3-3-4", "3-3-4-hyphens", "6-4", "6-4-hyphen", "no-break-spaces"],
)
def test_identifiers_in_prose_are_found_in_every_written_form(number, kind, written):
    text = f"Patient ({written(number)}) was recalled."
    assert kinds(find_in_text(text)) == [(kind, number[:6] + MASK)]


def test_masked_form_keeps_the_date_and_hides_the_rest():
    (finding,) = find_in_text(CHI_11)
    assert finding.masked == "030762•••••"
    assert CHI_11[6:] not in finding.masked


@pytest.mark.parametrize(
    "number",
    [bad_check_digit(CHI_11), bad_check_digit(CHI_10), bad_check_digit(NHS_NUMBER), bad_date(),
     bad_date("3102"), bad_date("0013")],
    ids=["chi-11-check", "chi-10-check", "nhs-check", "day-32", "31-february", "month-13"],
)
def test_numbers_failing_the_check_digit_or_the_date_are_not_flagged(number):
    assert find_in_text(f"Reference {number} and {grouped(number)}") == []


def test_a_valid_check_digit_with_an_impossible_date_is_an_nhs_number_not_a_chi():
    # NHS numbers (England) start with 4, which is no day of the month.
    assert kinds(find_in_text(NHS_NUMBER)) == [(NHS, NHS_NUMBER[:6] + MASK)]


def test_a_birthday_still_to_come_this_century_is_last_centurys():
    today = date(2025, 11, 25)
    number = chi(date(2025, 12, 24))  # 241225: Christmas Eve 1925, someone aged 99
    assert kinds(find_in_text(number, today=today)) == [(CHI, number[:6] + MASK)]


def test_a_date_that_exists_only_in_the_future_is_refused():
    # 29 February 00 is a date only in 2000 (1900 was no leap year).
    number = chi(date(2000, 2, 29), scheme=MODULUS_10)
    assert find_in_text(number, today=date(1999, 12, 31)) == []
    assert kinds(find_in_text(number, today=date(2000, 3, 1))) == [(CHI, number[:6] + MASK)]


@pytest.mark.parametrize(
    "text",
    [
        f"1{CHI_11}",  # eleven digits
        f"{CHI_11}7",
        f"ref {CHI_11[:5]} {CHI_11[5:]}",  # grouped 5-5: not a form CHI is written in
        f"9 {grouped(CHI_11, '3-3-4')}",  # a longer run of digit groups
        f"{grouped(CHI_11, '6-4')} 12",
        f"{CHI_11[:9]}",  # nine digits are not read in prose
    ],
)
def test_numbers_inside_longer_numbers_are_not_identifiers(text):
    assert find_in_text(text) == []


def test_a_phone_number_in_prose_is_not_read_as_its_last_ten_digits():
    digits = next(p for p in phone_like(200) if passes_modulus_11(p))  # an NHS-valid 10 digits
    grouped_digits = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    assert kinds(find_in_text(grouped_digits)) == [(NHS, digits[:6] + MASK)]  # alone: reported
    assert find_in_text(f"Call +44 {grouped_digits} or 0{digits[:3]} {digits[3:]}.") == []


def test_locations_give_the_line_only_for_text_with_several_lines():
    text = f"Aim\n\nThe audit found {CHI_11}.\nAnd {NHS_NUMBER}."
    assert [f.where for f in find_in_text(text, "notes.txt")] == [
        "notes.txt, line 3", "notes.txt, line 4"
    ]
    assert [f.where for f in find_in_text(CHI_11, "Title")] == ["Title"]
    assert [f.where for f in find_in_text(f"a\n{CHI_11}")] == ["line 2"]


def test_next_to_punctuation_and_letters_numbers_are_still_found():
    text = f"CHI:{CHI_11}, NHS={NHS_NUMBER}. ({CHI_10})"
    assert [f.kind for f in find_in_text(text)] == [CHI, NHS, CHI]


# --- Tables --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "heading",
    ["CHI", "CHI No.", "chi_number", "CHINumber", "NHS number", "NHSNo", "Patient ID",
     "PatientID", "UPI", "ID", "Pt identifier"],
)
def test_headings_that_name_an_identifier(heading):
    assert names_identifier(heading)


@pytest.mark.parametrize(
    "heading", ["Phone", "Telephone number", "Practice", "Machine", "Archive ref", "Did not attend"]
)
def test_headings_that_do_not(heading):
    assert not names_identifier(heading)


def test_a_column_headed_as_an_identifier_reports_every_valid_number():
    numbers = [CHI_11, NHS_NUMBER, bad_check_digit(CHI_11)]
    rows = [["Name", "CHI number"]] + [[f"Patient {i}", n] for i, n in enumerate(numbers)]
    findings = find_in_table(rows, "audit.csv")
    assert [(f.kind, f.where) for f in findings] == [
        (CHI, "audit.csv, cell B2"), (NHS, "audit.csv, cell B3")
    ]


def test_a_heading_above_a_title_row_still_names_the_column():
    rows = [["Valproate audit, March"], ["CHI", "Age"], [CHI_11, 34]]
    assert [f.where for f in find_in_table(rows)] == ["cell A3"]


def test_without_a_heading_a_column_is_judged_by_its_majority():
    valid = chis(6, seed=7)
    random_digits = [bad_check_digit(n) for n in chis(4, seed=8)]
    rows = [[n] for n in valid + random_digits]
    assert [f.masked for f in find_in_table(rows)] == [n[:6] + MASK for n in valid]
    # A minority of valid numbers in an unnamed column is chance, not a list of patients.
    rows = [[n] for n in valid[:2] + random_digits]
    assert find_in_table(rows) == []


def test_a_column_of_phone_numbers_whose_zero_was_dropped_is_not_flagged():
    phones = phone_like(40)
    passing = [p for p in phones if passes_modulus_11(p)]
    assert passing, "some must pass the NHS check by chance for this test to mean anything"
    as_stored = [[int(p)] for p in phones]  # Excel keeps them as numbers
    assert find_in_table([["Phone"], *as_stored]) == []
    assert find_in_table(as_stored) == []
    # The same cells under an identifier heading are reported: the column decides.
    assert len(find_in_table([["Patient ID"], *as_stored])) == len(passing)


@pytest.mark.parametrize(
    "stored",
    [
        lambda n: int(n),  # 9 digits: the leading zero dropped
        lambda n: float(int(n)),
        lambda n: f"{int(n)}.0",
        lambda n: f"{int(n):.8E}",  # 1.01011237E+08
        lambda n: n[1:],  # typed without the zero
    ],
    ids=["int", "float", "float-text", "scientific", "nine-digit-text"],
)
def test_chi_numbers_whose_leading_zero_was_dropped_are_found(stored):
    numbers = [chi(date(1990 + i, 1 + i, 1 + i)) for i in range(3)]  # DD 01..03: leading zeros
    assert all(n.startswith("0") for n in numbers)
    findings = find_in_table([[stored(n)] for n in numbers])
    assert kinds(findings) == [(CHI, n[:6] + MASK) for n in numbers]


def test_a_dropped_zero_is_restored_only_for_chi_numbers():
    # A right modulus-11 check digit, but month 13: an NHS number, and no CHI number.
    first_nine = next(f"011301{serial:03d}" for serial in range(1000)
                      if modulus_11_check(f"011301{serial:03d}") is not None)
    number = first_nine + str(modulus_11_check(first_nine))
    assert find_in_table([["CHI"], [int(number)]]) == []
    assert kinds(find_in_table([["NHS"], [number]])) == [(NHS, number[:6] + MASK)]


def test_text_cells_are_read_as_prose_in_any_column():
    rows = [["Notes"], [f"Seen by pharmacist, CHI {grouped(CHI_11)}"], ["1314960000 is the ward"]]
    assert [(f.kind, f.where) for f in find_in_table(rows, "log")] == [(CHI, "log, cell A2")]


def test_findings_come_in_reading_order_across_columns():
    rows = [["CHI", "NHS"], [CHI_11, NHS_NUMBER], [CHI_10, nhss(1)[0]]]
    assert [f.where for f in find_in_table(rows)] == ["cell A2", "cell B2", "cell A3", "cell B3"]


def test_odd_cells_are_ignored_safely():
    rows = [[None, True, -int(CHI_11), 3.5, float("nan"), float("inf"), date(2024, 1, 1)], [],
            ["1e999"], [CHI_11]]
    assert kinds(find_in_table(rows)) == [(CHI, CHI_11[:6] + MASK)]


def test_cells_far_to_the_right_are_named_as_spreadsheets_name_them():
    row = [None] * 27 + [CHI_11]
    assert [f.where for f in find_in_table([row])] == ["cell AB1"]


# --- scan_file: every passage and table of a file -----------------------------------------------
def test_scan_file_locates_findings_by_file_page_sheet_and_cell_hidden_sheets_included():
    extracted = Extracted(
        [Passage("page 2", f"Results\n{CHI_11}")],
        [
            Table("Summary", [["Practice", "Count"], ["A", 12]]),
            Table("Old data", [["CHI"], [CHI_10]], hidden=True),
            Table("table 1", [["NHS"], [NHS_NUMBER]], kind="table"),
        ],
    )
    assert [(f.kind, f.where) for f in scan_file(extracted, "audit.xlsx")] == [
        (CHI, "audit.xlsx, page 2, line 2"),
        (CHI, "audit.xlsx, sheet 'Old data' (hidden), cell A2"),
        (NHS, "audit.xlsx, table 1, cell A2"),
    ]


def test_a_csv_table_is_located_by_the_file_and_cell_alone():
    extracted = Extracted([], [Table("", [["CHI"], [CHI_11]])])
    assert [f.where for f in scan_file(extracted, "list.csv")] == ["list.csv, cell A2"]


# --- Messages -----------------------------------------------------------------------------------
def test_scan_text_names_the_field_and_masks_the_number():
    assert scan_text("Comment", "Nothing to see: 0131 496 0000.") is None
    assert scan_text("Comment", f"See {CHI_11}") == (
        f"Comment contains what looks like a CHI number ({CHI_11[:6]}{MASK}). "
        "Remove patient identifiers before saving."
    )


def test_a_message_lists_three_numbers_and_counts_the_rest():
    findings = find_in_text(" ".join([NHS_NUMBER, *chis(4, seed=4)]))
    message = identifier_message("Results", findings)
    assert message.startswith(
        f"Results contains what looks like an NHS number ({NHS_NUMBER[:6]}{MASK}), a CHI number"
    )
    assert message.count(MASK) == 3
    assert ") and 2 more. Remove patient identifiers before saving." in message
