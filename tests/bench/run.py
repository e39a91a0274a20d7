"""make bench: how fast search is, against the issue's targets and an SQLite FTS5 floor.

    .venv/bin/python tests/bench/run.py [--sizes 20000,100000] [--queries 200] [--edits 20]
                                        [--skip http,edits] [--keep] [--report]

For each corpus size, in one run: build a synthetic corpus (corpus.py), rebuild our index from
it, time the query mix (queries.py) through ProjectIndex.search and through /api/v1/search on
gunicorn, time how soon an edit is visible to another process, and build and time SQLite FTS5
over the same corpus as the floor. Prints Markdown (ready for the README) and writes
tests/bench/results-<size>.json. `--report` reprints the table from the saved files.

Every figure is from one machine at one moment: the load average is recorded with the results
because other work on the machine slows everything here.
"""

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE)]  # the project, then these modules

import corpus  # noqa: E402
import edits  # noqa: E402
import fts5  # noqa: E402
import http_bench  # noqa: E402
import measure  # noqa: E402
import queries  # noqa: E402
import report  # noqa: E402
import service  # noqa: E402

DEFAULT_SIZES = (20_000, 100_000)
OPTIONAL_PARTS = ("http", "edits", "fts5")
SLOWEST = 10
HTTP_WARM_UP_ROUNDS = 4


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    if args.report:
        _print_summary(_saved_results())
        return
    mix = queries.query_mix(args.queries)
    measured, failed = [], []
    for size in args.sizes:
        try:
            results = bench_size(size, mix, args)
        except Exception:  # report what did finish, then fail
            log(f"size {size:,} failed:\n{traceback.format_exc()}")
            failed.append(size)
            continue
        _save(results)
        _print_size(results)
        measured.append(results)
    _print_summary(measured)
    if failed:
        sys.exit(f"failed at size(s): {', '.join(f'{size:,}' for size in failed)}")


