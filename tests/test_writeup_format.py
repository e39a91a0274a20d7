"""The write-up file format contract (shared/spec/writeup-format.md): parse, validate, serialise."""

from datetime import date

import pytest

from registry.writeup_format import FormatError, Measure, Section, WriteUp, parse, serialise

# The example from the contract, verbatim.
SPEC_EXAMPLE = """\
---
title: Safer valproate prescribing for women of childbearing age
cluster: Paisley North
board: NHS Greater Glasgow & Clyde
status: completed
role: intrinsic
started: 2023-02-01
finished: 2023-10-31
tags: [safer prescribing, valproate, women's health, audit]
authors: [Dr A. Example, B. Example (practice pharmacist)]
measures:
  - name: Women 12–55 on valproate with a signed annual risk acknowledgement form
    type: process
    unit: percent
    goal: 100
    data:
      - {date: 2023-02-01, numerator: 9, denominator: 22}
      - {date: 2023-03-01, numerator: 12, denominator: 22}
---
## Aim
By October 2023, every woman aged 12–55 on sodium valproate in our six practices has …

## Changes
1. Practice pharmacist ran the search monthly …
"""

# Uses every front-matter key, an intro, aliases, extra sections and code containing `##`.
RICH_DOCUMENT = """\
---
title: "Repeat prescribing errors: a cluster-wide audit"
slug: repeat-prescribing-audit
cluster: Paisley North
hscp: Renfrewshire
board: NHS Greater Glasgow & Clyde
status: paused
role: both
started: 2024-01-15
finished: 2024-06-30
tags: [prescribing, 'yes', '2024', Women's health]
authors: [Dr A. Example, "C. Example: nurse"]
summary: "One paragraph with a # hash, a: colon and 'quotes'."
visibility: public
adapted_from: safer-valproate
measures:
  - name: Repeat prescriptions with an error
    type: outcome
    definition: Errors per 100 repeat prescriptions
    unit: per 100
    goal: 2.5
    data:
      - {date: 2024-01-01, value: 7.25}
      - {date: 2024-02-01, value: 6}
  - name: Pharmacist time per week
    type: balancing
---
An introduction before any section.

## Problem
Why we started.

## Team
An extra section.

## PDSA cycles
```text
## not a heading
```
### Cycle 1
Did a thing.

## Lessons learned
What we learned.
"""

VALID_FRONT = "title: Hello there\ncluster: Paisley North\n"


def document(front: str = "", body: str = "", *, base: str = VALID_FRONT) -> str:
    """A write-up with the required keys (unless `base` is replaced) plus `front` and `body`."""
    return f"---\n{base}{front}---\n{body}"


def measure_document(measure_yaml: str) -> str:
    """A write-up whose `measures:` list holds the given (already indented) YAML."""
    return document("measures:\n" + measure_yaml)


def problems_of(text: str) -> list[tuple[str, str]]:
    with pytest.raises(FormatError) as caught:
        parse(text)
    return [(problem.where, problem.message) for problem in caught.value.problems]


def only_problem(text: str) -> tuple[str, str]:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    return problems[0]


def assert_problem(text: str, where: str, fragment: str) -> None:
    """Exactly one problem, at `where`, whose message contains `fragment`."""
    actual_where, message = only_problem(text)
    assert actual_where == where, message
    assert fragment in message


def line_of(text: str, line: str) -> int:
    return text.split("\n").index(line) + 1


def section_summary(writeup: WriteUp) -> list[tuple[str, str | None]]:
    return [(section.heading, section.key) for section in writeup.sections]


# --- The contract's example and defaults ------------------------------------------------------


