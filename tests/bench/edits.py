"""Edit visible: update one write-up through the index, and time until a fresh search in
another process (as another gunicorn worker would be) finds it.

Each edit adds a new made-up word to a published public write-up's title. Reported per edit:
how long `update()` took (inside the request, in the app), and how long after it returned the
other process first found the word (the issue's target: ≤ 1 s after the request returns).
"""

import random
import sqlite3
import statistics
import string
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import corpus
from search_index import ProjectIndex

WATCHER = Path(__file__).resolve().parent / "watcher.py"
VISIBLE_TIMEOUT_S = 30
# An update that merges segments can take minutes on a large index: stop starting new edits
# after this long, and say so, rather than run for hours.
BUDGET_S = 900


def measure(index: ProjectIndex, index_dir: Path, corpus_db: Path, seed: int, edits: int) -> dict:
    ids = _editable_ids(corpus_db, edits)
    rng = random.Random(f"edits:{seed}")
    rows = []
    deadline = time.monotonic() + BUDGET_S
    with _Watcher(index_dir) as watcher:
        for id in ids:
            if time.monotonic() > deadline:
                break
            rows.append(_one_edit(index, watcher, id, seed, _made_up_word(rng)))
    summary = _summarise(rows)
    summary["stopped_early"] = len(rows) < len(ids)
    return summary


def _one_edit(index: ProjectIndex, watcher: "_Watcher", id: int, seed: int, word: str) -> dict:
    original = corpus.document(id, seed)
    edited = replace(original, title=f"{original.title} {word}",
                     fingerprint=f"{id}:{word}", updated=datetime.now(UTC))
    answer = watcher.ask(f"watch {word} {id} {VISIBLE_TIMEOUT_S}")
    if answer != "ready":
        return {"id": id, "error": answer}
    start = _now_ns()
    index.update(edited)
    returned = _now_ns()
    answer = watcher.read()
    if not answer.startswith("seen "):
        return {"id": id, "update_ms": _ms(returned - start), "error": answer}
    seen = int(answer.split()[1])
    return {"id": id, "update_ms": _ms(returned - start),
            # Seen before update() returned counts as 0: visible by the time the request ends.
            "visible_after_return_ms": max(0.0, _ms(seen - returned)),
            "edit_to_visible_ms": _ms(seen - start)}


def _summarise(rows: list[dict]) -> dict:
    done = [row for row in rows if "error" not in row]
    summary = {"edits": len(rows), "errors": [row for row in rows if "error" in row]}
    for key in ("update_ms", "visible_after_return_ms", "edit_to_visible_ms"):
        # update() is timed even when the other process never saw the edit.
        values = [row[key] for row in (rows if key == "update_ms" else done) if key in row]
        if values:
            summary[f"{key}_median"] = round(statistics.median(values), 1)
            summary[f"{key}_max"] = round(max(values), 1)
    summary["per_edit"] = rows
    return summary


def _editable_ids(corpus_db: Path, count: int) -> list[int]:
    """Published public write-ups spread over the whole id range (old and new segments)."""
    with sqlite3.connect(corpus_db) as connection:
        ids = [row[0] for row in connection.execute(
            "SELECT id FROM documents WHERE published = 1 AND visibility = 'public' ORDER BY id")]
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def _made_up_word(rng: random.Random) -> str:
    # Letters only: a word no write-up contains and no analyzer splits.
    return "benchedit" + "".join(rng.choices(string.ascii_lowercase, k=8))


def _now_ns() -> int:
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def _ms(ns: int) -> float:
    return round(ns / 1e6, 1)


class _Watcher:
    """The watcher subprocess, started once and driven over a pipe."""

    def __init__(self, index_dir: Path):
        self.process = subprocess.Popen(
            [sys.executable, str(WATCHER), str(index_dir)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, bufsize=1,
        )
        started = self.read()
        if started != "started":
            self.close()
            raise RuntimeError(f"watcher did not start: {started}")

    def __enter__(self) -> "_Watcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ask(self, line: str) -> str:
        self.process.stdin.write(line + "\n")
        return self.read()

    def read(self) -> str:
        line = self.process.stdout.readline()
        return line.strip() or f"watcher exited ({self.process.poll()})"

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.write("quit\n")
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
