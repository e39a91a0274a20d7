"""A deterministic synthetic corpus of realistic QI write-ups for the search benchmark.

`documents(size, seed)` yields `search_index.ProjectDocument`s with ids 1..size. Each document
has its own random generator seeded from (seed, id), so document 17 is the same whatever the
corpus size, and `document(id, seed)` can regenerate any one of them (the edit benchmark does).
`write_sqlite` / `read_sqlite` store the same documents as rows, so every engine in a run
indexes exactly the same corpus.

Never emits anything resembling a CHI or NHS number: every number is at most four digits, and
`_assert_no_identifiers` checks it.
"""

import csv
import itertools
import json
import random
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from search_index import ProjectDocument

import vocabulary as v
from registry.text import slugify

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ORGANISATIONS_CSV = PROJECT_ROOT / "content" / "reference" / "organisations.csv"
DEFAULT_SEED = 20260514
FIRST_YEAR, LAST_YEAR = 2017, 2026
MIN_WORDS, MAX_WORDS = 300, 700
LONG_NUMBER = re.compile(r"\d{9,}")


@dataclass(frozen=True)
class Cluster:
    id: int
    slug: str
    name: str
    hscp: str
    hscp_name: str
    board: str
    board_name: str
    practices: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Organisations: the real boards and HSCPs, ~150 invented clusters with ~900 practices.
# ---------------------------------------------------------------------------------------------

@cache
def clusters() -> tuple[Cluster, ...]:
    """The same clusters for every corpus size and seed, so facet values are comparable."""
    rng = random.Random("clusters")
    names = _unique_names(rng)
    made = []
    with ORGANISATIONS_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            count = v.CLUSTERS_PER_HSCP.get(row["hscp"], v.DEFAULT_CLUSTERS_PER_HSCP)
            for _ in range(count):
                name = next(names) + rng.choice(v.CLUSTER_SUFFIXES)
                practices = tuple(f"{next(names)} {rng.choice(v.PRACTICE_SUFFIXES)}"
                                  for _ in range(rng.randint(5, 8)))
                made.append(Cluster(
                    id=len(made) + 1, slug=slugify(name), name=name,
                    hscp=slugify(row["hscp"]), hscp_name=row["hscp"],
                    board=slugify(row["board"]), board_name=row["board"], practices=practices,
                ))
    return tuple(made)


def _unique_names(rng: random.Random) -> Iterator[str]:
    seen: set[str] = set()
    while True:
        name = (rng.choice(v.PLACE_HEADS) + rng.choice(v.PLACE_MIDDLES)
                + rng.choice(v.PLACE_TAILS))
        if name not in seen:
            seen.add(name)
            yield name


@cache
def _cluster_cumulative_weights() -> tuple[float, ...]:
    # Some clusters write up far more than others.
    rng = random.Random("cluster-weights")
    return tuple(itertools.accumulate(rng.uniform(0.3, 3.0) for _ in clusters()))


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------

def documents(size: int, seed: int = DEFAULT_SEED) -> Iterator[ProjectDocument]:
    for id in range(1, size + 1):
        yield document(id, seed)


def document(id: int, seed: int = DEFAULT_SEED) -> ProjectDocument:
    rng = random.Random(f"{seed}:{id}")
    cluster = rng.choices(clusters(), cum_weights=_cluster_cumulative_weights())[0]
    writer = _Writer(rng, _zipf_choice(rng, v.TOPICS), cluster)
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    title, summary, aim = writer.title(), writer.summary(), writer.aim(year)
    head_words = len(f"{title} {summary} {aim}".split())
    tools = writer.tools()
    doc = ProjectDocument(
        id=id,
        slug=f"{slugify(title)[:70].rstrip('-')}-{id}",
        title=title,
        summary=summary,
        aim=aim,
        body=writer.body(target_words=rng.randint(MIN_WORDS, MAX_WORDS) - head_words),
        tags=writer.tags(),
        authors=writer.authors(),
        cluster=writer.cluster.slug,
        cluster_name=writer.cluster.name,
        hscp=writer.cluster.hscp,
        hscp_name=writer.cluster.hscp_name,
        board=writer.cluster.board,
        board_name=writer.cluster.board_name,
        status=_weighted(rng, v.STATUSES),
        role=_weighted(rng, v.ROLES),
        year=year,
        visibility=_weighted(rng, v.VISIBILITIES),
        published=rng.random() < 0.92,
        cluster_id=writer.cluster.id,
        updated=_updated(rng, year),
        fingerprint=f"{id}:1",  # the edit benchmark gives edited versions new ones
        tool_kinds=tuple(sorted({kind for kind, _ in tools})),
        tool_text="\n".join(text for _, text in tools),
    )
    _assert_no_identifiers(doc)
    return doc


