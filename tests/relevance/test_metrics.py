"""The relevance metrics on hand-computed examples, and the judged query set's own validity.

Worked numbers used below (gain 2**g - 1, discount 1/log2(rank + 1)):
  log2(3) = 1.5849625, so a grade-2 result at rank 2 is worth 3 / 1.5849625 = 1.8927893.
  judgments a=3, b=2, c=1: ideal DCG = 7/1 + 3/log2(3) + 1/log2(4) = 7 + 1.8927893 + 0.5 = 9.3927893
"""

from pathlib import Path

import pytest

from tests.relevance.metrics import (
    KINDS,
    JudgedQuery,
    dcg_at_k,
    load_judgments,
    mean,
    ndcg_at_k,
    reciprocal_rank,
)

HERE = Path(__file__).parent
DEMO = HERE.parent.parent / "content" / "demo"
GRADED = {"a": 3, "b": 2, "c": 1}
IDEAL = 9.3927893


# --- nDCG@k ----------------------------------------------------------------------------


def test_dcg_by_hand():
    assert dcg_at_k([3, 2, 1]) == pytest.approx(IDEAL)
    assert dcg_at_k([3, 2, 1], k=1) == pytest.approx(7.0)
    assert dcg_at_k([]) == 0.0


def test_perfect_ranking_scores_one():
    assert ndcg_at_k(["a", "b", "c"], GRADED) == pytest.approx(1.0)


def test_perfect_ranking_with_unjudged_tail_still_scores_one():
    assert ndcg_at_k(["a", "b", "c", "x", "y"], GRADED) == pytest.approx(1.0)


def test_reversed_ranking():
    # 1/1 + 3/log2(3) + 7/log2(4) = 1 + 1.8927893 + 3.5 = 6.3927893
    assert ndcg_at_k(["c", "b", "a"], GRADED) == pytest.approx(6.3927893 / IDEAL)
    assert ndcg_at_k(["c", "b", "a"], GRADED) == pytest.approx(0.6806061)


def test_gap_in_ranking():
    # b at rank 1 (3), unjudged x at rank 2 (0), a at rank 3 (7/2); c missing.
    assert ndcg_at_k(["b", "x", "a"], GRADED) == pytest.approx(6.5 / IDEAL)


def test_single_relevant_result_at_rank_two():
    assert ndcg_at_k(["x", "a"], {"a": 3}) == pytest.approx(1 / 1.5849625)


def test_nothing_relevant_found_scores_zero():
    assert ndcg_at_k(["x", "y", "z"], GRADED) == 0.0


def test_empty_ranking_scores_zero():
    assert ndcg_at_k([], GRADED) == 0.0


def test_no_positive_judgments_scores_zero():
    assert ndcg_at_k(["a"], {}) == 0.0
    assert ndcg_at_k(["a"], {"a": 0}) == 0.0


def test_ties_in_judgments_any_order_is_perfect():
    tied = {"a": 3, "b": 3, "c": 1}
    assert ndcg_at_k(["a", "b", "c"], tied) == pytest.approx(1.0)
    assert ndcg_at_k(["b", "a", "c"], tied) == pytest.approx(1.0)
    # Swapping across grades is not a tie: 7 + 1/log2(3) + 7/2 over 7 + 7/log2(3) + 1/2.
    assert ndcg_at_k(["a", "c", "b"], tied) == pytest.approx(
        (7 + 1 / 1.5849625 + 3.5) / (7 + 7 / 1.5849625 + 0.5)
    )


def test_cutoff_at_k():
    ranked = [f"x{i}" for i in range(10)] + ["a"]
    assert ndcg_at_k(ranked, {"a": 3}) == 0.0  # rank 11 is outside the top 10
    # At k=11 the gain 7 is discounted by log2(12): 7/log2(12) over an ideal of 7.
    assert ndcg_at_k(ranked, {"a": 3}, k=11) == pytest.approx(0.2789429)


def test_ideal_is_cut_at_k_too():
    many = {f"s{i}": 1 for i in range(12)}
    assert ndcg_at_k([f"s{i}" for i in range(10)], many) == pytest.approx(1.0)


def test_duplicate_results_earn_gain_once():
    # a, a: 7/1 + 0; ideal for two grade-3 slugs: 7 + 7/log2(3).
    assert ndcg_at_k(["a", "a"], {"a": 3, "b": 3}) == pytest.approx(0.6131472)
    assert ndcg_at_k(["a", "a", "a"], {"a": 3}) == pytest.approx(1.0)


def test_k_must_be_positive():
    with pytest.raises(ValueError):
        ndcg_at_k(["a"], GRADED, k=0)


# --- reciprocal rank -------------------------------------------------------------------


def test_reciprocal_rank_first_result():
    assert reciprocal_rank(["a", "b"], GRADED) == 1.0


def test_reciprocal_rank_skips_results_below_threshold():
    assert reciprocal_rank(["c", "x", "b"], GRADED) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x", "b", "a"], GRADED, threshold=3) == pytest.approx(1 / 3)
    assert reciprocal_rank(["c"], GRADED, threshold=1) == 1.0


def test_reciprocal_rank_missing_or_empty_is_zero():
    assert reciprocal_rank(["c", "x"], GRADED) == 0.0
    assert reciprocal_rank([], GRADED) == 0.0
    assert reciprocal_rank(["a"], {}) == 0.0


def test_reciprocal_rank_ties():
    assert reciprocal_rank(["x", "b", "a"], {"a": 2, "b": 2}) == 0.5


def test_mean():
    assert mean([1.0, 0.5, 0.0]) == pytest.approx(0.5)
    assert mean([]) == 0.0


# --- loading ---------------------------------------------------------------------------


def test_load_judgments(tmp_path):
    path = tmp_path / "j.yaml"
    path.write_text(
        "- query: valproate\n"
        "  kind: keyword\n"
        "  judgments:\n"
        "    one: 3\n"
        "    two: 1\n",
        encoding="utf-8",
    )
    assert load_judgments(path) == [
        JudgedQuery(query="valproate", kind="keyword", judgments={"one": 3, "two": 1})
    ]


@pytest.mark.parametrize(
    "body",
    [
        "- query: q\n  kind: guess\n  judgments: {a: 3}\n",  # unknown kind
        "- query: q\n  kind: keyword\n  judgments: {a: 4}\n",  # grade out of range
        "- query: q\n  kind: keyword\n  judgments: {a: 2.5}\n",  # not an integer
        "- query: q\n  kind: keyword\n  judgments: {}\n",  # nothing judged
        "- query: q\n  kind: keyword\n",  # missing judgments
        "- query: q\n  kind: keyword\n  judgments: {a: 3}\n" * 2,  # duplicate query
        "query: q\n",  # not a list
    ],
)
def test_load_judgments_rejects_malformed(tmp_path, body):
    path = tmp_path / "j.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError):
        load_judgments(path)


# --- the judged set itself -------------------------------------------------------------


def test_judged_query_set_is_valid():
    queries = load_judgments(HERE / "judgments.yaml")
    slugs = {path.stem for path in DEMO.glob("*.md")}
    assert len(queries) >= 45
    assert {q.kind for q in queries} == KINDS
    assert len({q.query.casefold() for q in queries}) == len(queries)
    for q in queries:
        assert set(q.judgments) <= slugs, (q.query, set(q.judgments) - slugs)
        assert max(q.judgments.values()) >= 2, q.query
        assert all(grade >= 1 for grade in q.judgments.values()), q.query
