"""The whoosh schema, and a `ProjectDocument` turned into its field values.

Every text section goes into one field, `text`, with a per-section weight folded into the term
weight (title x3, tags x2.5, summary and aim x1.5, the rest x1). BM25 over one weighted field
ranks like a multi-field query with boosts, but a word is one posting list rather than eight, so
common words cost a fraction as much and bulk indexing writes a third of the postings.

Phrases are matched without positions: the `seq` column holds each document's terms in order as
32-bit hashes, and a phrase is a byte-string search in it (C speed) over the documents that hold
all of its terms. Positions would have to be decoded posting by posting in Python.
"""

from collections import Counter
from datetime import timezone

from whoosh import columns, fields, formats
from whoosh.system import pack_uint

from search_index import analysis
from search_index.documents import ProjectDocument

SECTION_WEIGHTS = {"title": 3.0, "tags": 2.5, "summary": 1.5, "aim": 1.5, "body": 1.0,
                   "authors": 1.0, "places": 1.0, "tools": 1.0}
# Facet name -> the key holding its exact (case-folded) values in the `keys` column.
FACET_FIELDS = {"tags": "tag", "board": "board", "hscp": "hscp", "cluster": "cluster",
                "status": "status", "role": "role", "year": "year", "tool_kind": "tool_kind"}
KEY_FIELDS = frozenset(FACET_FIELDS.values()) | {"visibility", "published", "cluster_id"}
STORED_KEYS = ("id", "slug", "title", "tags", "cluster", "cluster_name", "board", "board_name",
               "hscp", "hscp_name", "status")
# The long texts live in an uncompressed column rather than whoosh's stored fields, which are
# zlib-compressed per document: compressing the body was a fifth of the cost of indexing.
TEXT_KEYS = ("summary", "aim", "body")
_TEXT_SEPARATOR = "\x00"


class Weighted:
    """Term counts, plus the extra weight their boosted sections give some terms."""

    __slots__ = ("counts", "extra")

    def __init__(self, counts: Counter, extra: dict[str, float]):
        self.counts = counts
        self.extra = extra


class Analysed(fields.FieldType):
    """A field whose value arrives already analysed: `Weighted` counts, or a list of terms.

    Analysing before the writer (in `field_values`) lets one pass over the text feed several
    fields, and keeps whoosh's slower token pipeline out of bulk indexing.
    """

    def __init__(self, scorable=False, frequencies=False):
        fmt = formats.Frequency() if frequencies else formats.Existence()
        super().__init__(fmt, analysis.ClinicalAnalyzer(), scorable=scorable)

    def index(self, value, **kwargs):
        if isinstance(value, str):  # whoosh's own callers (key terms for "similar")
            value = Weighted(Counter(analysis.terms(value)), {})
        if isinstance(value, Weighted):
            extra = value.extra
            for term, freq in value.counts.items():
                yield term.encode("utf-8"), freq, freq + extra.get(term, 0.0), pack_uint(freq)
        else:
            for term in set(value):
                yield term.encode("utf-8"), 1, 1.0, b""


def build_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(unique=True),
        text=Analysed(scorable=True, frequencies=True),
        **{name: Analysed() for name in (
            "tag_words", "cluster_words", "hscp_words", "board_words", "author_words")},
        doc=fields.STORED(),
        doc_id=fields.COLUMN(columns.NumericColumn("q", default=-1)),
        updated=fields.COLUMN(columns.NumericColumn("d", default=0.0)),
        fingerprint=fields.COLUMN(columns.VarBytesColumn()),
        text_len=fields.COLUMN(columns.NumericColumn("I", default=0)),
        seq=fields.COLUMN(columns.VarBytesColumn()),
        texts=fields.COLUMN(columns.VarBytesColumn()),
        keys=fields.COLUMN(columns.VarBytesColumn()),
    )