def test_spec_example_parses():
    writeup = parse(SPEC_EXAMPLE)
    assert writeup.title == "Safer valproate prescribing for women of childbearing age"
    assert (writeup.cluster, writeup.board) == ("Paisley North", "NHS Greater Glasgow & Clyde")
    assert (writeup.status, writeup.role) == ("completed", "intrinsic")
    assert (writeup.started, writeup.finished) == (date(2023, 2, 1), date(2023, 10, 31))
    assert writeup.tags == ["safer prescribing", "valproate", "women's health", "audit"]
    assert writeup.authors == ["Dr A. Example", "B. Example (practice pharmacist)"]
    (measure,) = writeup.measures
    assert measure.name.startswith("Women 12–55 on valproate")
    assert (measure.type, measure.unit, measure.goal) == ("process", "percent", 100)
    assert measure.data == [
        {"date": "2023-02-01", "numerator": 9, "denominator": 22},
        {"date": "2023-03-01", "numerator": 12, "denominator": 22},
    ]
    assert writeup.intro == ""
    assert section_summary(writeup) == [("Aim", "aim"), ("Changes", "changes")]
    assert writeup.section("aim").body.startswith("By October 2023, every woman")
    assert writeup.section("changes").body == "1. Practice pharmacist ran the search monthly …"


def test_optional_keys_take_their_defaults():
    writeup = parse(document())
    assert (writeup.status, writeup.role, writeup.visibility) == ("active", "intrinsic", "network")
    assert writeup.slug is None and writeup.summary is None and writeup.started is None
    assert writeup.tags == [] and writeup.authors == [] and writeup.measures == []
    assert writeup.intro == "" and writeup.sections == []


def test_rich_document_parses_every_key():
    writeup = parse(RICH_DOCUMENT)
    assert writeup.title == "Repeat prescribing errors: a cluster-wide audit"
    assert (writeup.slug, writeup.hscp, writeup.adapted_from) == (
        "repeat-prescribing-audit", "Renfrewshire", "safer-valproate"
    )
    assert (writeup.status, writeup.role, writeup.visibility) == ("paused", "both", "public")
    assert writeup.tags == ["prescribing", "yes", "2024", "Women's health"]
    assert writeup.authors == ["Dr A. Example", "C. Example: nurse"]
    assert writeup.summary == "One paragraph with a # hash, a: colon and 'quotes'."
    assert writeup.measures[0].goal == 2.5
    assert writeup.measures[0].data[0] == {"date": "2024-01-01", "value": 7.25}
    assert writeup.measures[1] == Measure(name="Pharmacist time per week", type="balancing")
    assert writeup.intro == "An introduction before any section."
    assert section_summary(writeup) == [
        ("Problem", "background"), ("Team", None), ("PDSA cycles", "changes"),
        ("Lessons learned", "lessons"),
    ]
    assert writeup.section("changes").body.startswith("```text\n## not a heading\n```\n### Cycle 1")


# --- Round trip -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [SPEC_EXAMPLE, RICH_DOCUMENT], ids=["spec-example", "rich"])
def test_serialise_then_parse_gives_an_equal_writeup(text):
    writeup = parse(text)
    exported = serialise(writeup)
    assert parse(exported) == writeup
    assert serialise(parse(exported)) == exported  # exporting is stable


def test_writeup_built_in_code_round_trips():
    writeup = WriteUp(
        title="Title: with 'quotes', \"doubles\" and # hash",
        cluster="true",
        tags=["no", "1.10", "null", "x"],
        authors=["O'Neill, K."],
        summary="- looks like a list item",
        started=date(2024, 2, 29),
        measures=[Measure(name="m: n", type="process", goal=0.5,
                          data=[{"date": "2024-03-01", "value": -1.5}])],
        intro="Intro line\n\nsecond paragraph",
        sections=[
            Section(heading="Aims", body="Aim text", key="aim"),
            Section(heading="Costs & funding", body="~~~\n## inside code\n~~~", key=None),
        ],
    )
    assert parse(serialise(writeup)) == writeup


# --- Body: sections, aliases, intro ------------------------------------------------------------


