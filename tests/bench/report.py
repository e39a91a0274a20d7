"""Turning results (one dict per corpus size, as saved in results-<size>.json) into Markdown."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    label: str
    get: Callable[[dict], float | int | str | None]
    unit: str = ""
    target: str = ""                             # as printed
    passes: Callable[[float | str], bool] | None = None


def lookup(*keys: str) -> Callable[[dict], float | None]:
    def get(results: dict):
        value = results
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value
    return get


def _edits_seen(results: dict) -> str | None:
    edits = results.get("edits")
    if not edits or "edits" not in edits:
        return None
    seen = edits["edits"] - len(edits["errors"])
    return f"all {seen}" if seen == edits["edits"] else f"{seen} of {edits['edits']}"


def _nonzero(*keys: str) -> Callable[[dict], float | None]:
    """n/a rather than 0 for a figure that only exists sometimes (helper processes)."""
    get = lookup(*keys)
    return lambda results: get(results) or None


def _pair(*keys: str) -> Callable[[dict], str | None]:
    """Two figures in one cell, e.g. p50 / p95: the last two keys, under the ones before."""
    first, second = lookup(*keys[:-2], keys[-2]), lookup(*keys[:-2], keys[-1])

    def get(results: dict):
        if first(results) is None:
            return None
        return f"{first(results):,.1f} / {second(results):,.1f}"
    return get


# The targets are for 20,000 write-ups on 2 cores; other sizes are judged against the
# same numbers so the table shows where they stop holding.
ROWS = (
    Row("Rebuild throughput", lookup("rebuild", "documents_per_s"), "docs/s", "≥ 500",
        lambda v: v >= 500),
    Row("Rebuild throughput per CPU-second", lookup("rebuild", "documents_per_cpu_s"), "docs/s"),
    Row("Index size on disk", lookup("rebuild", "index_size_mb"), "MB"),
    Row("Rebuild peak memory (maxrss Δ)", lookup("rebuild", "rss_delta_mb"), "MB"),
    Row("Rebuild helper processes' peak (VmHWM)", _nonzero("rebuild", "rss_children_peak_mb"), "MB"),
    Row("Service p50", lookup("service", "p50_ms"), "ms"),
    Row("Service p95", lookup("service", "p95_ms"), "ms", "≤ 50", lambda v: v <= 50),
    Row("Service p99", lookup("service", "p99_ms"), "ms"),
    Row("Service max", lookup("service", "max_ms"), "ms", "≤ 500", lambda v: v <= 500),
    Row("Service p50 / p95 CPU time", _pair("service", "cpu_p50_ms", "cpu_p95_ms"), "ms"),
    Row("Queries cut short (partial)", lookup("service", "partial"), "queries"),
    Row("Queries that raised an error", lookup("service", "errors"), "queries"),
    Row("HTTP p50", lookup("http", "p50_ms"), "ms"),
    Row("HTTP p95", lookup("http", "p95_ms"), "ms", "≤ 100", lambda v: v <= 100),
    Row("HTTP p99", lookup("http", "p99_ms"), "ms"),
    Row("HTTP max", lookup("http", "max_ms"), "ms"),
    Row("HTTP errors (non-200)", lookup("http", "errors"), "queries"),
    Row("Edit visible after update returns (median)",
        lookup("edits", "visible_after_return_ms_median"), "ms", "≤ 1000", lambda v: v <= 1000),
    Row("Edit visible after update returns (max)", lookup("edits", "visible_after_return_ms_max"),
        "ms"),
    Row("Edits seen by the other process within 30 s", _edits_seen, "",
        "all", lambda v: v.startswith("all")),
    Row("update() itself (median)", lookup("edits", "update_ms_median"), "ms"),
    Row("update() itself (max)", lookup("edits", "update_ms_max"), "ms"),
    Row("FTS5 build throughput", lookup("fts5", "build", "documents_per_s"), "docs/s"),
    Row("FTS5 size on disk", lookup("fts5", "build", "size_mb"), "MB"),
    Row("FTS5 p50", lookup("fts5", "search", "p50_ms"), "ms"),
    Row("FTS5 p95", lookup("fts5", "search", "p95_ms"), "ms"),
    Row("FTS5 p99", lookup("fts5", "search", "p99_ms"), "ms"),
    Row("FTS5 max", lookup("fts5", "search", "max_ms"), "ms"),
    Row("FTS5 p50 / p95 CPU time", _pair("fts5", "search", "cpu_p50_ms", "cpu_p95_ms"), "ms"),
    Row("Ours/FTS5 p50", lookup("ratios", "p50"), "×"),
    Row("Ours/FTS5 p95", lookup("ratios", "p95"), "×", "≤ 5", lambda v: v <= 5),
    Row("Ours/FTS5 p95, CPU time", lookup("ratios", "cpu_p95"), "×"),
)


def targets(results: dict) -> list[dict]:
    """PASS/MISS for each row with a target, for the JSON file."""
    return [{"metric": row.label, "target": row.target, "value": row.get(results),
             "pass": None if row.get(results) is None else row.passes(row.get(results))}
            for row in ROWS if row.passes]


def table(all_results: list[dict]) -> str:
    sizes = [f"{r['size']:,} docs" for r in all_results]
    lines = ["| Metric | Target | " + " | ".join(sizes) + " |",
             "|---|---|" + "---|" * len(sizes)]
    for row in ROWS:
        cells = [_cell(row, row.get(results)) for results in all_results]
        lines.append(f"| {row.label} | {row.target or '—'} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(row: Row, value) -> str:
    if value is None:
        return "n/a"
    text = f"{_number(value)} {row.unit}".strip()
    if row.passes:
        text += " **PASS**" if row.passes(value) else " **MISS**"
    return text


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def notes(results: dict) -> list[str]:
    """What a reader needs to judge the figures: load, what HTTP/edits could not do."""
    load = {when: ", ".join(map(str, values)) for when, values in results["load_average"].items()}
    said = [f"{results['size']:,} docs: load average {load['start']} at start, "
            f"{load.get('end', '?')} at end on {results['cpu_count']} CPUs"]
    for part in ("http", "edits"):
        if results.get(part, {}).get("available") is False:
            said.append(f"{results['size']:,} docs: {part} not available — "
                        f"{results[part]['reason']}")
    versions = results.get("engine_version", {})
    if versions.get("start") != versions.get("end", versions.get("start")):
        said.append(f"{results['size']:,} docs: the engine's source changed during the run "
                    f"({versions['start']} → {versions['end']}): figures may mix versions")
    if results.get("edits", {}).get("stopped_early"):
        said.append(f"{results['size']:,} docs: edits stopped after {results['edits']['edits']} "
                    "(time budget spent)")
    if results.get("edits", {}).get("errors"):
        said.append(f"{results['size']:,} docs: edit errors {results['edits']['errors']}")
    return said


def by_kind(results: dict) -> str:
    """p50 by kind of query, ours against FTS5: where the engine should look first."""
    ours = results.get("service", {}).get("by_kind", {})
    floor = results.get("fts5", {}).get("search", {}).get("by_kind", {})
    http = results.get("http", {}).get("by_kind", {})
    lines = [f"p50 by kind of query at {results['size']:,} docs (ms)", "",
             "| Kind | Service | HTTP | FTS5 |", "|---|---|---|---|"]
    for kind in sorted(ours, key=lambda k: -ours[k]):
        lines.append(f"| {kind} | {ours[kind]} | {http.get(kind, 'n/a')} | "
                     f"{floor.get(kind, 'n/a')} |")
    return "\n".join(lines)


def slowest(results: dict, *where: str) -> str:
    """The slowest queries of one engine: where = ("service",) or ("fts5", "search")."""
    rows = lookup(*where, "slowest")(results) or []
    lines = [f"Slowest {len(rows)} queries ({' '.join(where)}, {results['size']:,} docs)", "",
             "| ms | Kind | Query | Total | Partial |", "|---|---|---|---|---|"]
    lines += [f"| {r['ms']:.1f} | {r['kind']} | `{r['query']}` | {r['total']:,} | "
              f"{'yes' if r['partial'] else ''} |" for r in rows]
    return "\n".join(lines)
