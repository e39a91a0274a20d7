"""The index directory: generations, the `current` pointer, the writers' lock and the journal.

    <root>/current        symlink to the live generation (swapped with os.replace: atomic)
    <root>/gen-<stamp>/   a complete whoosh index
    <root>/write.lock     flock()ed by whoever writes, in any process
    <root>/rebuilding     present while a rebuild runs: writers also append to the journal
    <root>/rebuild.journal  changes made during a rebuild, replayed into the new generation

Whoosh allows one writer per index and `ix.writer()` fails at once when another holds it, so
every writer first takes an OS lock (which queues across gunicorn workers) and then opens the
whoosh writer with a timeout as a second line of defence. AsyncWriter is never used: it
silently drops its buffered changes when its process exits.
"""

import contextlib
import errno
import fcntl
import math
import os
import pickle
import shutil
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.reading import SegmentReader

from search_index.documents import IndexUnavailable

POINTER = "current"
LOCK = "write.lock"
MARKER = "rebuilding"
JOURNAL = "rebuild.journal"
PREFIX = "gen-"


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
        return _View(memoryview(self._source)[offset:offset + length], name)


class _View(BufferFile):
    """whoosh's BufferFile over a memoryview, as its own file object (no BytesIO copy)."""

    def __init__(self, buf, name=None):
        self._buf = buf
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


class LockTimeout(IndexUnavailable):
    """Another process held the write lock for longer than the writer timeout."""


class Directory:
    def __init__(self, root: Path):
        self.root = Path(root)

    def current(self) -> Path | None:
        """The live generation, or None when there is none (or it cannot be read)."""
        target = None
        for _ in range(3):  # a rebuild may swap and delete between reading the link and here
            try:
                seen, target = target, os.readlink(self.root / POINTER)
            except OSError:
                return None
            path = self.root / target
            if os.access(path, os.R_OK | os.X_OK):
                return path
            if seen == target:
                return None
        return None

    def open(self, generation: Path):
        try:
            return FileStorage(str(generation), readonly=False).open_index()
        except (OSError, whoosh_index.IndexError) as exc:
            raise IndexUnavailable(f"cannot open the search index: {exc}") from exc

    def create(self, generation: Path, schema):
        generation.mkdir(parents=True)
        return FileStorage(str(generation)).create_index(schema)

    def new_generation(self) -> Path:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self.root / f"{PREFIX}{time.time_ns():020d}-{os.getpid()}"

    def swap(self, generation: Path) -> None:
        """Point `current` at `generation` atomically: readers see the old or the new."""
        tmp = self.root / f".{POINTER}-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(generation.name, tmp)
        os.replace(tmp, self.root / POINTER)
        _fsync_dir(self.root)

    def generations(self) -> list[Path]:
        try:
            return sorted(p for p in self.root.iterdir() if p.name.startswith(PREFIX))
        except OSError:
            return []

    def remove_older(self, generation: Path) -> None:
        """Delete the generations made before `generation` (never a newer one being built)."""
        for path in self.generations():
            if path.name < generation.name:
                shutil.rmtree(path, ignore_errors=True)

    @contextlib.contextmanager
    def lock(self, timeout: float, name: str = LOCK):
        """Hold a cross-process lock (the write lock by default), waiting up to `timeout` s."""
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.root / name, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise IndexUnavailable(f"cannot lock the search index: {exc}") from exc
        try:
            deadline = time.monotonic() + timeout
            delay = 0.001
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise LockTimeout(
                            f"the search index was busy for more than {timeout:g}s") from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.05)
            yield
        finally:
            os.close(fd)  # closing releases the flock

    # The journal: changes made while a rebuild runs, replayed into the new generation.

    def start_journal(self, generation: Path) -> None:
        (self.root / JOURNAL).write_bytes(b"")
        (self.root / MARKER).write_text(f"{os.getpid()} {generation.name}\n")

    def journaling(self) -> bool:
        try:
            pid = int((self.root / MARKER).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return False
        return _alive(pid)

    def append_journal(self, change: tuple) -> None:
        with open(self.root / JOURNAL, "ab") as f:
            pickle.dump(change, f)

    def read_journal(self) -> list[tuple]:
        changes = []
        with contextlib.suppress(FileNotFoundError), open(self.root / JOURNAL, "rb") as f:
            while True:
                try:
                    changes.append(pickle.load(f))
                except EOFError:
                    break
        return changes

    def end_journal(self) -> None:
        for name in (MARKER, JOURNAL):
            with contextlib.suppress(FileNotFoundError):
                (self.root / name).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
