"""Ranking metrics for the judged relevance set (pure functions, no engine imports).

Grades follow judgments.yaml: 3 = exactly what the searcher wants, 2 = clearly relevant,
1 = partly relevant; any slug not in a query's judgments counts as 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

KINDS = frozenset({"keyword", "words", "abbreviation", "misspelling", "synonym", "phrase"})
GRADES = frozenset({0, 1, 2, 3})


@dataclass(frozen=True)
class JudgedQuery:
    query: str
    kind: str
    judgments: dict[str, int] = field(default_factory=dict)


def _gain(grade: int) -> float:
    return float(2**grade - 1)


def _discount(position: int) -> float:
    """Discount for a 0-based position: 1 / log2(rank + 1), rank = position + 1."""
    return 1.0 / math.log2(position + 2)


def dcg_at_k(grades: Sequence[int], k: int = 10) -> float:
    """Discounted cumulative gain of grades in ranked order, cut off at k."""
    return sum(_gain(g) * _discount(i) for i, g in enumerate(list(grades)[:k]))


def ndcg_at_k(ranked_slugs: Sequence[str], judgments: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with graded gains 2**rel - 1 and a log2 discount.

    The ideal ranking is the judged grades sorted from best to worst (cut at k). A slug that
    appears more than once in the ranking only earns its gain the first time, so the score can
    never exceed 1.0. A query with no positive judgment scores 0.0.
    """
    if k <= 0:
        raise ValueError("k must be positive")
    ideal = dcg_at_k(sorted((g for g in judgments.values() if g > 0), reverse=True), k)
    if ideal == 0:
        return 0.0
    seen: set[str] = set()
    grades = []
    for slug in list(ranked_slugs)[:k]:
        grades.append(0 if slug in seen else judgments.get(slug, 0))
        seen.add(slug)
    return dcg_at_k(grades, k) / ideal


def reciprocal_rank(
    ranked_slugs: Sequence[str], judgments: Mapping[str, int], threshold: int = 2
) -> float:
    """1 / rank of the first result graded at least `threshold`; 0.0 if there is none."""
    for position, slug in enumerate(ranked_slugs):
        if judgments.get(slug, 0) >= threshold:
            return 1.0 / (position + 1)
    return 0.0


def mean(values: Sequence[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def load_judgments(path: str | Path) -> list[JudgedQuery]:
    """Read judgments.yaml into JudgedQuery objects, rejecting malformed entries."""
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a list of queries")
    queries = []
    seen = set()
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or set(entry) != {"query", "kind", "judgments"}:
            raise ValueError(f"{path}: entry {number} needs exactly query, kind and judgments")
        query, kind, judgments = entry["query"], entry["kind"], entry["judgments"]
        if not isinstance(query, str) or not query.strip():
            raise ValueError(f"{path}: entry {number} has an empty query")
        if query in seen:
            raise ValueError(f"{path}: duplicate query {query!r}")
        seen.add(query)
        if kind not in KINDS:
            raise ValueError(f"{path}: query {query!r} has unknown kind {kind!r}")
        if not isinstance(judgments, dict) or not judgments:
            raise ValueError(f"{path}: query {query!r} has no judgments")
        for slug, grade in judgments.items():
            if not isinstance(slug, str) or type(grade) is not int or grade not in GRADES:
                raise ValueError(f"{path}: query {query!r} has a bad judgment {slug!r}: {grade!r}")
        queries.append(JudgedQuery(query=query, kind=kind, judgments=dict(judgments)))
    return queries
