"""Keeping the index true: rebuilds, drift, many writers, a missing index, time limits."""

import multiprocessing
import os
import shutil
import threading
import time
from dataclasses import replace

import pytest
from index_fixtures import CORPUS, ids, make_doc

from search_index import IndexUnavailable, LockTimeout, ProjectIndex, Scope

EVERYTHING = Scope(everything=True)


def test_a_new_directory_is_unavailable_until_created(tmp_path):
    index = ProjectIndex(tmp_path / "index")
    assert not index.available()
    with pytest.raises(IndexUnavailable):
        index.search("audit", Scope())
    with pytest.raises(IndexUnavailable):
        index.update(make_doc(1, "Audit"))
    assert index.create() is True
    assert index.create() is False
    assert index.available()
    assert index.search("", Scope()).total == 0


def test_a_deleted_index_is_unavailable_and_rebuild_repairs_it(index):
    assert index.search("audit", Scope()).total > 0
    shutil.rmtree(index.directory)
    assert not index.available()
    for call in (lambda: index.search("audit", Scope()), lambda: index.similar(1, Scope()),
                 lambda: index.check({}), lambda: index.remove(1)):
        with pytest.raises(IndexUnavailable):
            call()
    assert index.rebuild(CORPUS) == len(CORPUS)
    assert index.search("audit", Scope()).total > 0


def test_an_unreadable_index_is_unavailable(index):
    os.unlink(index.directory / "current")
    os.symlink("gen-missing", index.directory / "current")
    assert not index.available()
    with pytest.raises(IndexUnavailable):
        index.search("audit", Scope())


def test_an_index_built_by_another_version_is_unavailable_until_rebuilt(index):
    current = index.directory / os.readlink(index.directory / "current")
    (current / "FORMAT").write_text("cluster-commons-search 0\n")
    assert not index.available()
    with pytest.raises(IndexUnavailable) as raised:
        index.search("audit", Scope())
    assert "another version" in str(raised.value.__cause__)
    index.rebuild(CORPUS)
    assert index.search("audit", Scope()).total > 0


def test_rebuild_swaps_generations_and_removes_the_old_one(index):
    before = [p.name for p in index.directory.iterdir() if p.name.startswith("gen-")]
    assert index.rebuild([make_doc(1, "Only one")]) == 1
    after = [p.name for p in index.directory.iterdir() if p.name.startswith("gen-")]
    assert len(after) == 1 and after != before
    assert os.readlink(index.directory / "current") == after[0]
    assert index.search("", EVERYTHING).total == 1


def test_rebuild_refuses_duplicate_ids_and_keeps_the_live_index(index):
    with pytest.raises(ValueError):
        index.rebuild([make_doc(1, "One"), make_doc(1, "Again")])
    assert index.search("", EVERYTHING).total == len(CORPUS)
    assert len([p for p in index.directory.iterdir() if p.name.startswith("gen-")]) == 1


def test_a_failed_rebuild_leaves_no_trace(index):
    def docs():
        yield make_doc(1, "One")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        index.rebuild(docs())
    assert not (index.directory / "rebuilding").exists()
    assert len([p for p in index.directory.iterdir() if p.name.startswith("gen-")]) == 1
    index.update(make_doc(30, "Still writable"))
    assert index.search("writable", EVERYTHING).total == 1


def test_a_large_rebuild_writes_several_segments_and_searches_them_all(tmp_path):
    index = ProjectIndex(tmp_path / "index", memory_mb=1)  # 500 documents a segment
    docs = [make_doc(i, f"Write-up {i}", "audit" if i % 2 else "review") for i in range(1, 1201)]
    assert index.rebuild(docs) == 1200
    assert index.search("audit", EVERYTHING).total == 600
    assert index.search('"write up"', EVERYTHING).total == 1200
    index.update(make_doc(1199, "Changed", "review"))
    assert index.search("audit", EVERYTHING).total == 599
    assert index.check({d.id: d.fingerprint for d in docs}).ok


