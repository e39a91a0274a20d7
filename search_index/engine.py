"""`ProjectIndex`: the search engine's public face. Plain documents in, plain results out."""

import contextlib
import shutil
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.classify import Expander
from whoosh.reading import ReaderClosed

from search_index import bitsets, bulk, facets, highlight, matching, querying, schema, spelling
from search_index.cache import LRU
from search_index.documents import (
    FACETS, SORTS, Drift, Hit, IndexUnavailable, ProjectDocument, QueryError, Results, Scope,
)
from search_index.snapshot import Snapshot
from search_index.codec import Codec, merge_tiers
from search_index.storage import Directory
from search_index.synonyms import Synonyms

MAX_PER_PAGE = 100
SEGMENT_CACHE_BYTES = 96_000_000  # postings and scores kept between searches, per process
WARM_SHARE = 0.5  # of the segment cache, filled with the commonest words' scores by `warm`
WARM_SECONDS = 10.0  # at most, so a worker starts well within gunicorn's 30 s timeout
SIMILAR_TERMS = 12
UNAVAILABLE = "The search index is missing or unreadable: search is being rebuilt."
PARTIAL = "The search took too long, so these are the best results found in the time."


class ProjectIndex:
    """The write-up search index in `directory`, shared by every process that opens it.

    `search`, `similar`, `check`, `update`, `update_many` and `remove` raise `IndexUnavailable`
    when the directory holds no readable index (missing, unreadable, never built): the app
    should say that search is being rebuilt. `rebuild` (or `create`) makes one.
    """

    def __init__(self, directory: Path, synonyms: Mapping[str, list[str]] | None = None,
                 time_limit: float = 0.5, writer_timeout: float = 30.0, facet_limit: int = 50,
                 memory_mb: int = 256):
        self.directory = Path(directory)
        self.time_limit = time_limit
        self.writer_timeout = writer_timeout
        self.facet_limit = facet_limit
        self.memory_mb = memory_mb
        self._dir = Directory(self.directory)
        self._synonyms = Synonyms(synonyms)
        self._snap: Snapshot | None = None
        self._segments: dict = {}
        self._cache = LRU(SEGMENT_CACHE_BYTES)
        self._lock = threading.RLock()  # whoosh readers seek shared files: one search at a time

    # State

    def available(self) -> bool:
        generation = self._dir.current()
        return generation is not None and self._dir.readable(generation)

    def create(self) -> bool:
        """Make an empty index if there is none; True if one was made."""
        with self._dir.lock(self.writer_timeout):
            if self.available():
                return False
            generation = self._dir.new_generation()
            self._dir.create(generation, schema.build_schema())
            self._dir.swap(generation)
            return True

    def warm(self) -> None:
        """Open the index and read what every search needs (call once per worker process).

        The first search in a process otherwise pays for it: a few hundred milliseconds at
        20,000 write-ups. The commonest words are scored too, up to half the segment cache
        or WARM_SECONDS: reading and scoring a word found in most write-ups is what makes a
        search slow (tens of milliseconds each at 20,000), and those words are in most searches.
        """
        deadline = time.monotonic() + WARM_SECONDS
        with self._lock:
            snap = self._snapshot()
            for field in schema.FACET_FIELDS.values():
                snap.facet_table(field)
            snap.newest_first()
            for term in snap.frequent_terms():
                if (self._cache.used >= SEGMENT_CACHE_BYTES * WARM_SHARE
                        or time.monotonic() > deadline):
                    break
                snap.score_segments(term)

    def close(self) -> None:
        with self._lock:
            if self._snap is not None:
                self._snap.close()
                self._snap = None

    # Writing

    def update(self, doc: ProjectDocument) -> None:
        """Add the document, or replace the one with its id."""
        self.update_many([doc])

    def update_many(self, docs: Iterable[ProjectDocument]) -> None:
        self._write([("update", doc) for doc in docs])

    def remove(self, id: int) -> None:
        self._write([("remove", int(id))])

    def _write(self, changes: list[tuple]) -> None:
        if not changes:
            return
        values = _values(changes)  # analysis happens before the lock, not while holding it
        with self._dir.lock(self.writer_timeout):
            if not self.available():
                raise IndexUnavailable(UNAVAILABLE)
            _apply(self._dir.open(self._dir.current()), values, self.writer_timeout)
            if self._dir.journaling():
                for change in changes:
                    self._dir.append_journal(change)

    def rebuild(self, docs: Iterable[ProjectDocument]) -> int:
        """Index `docs` into a new generation and swap it in; returns how many were indexed.

        Searches keep using the old generation meanwhile. Changes written while the rebuild
        runs go to the old generation and to a journal that is replayed into the new one
        before the swap, so none is lost.
        """
        with self._dir.lock(float("inf"), name="rebuild.lock"):
            generation = self._dir.new_generation()
            with self._dir.lock(self.writer_timeout):
                self._dir.start_journal(generation)
            try:
                count = self._build(generation, docs)
                with self._dir.lock(self.writer_timeout):
                    changes = self._dir.read_journal()
                    if changes:
                        _apply(self._dir.open(generation), _values(changes), self.writer_timeout)
                    self._dir.swap(generation)
                    self._dir.end_journal()
                # Readers elsewhere hold the old segments open (mmap): removing them is safe.
                self._dir.remove_older(generation)
            except BaseException:
                with contextlib.suppress(Exception), self._dir.lock(self.writer_timeout):
                    self._dir.end_journal()
                shutil.rmtree(generation, ignore_errors=True)
                raise
        return count

    def _build(self, generation: Path, docs: Iterable[ProjectDocument]) -> int:
        ix = self._dir.create(generation, schema.build_schema())
        return bulk.build(ix, docs, self.memory_mb, Codec())

    # Reading

    def search(self, query: str, scope: Scope, filters: Mapping[str, Sequence[str]] | None = None,
               sort: str = "relevance", page: int = 1, per_page: int = 20,
               autocorrect: bool = True) -> Results:
        if sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}")
        if not isinstance(page, int) or page < 1:
            raise QueryError("page must be a whole number from 1")
        if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
            raise QueryError(f"per_page must be a whole number from 1 to {MAX_PER_PAGE}")
        selected = _selected(filters)
        key = (query, scope, tuple(sorted(selected.items())), sort, page, per_page, autocorrect)
        with self._lock:
            for attempt in (1, 2):
                snap = self._snapshot()
                cached = snap.results.get(key)
                if cached is not None:
                    return cached
                try:
                    results = self._search(snap, query or "", scope, selected, sort, page,
                                           per_page, autocorrect)
                except OSError:  # a file went away under us (a swap or a merge): reopen once
                    self._forget()
                    if attempt == 2:
                        raise IndexUnavailable(UNAVAILABLE) from None
                    continue
                if not results.partial:
                    snap.results.put(key, results)
                return results

    def similar(self, id: int, scope: Scope, limit: int = 5) -> list[Hit]:
        """Write-ups like this one (more-like-this on its key terms), never itself."""
        with self._lock:
            snap = self._snapshot()
            key = (id, scope, limit)
            cached = snap.similar.get(key)
            if cached is None:
                cached = self._similar(snap, id, scope, limit)
                snap.similar.put(key, cached)
            return cached

    def check(self, expected: Mapping[int, str]) -> Drift:
        """Compare the index with `expected` (id -> fingerprint)."""
        with self._lock:
            snap = self._snapshot()
            indexed: dict[int, str] = {}
            twice: set[int] = set()
            for reader, offset, segment in snap.leaves:
                ids = segment.column(reader, "doc_id")
                prints = reader.column_reader("fingerprint")
                alive = (snap.alive >> offset) & bitsets.full(segment.size)
                for local in bitsets.to_list(alive):
                    id_ = ids[local]
                    if id_ in indexed:
                        twice.add(id_)
                    indexed[id_] = bytes(prints[local]).decode("utf-8")
        return Drift(
            missing=sorted(set(expected) - set(indexed)),
            stale=sorted(i for i in expected
                         if i in indexed and (indexed[i] != expected[i] or i in twice)),
            orphaned=sorted(set(indexed) - set(expected)),
        )

    # Internals

    def _snapshot(self) -> Snapshot:
        """The current searcher's snapshot, refreshed if anything changed since the last call.

        A rebuild may swap the generation and delete the old one while this opens it: then
        the pointer has moved, and the new generation is opened instead.
        """
        for _ in range(3):
            generation = self._dir.current()
            if generation is None:
                self._forget()
                raise IndexUnavailable(UNAVAILABLE)
            try:
                return self._open(generation)
            except (OSError, whoosh_index.EmptyIndexError, IndexUnavailable) as exc:
                self._forget()
                if self._dir.current() == generation:
                    raise IndexUnavailable(UNAVAILABLE) from exc
        raise IndexUnavailable(UNAVAILABLE)

    def _open(self, generation: Path) -> Snapshot:
        snap = self._snap
        if snap is not None and snap.generation == generation.name:
            if snap.up_to_date():
                return snap
            try:
                searcher = snap.searcher.refresh()
            except (OSError, ReaderClosed):
                # Another process merged segments mid-refresh: Whoosh then retries with readers
                # it has already closed (ReaderClosed). Start again from a fresh searcher.
                self._forget()
                searcher = self._dir.open(generation).searcher()
        else:
            self._forget()
            searcher = self._dir.open(generation).searcher()
        snap = Snapshot(searcher, generation.name, self._segments, self._cache)
        live = {(generation.name, r.segment().segment_id()) for r, _, _ in snap.leaves}
        for key in [k for k in self._segments if k not in live]:
            del self._segments[key]
        self._snap = snap
        return snap

    def _forget(self) -> None:
        if self._snap is not None:
            with contextlib.suppress(Exception):
                self._snap.close()
            self._snap = None

    def _search(self, snap: Snapshot, query: str, scope: Scope, selected, sort: str,
                page: int, per_page: int, autocorrect: bool) -> Results:
        budget = matching.Budget(self.time_limit)
        plan = querying.parse(query, self._synonyms)
        found = self._find(snap, plan, scope, selected, sort, page, per_page, budget)
        suggestion = corrected_from = None
        if plan.groups and not budget.spent():
            suggestion, confident = spelling.suggest(snap, plan, found.total,
                                                     snap.scope_bits(scope))
            # Nothing found, or nothing with all the words: show what the corrected words find
            # if that is better, and say so.
            if autocorrect and suggestion and confident and not found.complete:
                corrected = querying.parse(suggestion, self._synonyms)
                retry = self._find(snap, corrected, scope, selected, sort, page, per_page,
                                   budget)
                if retry.complete or (retry.total and not found.total):
                    corrected_from, plan, found = plan.text, corrected, retry
            if autocorrect and suggestion and not found.total and not corrected_from:
                suggestion = None  # the suggestion would find nothing either
        return Results(
            query=plan.text, total=found.total, page=page, per_page=per_page, hits=found.hits,
            facets=found.facets, suggestion=suggestion, corrected_from=corrected_from,
            partial=budget.exceeded, message=" ".join(plan.messages + (
                [PARTIAL] if budget.exceeded else [])) or None,
        )

    def _find(self, snap, plan, scope, selected, sort, page, per_page, budget) -> "_Found":
        # Scope and `field:value`s first: phrases are then checked only where they matter.
        within = snap.scope_bits(scope) & matching.constraints(snap, plan.constraints)
        ev = matching.evaluate(snap, plan, budget, within)
        base = ev.any_bits & within & ~ev.excluded
        chosen = facets.selection_bits(snap, selected)
        result = base
        for bits in chosen.values():
            result &= bits
        total = result.bit_count()
        counts = facets.count(snap, base, chosen, selected, self.facet_limit)
        start, end = (page - 1) * per_page, page * per_page
        ranked: list[tuple[float, int]] = []
        if start < total:
            newest = sort == "newest"
            for tier in matching.tiers(ev, result, newest):
                ranked += matching.rank(snap, ev, tier, end - len(ranked), newest,
                                        plan if not ranked else None)
                if len(ranked) >= end:
                    break
        # Out of time, snippets are the summary's start: highlighting is the costly part left.
        wanted = highlight.Wanted.of(set() if budget.spent() else ev.terms, len(plan.groups))
        hits = [self._hit(snap, docnum, score, wanted) for score, docnum in ranked[start:end]]
        return _Found(total, (result & ev.all_bits).bit_count(), hits, counts)

    def _hit(self, snap: Snapshot, docnum: int, score: float, wanted) -> Hit:
        doc = snap.stored(docnum)
        return Hit(
            id=doc["id"], slug=doc["slug"], title=doc["title"], summary=doc["summary"],
            cluster=doc["cluster"], cluster_name=doc["cluster_name"], board=doc["board"],
            board_name=doc["board_name"], status=doc["status"], tags=tuple(doc["tags"]),
            score=round(float(score), 4), highlight=highlight.snippet(doc, wanted),
        )

    def _similar(self, snap: Snapshot, id: int, scope: Scope, limit: int) -> list[Hit]:
        docnum = snap.docnum_of(id)
        if docnum is None or limit < 1:
            return []
        doc = snap.stored(docnum)
        expander = Expander(snap.reader, "text")
        expander.add_text("\n".join([doc["title"], *doc["tags"], doc["summary"], doc["aim"],
                                     doc["body"]]))
        key_terms = expander.expanded_terms(SIMILAR_TERMS)
        allowed = snap.scope_bits(scope) & ~(1 << docnum)
        top = matching.more_like(snap, key_terms, allowed, limit)
        wanted = highlight.Wanted.of({t for t, _ in key_terms})
        return [self._hit(snap, d, s, wanted) for s, d in top]


@dataclass
class _Found:
    total: int
    complete: int  # how many match every group of the query
    hits: list[Hit]
    facets: dict


def _selected(filters: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    selected = {}
    for name, values in (filters or {}).items():
        if name not in FACETS:
            raise QueryError(f"unknown facet {name!r}: use one of {', '.join(FACETS)}")
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise QueryError(f"facet {name!r} takes a list of values")
        chosen = tuple(dict.fromkeys(facets.normalise(name, v) for v in values))
        chosen = tuple(v for v in chosen if v)
        if chosen:
            selected[name] = chosen
    return selected


def _values(changes: list[tuple]) -> list[tuple]:
    """The last change per id, with documents turned into field values."""
    last: dict[int, tuple] = {}
    for kind, item in changes:
        id_ = item.id if kind == "update" else item
        last.pop(id_, None)
        last[id_] = (kind, item)
    return [(kind, schema.field_values(item) if kind == "update" else item)
            for kind, item in last.values()]


def _apply(ix, values: list[tuple], timeout: float) -> None:
    writer = ix.writer(timeout=timeout, codec=Codec())
    try:
        for kind, item in values:
            if kind == "update":
                writer.update_document(**item)
            else:
                writer.delete_by_term("id", str(item))
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=merge_tiers)

