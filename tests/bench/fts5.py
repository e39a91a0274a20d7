"""The floor: SQLite FTS5 (bm25, porter stemmer) over the same corpus and the same queries.

Each query does the work our search does for one page of results, so the ratio is fair: the
visible matches for the words (OR, like ours: one unmatched word still finds results) narrowed
by the facets, the total, a page of 20 best by bm25 (or newest), snippets for that page, and
counts for every facet over the whole result set (SQL GROUP BY). FTS5 does not do synonyms,
spelling correction or prefix expansion limits, so misspellings simply find nothing here.
"""

import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from search_index import Scope

from measure import Outcome
from queries import Query

PER_PAGE = 20
# Column weights for bm25(): title, summary, aim, body, tags, authors, tool_text.
WEIGHTS = "10.0, 4.0, 3.0, 1.0, 5.0, 2.0, 1.0"
COLUMN_FACETS = ("board", "hscp", "cluster", "status", "role", "year")
FIELDS_AS_FILTERS = ("board", "hscp", "cluster", "status")
TOKEN = re.compile(r'-?"[^"]*"?|\S+')
# FTS5 indexes every word; ours drops English stop words (Whoosh's list, copied here so that
# whoosh stays imported only inside search_index/), so the bare-word queries drop them too.
# Phrases keep them.
STOP_WORDS = frozenset("""a an and are as at be by can for from have if in is it may not of on
    or tbd that the this to us we when will with yet you your""".split())


def build(corpus_db: Path, fts_db: Path) -> dict:
    """Index the stored corpus into its own file (so its size is measurable)."""
    start = time.perf_counter()
    connection = _connect(corpus_db, fts_db)
    connection.executescript("""
        CREATE VIRTUAL TABLE fts.search USING fts5(
            title, summary, aim, body, tags, authors, tool_text,
            tokenize = 'porter unicode61');
        INSERT INTO fts.search (rowid, title, summary, aim, body, tags, authors, tool_text)
        SELECT id, title, summary, aim, body,
               (SELECT group_concat(value, ' ; ') FROM json_each(documents.tags)),
               (SELECT group_concat(value, ' ; ') FROM json_each(documents.authors)),
               tool_text
        FROM documents;
        INSERT INTO fts.search (search) VALUES ('optimize');
        -- A narrow copy of what filters, facets and sorting read: joining the matches to the
        -- wide documents rows would read a page per match and triple the facet time.
        CREATE TABLE fts.facts (
            id INTEGER PRIMARY KEY, cluster TEXT, hscp TEXT, board TEXT, status TEXT,
            role TEXT, year INTEGER, visibility TEXT, published INTEGER, cluster_id INTEGER,
            updated TEXT);
        INSERT INTO fts.facts SELECT id, cluster, hscp, board, status, role, year, visibility,
                                     published, cluster_id, updated FROM documents;
    """)
    connection.commit()
    seconds = time.perf_counter() - start
    documents = connection.execute("SELECT count(*) FROM fts.search").fetchone()[0]
    connection.close()
    return {"documents": documents, "seconds": round(seconds, 2),
            "documents_per_s": round(documents / seconds, 1),
            "size_mb": round(fts_db.stat().st_size / 2**20, 2)}