def test_searches_keep_working_during_a_rebuild(index, synonyms):
    other = ProjectIndex(index.directory, synonyms=synonyms)  # as another worker would
    assert other.search("valproate", Scope()).total == 1
    errors, totals = [], []
    done = threading.Event()

    def search_loop():
        while not done.is_set():
            try:
                totals.append(other.search("valproate", Scope()).total)
            except Exception as exc:  # pragma: no cover - the assertion reports it
                errors.append(exc)

    thread = threading.Thread(target=search_loop)
    thread.start()
    try:
        docs = CORPUS + [make_doc(100 + i, f"Valproate {i}", "valproate") for i in range(300)]
        index.rebuild(docs)
        time.sleep(0.05)
    finally:
        done.set()
        thread.join()
    assert not errors
    assert set(totals) <= {1, 301} and totals
    assert other.search("valproate", Scope()).total == 301


def test_changes_made_during_a_rebuild_are_not_lost(index):
    def docs():
        yield from CORPUS
        # The app edits and deletes while the rebuild is still reading the database.
        index.update(make_doc(50, "Written during the rebuild"))
        index.update(replace(CORPUS[1], title="Renamed during the rebuild"))
        index.remove(3)

    index.rebuild(docs())
    everything = index.search("", EVERYTHING, per_page=50)
    assert 50 in ids(everything) and 3 not in ids(everything)
    assert ids(index.search("renamed", EVERYTHING)) == [2]
    assert not (index.directory / "rebuilding").exists()


def test_check_reports_missing_stale_and_orphaned(index):
    expected = {d.id: d.fingerprint for d in CORPUS}
    assert index.check(expected).ok
    expected[2] = "v2-2"  # edited in the database, not yet in the index
    expected[42] = "v1-42"  # in the database only
    del expected[9]  # in the index only
    drift = index.check(expected)
    assert (drift.missing, drift.stale, drift.orphaned) == ([42], [2], [9])
    assert not drift.ok
    index.update(replace(CORPUS[1], fingerprint="v2-2"))
    index.update(make_doc(42, "New", fingerprint="v1-42"))
    index.remove(9)
    assert index.check(expected).ok


def _write_many(directory: str, worker: int, count: int) -> None:
    index = ProjectIndex(directory, writer_timeout=60)
    for i in range(count):
        doc_id = 1000 + worker * 100 + i
        index.update(make_doc(doc_id, f"Worker {worker} write-up {i}", "concurrent audit",
                              fingerprint=f"w{worker}-{i}"))
        if i % 5 == 4:  # and edit one already written, as a publish-then-edit would
            index.update(make_doc(doc_id - 1, f"Worker {worker} edited {i - 1}", "edited",
                                  fingerprint=f"w{worker}-{i - 1}-edited"))