def _assert_no_identifiers(doc: ProjectDocument) -> None:
    for text in (doc.title, doc.summary, doc.aim, doc.body, doc.tool_text):
        if LONG_NUMBER.search(text):
            raise AssertionError(f"document {doc.id} contains a long number")


def _updated(rng: random.Random, year: int) -> datetime:
    start = datetime(year, 1, 1, tzinfo=UTC)
    latest = datetime(LAST_YEAR, 5, 1, tzinfo=UTC)
    return min(start + timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 1439)), latest)


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in options], [weight for _, weight in options])[0]


def _zipf_choice(rng: random.Random, options):
    """Earlier options are more common: weight 1/rank."""
    return rng.choices(options, cum_weights=_zipf_cumulative_weights(len(options)))[0]


@cache
def _zipf_cumulative_weights(n: int) -> tuple[float, ...]:
    # Cumulative, so each draw is a bisect rather than a sum over the list.
    return tuple(itertools.accumulate(1 / rank for rank in range(1, n + 1)))


# ---------------------------------------------------------------------------------------------
# Sentence templates. Every {slot} is filled afresh at each occurrence by _Writer.slot.
# ---------------------------------------------------------------------------------------------

TITLES = ("Improving {subject}", "{Subject} across the cluster", "{Subject} in {place}",
          "{Subject}: a test of change", "{Subject} with {partner}", "Reducing variation in "
          "{subject}", "{Subject} and {subject2}", "A cluster audit of {subject}")
SUMMARIES = (
    "{Number} practices used a shared search, {staff} and a {adj} {noun} to improve "
    "{subject}; {measure} rose from {pct}% to {pct_high}% in {number} months.",
    "A cluster project on {subject} for {population}, led by {staff} with {partner}.",
    "We reviewed {population} in {number} practices and agreed a {adj} {noun} for {term}.",
)
AIMS = (
    "By {month} {end_year}, {pct_high}% of {population} in our {number} practices have "
    "{measure_short} in place, with {term} reviewed at least once a year.",
    "Within {number} months, reduce the variation between practices in {subject} so that "
    "every practice reaches {pct_high}% of {population}.",
)
BACKGROUND = (
    "Our first {adj} search across {number} practices found that only {pct}% of {population} "
    "had {measure_short}.",
    "The cluster chose {subject} because {term} kept coming up at cluster meetings and in "
    "significant event reviews.",
    "National guidance on {term} changed, and practices in the cluster were responding in "
    "{number} different ways.",
    "Patients told us that {term} was confusing, and the practice teams agreed the {noun} "
    "needed a review.",
    "Data from the LIST analyst showed wide variation in {term} between practices in "
    "{hscp}.",
    "At baseline {count} of {count_big} patients were on the list, and {staff} reviewed a "
    "sample of {count} records.",
    "Before the project each practice {verb} its own {noun}, and the audit found {term} "
    "recorded in {number} different places.",
)
MEASURES = (
    "**Outcome:** percentage of {population} with {measure_short}, from a monthly search.",
    "**Process:** number of {term} reviews completed by {staff} each month.",
    "**Balancing:** practice workload, appointments used and any {adj} complaints from "
    "patients.",
    "**Process:** proportion of practices using the shared {noun} for {term}.",
)
CHANGES = (
    "**PDSA {cycle} — {adj} {noun}.** Prediction: about {pct}% of patients would need a "
    "review. It was {pct}%. Learned: {reason}.",
    "**PDSA {cycle} — {staff} {verb} the {noun}.** Prediction: the practice would manage "
    "{count} reviews a month. It managed {count}. Learned: {reason}.",
    "**PDSA {cycle} — a shared search for {term}** run by {staff} in every practice. "
    "Learned: {reason}, so the search was {verb} with {partner}.",
    "**PDSA {cycle} — patient letter and {term} clinic.** Patients were invited by letter "
    "and text; {pct}% attended. Learned: {reason}.",
    "**PDSA {cycle} — {adj} huddle.** The practice team {verb} the list of patients due a "
    "review each week with {staff}.",
)
RESULTS = (
    "Across the cluster {measure} rose from {pct}% to {pct_high}% over {number} months.",
    "The run chart showed a shift above the baseline median from {month} onwards, and the "
    "improvement held after the project ended.",
    "{Number} practices reached the aim; the others improved but started from a lower "
    "baseline.",
    "The balancing measure showed {count} extra appointments a month, mostly with {staff}.",
    "There was no sustained change in {term}, which the cluster discussed openly at the "
    "review meeting.",
    "By {month} {end_year}, {count} patients had a {adj} review of {term}.",
)
LESSONS = (
    "{Staff_cap} was the engine of the project; GP time went on the difficult conversations.",
    "Coding was the weak point: {reason}.",
    "A small, clearly bounded group of patients makes a good first cluster project.",
    "Sharing the {noun} between practices saved time, but each practice adapted it.",
    "Involving {partner} early mattered more than the {adj} {noun}.",
    "The {adj} review of {term} only worked when one named person owned the list in each "
    "practice.",
    "We would start the data collection sooner: {reason}.",
)
REUSE = (
    "The search and letter are easy to lift. Allow about {number} sessions per practice for "
    "the first round, then an hour a month.",
    "Another cluster could reuse the {noun} and the audit search; agree the standard at a "
    "cluster meeting first.",
)
SECTIONS = {"Background": BACKGROUND, "Measures": MEASURES, "Changes": CHANGES,
            "Results": RESULTS, "Lessons": LESSONS}
