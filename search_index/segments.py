"""What the engine caches about one whoosh segment.

A segment's postings and columns never change once written (only its deletion set does, and
that is applied per searcher), so everything read here is kept for the life of the process and
survives the searcher refreshes that follow every edit: after an edit only the new, small
segment is read.
"""

import itertools
import struct
import threading
from array import array

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

from search_index import bitsets, schema, scoring
from search_index.cache import LRU
from search_index.sequences import Sequences

_EMPTY_IDS = array("i")
_EMPTY_WEIGHTS = array("f")


class Segment:
    """Postings, bitsets and columns of one segment, by segment-local document number.

    Postings, scores and phrase matches go in `cache`, shared by every segment of the index
    and bounded in bytes; a segment's small tables (facet values, columns) are its own.
    """

    def __init__(self, reader, key: tuple, cache: LRU):
        self.size = reader.doc_count_all()
        self.key = key
        self._cache = cache
        self._norms: dict[float, list[float]] = {}
        self._bits: dict[tuple[str, str], int] = {}
        self._values: dict[str, list[str]] = {}
        self._columns: dict[str, array] = {}
        self._sequences = None
        self._texts = None
        self._keys: dict[tuple[str, str], int] | None = None
        self.labels: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def postings(self, reader, field: str, term: str) -> tuple[array, array]:
        """(document numbers, weights) of a term, including deleted documents."""
        key = (self.key, "postings", field, term)
        found = self._cache.get(key)
        if found is None:
            found = _read_postings(reader, field, term)
            self._cache.put(key, found, cost=8 * len(found[0]) + 64)
        return found

    def scored(self, reader, term: str, average: float, k1: float, b: float):
        """(bitset, local docnum -> BM25 term-frequency part) of a text term.

        The idf is left out (the caller multiplies by it), so the entry stays valid while the
        rounded average document length does: across the searcher refreshes that follow edits,
        only new segments are scored again.
        """
        key = (self.key, "scored", term, average)
        found = self._cache.get(key)
        if found is None:
            # Read afresh, not through `postings`: once scored, a text term's postings are not
            # needed again, and caching them too would halve how many scored terms fit.
            ids, weights = _read_postings(reader, "text", term)
            norm = self._norms.get(average)
            if norm is None:
                lengths = self.column(reader, "text_len")
                norm = self._norms[average] = [k1 * (1 - b + b * n / average) for n in lengths]
            parts = [(k1 + 1) * w / (w + norm[d]) for d, w in zip(ids, weights)]
            scores = scoring.table(ids, parts, self.size)
            found = (bitsets.from_ids(ids, self.size) if len(ids) else 0, scores)
            self._cache.put(key, found, cost=scoring.cost(scores) + self.size // 8)
        return found

    def phrase(self, terms: tuple[str, ...]) -> tuple[int, int]:
        """(documents checked for this phrase, those found to hold it) so far."""
        return self._cache.get((self.key, "phrase", terms)) or (0, 0)

    def remember_phrase(self, terms: tuple[str, ...], checked: int, found: int) -> None:
        self._cache.put((self.key, "phrase", terms), (checked, found), cost=self.size // 4 + 64)

    def bits(self, reader, field: str, term: str) -> int:
        if field in schema.KEY_FIELDS:
            return self.keys(reader).get((field, term), 0)
        key = (field, term)
        found = self._bits.get(key)
        if found is None:
            ids, _ = self.postings(reader, field, term)
            found = self._bits[key] = bitsets.from_ids(ids, self.size) if len(ids) else 0
        return found

    def keys(self, reader) -> dict[tuple[str, str], int]:
        """(field, value) -> documents, for every facet, visibility and ownership value."""
        if self._keys is None:
            with self._lock:
                if self._keys is None:
                    self._keys = self._read_keys(reader)
        return self._keys

    def _read_keys(self, reader) -> dict[tuple[str, str], int]:
        docs: dict[tuple[str, str], list[int]] = {}
        labels = self.labels
        for docnum, raw in enumerate(reader.column_reader("keys", translate=False)):
            for field, value, label in schema.parse_keys(raw):
                key = (field, value)
                found = docs.get(key)
                if found is None:
                    docs[key] = [docnum]
                    labels[key] = label or value
                else:
                    found.append(docnum)
        return {key: bitsets.from_ids(found, self.size) for key, found in docs.items()}

    def values(self, reader, field: str) -> list[str]:
        """Every value of a facet field in this segment."""
        found = self._values.get(field)
        if found is None:
            found = [value for f, value in self.keys(reader) if f == field]
            self._values[field] = found
        return found

    def column(self, reader, field: str) -> array:
        """A numeric column as an array, read in one go."""
        found = self._columns.get(field)
        if found is None:
            with self._lock:
                found = self._columns.get(field)
                if found is None:
                    found = _read_numeric_column(reader, field, self.size)
                    self._columns[field] = found
        return found

    def texts(self, reader):
        """Each document's summary, aim and body (see `schema.texts`), by document number."""
        if self._texts is None:
            self._texts = reader.column_reader("texts", translate=False)
        return self._texts

    def sequences(self, reader) -> Sequences:
        """Each document's term-hash sequence, for phrases, by document number."""
        if self._sequences is None:
            with self._lock:
                if self._sequences is None:
                    self._sequences = Sequences(reader.column_reader("seq", translate=False))
        return self._sequences


def _read_postings(reader, field: str, term: str) -> tuple[array, array]:
    try:
        matcher = reader.postings(field, term)
    except Exception:  # whoosh raises TermNotFound (a KeyError) or a bare Exception
        return _EMPTY_IDS, _EMPTY_WEIGHTS
    if isinstance(matcher, FilterMatcher):  # the deletions: applied per searcher instead
        matcher = matcher.child
    ids = array("i")
    weights = array("f")
    if isinstance(matcher, W3LeafMatcher):
        # Whole blocks at a time, decoded here: whoosh's per-posting id()/weight()/next()
        # calls, and even its per-block decoding (a Python generator per document number),
        # cost more than everything else the engine does with a common word.
        while matcher.is_active():
            matcher._read_data()
            deltas, block_weights = matcher._data[0], matcher._data[1]
            ids.extend(itertools.accumulate(deltas))
            if isinstance(block_weights, tuple):
                weights.extend(block_weights)
            else:  # one weight for the whole block, None for 1.0
                weight = 1.0 if block_weights is None else block_weights
                weights.extend(itertools.repeat(weight, len(deltas)))
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return ids, weights


def _read_numeric_column(reader, field: str, size: int) -> array:
    creader = reader.column_reader(field, translate=False)
    typecode = getattr(creader, "_typecode", None)
    dbfile = getattr(creader, "_dbfile", None)
    if typecode and dbfile is not None and getattr(creader, "_count", -1) == size:
        # The column is stored big-endian, one fixed-size value per document.
        width = struct.calcsize(typecode)
        values = array(typecode, bytes(dbfile.get(creader._basepos, width * size)))
        if struct.pack("=H", 1) != struct.pack("!H", 1):
            values.byteswap()
        return values
    typecode = typecode or "d"
    return array(typecode, (creader[i] for i in range(size)))