def bench_size(size: int, mix: list[queries.Query], args: argparse.Namespace) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{size}-"))
    log(f"size {size:,}: working in {workdir}")
    paths = {"corpus": workdir / "corpus.db", "index": workdir / "index",
             "fts5": workdir / "fts5.db"}
    results = {"size": size, "seed": args.seed, "queries": len(mix), "cpu_count": os.cpu_count(),
               "started": datetime.now(UTC).isoformat(timespec="seconds"),
               "load_average": {"start": measure.load_average()},
               "engine_version": {"start": _engine_version()}}
    try:
        results["corpus"] = _build_corpus(size, args.seed, paths["corpus"])
        log(f"rebuilding our index from {size:,} documents")
        results["rebuild"] = service.measure_rebuild(paths["corpus"], paths["index"])
        index = service.open_warm_index(paths["index"])
        results.update(_bench_service_and_fts5(index, paths, mix, "fts5" not in args.skip))
        if "http" not in args.skip:
            results["http"] = _bench_http(paths["index"], workdir, mix)
        if "edits" not in args.skip:
            results["edits"] = _bench_edits(index, paths, args)
        results["ratios"] = _ratios(results)
        results["load_average"]["end"] = measure.load_average()
        results["engine_version"]["end"] = _engine_version()
        results["targets"] = report.targets(results)
        return results
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _engine_version() -> str:
    """A hash of the engine's source: the engine may be edited while a long run goes on, and
    then the figures mix two versions (the notes say so)."""
    digest = hashlib.sha256()
    for path in sorted((HERE.parents[1] / "search_index").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _build_corpus(size: int, seed: int, path: Path) -> dict:
    log(f"generating {size:,} write-ups into {path.name}")
    words: list[int] = []

    def counted(docs):
        for doc in docs:
            words.append(len(f"{doc.title} {doc.summary} {doc.aim} {doc.body}".split()))
            yield doc

    start = time.perf_counter()
    count = corpus.write_sqlite(path, counted(corpus.documents(size, seed)))
    return {"documents": count, "seconds": round(time.perf_counter() - start, 1),
            "words_min": min(words), "words_median": statistics.median(words),
            "words_max": max(words)}


def _bench_service_and_fts5(index, paths: dict[str, Path], mix: list[queries.Query],
                            with_fts5: bool) -> dict:
    """Our service and the FTS5 floor, timed query by query in turn (see time_interleaved)."""
    runs = {"service": service.Searcher(index).run}
    if with_fts5:
        log("building the FTS5 floor")
        built = fts5.build(paths["corpus"], paths["fts5"])
        floor = fts5.Searcher(paths["corpus"], paths["fts5"], service.SIGNED_IN)
        runs["fts5"] = floor.run
    log(f"timing {len(mix)} queries: {' and '.join(runs)}, interleaved")
    timings = measure.time_interleaved(runs, mix, queries.WARM_UP)
    results = {"service": _summary(timings["service"])}
    if with_fts5:
        floor.close()
        results["fts5"] = {"build": built, "search": _summary(timings["fts5"])}
    return results


def _summary(timings: list[measure.Timing]) -> dict:
    return {**measure.summarise(timings), "slowest": measure.slowest(timings, SLOWEST),
            "timings": [t.as_dict() for t in timings]}


def _bench_http(index_dir: Path, workdir: Path, mix: list[queries.Query]) -> dict:
    log("starting gunicorn for /api/v1/search")
    try:
        with http_bench.serve(index_dir, workdir) as base:
            log(f"timing {len(mix)} queries: HTTP")
            # Each worker warms the index before serving (gunicorn.conf.py), but loads some
            # parts on first use (spelling, prefixes); which worker takes a request is a race,
            # so warm up several rounds to reach both before timing.
            warm_up = queries.WARM_UP * HTTP_WARM_UP_ROUNDS
            timings = measure.time_queries(http_bench.Searcher(base).run, mix, warm_up)
            return {"available": True, "scope": "anonymous (published public only)",
                    **_summary(timings)}
    except http_bench.Unavailable as error:
        log(f"HTTP not available: {error}")
        return {"available": False, "reason": str(error)}


def _bench_edits(index, paths: dict[str, Path], args: argparse.Namespace) -> dict:
    log(f"timing {args.edits} edits until visible in another process")
    try:
        return edits.measure(index, paths["index"], paths["corpus"], args.seed, args.edits)
    except Exception as error:  # the engine may not be finished; report, don't lose the run
        log(f"edit benchmark failed: {error!r}")
        return {"available": False, "reason": repr(error)}


def _ratios(results: dict) -> dict:
    ours, floor = results.get("service", {}), results.get("fts5", {}).get("search", {})
    keys = {"p50": "p50_ms", "p95": "p95_ms", "cpu_p50": "cpu_p50_ms", "cpu_p95": "cpu_p95_ms"}
    return {name: round(ours[key] / floor[key], 2) for name, key in keys.items() if floor.get(key)}


def _save(results: dict) -> None:
    path = HERE / f"results-{results['size']}.json"
    path.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    log(f"wrote {path}")


def _saved_results() -> list[dict]:
    files = sorted(HERE.glob("results-*.json"), key=lambda p: int(p.stem.split("-")[1]))
    return [json.loads(p.read_text(encoding="utf-8")) for p in files]


def _print_size(results: dict) -> None:
    print(f"\n## {results['size']:,} write-ups\n")
    print(f"Corpus: {results['corpus']}\n")
    print(report.table([results]) + "\n")
    print(report.by_kind(results) + "\n")
    for where in (("service",), ("http",), ("fts5", "search")):
        if report.lookup(*where, "slowest")(results):
            print(report.slowest(results, *where) + "\n")
    sys.stdout.flush()


def _print_summary(all_results: list[dict]) -> None:
    if not all_results:
        print("No results yet: run without --report first.")
        return
    print("\n## Search benchmark (make bench)\n")
    print(report.table(all_results) + "\n")
    for results in all_results:
        for note in report.notes(results):
            print(f"- {note}")


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=DEFAULT_SIZES,
                        help="comma-separated corpus sizes (default 20000,100000)")
    parser.add_argument("--queries", type=int, default=queries.MIX_SIZE,
                        help="how many of the fixed mix to time (default all 200)")
    parser.add_argument("--edits", type=int, default=20, help="edits to time (default 20)")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--skip", type=_parts, default=(),
                        help=f"comma-separated parts to leave out: {', '.join(OPTIONAL_PARTS)}")
    parser.add_argument("--keep", action="store_true", help="keep the working directories")
    parser.add_argument("--report", action="store_true",
                        help="only print the table from the saved results-*.json")
    return parser.parse_args(argv)


def _sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give sizes like 2000 or 20000,100000")
    return sizes


def _parts(text: str) -> tuple[str, ...]:
    parts = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = set(parts) - set(OPTIONAL_PARTS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown part(s): {', '.join(sorted(unknown))}")
    return parts


if __name__ == "__main__":
    main()
