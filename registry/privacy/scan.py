"""The guard's doors: a write-up's fields, an uploaded file, or any text, checked for CHI and
NHS numbers, with messages that name where each was found and show it masked."""

from typing import TYPE_CHECKING

from registry.privacy.identifiers import Finding, find_in_table, find_in_text, location
from registry.writeup_format import WriteUp
from registry.writeup_rules import SECTION_TITLES

if TYPE_CHECKING:  # tools call this module; it needs only their data's shape
    from registry.tools.contents import Extracted

_FIELD_LABELS = {
    "title": "Title",
    "slug": "Slug",
    "cluster": "Cluster",
    "hscp": "HSCP",
    "board": "Board",
    "summary": "Summary",
    "authors": "Authors",
    "tags": "Tags",
    "adapted_from": "Adapted from",
    "intro": "Introduction",
}
_LISTED = 3  # numbers named in one message; the rest are counted


def scan_writeup(writeup: WriteUp) -> dict[str, str]:
    """Field name -> message for each field holding an identifier, named as check_writeup
    names fields (title, summary, sections-2, measures-1…), so every door shows them alike."""
    found: dict[str, str] = {}

    def check(name: str, label: str, findings: list[Finding]) -> None:
        if findings:
            found[name] = identifier_message(label, findings)

    texts = {
        "title": writeup.title,
        "slug": writeup.slug or "",
        "cluster": writeup.cluster,
        "hscp": writeup.hscp or "",
        "board": writeup.board or "",
        "summary": writeup.summary or "",
        "authors": "\n".join(writeup.authors),
        "tags": "\n".join(writeup.tags),
        "adapted_from": writeup.adapted_from or "",
        "intro": writeup.intro,
    }
    for name, text in texts.items():
        check(name, _FIELD_LABELS[name], find_in_text(text))
    for number, measure in enumerate(writeup.measures, 1):
        words = "\n".join(filter(None, (measure.name, measure.definition, measure.unit)))
        # The goal and data points are numbers, judged as a spreadsheet column would be.
        values = [[v] for point in measure.data for key, v in point.items() if key != "date"]
        check(f"measures-{number}", f"Measure {number}",
              find_in_text(words) + find_in_table([[measure.goal], *values]))
    for number, section in enumerate(writeup.sections, 1):
        if section.key:
            label = SECTION_TITLES[section.key]
        elif find_in_text(section.heading):  # the label must not repeat the number
            label = "A section heading"
        else:
            label = f"The section “{section.heading}”"
        check(f"sections-{number}", label, find_in_text(f"{section.heading}\n{section.body}"))
    return found


def scan_file(extracted: "Extracted", filename: str) -> list[Finding]:
    """Every identifier in a file's text and tables, each located by file name and place."""
    found = []
    for passage in extracted.passages:
        found.extend(find_in_text(passage.text, location(filename, passage.where)))
    for table in extracted.tables:
        found.extend(find_in_table(table.rows, location(filename, table.where)))
    return found


def scan_text(label: str, text: str) -> str | None:
    """The message for a piece of text (a comment, a description), or None if it is clean."""
    findings = find_in_text(text)
    return identifier_message(label, findings) if findings else None


def identifier_message(label: str, findings: list[Finding]) -> str:
    """The message naming the field and each number masked, as the issue words it:
    "Aim contains what looks like a CHI number (010203•••••). Remove patient identifiers…"."""
    named = [described(f) for f in findings[:_LISTED]]
    if len(findings) > _LISTED:
        named.append(f"{len(findings) - _LISTED} more")
    listing = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return (
        f"{label} contains what looks like {listing}. Remove patient identifiers before saving."
    )


def described(finding: Finding) -> str:
    """"a CHI number (010203•••••)": what was found, masked."""
    article = "an" if finding.kind.startswith("NHS") else "a"
    return f"{article} {finding.kind} ({finding.masked})"
