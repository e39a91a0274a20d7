"""A segment's term-hash sequences (the `seq` column), searched in place for phrases.

Whoosh's column reader hands out each document's value as a fresh bytes copy through three
Python calls; a phrase over a common word checks most of the index, and that copying was most
of a phrase query's time. Here the column stays in the segment's memory map and a document is
searched with `mmap.find(needle, start, end)`, which runs in C and copies nothing.
"""

import mmap
from array import array


class Sequences:
    """Each document's term hashes (see `analysis.sequence_bytes`), by segment document number."""

    def __init__(self, column):
        dbfile = column._dbfile
        source = getattr(dbfile, "source", None)
        if isinstance(source, mmap.mmap):
            # Holding the file's view also keeps the map open: whoosh closes a map only when
            # no view of it is left.
            self._pin = dbfile
            self._buffer = source
            base = dbfile.base + column._basepos
        else:  # a file whoosh could not map: read the column's values once
            self._buffer = b"".join(column)
            base = 0
        self._starts = array("q", (base + offset for offset in column._offsets))
        self._ends = array("q", map(int.__add__, self._starts, column._lengths))

    def holding(self, docnums, needle: bytes) -> list[int]:
        """The `docnums` whose sequences have `needle`, in order."""
        found = []
        find, starts, ends = self._buffer.find, self._starts, self._ends
        for docnum in docnums:
            start, end = starts[docnum], ends[docnum]
            i = find(needle, start, end)
            while i >= 0 and (i - start) & 3:  # only whole 32-bit hashes count
                i = find(needle, i + 1, end)
            if i >= 0:
                found.append(docnum)
        return found

