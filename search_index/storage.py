"""The index directory: generations, the `current` pointer, the writers' lock and the journal.

    <root>/current        symlink to the live generation (swapped with os.replace: atomic)
    <root>/gen-<stamp>/   a complete whoosh index
    <root>/write.lock     flock()ed by whoever writes, in any process
    <root>/rebuilding     present while a rebuild runs: writers also append to the journal
    <root>/rebuild.journal  changes made during a rebuild, replayed into the new generation
    <root>/gen-<stamp>/FORMAT  the version of this package's index format that built it

Whoosh allows one writer per index and `ix.writer()` fails at once when another holds it, so
every writer first takes an OS lock (which queues across gunicorn workers) and then opens the
whoosh writer with a timeout as a second line of defence. AsyncWriter is never used: it
silently drops its buffered changes when its process exits.
"""

import contextlib
import errno
import fcntl
import os
import pickle
import shutil
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from search_index.documents import IndexUnavailable

POINTER = "current"
LOCK = "write.lock"
MARKER = "rebuilding"
JOURNAL = "rebuild.journal"
PREFIX = "gen-"
VERSION_FILE = "FORMAT"
# Change whenever analysis, the schema or the codec changes what an index holds: a generation
# built by another version reads as unavailable (search "is being rebuilt") until a rebuild.
FORMAT_VERSION = "cluster-commons-search 1"
# Whoosh lists the newest table of contents, then opens it: a writer in another process can
# replace it in between (FileNotFoundError). Listing again finds the new one.
_TOC_ATTEMPTS = 5


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
        """The whoosh index of a generation, if this version of the package can read it."""
        version = _version(generation)
        if version != FORMAT_VERSION:
            raise IndexUnavailable(
                f"the search index was built by another version ({version}): rebuild it")
        for attempt in range(_TOC_ATTEMPTS):
            try:
                return FileStorage(str(generation), readonly=False).open_index()
            except FileNotFoundError as exc:
                if attempt == _TOC_ATTEMPTS - 1:
                    raise IndexUnavailable(f"cannot open the search index: {exc}") from exc
            except Exception as exc:  # a TOC whoosh cannot unpickle
                raise IndexUnavailable(f"cannot open the search index: {exc}") from exc

    def readable(self, generation: Path) -> bool:
        if _version(generation) != FORMAT_VERSION:
            return False
        for _ in range(_TOC_ATTEMPTS):
            try:
                return whoosh_index.exists_in(str(generation))
            except FileNotFoundError:
                continue
        return False

    def create(self, generation: Path, schema):
        generation.mkdir(parents=True)
        (generation / VERSION_FILE).write_text(FORMAT_VERSION + "\n")
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


def _version(generation: Path) -> str | None:
    try:
        return (generation / VERSION_FILE).read_text().strip()
    except OSError:
        return None


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