STARTING_SENTENCES = {"Background": 1, "Measures": 2, "Changes": 2, "Results": 1, "Lessons": 1}
GROWING_SECTIONS = ("Background", "Changes", "Changes", "Results", "Lessons")
TOOL_TITLES = {
    "audit search": "{System} audit search for {population}",
    "data-collection spreadsheet": "Tracking spreadsheet for {term} that draws a run chart",
    "template letter": "Template patient letter about {term}",
    "patient information": "Patient information leaflet on {term}",
    "protocol or pathway": "Practice protocol for {subject}",
    "slides": "Slides from the cluster meeting on {subject}",
    "other": "{Adj} {noun} for {staff}",
}
PARTNERS = ("community pharmacy", "the HSCP", "secondary care", "the out-of-hours service",
            "the district nursing team", "social work", "the third sector", "Public Health "
            "Scotland", "the local hospice", "Healthcare Improvement Scotland")


class _Writer:
    """Fills templates for one document: its topic, cluster and random generator."""

    def __init__(self, rng: random.Random, topic: v.Topic, cluster: Cluster):
        self.rng = rng
        self.topic = topic
        self.cluster = cluster
        # A third of write-ups borrow terms from a second topic, as real projects overlap.
        self.other = _zipf_choice(rng, v.TOPICS) if rng.random() < 0.33 else topic
        self.terms = topic.terms + self.other.terms[:3]
        self.unused: dict[str, list[str]] = {}
        self.cycle = 0
        self.end_year = LAST_YEAR

    def fill(self, template: str) -> str:
        return template.format_map(_Slots(self))

    def slot(self, name: str) -> str:
        """The value of one {slot}; a capitalised slot name gives a capitalised value."""
        value = self._slot_value(name.lower())
        return value[:1].upper() + value[1:] if name[:1].isupper() else value

    def _slot_value(self, name: str) -> str:
        if name == "cycle":
            self.cycle += 1
            return str(self.cycle)
        return _SLOT_VALUES[name](self, self.rng)

    def title(self) -> str:
        return self.fill(self.rng.choice(TITLES))

    def summary(self) -> str:
        return self.fill(self.rng.choice(SUMMARIES))

    def aim(self, year: int) -> str:
        self.end_year = min(year + self.rng.randint(0, 2), LAST_YEAR)
        return self.fill(self.rng.choice(AIMS))

    def body(self, target_words: int) -> str:
        """Sections in the usual order; the long ones grow until the target length."""
        sections = {name: [self._next_sentence(name) for _ in range(STARTING_SENTENCES[name])]
                    for name in SECTIONS}
        if self.rng.random() < 0.55:
            sections["Reuse"] = [self.fill(self.rng.choice(REUSE))]
        sections["Context"] = [self._practices_sentence()]
        words = sum(len(s.split()) for lines in sections.values() for s in lines)
        while words < target_words:
            name = self.rng.choice(GROWING_SECTIONS)
            sentence = self._next_sentence(name)
            sections[name].append(sentence)
            words += len(sentence.split())
        return "\n\n".join(_render_section(name, lines) for name, lines in sections.items())

    def tags(self) -> tuple[str, ...]:
        chosen = list(self.rng.sample(self.topic.tags, self.rng.randint(2, len(self.topic.tags))))
        for _ in range(self.rng.randint(0, 2)):
            chosen.append(_zipf_choice(self.rng, v.GENERAL_TAGS))
        return tuple(dict.fromkeys(chosen))

    def authors(self) -> tuple[str, ...]:
        return tuple(
            f"{'Dr ' if role in ('CQL', 'PQL', 'GP') else ''}{self.rng.choice(v.FIRST_NAMES)} "
            f"{self.rng.choice(v.SURNAMES)} ({role})"
            for role in self.rng.sample(v.AUTHOR_ROLES, self.rng.randint(1, 4))
        )

    def tools(self) -> list[tuple[str, str]]:
        """(kind, title) for 0–3 attached tools."""
        count = self.rng.choice((0, 0, 1, 1, 2, 3))
        kinds = self.rng.sample(v.TOOL_KINDS, count)
        return [(kind, self.fill(TOOL_TITLES[kind])) for kind in kinds]

    def _next_sentence(self, section: str) -> str:
        """Templates of a section in a shuffled order, so a write-up rarely repeats itself."""
        queue = self.unused.get(section)
        if not queue:
            templates = SECTIONS[section]
            queue = self.unused[section] = self.rng.sample(templates, len(templates))
        return self.fill(queue.pop())

    def _practices_sentence(self) -> str:
        named = self.rng.sample(self.cluster.practices, self.rng.randint(1, 3))
        return (f"The work involved {', '.join(named)} in the {self.cluster.name} cluster, "
                f"{self.cluster.hscp_name} HSCP.")