@pytest.mark.parametrize(
    "heading, key",
    [
        ("Background", "background"), ("Problem", "background"), ("CONTEXT", "background"),
        ("Aim", "aim"), ("aims", "aim"),
        ("Measures", "measures"), ("Measurement", "measures"), ("methods", "measures"),
        ("Changes", "changes"), ("Change ideas", "changes"), ("Interventions", "changes"),
        ("PDSA cycles", "changes"), ("pdsa CYCLES", "changes"),
        ("Results", "results"), ("Findings", "results"),
        ("Lessons", "lessons"), ("Lessons learned", "lessons"), ("Learning", "lessons"),
        ("Conclusion", "lessons"), ("conclusions", "lessons"), ("Lessons   Learned", "lessons"),
        ("Reuse", "reuse"), ("How to reuse", "reuse"), ("Spread", "reuse"),
        ("Adopting this project", "reuse"),
        ("Tools", "tools"), ("Resources", "tools"), ("RESOURCES", "tools"),
    ],
)
def test_aliases_map_to_canonical_sections_case_insensitively(heading, key):
    writeup = parse(document(body=f"## {heading}\nSome text.\n"))
    assert section_summary(writeup) == [(heading, key)]
    assert writeup.section(key).body == "Some text."


@pytest.mark.parametrize("heading", ["Aim of the project", "Lessons learnt", "Tool", "Team"])
def test_near_miss_headings_are_extra_sections(heading):
    assert section_summary(parse(document(body=f"## {heading}\nx\n"))) == [(heading, None)]


def test_extra_sections_are_kept_in_order():
    body = "## Team\nt\n\n## Aim\na\n\n## Costs\nc\n\n## Acknowledgements\nk\n"
    writeup = parse(document(body=body))
    assert section_summary(writeup) == [
        ("Team", None), ("Aim", "aim"), ("Costs", None), ("Acknowledgements", None)
    ]
    assert [section.body for section in writeup.sections] == ["t", "a", "c", "k"]


def test_text_before_the_first_section_is_the_intro():
    writeup = parse(document(body="\nFirst paragraph.\n\nSecond paragraph.\n\n## Aim\nAim text.\n"))
    assert writeup.intro == "First paragraph.\n\nSecond paragraph."
    assert section_summary(writeup) == [("Aim", "aim")]


def test_a_body_without_sections_is_all_intro():
    writeup = parse(document(body="Just some notes.\n# A level-one heading\n"))
    assert writeup.intro == "Just some notes.\n# A level-one heading"
    assert writeup.sections == []


@pytest.mark.parametrize(
    "opening, closing", [("```", "```"), ("~~~", "~~~"), ("````", "````"), ("```python", "```")]
)
def test_hashes_inside_fenced_code_do_not_split_sections(opening, closing):
    code = f"{opening}\n## Results\n# comment\n{closing}"
    writeup = parse(document(body=f"## Tools\n{code}\nAfter the code.\n\n## Aim\nA.\n"))
    assert section_summary(writeup) == [("Tools", "tools"), ("Aim", "aim")]
    assert writeup.section("tools").body == f"{code}\nAfter the code."


def test_shorter_fence_inside_a_longer_fence_does_not_close_it():
    # CommonMark and Python-Markdown both need the closing fence to match the opening length,
    # so this is one code block whose text shows how to write a fenced block.
    code = "````markdown\n```\n## Results\n```\n````"
    writeup = parse(document(body=f"## Tools\n{code}\n\n## Aim\nA.\n"))
    assert section_summary(writeup) == [("Tools", "tools"), ("Aim", "aim")]
    assert writeup.section("tools").body == code


def test_level_three_headings_do_not_split_sections():
    body = "## Changes\n### Cycle 1\nOne.\n#### Detail\n### Cycle 2\nTwo.\n"
    writeup = parse(document(body=body))
    assert section_summary(writeup) == [("Changes", "changes")]
    assert writeup.section("changes").body == "### Cycle 1\nOne.\n#### Detail\n### Cycle 2\nTwo."


def test_closing_hashes_are_not_part_of_the_heading():
    assert section_summary(parse(document(body="## Aim ##\nx\n"))) == [("Aim", "aim")]


def test_duplicate_canonical_sections_are_an_error_naming_the_line():
    text = document(body="## Aim\nOne.\n\n## Results\nR.\n\n## Aims\nTwo.\n")
    first, second = line_of(text, "## Aim"), line_of(text, "## Aims")
    where, message = only_problem(text)
    assert where == f"line {second}"
    assert "Aims" in message and "Aim" in message and f"line {first}" in message


def test_a_heading_without_a_name_is_an_error_naming_the_line():
    text = document(body="## Aim\nx\n##\ny\n")
    assert_problem(text, f"line {line_of(text, '##')}", "needs a name")


