"""Timing and summarising: the same code times every engine, so their figures compare."""

import math
import os
import resource
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from queries import Query


@dataclass(frozen=True)
class Outcome:
    """What an engine reports back for one query, beyond how long it took."""
    total: int
    partial: bool = False
    error: str | None = None


@dataclass(frozen=True)
class Timing:
    query: Query
    ms: float        # wall clock: what a user waits
    cpu_ms: float    # this process's CPU time: steadier when other work loads the machine
    outcome: Outcome

    def as_dict(self) -> dict:
        return {"kind": self.query.kind, "query": self.query.describe(), "ms": round(self.ms, 2),
                "cpu_ms": round(self.cpu_ms, 2), **asdict(self.outcome)}


Run = Callable[[Query], Outcome]


def time_queries(run: Run, mix: Iterable[Query], warm_up: Iterable[Query] = ()) -> list[Timing]:
    """Run each query once, sequentially, after the warm-up queries (untimed)."""
    return time_interleaved({"only": run}, mix, warm_up)["only"]


def time_interleaved(runs: dict[str, Run], mix: Iterable[Query],
                     warm_up: Iterable[Query] = ()) -> dict[str, list[Timing]]:
    """Each query through every engine back to back, alternating which goes first, so a burst
    of load from elsewhere on the machine falls on both and their ratio stays fair."""
    for query in warm_up:
        for run in runs.values():
            _run_safely(run, query)
    timings: dict[str, list[Timing]] = {name: [] for name in runs}
    order = list(runs)
    for query in mix:
        for name in order:
            timings[name].append(_timed(runs[name], query))
        order.reverse()
    return timings


def _timed(run: Run, query: Query) -> Timing:
    start, start_cpu = time.perf_counter(), time.process_time()
    outcome = _run_safely(run, query)
    return Timing(query, (time.perf_counter() - start) * 1000,
                  (time.process_time() - start_cpu) * 1000, outcome)


def _run_safely(run: Run, query: Query) -> Outcome:
    """A query that raises is a finding to report, not a reason to lose the whole run."""
    try:
        return run(query)
    except Exception as error:
        return Outcome(total=0, error=f"{type(error).__name__}: {error}"[:300])


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: p95 of 200 values is the 190th smallest, a value that occurred."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summarise(timings: list[Timing]) -> dict:
    ms = [t.ms for t in timings]
    return {
        "queries": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(sum(ms) / len(ms), 2),
        "cpu_p50_ms": round(percentile([t.cpu_ms for t in timings], 50), 2),
        "cpu_p95_ms": round(percentile([t.cpu_ms for t in timings], 95), 2),
        "partial": sum(t.outcome.partial for t in timings),
        "zero_results": sum(t.outcome.total == 0 and not t.outcome.error for t in timings),
        "errors": sum(bool(t.outcome.error) for t in timings),
        "by_kind": _p50_by_kind(timings),
    }


def _p50_by_kind(timings: list[Timing]) -> dict[str, float]:
    kinds: dict[str, list[float]] = {}
    for t in timings:
        kinds.setdefault(t.query.kind, []).append(t.ms)
    return {kind: round(percentile(ms, 50), 2) for kind, ms in sorted(kinds.items())}


def slowest(timings: list[Timing], n: int = 10) -> list[dict]:
    return [t.as_dict() for t in sorted(timings, key=lambda t: t.ms, reverse=True)[:n]]


def directory_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 2)


def max_rss_mb() -> float:
    """This process's high-water mark of resident memory (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class ChildrenPeakMemory:
    """The largest peak resident memory (VmHWM) of any child process while the block runs.

    Sampled from /proc because RUSAGE_CHILDREN's ru_maxrss is no use here: a spawned helper's
    high-water mark includes the parent's image it was forked from before exec.
    """

    def __init__(self, interval_s: float = 0.2):
        self.interval_s = interval_s
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def __enter__(self) -> "ChildrenPeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return round(self.peak_kb / 1024, 1)

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(self.interval_s):
            for pid in _descendants(os.getpid()):
                self.peak_kb = max(self.peak_kb, _peak_kb(pid))


def _descendants(root: int) -> list[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue  # exited meanwhile
            # The command name may hold spaces; the fields after its closing bracket do not.
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds_with_children() -> float:
    """CPU time of this process plus its finished (reaped) children."""
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


def load_average() -> tuple[float, float, float]:
    """Recorded with the results: other work on the machine skews every figure."""
    return tuple(round(x, 2) for x in os.getloadavg())