# How each {slot} is filled: (writer, its random generator) -> text. Built once, not per slot.
_SLOT_VALUES = {
    "subject": lambda w, rng: rng.choice(w.topic.subjects),
    "subject2": lambda w, rng: rng.choice(w.other.subjects),
    "term": lambda w, rng: rng.choice(w.terms),
    "population": lambda w, rng: w.topic.population,
    "measure": lambda w, rng: f"the percentage of {w.topic.measure}",
    "measure_short": lambda w, rng: rng.choice(("a review recorded", "a coded review",
                                                "an up-to-date plan", "a documented review")),
    "staff": lambda w, rng: _zipf_choice(rng, v.STAFF),
    "staff_cap": lambda w, rng: _zipf_choice(rng, v.STAFF),
    "partner": lambda w, rng: rng.choice(PARTNERS),
    "number": lambda w, rng: rng.choice(v.NUMBER_WORDS),
    "pct": lambda w, rng: str(rng.randint(8, 60)),
    "pct_high": lambda w, rng: str(rng.randint(61, 98)),
    "count": lambda w, rng: str(rng.randint(3, 240)),
    "count_big": lambda w, rng: str(rng.randint(250, 4800)),
    "month": lambda w, rng: rng.choice(v.MONTHS),
    "end_year": lambda w, rng: str(w.end_year),
    "adj": lambda w, rng: _zipf_choice(rng, v.ADJECTIVES),
    "noun": lambda w, rng: _zipf_choice(rng, v.NOUNS),
    "verb": lambda w, rng: _zipf_choice(rng, v.VERBS),
    "reason": lambda w, rng: rng.choice(v.REASONS),
    "place": lambda w, rng: w.cluster.name,
    "hscp": lambda w, rng: w.cluster.hscp_name,
    "system": lambda w, rng: rng.choice(v.CLINICAL_SYSTEMS),
}