# --- Front matter: keys -------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["colour", "Title", "measure", "author"])
def test_unknown_key_is_an_error_naming_the_key(key):
    assert_problem(document(f"{key}: something\n"), f"key `{key}`", "unknown key")


@pytest.mark.parametrize("key", ["title", "cluster"])
@pytest.mark.parametrize("how", ["missing", "empty", "null"])
def test_missing_required_key(key, how):
    other = "cluster: Paisley North\n" if key == "title" else "title: Hello there\n"
    value = {"missing": "", "empty": f'{key}: ""\n', "null": f"{key}:\n"}[how]
    assert_problem(document(base=other + value), f"key `{key}`", "required")


def test_title_typo_reports_the_unknown_key_and_the_missing_title():
    problems = problems_of(document(base="titel: Hello there\ncluster: X\n"))
    assert [where for where, _ in problems] == ["key `titel`", "key `title`"]


@pytest.mark.parametrize(
    "front, where, fragment",
    [
        ("status: finished\n", "key `status`", "idea, active, completed, paused, stopped"),
        ("status: Active\n", "key `status`", "Choose one of"),
        ("role: neither\n", "key `role`", "intrinsic, extrinsic, both"),
        ("visibility: private\n", "key `visibility`", "public, network, cluster"),
        ("slug: Not A Slug\n", "key `slug`", "lower-case letters"),
        ("adapted_from: some--thing\n", "key `adapted_from`", "slug"),
        ("summary: |\n  one\n\n  two\n", "key `summary`", "one plain paragraph"),
        ("summary: " + "x" * 1001 + "\n", "key `summary`", "1000 characters"),
        ("status: [active]\n", "key `status`", "must be text"),
        ("hscp: {name: X}\n", "key `hscp`", "must be text"),
    ],
)
def test_bad_values_name_their_key(front, where, fragment):
    assert_problem(document(front), where, fragment)


@pytest.mark.parametrize(
    "base, where",
    [
        ("title: [Hello, there]\ncluster: X\n", "key `title`"),
        ("title: Hello there\ncluster: {name: X}\n", "key `cluster`"),
    ],
)
def test_title_and_cluster_must_be_text(base, where):
    assert_problem(document(base=base), where, "must be text")


@pytest.mark.parametrize("key", ["started", "finished"])
@pytest.mark.parametrize(
    "value",
    ["01/04/2023", "April 2023", "20230401", "2023-04-01T10:00:00", "[2023, 4, 1]", "'2023-4-1x'"],
)
def test_bad_dates_name_their_key(key, value):
    assert_problem(document(f"{key}: {value}\n"), f"key `{key}`", "ISO date")


@pytest.mark.parametrize("key", ["started", "finished"])
@pytest.mark.parametrize("value", ["2023-02-30", "2023-13-01", "2023-00-10"])
def test_impossible_calendar_dates_are_format_errors(key, value):
    # YAML resolves these as timestamps and then fails to build the date; parse must still
    # answer with a FormatError naming the key, never let a ValueError escape.
    assert_problem(document(f"{key}: {value}\n"), f"key `{key}`", "ISO date")


def test_quoted_iso_dates_are_accepted():
    writeup = parse(document("started: '2023-04-01'\nfinished: \"2023-04-01\"\n"))
    assert writeup.started == writeup.finished == date(2023, 4, 1)


def test_finished_before_started_is_an_error():
    assert_problem(
        document("started: 2023-05-01\nfinished: 2023-04-30\n"), "key `finished`", "on or after"
    )


@pytest.mark.parametrize("length, ok", [(2, False), (3, True), (200, True), (201, False)])
def test_title_length_limits(length, ok):
    text = document(base=f"title: {'t' * length}\ncluster: X\n")
    if ok:
        assert parse(text).title == "t" * length
    else:
        assert_problem(text, "key `title`", "3 to 200 characters")


def test_whitespace_only_title_is_too_short():
    assert_problem(document(base="title: '    '\ncluster: X\n"), "key `title`", "3 to 200")