def _weighted(parts: dict[str, list[str]]) -> Weighted:
    counts: Counter = Counter()
    extra: dict[str, float] = {}
    for section, seq in parts.items():
        counts.update(seq)
        boost = SECTION_WEIGHTS[section] - 1.0
        if boost:
            for term, n in Counter(seq).items():
                extra[term] = extra.get(term, 0.0) + n * boost
    return Weighted(counts, extra)


def field_values(doc: ProjectDocument) -> dict:
    clean, terms = analysis.clean, analysis.terms
    # Tags, authors and places are lists: a phrase never runs from one item into the next.
    lists = {
        "tags": [terms(clean(t)) for t in doc.tags],
        "authors": [terms(clean(a)) for a in doc.authors],
        "places": [terms(clean(n)) for n in (doc.cluster_name, doc.hscp_name, doc.board_name)],
    }
    analysed = {k: terms(clean(getattr(doc, k))) for k in ("title", "summary", "aim", "body")}
    analysed["tools"] = terms(clean(doc.tool_text))
    analysed.update({k: [t for item in items for t in item] for k, items in lists.items()})
    parts = [analysed["title"], *lists["tags"], *lists["authors"], *lists["places"],
             analysed["summary"], analysed["aim"], analysed["body"], analysed["tools"]]
    updated = doc.updated if doc.updated.tzinfo else doc.updated.replace(tzinfo=timezone.utc)
    text = _weighted(analysed)
    cluster_words, hscp_words, board_words = lists["places"]
    return {
        "id": str(doc.id),
        "text": text,
        "tag_words": analysed["tags"],
        "cluster_words": cluster_words,
        "hscp_words": hscp_words,
        "board_words": board_words,
        "author_words": analysed["authors"],
        "doc": {key: getattr(doc, key) for key in STORED_KEYS},
        "doc_id": doc.id,
        "updated": updated.timestamp(),
        "fingerprint": doc.fingerprint.encode("utf-8"),
        "text_len": sum(text.counts.values()),
        "seq": analysis.sequence_bytes(parts),
        "keys": _keys(doc),
        "texts": _TEXT_SEPARATOR.join(
            getattr(doc, k).replace(_TEXT_SEPARATOR, " ") for k in TEXT_KEYS).encode("utf-8"),
    }


def _keys(doc: ProjectDocument) -> bytes:
    """Facet, visibility and ownership values with their labels, for the `keys` column.

    A column scanned once per segment builds every value's bitset in one pass; as postings,
    the same bitsets took a posting-list read per value per segment (seconds, on first use).
    """
    keys = [("tag", t.casefold().strip(), t.strip()) for t in doc.tags if t.strip()]
    keys += [("tool_kind", k.casefold().strip(), k.strip()) for k in doc.tool_kinds if k.strip()]
    keys += [("cluster", doc.cluster, doc.cluster_name), ("hscp", doc.hscp, doc.hscp_name),
             ("board", doc.board, doc.board_name), ("status", doc.status, doc.status),
             ("role", doc.role, doc.role), ("visibility", doc.visibility, doc.visibility),
             ("published", "1" if doc.published else "0", ""),
             ("cluster_id", str(doc.cluster_id), "")]
    if doc.year is not None:
        keys.append(("year", str(doc.year), str(doc.year)))
    return "\x1e".join("\x1f".join(_plain(part) for part in key) for key in keys).encode()


def parse_keys(raw: bytes) -> list[list[str]]:
    """The `keys` column value back to [field, value, label] lists."""
    text = bytes(raw).decode("utf-8")
    return [key.split("\x1f") for key in text.split("\x1e")] if text else []


_SEPARATORS = str.maketrans("\x1e\x1f", "  ")


def _plain(part: str) -> str:
    return part.translate(_SEPARATORS)


def texts(raw: bytes) -> dict[str, str]:
    """The `texts` column value back to summary, aim and body."""
    return dict(zip(TEXT_KEYS, bytes(raw).decode("utf-8").split(_TEXT_SEPARATOR)))
