"""One searcher's view of the index, with the per-searcher caches built on the segment caches.

A snapshot lives until the index changes; then the next search makes a new one, reusing every
unchanged segment's cached postings and bitsets, so only idf and deletions are recomputed.
"""

import bisect
import math
import threading
from array import array

from search_index import bitsets, schema, scoring
from search_index.cache import LRU
from search_index.documents import Scope
from search_index.segments import Segment

# BM25 as whoosh computes it (whoosh.scoring.bm25), over the one weighted text field.
K1 = 1.2
B = 0.75
TERM_CACHE_BYTES = 32_000_000  # per searcher, on top of the segments' shared cache


class Term:
    """A term's matching documents (bitset) and BM25 score: idf * scores[docnum]."""

    __slots__ = ("bits", "scores", "idf")

    def __init__(self, bits: int, scores: dict[int, float] | scoring.Dense, idf: float):
        self.bits = bits
        self.scores = scores
        self.idf = idf


EMPTY = Term(0, {}, 0.0)


class Snapshot:
    def __init__(self, searcher, generation: str, segments: dict, cache: LRU):
        self.searcher = searcher
        self.generation = generation
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.leaves: list[tuple[object, int, Segment]] = []
        if self.size:
            for reader, offset in self.reader.leaf_readers():
                key = (generation, reader.segment().segment_id())
                segment = segments.get(key)
                if segment is None:
                    segment = segments[key] = Segment(reader, key, cache)
                self.leaves.append((reader, offset, segment))
        self._offsets = [offset for _, offset, _ in self.leaves]
        alive = 0
        for reader, offset, segment in self.leaves:
            bits = bitsets.full(segment.size)
            if reader.has_deletions():
                bits &= ~bitsets.from_ids(reader.segment().deleted_docs(), segment.size)
            alive |= bits << offset
        self.alive = alive
        self.count = alive.bit_count()
        length = sum(r.field_length("text") for r, _, _ in self.leaves)
        # Rounded to two figures so that segments' cached scores outlive small edits.
        self.average_length = float(f"{length / self.size:.2g}") if length else 1.0
        self._terms = LRU(TERM_CACHE_BYTES)
        self._bits = LRU(8192)  # facet values and query-named values (author:, board:)
        self._tables: dict[str, list[tuple[str, int]]] = {}
        self._columns: dict[str, array] = {}
        self._newest: list[int] | None = None
        self._lock = threading.Lock()
        self.results = LRU(512)
        self.similar = LRU(256)
        self.groups = LRU(TERM_CACHE_BYTES // 2)  # merged synonym groups

    def up_to_date(self) -> bool:
        return self.searcher.up_to_date()

    def close(self) -> None:
        self.searcher.close()

    # Bitsets of exact-valued fields: facets, visibility, names.

    def field_bits(self, field: str, value: str) -> int:
        key = (field, value)
        found = self._bits.get(key)
        if found is None:
            found = 0
            for reader, offset, segment in self.leaves:
                found |= segment.bits(reader, field, value) << offset
            found &= self.alive
            self._bits.put(key, found)
        return found

    def field_values(self, field: str) -> list[str]:
        values: dict[str, None] = {}
        for reader, _, segment in self.leaves:
            values.update(dict.fromkeys(segment.values(reader, field)))
        return list(values)

    def facet_table(self, field: str) -> list[tuple[str, int]]:
        """(value, documents) for every value of a facet field."""
        found = self._tables.get(field)
        if found is None:
            found = [(v, self.field_bits(field, v)) for v in self.field_values(field)]
            self._tables[field] = found = [(v, bits) for v, bits in found if bits]
        return found

    def label(self, field: str, value: str) -> str:
        for _, _, segment in reversed(self.leaves):  # the newest segment's spelling wins
            found = segment.labels.get((field, value))
            if found is not None:
                return found
        return value

    def scope_bits(self, scope: Scope) -> int:
        if scope.everything:
            return self.alive
        published = self.field_bits("published", "1")
        allowed = published & self.field_bits("visibility", "public")
        if scope.signed_in:
            allowed |= published & self.field_bits("visibility", "network")
        for cluster_id in scope.cluster_ids:
            allowed |= self.field_bits("cluster_id", str(cluster_id))
        return allowed

    # Text terms: bits and BM25 scores, built from the segments' raw postings.

    def term(self, term: str) -> Term:
        found = self._terms.get(term)
        if found is not None:
            return found
        bits = 0
        parts = []
        for reader, offset, segment in self.leaves:
            local_bits, local_scores = segment.scored(reader, term, self.average_length, K1, B)
            if local_bits:
                bits |= local_bits << offset
                parts.append((offset, segment.size, local_scores))
        bits &= self.alive
        df = bits.bit_count()
        if not df:
            found = EMPTY
        else:
            scores = scoring.combine(parts, self.size)
            found = Term(bits, scores, math.log(self.count / (df + 1)) + 1.0)
        self._terms.put(term, found, cost=scoring.cost(found.scores))
        return found

    def frequent_terms(self) -> list[str]:
        """Every text term, those in the most documents first."""
        found: dict[bytes, int] = {}
        for reader, _, _ in self.leaves:
            for btext, info in reader.iter_field("text"):
                found[btext] = found.get(btext, 0) + info.doc_frequency()
        return [btext.decode("utf-8") for btext in sorted(found, key=found.__getitem__,
                                                           reverse=True)]

    def score_segments(self, term: str) -> None:
        """Score a term in every segment (kept in the segments' cache), not yet combined."""
        for reader, _, segment in self.leaves:
            segment.scored(reader, term, self.average_length, K1, B)

    def expand_prefix(self, prefix: str, limit: int) -> list[str]:
        """Index terms starting with `prefix`, the most frequent first."""
        found: dict[str, int] = {}
        for reader, _, _ in self.leaves:
            for btext in reader.expand_prefix("text", prefix):
                text = btext.decode("utf-8")
                found[text] = found.get(text, 0) + reader.doc_frequency("text", text)
                if len(found) > limit * 20:
                    break
        return sorted(found, key=found.__getitem__, reverse=True)[:limit]

    # Columns across segments, by global document number.

    def column(self, field: str) -> array:
        found = self._columns.get(field)
        if found is None:
            with self._lock:
                found = self._columns.get(field)
                if found is None:
                    parts = [segment.column(reader, field) for reader, _, segment in self.leaves]
                    found = array(parts[0].typecode if parts else "d")
                    for part in parts:
                        found.extend(part)
                    self._columns[field] = found
        return found

    def newest_first(self) -> list[int]:
        """Every live document, the most recently updated first."""
        if self._newest is None:
            docs = bitsets.to_list(self.alive)
            docs.sort(key=self.column("updated").__getitem__, reverse=True)
            self._newest = docs
        return self._newest

    def sequences(self, docnums: list[int]):
        """(docnum, its segment's `Sequences`, its number there) for each document, in order."""
        leaves = self.leaves
        i = 0
        reader, offset, segment = leaves[0]
        column = segment.sequences(reader)
        end = offset + segment.size
        for docnum in docnums:
            while docnum >= end:
                i += 1
                reader, offset, segment = leaves[i]
                column = segment.sequences(reader)
                end = offset + segment.size
            yield docnum, column, docnum - offset

    def stored(self, docnum: int) -> dict:
        """A document's stored values, its summary, aim and body included."""
        reader, offset, segment = self.leaves[bisect.bisect_right(self._offsets, docnum) - 1]
        doc = dict(reader.stored_fields(docnum - offset)["doc"])
        doc.update(schema.texts(segment.texts(reader)[docnum - offset]))
        return doc

    def docnum_of(self, id_: int) -> int | None:
        """The live document with this project id, if any."""
        for reader, offset, segment in reversed(self.leaves):
            for local in segment.postings(reader, "id", str(id_))[0]:
                if self.alive >> (offset + local) & 1:
                    return offset + local
        return None