# --- Tags and authors ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["tags", "authors"])
@pytest.mark.parametrize(
    "value", ["audit", "{a: b}", "[audit, {a: b}]", "[audit, [nested]]", "[audit, null]"]
)
def test_tags_and_authors_must_be_lists_of_text(key, value):
    assert_problem(document(f"{key}: {value}\n"), f"key `{key}`", "must be a list")


@pytest.mark.parametrize("key, noun", [("tags", "tag"), ("authors", "author")])
def test_empty_list_items_are_rejected(key, noun):
    assert_problem(document(f"{key}: [ok, '  ']\n"), f"key `{key}`", f"empty {noun}")


def test_tags_and_authors_are_trimmed_and_keep_their_spelling():
    writeup = parse(document("tags: ['  Safer Prescribing ', COPD]\nauthors: [' Dr X ']\n"))
    assert writeup.tags == ["Safer Prescribing", "COPD"]
    assert writeup.authors == ["Dr X"]


def test_unquoted_scalar_tags_keep_their_original_spelling():
    # The contract keeps a tag's original spelling for display; YAML would read these as
    # true, 1.1 and 7 (octal 07 is 7 in YAML 1.1).
    writeup = parse(document("tags: [Yes, 1.10, 07, audit]\n"))
    assert writeup.tags == ["Yes", "1.10", "07", "audit"]


# --- Measures -----------------------------------------------------------------------------------


def test_measure_with_value_points_and_definition():
    writeup = parse(measure_document(
        "  - name: DNA rate\n    type: outcome\n    definition: Missed / booked\n"
        "    data:\n      - {date: 2024-01-01, value: 12.5}\n      - {date: 2024-02-01, value: 0}\n"
    ))
    (measure,) = writeup.measures
    assert (measure.name, measure.type) == ("DNA rate", "outcome")
    assert measure.definition == "Missed / booked"
    assert [point["value"] for point in measure.data] == [12.5, 0]


@pytest.mark.parametrize(
    "measure_yaml, where, fragment",
    [
        ("  - name: m\n    type: proces\n", "key `measures`, measure 1", "outcome, process, balancing"),
        ("  - name: m\n", "key `measures`, measure 1", "measure type"),
        ("  - type: outcome\n", "key `measures`, measure 1", "Give the measure a name"),
        ("  - name: m\n    type: outcome\n    colour: red\n", "key `measures`",
         "measure 1: unknown key `colour`"),
        ("  - name: m\n    type: outcome\n  - name: n\n    type: outcome\n    target: 3\n",
         "key `measures`", "measure 2: unknown key `target`"),
        ("  - just a string\n", "key `measures`", "measure 1: must be a mapping"),
        ("  - name: m\n    type: outcome\n    goal: high\n", "key `measures`",
         "goal must be a number"),
        ("  - name: m\n    type: outcome\n    data: {date: 2024-01-01, value: 1}\n",
         "key `measures`", "data must be a list"),
    ],
)
def test_bad_measures(measure_yaml, where, fragment):
    assert_problem(measure_document(measure_yaml), where, fragment)


def test_measures_must_be_a_list():
    text = document("measures: {name: m, type: outcome}\n")
    assert_problem(text, "key `measures`", "list of measures")


POINT_SHAPE = "needs either value, or numerator and denominator"


@pytest.mark.parametrize(
    "point, fragment",
    [
        ("{date: 2024-01-01, value: 1, numerator: 1}", POINT_SHAPE),
        ("{date: 2024-01-01, value: 1, numerator: 1, denominator: 2}", POINT_SHAPE),
        ("{date: 2024-01-01, numerator: 1}", POINT_SHAPE),
        ("{date: 2024-01-01, denominator: 4}", POINT_SHAPE),
        ("{date: 2024-01-01}", POINT_SHAPE),
        ("{date: 2024-01-01, count: 3}", POINT_SHAPE),
        ("{value: 1}", "data point 1: date must be an ISO date"),
        ("{date: last March, value: 1}", "data point 1: date must be an ISO date"),
        ("{date: 2024-01-01, value: twelve}", "values must be numbers"),
        ("{date: 2024-01-01, value: true}", "values must be numbers"),
        ("{date: 2024-01-01, value: null}", "values must be numbers"),
        ("just a number", "data point 1 must be a mapping"),
    ],
)
def test_bad_data_points(point, fragment):
    text = measure_document(f"  - name: m\n    type: outcome\n    data:\n      - {point}\n")
    where, message = only_problem(text)
    assert where == "key `measures`"
    assert message.startswith("measure 1: ") and fragment in message