@pytest.mark.slow
def test_concurrent_writers_in_several_processes_lose_nothing(empty_index):
    workers, count = 4, 25
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_write_many, args=(str(empty_index.directory), w, count))
                 for w in range(workers)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=240)
    assert [p.exitcode for p in processes] == [0] * workers
    expected = {}
    for w in range(workers):
        for i in range(count):
            edited = i % 5 == 3
            expected[1000 + w * 100 + i] = f"w{w}-{i}" + ("-edited" if edited else "")
    assert empty_index.check(expected).ok
    assert empty_index.search("", EVERYTHING).total == workers * count
    assert empty_index.search("edited", EVERYTHING).total == workers * (count // 5)


def test_a_writer_waits_for_the_lock_then_gives_up_clearly(index):
    slow = ProjectIndex(index.directory, writer_timeout=0.2)
    with index._dir.lock(5):
        started = time.monotonic()
        with pytest.raises(LockTimeout):
            slow.update(make_doc(60, "Blocked"))
        assert time.monotonic() - started >= 0.2
    slow.update(make_doc(60, "Unblocked"))
    assert index.search("unblocked", EVERYTHING).total == 1


def test_an_edit_in_one_instance_is_seen_by_another(index, synonyms):
    other = ProjectIndex(index.directory, synonyms=synonyms)
    assert other.search("lithium", Scope()).total == 0  # cached searcher and results
    index.update(make_doc(70, "Lithium monitoring"))
    assert ids(other.search("lithium", Scope())) == [70]


def test_a_slow_query_returns_what_it_has_and_says_so(empty_index, monkeypatch):
    from search_index import matching
    empty_index.rebuild([make_doc(i, f"Audit {i}", "practice patients review audit")
                         for i in range(1, 30)])
    def out_of_time(budget):
        budget.exceeded = True
        return True

    monkeypatch.setattr(matching.Budget, "spent", out_of_time)
    results = empty_index.search('"practice patients" review audit', Scope())
    assert results.partial
    again = empty_index.search('"practice patients" review audit', Scope())
    assert again is not results  # partial results are never cached


def test_out_of_time_still_gives_the_first_words_results_plainly(empty_index):
    empty_index.rebuild([
        make_doc(1, "Valproate audit", "Valproate prescribing was audited."),
        make_doc(2, "Audit calendar", "An audit every month."),
        make_doc(3, "Lithium monitoring", "Lithium levels."),
    ])
    empty_index.time_limit = 0.0  # spent before the search starts
    results = empty_index.search("valproate audit", Scope())
    assert results.partial and "too long" in results.message
    assert ids(results) == [1]  # the first word's matches: never everything, never nothing
    assert "<mark>" not in results.hits[0].highlight  # highlighting is skipped when late
    assert results.facets["status"]  # facet counts are still given


def test_edits_merge_small_segments_but_leave_a_rebuilds_large_ones(tmp_path, monkeypatch):
    from search_index import codec
    monkeypatch.setattr(codec, "LARGE_SEGMENT", 400)
    index = ProjectIndex(tmp_path / "index", memory_mb=1)  # 500 documents a segment
    index.rebuild([make_doc(i, f"Write-up {i}") for i in range(1, 1001)])
    large = {r.segment().segment_id() for r, _, _ in index._snapshot().leaves}
    for i in range(30):
        index.update(make_doc(i + 1, f"Edited {i}"))
    sizes = {r.segment().segment_id(): r.doc_count_all() for r, _, _ in index._snapshot().leaves}
    assert large <= set(sizes)  # untouched
    assert len(sizes) <= len(large) + 8  # the 30 one-document segments were merged in tiers
    assert index.search("edited", EVERYTHING).total == 30
    assert index.search("", EVERYTHING).total == 1000


def test_warm_prepares_a_worker(index, synonyms):
    worker = ProjectIndex(index.directory, synonyms=synonyms)
    worker.warm()
    assert worker.search("valproate", Scope()).total == 1
    worker.close()
    assert worker.search("valproate", Scope()).total == 1  # reopens after close


def test_warm_reads_the_words_ahead_of_the_first_search(index, synonyms, monkeypatch):
    from search_index import segments
    worker = ProjectIndex(index.directory, synonyms=synonyms)
    worker.warm()

    def read_postings(*args):
        raise AssertionError("postings read by a search after warm()")

    monkeypatch.setattr(segments, "_read_postings", read_postings)
    assert ids(worker.search("calendar", Scope())) == [9]
    worker.close()


def test_lock_timeout_is_an_index_unavailable():
    assert issubclass(LockTimeout, IndexUnavailable)


def test_time_limit_is_honoured_on_a_large_query(empty_index):
    empty_index.time_limit = 0.0
    empty_index.rebuild([make_doc(i, f"Audit {i}", "practice patients review")
                         for i in range(1, 30)])
    results = empty_index.search("practice patients review audit", Scope())
    assert results.partial and "too long" in results.message