class _Slots(dict):
    def __init__(self, writer: _Writer):
        super().__init__()
        self.writer = writer

    def __missing__(self, name: str) -> str:
        return self.writer.slot(name)


def _render_section(name: str, lines: list[str]) -> str:
    if name == "Changes":
        items = "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))
    elif name in ("Lessons", "Measures"):
        items = "\n".join(f"- {line}" for line in lines)
    else:
        items = " ".join(lines)
    return f"## {name}\n\n{items}"


# ---------------------------------------------------------------------------------------------
# SQLite: the same rows for the FTS5 baseline (and to feed the rebuild without regenerating).
# ---------------------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, cluster TEXT, hscp TEXT, board TEXT, status TEXT, role TEXT,
    year INTEGER, visibility TEXT, published INTEGER, cluster_id INTEGER, updated TEXT,
    slug TEXT, tags TEXT, tool_kinds TEXT, fingerprint TEXT, cluster_name TEXT,
    hscp_name TEXT, board_name TEXT, authors TEXT, title TEXT, summary TEXT, aim TEXT,
    tool_text TEXT, body TEXT
);
CREATE TABLE document_tags (document_id INTEGER, tag TEXT);
CREATE TABLE document_tool_kinds (document_id INTEGER, kind TEXT);
"""
_LIST_FIELDS = ("tags", "authors", "tool_kinds")
# Short columns first, long text last: SQLite reads a row from its start, so reading the short
# ones never walks the overflow pages of the long ones.
_COLUMNS = ("id", "cluster", "hscp", "board", "status", "role", "year", "visibility",
            "published", "cluster_id", "updated", "slug", "tags", "tool_kinds", "fingerprint",
            "cluster_name", "hscp_name", "board_name", "authors", "title", "summary", "aim",
            "tool_text", "body")


def write_sqlite(path: Path, docs: Iterable[ProjectDocument]) -> int:
    """Store documents as rows: lists as JSON, tags and tool kinds also one row each (facets)."""
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SCHEMA)
        count = 0
        for doc in docs:
            connection.execute(f"INSERT INTO documents VALUES ({','.join('?' * len(_COLUMNS))})",
                               _row(doc))
            connection.executemany("INSERT INTO document_tags VALUES (?, ?)",
                                   [(doc.id, tag.casefold()) for tag in doc.tags])
            connection.executemany("INSERT INTO document_tool_kinds VALUES (?, ?)",
                                   [(doc.id, kind) for kind in doc.tool_kinds])
            count += 1
        connection.executescript(
            "CREATE INDEX document_tags_by_tag ON document_tags (tag, document_id);"
            "CREATE INDEX document_tags_by_document ON document_tags (document_id);"
            "CREATE INDEX document_tool_kinds_by_document ON document_tool_kinds (document_id);"
        )
        connection.commit()
        return count
    finally:
        connection.close()


def read_sqlite(path: Path) -> Iterator[ProjectDocument]:
    connection = sqlite3.connect(path)
    try:
        cursor = connection.execute(f"SELECT {', '.join(_COLUMNS)} FROM documents ORDER BY id")
        for row in cursor:
            yield _document_from_row(dict(zip(_COLUMNS, row)))
    finally:
        connection.close()


def _row(doc: ProjectDocument) -> tuple:
    values = []
    for column in _COLUMNS:
        value = getattr(doc, column)
        if column in _LIST_FIELDS:
            value = json.dumps(list(value))
        elif column == "updated":
            value = value.isoformat()
        elif column == "published":
            value = int(value)
        values.append(value)
    return tuple(values)


def _document_from_row(row: dict) -> ProjectDocument:
    for column in _LIST_FIELDS:
        row[column] = tuple(json.loads(row[column]))
    row["updated"] = datetime.fromisoformat(row["updated"])
    row["published"] = bool(row["published"])
    return ProjectDocument(**row)