@pytest.mark.parametrize("denominator", ["0", "-4", "0.0"])
def test_denominator_must_be_positive(denominator):
    text = measure_document(
        "  - name: m\n    type: process\n    data:\n"
        f"      - {{date: 2024-01-01, numerator: 0, denominator: {denominator}}}\n"
    )
    assert_problem(text, "key `measures`, measure 1", "denominator must be greater than zero")


@pytest.mark.parametrize(
    "field_yaml",
    [
        "data: [{date: 2024-01-01, value: .nan}]",
        "data: [{date: 2024-01-01, value: .NaN}]",
        "data: [{date: 2024-01-01, value: .inf}]",
        "data: [{date: 2024-01-01, value: -.Inf}]",
        "data: [{date: 2024-01-01, numerator: .nan, denominator: 10}]",
        "data: [{date: 2024-01-01, numerator: 1, denominator: .inf}]",
        "data: [{date: 2024-01-01, value: 1.0e+13}]",
        "data: [{date: 2024-01-01, numerator: 1, denominator: .nan}]",  # NaN <= 0 is False
        "goal: .inf",
        "goal: .nan",
    ],
)
def test_numbers_must_be_finite(field_yaml):
    text = measure_document(f"  - name: m\n    type: outcome\n    {field_yaml}\n")
    where, message = only_problem(text)
    assert where.startswith("key `measures`") and "number" in message, (where, message)


def test_impossible_data_point_date_is_a_format_error():
    text = measure_document(
        "  - name: m\n    type: outcome\n    data: [{date: 2023-02-30, value: 1}]\n"
    )
    assert_problem(text, "key `measures`", "date must be an ISO date")


# --- Document structure -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "# Just Markdown\n\nNo front matter here.\n",
        "title: Hello there\ncluster: X\n---\n",
        "\n---\ntitle: Hello there\ncluster: X\n---\n",
        "----\ntitle: Hello there\ncluster: X\n----\n",
        "",
    ],
    ids=["markdown-only", "no-opening-line", "blank-line-first", "four-dashes", "empty"],
)
def test_no_front_matter(text):
    assert_problem(text, "line 1", "must start with `---`")


@pytest.mark.parametrize(
    "text",
    ["---\ntitle: Hello there\ncluster: X\n", "---\ntitle: Hello there\n## Aim\ntext\n", "---\n"],
)
def test_front_matter_not_closed(text):
    assert_problem(text, "line 1", "not closed")


def assert_yaml_error_at(front: str, line: int) -> None:
    where, message = only_problem(document(front))
    assert message.startswith("invalid YAML")
    assert where == f"line {line}"


@pytest.mark.parametrize(
    "front, line",
    [
        ("summary: one: two\n", 4),
        ("tags:\n  - a\n - b\n", 6),
        ("role: both\n\tstatus: active\n", 5),
    ],
)
def test_invalid_yaml_reports_a_line_number(front, line):
    assert_yaml_error_at(front, line)


@pytest.mark.parametrize(
    "front, line",
    [
        ("authors: [a, 'b]\nrole: both\n", 4),
        ("summary: fine\nstatus: \"active\n", 5),
        ("tags: [a, b\n", 4),
    ],
    ids=["unclosed-quote-in-list", "unclosed-double-quote", "unclosed-flow-list"],
)
def test_unterminated_yaml_reports_the_line_where_it_starts(front, line):
    # Pointing at the end of the front matter (the closing `---`) would send the author to a
    # line that is not wrong; the line where the unclosed quote or bracket opens is.
    assert_yaml_error_at(front, line)


def test_invalid_yaml_line_number_counts_crlf_and_bom_files_the_same():
    text = "\ufeff" + document("summary: one: two\n").replace("\n", "\r\n")
    assert only_problem(text)[0] == "line 4"


