"""Bulk indexing for a rebuild: one whoosh writer (procs=1) per batch, a segment per batch.

Whoosh sorts a segment's postings in memory and, past `limitmb`, spills sorted runs to disk and
merges them back through pickle: at 20,000 write-ups that halved throughput. Committing a
segment per batch keeps every sort in memory (and memory bounded); the engine reads several
segments as cheaply as one.
"""

from collections import defaultdict
from collections.abc import Iterable

from whoosh.writing import PostingPool

from search_index import schema
from search_index.documents import ProjectDocument

DOCS_PER_MB = 24  # a realistic write-up's postings take about 40 KB in the pool


def build(ix, docs: Iterable[ProjectDocument], memory_mb: int, codec) -> int:
    """Index `docs` into the empty index `ix`; returns how many were indexed."""
    batch = max(500, memory_mb * DOCS_PER_MB)
    seen: set[int] = set()
    writer = None
    try:
        for doc in docs:
            if doc.id in seen:
                raise ValueError(f"document id {doc.id} appears twice")
            seen.add(doc.id)
            if writer is None:
                writer = ix.writer(procs=1, limitmb=memory_mb, codec=codec)
                writer.pool = GroupingPool(writer.pool.tempstore, writer.pool.segment)
            writer.add_document(**schema.field_values(doc))
            if len(seen) % batch == 0:
                writer.commit(merge=False)
                writer = None
    except BaseException:
        if writer is not None:
            writer.cancel()
        raise
    if writer is not None:
        writer.commit(merge=False)
    return len(seen)


class GroupingPool(PostingPool):
    """A posting pool that groups postings by term instead of sorting them all at commit.

    Whoosh's pool checks and sizes every posting as it arrives and sorts them all at commit (a
    million tuple comparisons for 4,000 write-ups). Documents arrive in number order, so each
    term's postings already are; only the distinct terms need sorting. The batches bound its
    memory, so it never spills to disk.
    """

    def __init__(self, tempstore, segment):
        super().__init__(tempstore, segment)
        self._groups: defaultdict[tuple, list] = defaultdict(list)

    def add(self, item):  # once per posting: a million times at 5,000 write-ups
        self._groups[item[0], item[1]].append(item)

    def iter_postings(self):
        return _TermGroups(self._groups)

    items = iter_postings


class _TermGroups:
    """The pool's postings in order, one by one or (for `codec.FieldWriter`) term by term."""

    def __init__(self, groups: dict[tuple, list]):
        self._groups = groups

    def groups(self):
        groups = self._groups
        return ((key, groups[key]) for key in sorted(groups))

    def __iter__(self):
        for _, postings in self.groups():
            yield from postings