class Searcher:
    """Answers queries like ProjectIndex.search, as SQL; one connection, reused."""

    def __init__(self, corpus_db: Path, fts_db: Path, scope: Scope):
        self.connection = _connect(corpus_db, fts_db)
        # The matches with their facet values, so counting them needs no further join.
        self.connection.execute(f"CREATE TEMP TABLE hits (id INTEGER PRIMARY KEY, score REAL, "
                                f"updated TEXT, {', '.join(COLUMN_FACETS)})")
        self.scope = scope

    def close(self) -> None:
        self.connection.close()

    def run(self, query: Query) -> Outcome:
        plan = translate(query)
        self.connection.execute("DELETE FROM hits")
        self.connection.execute(*self._collect_hits(plan))
        total = self.connection.execute("SELECT count(*) FROM hits").fetchone()[0]
        page = self._page(query.sort if plan.match else "newest")
        if plan.match and page:
            self._snippets(plan.match, page)
        self._facet_counts()
        return Outcome(total=total)

    def _collect_hits(self, plan: "Plan") -> tuple[str, list]:
        where, params = self._where(plan)
        facts = ", ".join(f"d.{column}" for column in ("updated", *COLUMN_FACETS))
        if plan.match:
            return (f"INSERT INTO hits SELECT d.id, bm25(search, {WEIGHTS}), {facts} "
                    "FROM fts.search JOIN fts.facts d ON d.id = search.rowid "
                    f"WHERE search MATCH ? AND {where}",
                    [plan.match, *params])
        return f"INSERT INTO hits SELECT d.id, 0, {facts} FROM fts.facts d WHERE {where}", params

    def _where(self, plan: "Plan") -> tuple[str, list]:
        clauses, params = [_visibility_clause(self.scope)], []
        for name, values in plan.filters.items():
            marks = ", ".join("?" * len(values))
            if name == "tags":
                clauses.append("EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = "
                               f"d.id AND t.tag IN ({marks}))")
                values = [value.casefold() for value in values]
            else:
                clauses.append(f"d.{name} IN ({marks})")
                values = [int(value) for value in values] if name == "year" else list(values)
            params += values
        return " AND ".join(clauses), params

    def _page(self, sort: str) -> list[int]:
        """The page's ids in order, with what a result shows (read only for those 20)."""
        order = "score" if sort == "relevance" else "updated DESC"
        return [row[0] for row in self.connection.execute(
            "SELECT d.id, d.slug, d.title, d.summary, d.cluster, d.board, d.status, d.tags "
            f"FROM (SELECT id, score, updated FROM hits ORDER BY {order} LIMIT {PER_PAGE}) top "
            f"JOIN documents d ON d.id = top.id ORDER BY top.{order}")]

    def _snippets(self, match: str, page: list[int]) -> None:
        marks = ", ".join("?" * len(page))
        self.connection.execute(
            "SELECT rowid, snippet(search, -1, '<mark>', '</mark>', '…', 24) FROM fts.search "
            f"WHERE search MATCH ? AND rowid IN ({marks})", [match, *page]).fetchall()

    def _facet_counts(self) -> None:
        for column in COLUMN_FACETS:
            self.connection.execute(f"SELECT {column}, count(*) FROM hits GROUP BY 1").fetchall()
        for table, column in (("document_tags", "tag"), ("document_tool_kinds", "kind")):
            self.connection.execute(
                f"SELECT t.{column}, count(*) FROM hits h JOIN {table} t ON t.document_id = h.id "
                "GROUP BY 1").fetchall()


@dataclass
class Plan:
    match: str = ""                            # FTS5 MATCH expression; "" lists everything
    filters: dict[str, list[str]] = field(default_factory=dict)


def translate(query: Query) -> Plan:
    """Our query syntax as FTS5: words and phrases ORed, -word as NOT, field:value as SQL."""
    plan = Plan(filters={name: list(values) for name, values in query.filters.items()})
    wanted, unwanted = [], []
    for token in TOKEN.findall(query.text):
        negative = token.startswith("-") and len(token) > 1
        token = token[1:] if negative else token
        name, _, value = token.partition(":")
        if value and name in FIELDS_AS_FILTERS:
            plan.filters.setdefault(name, []).append(value)
        elif value and name == "tag":
            wanted.append(f"tags : {_quoted(value.replace('-', ' '))}")
        elif token.lower() not in STOP_WORDS:
            (unwanted if negative else wanted).append(_term(token))
    wanted = [term for term in wanted if term]
    if wanted:
        # FTS5's NOT binds tighter than OR: without the brackets only the last word is negated.
        plan.match = f"({' OR '.join(wanted)})"
        plan.match += "".join(f" NOT {term}" for term in unwanted if term)
    return plan


def _term(token: str) -> str:
    if token.endswith("*") and token.strip('"*'):
        return _quoted(token.rstrip("*")) + "*"
    return _quoted(token.strip('"'))


def _quoted(text: str) -> str:
    """An FTS5 string: any punctuation inside is safe, and the tokenizer splits it."""
    words = re.sub(r"[^\w\s'-]", " ", text).strip()
    return f'"{words.replace(chr(34), "")}"' if words else ""


def _visibility_clause(scope: Scope) -> str:
    """The same rules as the engine: published public, plus network when signed in, plus
    anything of the viewer's own clusters."""
    if scope.everything:
        return "1"
    visible = "('public', 'network')" if scope.signed_in else "('public')"
    clause = f"(d.published = 1 AND d.visibility IN {visible})"
    if scope.cluster_ids:
        clause += f" OR d.cluster_id IN ({', '.join(str(int(i)) for i in scope.cluster_ids)})"
    return f"({clause})"


def _connect(corpus_db: Path, fts_db: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(corpus_db)
    connection.execute("ATTACH DATABASE ? AS fts", (str(fts_db),))
    return connection