@pytest.mark.parametrize("front", ["- a list\n- not a mapping\n", "just a string\n"])
def test_front_matter_must_be_a_mapping(front):
    assert_problem(document(base=front), "front matter", "mapping")


def test_empty_front_matter_reports_both_required_keys():
    assert problems_of("---\n---\nBody\n") == [
        ("key `title`", "is required"), ("key `cluster`", "is required")
    ]


# --- Characters and line endings ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, where",
    [
        (document(base='title: "Bad\\0title"\ncluster: X\n'), "key `title`"),
        (document('summary: "bell\\a here"\n'), "key `summary`"),
        (document('tags: ["del\\x7f"]\n'), "key `tags`"),
        (document(body="Intro with an \x1b escape.\n"), "introduction"),
        (document(body="## Aim\nfine\n\n## Results\nnul\x00here\n"), "section “Results”"),
        (document(body="## Res\x0bults\nx\n"), "section “Res\x0bults”"),
        (measure_document('  - name: "m\\x01"\n    type: outcome\n'), "key `measures`, measure 1"),
    ],
)
def test_control_characters_are_rejected(text, where):
    assert_problem(text, where, "control characters")


def test_raw_nul_in_front_matter_is_invalid_yaml():
    assert_problem(document("summary: a\x00b\n"), "front matter", "invalid YAML")


def test_tabs_and_newlines_are_allowed():
    writeup = parse(document(body="Intro\twith a tab.\n\n## Aim\nLine one\nLine two\n"))
    assert writeup.intro == "Intro\twith a tab."


def test_crlf_line_endings_are_accepted():
    assert parse(SPEC_EXAMPLE.replace("\n", "\r\n")) == parse(SPEC_EXAMPLE)


def test_utf8_byte_order_mark_is_accepted():
    assert parse("\ufeff" + SPEC_EXAMPLE) == parse(SPEC_EXAMPLE)


def test_bom_and_crlf_together_keep_line_numbers():
    text = document(body="## Aim\na\n## Aims\nb\n")
    where, _ = only_problem("\ufeff" + text.replace("\n", "\r\n"))
    assert where == f"line {line_of(text, '## Aims')}"


# --- Several problems at once -------------------------------------------------------------------


def test_several_problems_are_all_reported_together():
    text = document(
        "colour: red\nstarted: sometime\ntags: audit\nrole: [both]\n",
        "## Aim\na\n## Aims\nb\n",
        base="title: Hello there\n",
    )
    wheres = {where for where, _ in problems_of(text)}
    assert wheres == {
        "key `colour`", "key `cluster`", "key `started`", "key `tags`", "key `role`",
        f"line {line_of(text, '## Aims')}",
    }


def test_key_problems_and_value_rule_problems_are_reported_together():
    text = document("colour: red\nstatus: finished\n", "## Aim\na\n## Aims\nb\n",
                    base="title: ab\ncluster: X\n")
    wheres = {where for where, _ in problems_of(text)}
    assert wheres == {
        "key `colour`", "key `status`", "key `title`", f"line {line_of(text, '## Aims')}"
    }


def test_value_rule_problems_are_reported_together():
    text = document(
        "status: finished\nrole: neither\nvisibility: private\n"
        "started: 2023-05-01\nfinished: 2023-04-01\n"
        "measures:\n  - name: m\n    type: proces\n    data: [{date: 2024-01-01, value: 1.0e+13}]\n",
        base="title: ab\ncluster: X\n",
    )
    problems = problems_of(text)
    assert {where for where, _ in problems} == {
        "key `title`", "key `status`", "key `role`", "key `visibility`", "key `finished`",
        "key `measures`, measure 1",
    }
    assert len([where for where, _ in problems if where == "key `measures`, measure 1"]) == 2


def test_problems_in_several_measures_are_all_reported():
    text = measure_document(
        "  - name: a\n    type: outcome\n    colour: red\n"
        "  - name: b\n    type: outcome\n    goal: high\n"
    )
    messages = [message for _, message in problems_of(text)]
    assert any("measure 1" in message for message in messages), messages
    assert any("measure 2" in message for message in messages), messages
