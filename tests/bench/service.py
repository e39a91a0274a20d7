"""Our engine through its Python interface (search_index.ProjectIndex), no Flask involved."""

import gc
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from search_index import ProjectIndex, Scope, load_synonyms

import corpus
from measure import (ChildrenPeakMemory, Outcome, cpu_seconds_with_children, directory_mb,
                     max_rss_mb)
from queries import Query

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SYNONYMS_FILE = PROJECT_ROOT / "content" / "search" / "synonyms.yaml"
# The common case: a signed-in member of one cluster (public + network write-ups, plus every
# write-up of their own cluster).
SIGNED_IN = Scope(signed_in=True, cluster_ids=frozenset({1}))


def open_index(directory: Path) -> ProjectIndex:
    """As the app opens it (registry.search.services.create_index), with the same synonyms,
    but without importing Flask into the processes being timed."""
    synonyms = load_synonyms(SYNONYMS_FILE) if SYNONYMS_FILE.exists() else None
    return ProjectIndex(directory, synonyms=synonyms)


def open_warm_index(directory: Path) -> ProjectIndex:
    """As a gunicorn worker has it before its first request (see gunicorn.conf.py): warmed,
    and what warming loaded frozen out of the garbage collector."""
    index = open_index(directory)
    index.warm()
    gc.freeze()
    return index


def measure_rebuild(corpus_db: Path, index_dir: Path) -> dict:
    """Rebuild in a fresh process, so its memory high-water mark is the rebuild's own and not
    left over from an earlier size or from building the corpus."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        figures = pool.submit(_rebuild_here, corpus_db, index_dir).result()
    figures["index_size_mb"] = directory_mb(index_dir)
    return figures


def _rebuild_here(corpus_db: Path, index_dir: Path) -> dict:
    docs = list(corpus.read_sqlite(corpus_db))  # loaded first: reading is not indexing
    index = open_index(index_dir)
    rss_before = max_rss_mb()
    start, start_cpu = time.perf_counter(), cpu_seconds_with_children()
    with ChildrenPeakMemory() as helpers:
        count = index.rebuild(docs)
    seconds = time.perf_counter() - start
    cpu_seconds = cpu_seconds_with_children() - start_cpu
    rss_after = max_rss_mb()
    return {
        "documents": count,
        "seconds": round(seconds, 2),
        "documents_per_s": round(count / seconds, 1),
        # CPU time of this process and its finished helpers: steadier than wall time when other
        # work loads the machine.
        "cpu_seconds": round(cpu_seconds, 2),
        "documents_per_cpu_s": round(count / cpu_seconds, 1),
        "memory_note": "ru_maxrss of a fresh process: delta = peak during rebuild() minus the "
                       "peak with the corpus loaded; children = the largest VmHWM of a helper "
                       "process (the engine analyses in one), sampled every 0.2 s",
        "rss_with_corpus_mb": rss_before,
        "rss_peak_mb": rss_after,
        "rss_delta_mb": round(rss_after - rss_before, 1),
        "rss_children_peak_mb": helpers.peak_mb,
    }


class Searcher:
    def __init__(self, index: ProjectIndex, scope: Scope = SIGNED_IN):
        self.index = index
        self.scope = scope

    def run(self, query: Query) -> Outcome:
        results = self.index.search(query.text, self.scope, dict(query.filters), sort=query.sort)
        return Outcome(total=results.total, partial=results.partial)
