"""What makes a write-up valid, whichever door it came in by (editor, import, API)."""

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from registry.writeup_format import WriteUp

STATUSES = ("idea", "active", "completed", "paused", "stopped")
ROLES = ("intrinsic", "extrinsic", "both")
VISIBILITIES = ("public", "network", "cluster")
MEASURE_TYPES = ("outcome", "process", "balancing")

SECTION_TITLES = {
    "background": "Background",
    "aim": "Aim",
    "measures": "Measures",
    "changes": "Changes",
    "results": "Results",
    "lessons": "Lessons",
    "reuse": "Reuse",
    "tools": "Tools",
}
_ALIASES = {
    "background": ("problem", "context"),
    "aim": ("aims",),
    "measures": ("measurement", "methods"),
    "changes": ("change ideas", "interventions", "pdsa cycles"),
    "results": ("findings",),
    "lessons": ("lessons learned", "learning", "conclusion", "conclusions"),
    "reuse": ("how to reuse", "spread", "adopting this project"),
    "tools": ("resources",),
}
SECTION_ALIASES = {
    name: key for key, aliases in _ALIASES.items() for name in (key, *aliases)
}

TITLE_LENGTH = (3, 200)
MAX_SUMMARY = 1_000
MAX_TAG = 60
MAX_TAGS = 20
MAX_AUTHOR = 120
MAX_AUTHORS = 30
MAX_SECTION = 100_000
MAX_HEADING = 120
MAX_MEASURE_TEXT = 500
MAX_MEASURES = 30
MAX_POINTS = 500

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# C0 controls other than tab and newlines, and DEL: never meaningful in a write-up, and
# PostgreSQL refuses NUL outright.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def check_writeup(writeup: "WriteUp") -> dict[str, list[str]]:
    """Return field name -> messages for everything wrong with the write-up."""
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    low, high = TITLE_LENGTH
    if not low <= len(writeup.title.strip()) <= high:
        fail("title", f"Enter a title of {low} to {high} characters.")
    if writeup.slug is not None and not SLUG_PATTERN.match(writeup.slug):
        fail("slug", "Use lower-case letters, digits and single hyphens only.")
    if not writeup.cluster.strip():
        fail("cluster", "Choose the cluster that owns this project.")
    _check_choice(fail, "status", writeup.status, STATUSES)
    _check_choice(fail, "role", writeup.role, ROLES)
    _check_choice(fail, "visibility", writeup.visibility, VISIBILITIES)
    if writeup.started and writeup.finished and writeup.finished < writeup.started:
        fail("finished", "The finish date must be on or after the start date.")
    if writeup.summary and len(writeup.summary) > MAX_SUMMARY:
        fail("summary", f"Keep the summary to {MAX_SUMMARY} characters.")
    if writeup.summary and "\n\n" in writeup.summary.strip():
        fail("summary", "The summary is one plain paragraph.")
    _check_list(fail, "tags", writeup.tags, MAX_TAGS, MAX_TAG, "tag")
    _check_list(fail, "authors", writeup.authors, MAX_AUTHORS, MAX_AUTHOR, "author")
    if writeup.adapted_from is not None and not SLUG_PATTERN.match(writeup.adapted_from):
        fail("adapted_from", "Give the slug of the project this one adapts.")
    if len(writeup.measures) > MAX_MEASURES:
        fail("measures", f"At most {MAX_MEASURES} measures.")
    for number, measure in enumerate(writeup.measures, 1):
        for message in _measure_problems(measure):
            fail(f"measures-{number}", message)
    for number, section in enumerate(writeup.sections, 1):
        if not section.heading.strip() or len(section.heading) > MAX_HEADING:
            fail(f"sections-{number}", f"Give each section a heading of up to {MAX_HEADING} characters.")
        if len(section.body) > MAX_SECTION:
            fail(f"sections-{number}", f"Keep each section under {MAX_SECTION:,} characters.")
    if len(writeup.intro) > MAX_SECTION:
        fail("intro", f"Keep the introduction under {MAX_SECTION:,} characters.")
    for name, text in _texts(writeup):
        if CONTROL_CHARACTERS.search(text):
            fail(name, "Remove the control characters (invisible characters such as NUL).")
    return errors


def _check_choice(fail, name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        fail(name, f"Choose one of: {', '.join(choices)}.")


def _check_list(fail, name: str, items: list[str], most: int, longest: int, noun: str) -> None:
    if len(items) > most:
        fail(name, f"At most {most} {noun}s.")
    if any(not item.strip() for item in items):
        fail(name, f"An empty {noun} is not allowed.")
    if any(len(item) > longest for item in items):
        fail(name, f"Keep each {noun} to {longest} characters.")


def _measure_problems(measure) -> list[str]:
    problems = []
    if not measure.name.strip():
        problems.append("Give the measure a name.")
    if measure.type not in MEASURE_TYPES:
        problems.append(f"The measure type is one of: {', '.join(MEASURE_TYPES)}.")
    for text in (measure.name, measure.definition or "", measure.unit or ""):
        if len(text) > MAX_MEASURE_TEXT:
            problems.append(f"Keep measure texts to {MAX_MEASURE_TEXT} characters.")
            break
    if len(measure.data) > MAX_POINTS:
        problems.append(f"At most {MAX_POINTS} data points per measure.")
    numbers = [v for p in measure.data for k, v in p.items() if k != "date"]
    if measure.goal is not None:
        numbers.append(measure.goal)
    if not all(math.isfinite(n) and abs(n) < 1e12 for n in numbers):
        problems.append("Goals and values must be ordinary finite numbers.")
    if any(p.get("denominator", 1) <= 0 for p in measure.data):
        problems.append("A denominator must be greater than zero.")
    return problems


def _texts(writeup: "WriteUp"):
    yield "title", writeup.title
    yield "cluster", writeup.cluster
    yield "hscp", writeup.hscp or ""
    yield "board", writeup.board or ""
    yield "summary", writeup.summary or ""
    yield "intro", writeup.intro
    yield "tags", " ".join(writeup.tags)
    yield "authors", " ".join(writeup.authors)
    for number, measure in enumerate(writeup.measures, 1):
        yield f"measures-{number}", " ".join(
            filter(None, (measure.name, measure.definition, measure.unit))
        )
    for number, section in enumerate(writeup.sections, 1):
        yield f"sections-{number}", section.heading + section.body
