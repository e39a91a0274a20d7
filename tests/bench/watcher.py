"""The other process of the edit benchmark: polls search until an edit shows up.

Run as `python watcher.py <index dir>`; kept alive and driven over stdin/stdout, one line each:
    watch <word> <id> <timeout seconds>  ->  "ready" once the word is confirmed not yet found,
                                              then "seen <monotonic ns>" or "timeout"
    quit
Times are CLOCK_MONOTONIC, which is system-wide on Linux, so they compare across processes.
"""

import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]

from search_index import Scope  # noqa: E402

from service import open_index  # noqa: E402

EVERYTHING = Scope(everything=True)
POLL_INTERVAL_S = 0.005  # short next to the 1 s target; it leaves the writer a core


def now_ns() -> int:
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def found(index, word: str, id: int) -> bool:
    # By id, not by total: until the word exists the engine may show a correction's results.
    return any(hit.id == id for hit in index.search(word, EVERYTHING).hits)


def watch(index, word: str, id: int, timeout: float) -> str:
    if found(index, word, id):
        return "error: visible before the edit"
    reply("ready")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found(index, word, id):
            return f"seen {now_ns()}"
        time.sleep(POLL_INTERVAL_S)
    return "timeout"


def reply(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    index = open_index(Path(sys.argv[1]))
    reply("started")
    for line in sys.stdin:
        command, *args = line.split()
        if command == "quit":
            break
        word, id, timeout = args[0], int(args[1]), float(args[2])
        try:
            reply(watch(index, word, id, timeout))
        except Exception as error:  # report, and stay alive for the next edit
            reply(f"error: {type(error).__name__}: {error}".replace("\n", " "))


if __name__ == "__main__":
    main()
