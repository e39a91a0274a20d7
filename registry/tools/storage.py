"""Uploaded files on disk, content-addressed: `<root>/<sha[:2]>/<sha>`.

The same bytes are stored once however many tools use them. A file appears under its final
name only whole (written to a temporary name in the same directory, then renamed), and a
per-file lock lets an upload that failed remove the file it wrote without racing another upload
of the same bytes that is about to commit a row pointing at it.
"""

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_INCOMING = ".incoming-"  # a file being written; renamed to its hash once whole


class BlobStore:
    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    @contextmanager
    def storing(self, data: bytes, is_referenced: Callable[[str], bool]) -> Iterator[str]:
        """Store `data` and yield its SHA-256 while the caller commits the row that uses it.

        If the block raises, the file is removed again unless a committed row references it:
        the lock is held throughout, so no other upload of the same bytes can commit in between.
        """
        sha256 = hashlib.sha256(data).hexdigest()
        with self._locked(sha256):
            created = self._write(sha256, data)
            try:
                yield sha256
            except BaseException:
                if created and not is_referenced(sha256):
                    self.path(sha256).unlink(missing_ok=True)
                raise

    def names(self) -> list[str]:
        """Every file in the store: hashes, and the names of any partial files."""
        return sorted(path.name for path in self.root.glob("[0-9a-f][0-9a-f]/*"))

    def prune(self, is_referenced: Callable[[str], bool]) -> list[str]:
        """Remove the files no row references and the partial files a crashed upload left.

        Each directory is pruned under its lock. An upload holds that lock from writing its file
        until its row is committed, so a file that is about to be used is never removed, and any
        partial file found under the lock belongs to no upload still running."""
        removed = []
        for directory in sorted(self.root.glob("[0-9a-f][0-9a-f]")):
            with self._locked(directory.name):
                for path in sorted(directory.iterdir()):
                    if path.name.startswith(_INCOMING) or not is_referenced(path.name):
                        path.unlink(missing_ok=True)
                        removed.append(path.name)
        return removed

    def _write(self, sha256: str, data: bytes) -> bool:
        """Write the file unless it is already there whole; True if this call created it."""
        target = self.path(sha256)
        if target.is_file():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=_INCOMING)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return True

    @contextmanager
    def _locked(self, sha256: str) -> Iterator[None]:
        # 256 lock files, one per directory, rather than one per file ever stored.
        locks = self.root / ".locks"
        locks.mkdir(parents=True, exist_ok=True)
        with open(locks / sha256[:2], "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
