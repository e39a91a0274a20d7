"""How this package has whoosh write and read segments: the codec, its segments, merges."""

import math
import operator

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3Segment
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.reading import SegmentReader


class Codec(W3Codec):
    """Whoosh's codec without per-posting length statistics and block compression.

    The statistics feed whoosh's block-quality skipping, which this package does not use (it
    scores from its own cached arrays); gathering them costs a column lookup per posting and
    made bulk indexing three times slower. Bigger uncompressed blocks make reading a whole
    posting list, which is what the engine does, cheaper.
    """

    length_stats = False

    def __init__(self):
        super().__init__(blocklimit=256, compression=0, inlinelimit=1)

    def new_segment(self, storage, indexname):
        return Segment(self, indexname)

    def field_writer(self, storage, segment):
        return FieldWriter(self, storage, segment)


class FieldWriter(W3FieldWriter):
    """Whoosh's posting writer, fed a term's postings a block at a time when they arrive
    grouped by term (`bulk.GroupingPool`): posting by posting, whoosh's checks and calls
    were a third of the time a rebuild took."""

    def add_postings(self, schema, lengths, items):
        groups = getattr(items, "groups", None)
        if groups is None or lengths is not None:
            return super().add_postings(schema, lengths, items)
        field = None
        for (fieldname, btext), postings in groups():
            if fieldname != field:
                if field is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                field = fieldname
            self.start_term(btext)
            _add_postings(self._postwriter, postings)
            self.finish_term()
        if field is not None:
            self.finish_field()


_DOCNUM, _WEIGHT, _VALUE = map(operator.itemgetter, (2, 3, 4))  # of a whoosh posting tuple


def _add_postings(writer, postings: list[tuple]) -> None:
    """What `W3PostingsWriter.add_posting` does for each of `postings`, a block at a time."""
    ids = list(map(_DOCNUM, postings))
    weights = list(map(_WEIGHT, postings))
    values = list(map(_VALUE, postings))
    limit = writer._blocklimit
    for start in range(0, len(ids), limit):
        if writer._ids:  # a full block is written when the next posting comes, as whoosh does
            writer._write_block()
        end = start + limit
        writer._ids.extend(ids[start:end])
        writer._weights.extend(weights[start:end])
        writer._maxweight = max(writer._maxweight, *weights[start:end])
        writer._values.extend(value for value in values[start:end] if value)


class Segment(W3Segment):
    """A whoosh segment whose compound file is read in place.

    Whoosh maps a segment's compound file but then copies each part it opens into a BytesIO:
    the whole index, once per process (800 MB per gunicorn worker at 100,000 write-ups), and
    seconds of copying when a worker opens it. These views read the mapping directly. The
    mapping also keeps the files readable after a merge or rebuild deletes them.
    """

    def open_compound_file(self, storage):
        return _Compound(storage.open_file(self.make_filename(self.COMPOUND_EXT)),
                         use_mmap=storage.supports_mmap)


class _Compound(CompoundStorage):
    def open_file(self, name, *args, **kwargs):
        if self._source is None:
            return super().open_file(name, *args, **kwargs)
        offset, length = self.range(name)
        return _View(memoryview(self._source)[offset:offset + length], name, self._source, offset)


class _View(BufferFile):
    """whoosh's BufferFile over a memoryview, as its own file object (no BytesIO copy).

    `source` and `base` name the map and where the view starts in it, for searching a column
    in place (`sequences.Sequences`).
    """

    def __init__(self, buf, name=None, source=None, base=0):
        self._buf = buf
        self.source = source
        self.base = base
        self._name = name
        self._pos = 0
        self.file = self  # StructFile's methods delegate to self.file
        self.onclose = None
        self.is_real = False
        self.is_closed = False

    def read(self, size=-1):
        start = self._pos
        end = len(self._buf) if size is None or size < 0 else min(start + size, len(self._buf))
        self._pos = end
        return bytes(self._buf[start:end])

    def peek(self, size=0):
        """The bytes ahead, as a view: pickle's unpickler reads ahead through `peek` when a
        file has it, and otherwise calls `read` once or twice per value it unpickles (twenty
        calls for a posting block's header)."""
        return self._buf[self._pos:self._pos + max(size, 1)]

    def readinto(self, target):
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)

    def readline(self, size=-1):
        buf = self._buf
        limit = len(buf) if size is None or size < 0 else min(len(buf), self._pos + size)
        end = self._pos
        while end < limit and buf[end] != 10:
            end += 1
        return self.read(min(end + 1, limit) - self._pos)

    def seek(self, pos, whence=0):
        self._pos = pos if whence == 0 else self._pos + pos if whence == 1 else len(self._buf) + pos
        return self._pos

    def tell(self):
        return self._pos

    def close(self):
        self.is_closed = True

    def flush(self):
        pass


LARGE_SEGMENT = 2000  # documents: never merged by edits, only replaced by a rebuild
MERGE_AT = 5  # segments of a size tier


def merge_tiers(writer, segments):
    """Whoosh merge policy: merge segments of about the same size once there are several.

    Each edit commits a segment of one document; five of those become one of five, five of
    those one of about 25, and so on, so each document is rewritten a few times at most.
    Whoosh's own policy eventually merges a rebuild's segments of thousands of documents too,
    holding the write lock for seconds while every worker's edits wait; here large segments
    stay until the next rebuild (their deleted documents are masked at search time).
    """
    tiers: dict[int, list] = {}
    for segment in segments:
        count = segment.doc_count_all()
        if count < LARGE_SEGMENT:
            tiers.setdefault(int(math.log(max(count, 1), MERGE_AT)), []).append(segment)
    merging = next((group for _, group in sorted(tiers.items()) if len(group) >= MERGE_AT), [])
    if not merging:
        return segments
    for segment in merging:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in merging]
