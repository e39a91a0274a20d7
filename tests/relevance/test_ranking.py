"""Ranking quality on the judged query set, over the demo content, through the real app.

The demo write-ups are imported as `load-demo` imports them and indexed through the outbox, then
every judged query is run as a national coordinator (who sees everything, so visibility does not
hide judged write-ups). The floors are the levels reached when they were set, less a rounding
margin: a change that makes ranking worse fails here. To see the figures, run
`make test PYTEST_ARGS="tests/relevance -s"`.
"""

from pathlib import Path

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.projects import content
from registry.projects.models import Project
from registry.search import services as search
from registry.search.documents import document_for
from search_index import ProjectDocument, ProjectIndex, Scope
from tests.relevance.baseline import plain_bm25_rankings
from tests.relevance.metrics import load_judgments, mean, ndcg_at_k, reciprocal_rank

HERE = Path(__file__).parent
DEMO = HERE.parent.parent / "content" / "demo"
QUERIES = load_judgments(HERE / "judgments.yaml")
EVERYTHING = Scope(everything=True)
TOP = 10

# Measured with this judged set and demo content (nDCG@10, MRR).
OURS_FLOOR = (0.94, 0.97)
WITHOUT_SYNONYMS_FLOOR = (0.87, 0.90)


def scores(rankings: dict[str, list[str]]) -> tuple[float, float]:
    return (
        mean([ndcg_at_k(rankings[q.query], q.judgments, TOP) for q in QUERIES]),
        mean([reciprocal_rank(rankings[q.query], q.judgments) for q in QUERIES]),
    )


def at_least(measured: tuple[float, float], floor: tuple[float, float]) -> bool:
    return all(value >= minimum for value, minimum in zip(measured, floor, strict=True))


def engine_rankings(index: ProjectIndex) -> dict[str, list[str]]:
    return {
        q.query: [hit.slug for hit in index.search(q.query, EVERYTHING, per_page=TOP).hits]
        for q in QUERIES
    }


@pytest.fixture
def demo_documents(app) -> list[ProjectDocument]:
    report = content.import_files([DEMO])
    assert not report.failures, report.failures
    search.rebuild()
    return [document_for(project) for project in db.session.scalars(select(Project))]


def test_ranking_holds_its_level_and_beats_plain_bm25(app, demo_documents, tmp_path):
    ours = scores(engine_rankings(search.index()))

    without_synonyms = ProjectIndex(tmp_path / "no-synonyms")
    without_synonyms.create()
    without_synonyms.rebuild(demo_documents)
    plain = scores(engine_rankings(without_synonyms))
    without_synonyms.close()

    texts = [q.query for q in QUERIES]
    bm25_all_words = scores(plain_bm25_rankings(demo_documents, texts, any_word=False))
    bm25_any_word = scores(plain_bm25_rankings(demo_documents, texts, any_word=True))

    print(f"\n{len(QUERIES)} judged queries, nDCG@{TOP} / MRR")
    for name, (ndcg, mrr) in (
        ("ours", ours), ("ours without synonyms", plain),
        ("plain BM25, Whoosh defaults (all words)", bm25_all_words),
        ("plain BM25, any word", bm25_any_word),
    ):
        print(f"  {name:42} {ndcg:.3f} / {mrr:.3f}")

    assert at_least(ours, OURS_FLOOR)
    assert at_least(plain, WITHOUT_SYNONYMS_FLOOR)
    assert all(ours[i] > max(bm25_all_words[i], bm25_any_word[i]) for i in (0, 1))


def test_the_judged_set_is_what_the_test_measures(demo_documents):
    slugs = {doc.slug for doc in demo_documents}
    assert len(slugs) == len(list(DEMO.glob("*.md")))
    assert all(set(q.judgments) <= slugs for q in QUERIES)
