"""A query plan evaluated over a snapshot: which documents match, and how well.

Matching is set algebra over bitsets; scoring is BM25 summed over the plan's groups, each group
scoring by its best alternative (so a synonym never outscores the word typed). Documents that
match every group rank above those that match fewer ("tiers"); within a tier, by score.
"""

import heapq
import itertools
import operator
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from search_index import analysis, bitsets, scoring
from search_index.querying import Alternative, Constraint, Group, Plan
from search_index.snapshot import Snapshot

MAX_PREFIX_TERMS = 32
PROXIMITY_BONUS = 0.3  # share of two adjacent words' scores added when they are adjacent
RERANK_DEPTH = 100  # how many of the best documents are checked for adjacent words
PHRASE_CHUNK = 2048  # documents checked for a phrase between looks at the clock
MATCHING_SHARE = 0.7  # of the time limit; the rest is for ranking, facets and snippets
_NAME_FIELDS = {"tag": "tag_words", "cluster": "cluster_words", "board": "board_words",
                "hscp": "hscp_words", "author": "author_words"}


class Budget:
    """The time limit: checked between steps, so a slow query stops with what it has.

    Matching stops at MATCHING_SHARE of the limit: what follows it (ranking, facet counts,
    snippets) is bounded work, and leaves out the costly part (highlighting) once late, so the
    whole search ends within the limit.
    """

    def __init__(self, seconds: float):
        self.deadline = time.perf_counter() + seconds * MATCHING_SHARE
        self.exceeded = False

    def spent(self) -> bool:
        if not self.exceeded and time.perf_counter() >= self.deadline:
            self.exceeded = True
        return self.exceeded


@dataclass
class Matched:
    """Matching documents, and each one's score: factor * scores[docnum]."""

    bits: int
    scores: dict[int, float] | scoring.Dense
    factor: float = 1.0

    def get(self, docnum: int) -> float:
        return self.factor * self.scores.get(docnum, 0.0)


def _term(term) -> Matched:
    return Matched(term.bits, term.scores, term.idf)


@dataclass
class Evaluation:
    any_bits: int  # documents matching at least one group (all documents when none)
    all_bits: int  # documents matching every group
    excluded: int
    groups: list[Matched] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)  # every term looked for, for highlighting


def evaluate(snap: Snapshot, plan: Plan, budget: Budget, within: int) -> Evaluation:
    """Match the plan's groups and exclusions among the documents `within` (the ones the
    scope and the query's `field:value`s allow): phrases are checked only there."""
    matched: list[Matched] = []
    terms: set[str] = set()
    for group in plan.groups:
        if matched and budget.spent():  # the first group always, so late still finds some
            break
        matched.append(_group(snap, group, budget, terms, within))
    excluded = 0
    for alternative in plan.excluded:
        excluded |= _alternative(snap, alternative, budget, within, scored=False).bits
    if matched:
        any_bits = _or(m.bits for m in matched)
        all_bits = _and(m.bits for m in matched)
    else:
        any_bits = all_bits = snap.alive
    return Evaluation(any_bits, all_bits, excluded, matched, terms)


def tiers(ev: Evaluation, result: int, newest: bool) -> Iterator[int]:
    """`result` split by how many of the query's groups each document matches, most first.

    Sorted by date, only two tiers: every group matched, then the rest.
    """
    if newest or len(ev.groups) < 2:
        first = result & ev.all_bits
        yield first
        yield result & ~first
        return
    # at_least[k]: the documents matching k groups or more (a bitwise counter over groups).
    n = len(ev.groups)
    at_least = [result] + [0] * (n + 1)
    for group in ev.groups:
        for k in range(n, 0, -1):
            at_least[k] |= at_least[k - 1] & group.bits
    for k in range(n, 0, -1):
        yield at_least[k] & ~at_least[k + 1]


def rank(snap: Snapshot, ev: Evaluation, bits: int, count: int, newest: bool,
         plan: Plan | None = None) -> list[tuple[float, int]]:
    """The first `count` of `bits` as (score, docnum), best (or newest) first."""
    if count <= 0 or not bits:
        return []
    if newest or not ev.groups:
        order = snap.newest_first()
        top = list(itertools.islice(
            itertools.compress(order, map(bitsets.flags(bits, snap.size).__getitem__, order)),
            count))
        return list(zip(_scores(ev.groups, top), top))
    docs = bitsets.to_list(bits)
    scored = heapq.nlargest(max(count, RERANK_DEPTH) if plan else count,
                            zip(_scores(ev.groups, docs), docs))
    if plan is not None:
        scored = _rerank_adjacent(snap, plan, ev, scored)
    return scored[:count]


def _scores(groups: list[Matched], docs: list[int]) -> list[float]:
    if not groups:
        return [0.0] * len(docs)
    total = None
    for g in groups:
        column = scoring.column(g.scores, docs)
        if g.factor != 1.0:
            column = map(operator.mul, column, itertools.repeat(g.factor))
        total = list(column) if total is None else list(map(operator.add, total, column))
    return total


def _rerank_adjacent(snap: Snapshot, plan: Plan, ev: Evaluation, scored):
    """Lift documents where consecutive words of the query stand next to each other."""
    pairs = []
    for (g1, m1), (g2, m2) in itertools.pairwise(zip(plan.groups, ev.groups)):
        a1, a2 = g1.alternatives[0], g2.alternatives[0]
        if a1.mode == a2.mode == "term" and g1.span[1] < g2.span[0]:
            pairs.append((analysis.phrase_bytes(a1.terms + a2.terms), m1, m2))
    if not pairs or len(scored) < 2:
        return scored
    rescored = []
    docs = sorted(d for _, d in scored)
    for (score, docnum), (_, sequences, local) in zip(sorted(scored, key=lambda s: s[1]),
                                                      snap.sequences(docs)):
        for needle, s1, s2 in pairs:
            if sequences.holding((local,), needle):
                score += PROXIMITY_BONUS * (s1.get(docnum) + s2.get(docnum))
        rescored.append((score, docnum))
    rescored.sort(reverse=True)
    return rescored


def _group(snap: Snapshot, group: Group, budget: Budget, terms: set[str],
           within: int) -> Matched:
    key = (tuple(group.alternatives), within)
    cached = snap.groups.get(key)
    if cached is not None:
        terms.update(cached[1])
        return cached[0]
    seen: set[str] = set()
    results = []
    for alternative in group.alternatives:  # the typed words first: synonyms may be cut short
        if results and budget.spent():
            break
        results.append(_alternative(snap, alternative, budget, within, terms=seen))
    terms.update(seen)
    if len(results) == 1 and group.alternatives[0].weight == 1.0:
        return results[0]
    bits = _or(m.bits for m in results)
    # Each document scores by its best alternative, weighted: the typed word first, synonyms
    # below it. The scores are kept relative to the first alternative's factor, so a common
    # word's table is copied as it is (in C).
    weighted = [(m, a.weight * m.factor) for m, a in sorted(
        zip(results, group.alternatives), key=lambda ma: -ma[1].weight) if m.bits]
    if not weighted:
        return Matched(0, {})
    first, factor = weighted[0]
    dense = isinstance(first.scores, scoring.Dense)
    scores = scoring.Dense("f", first.scores) if dense else dict(first.scores)
    for m, w in weighted[1:]:
        scores = scoring.raised(scores, m.scores, w / factor, snap.size)
    matched = Matched(bits, scores, factor)
    if not budget.exceeded:
        snap.groups.put(key, (matched, frozenset(seen)),
                        cost=scoring.cost(scores) + within.bit_length() // 8)
    return matched


def _alternative(snap: Snapshot, alternative: Alternative, budget: Budget, within: int,
                 scored: bool = True, terms: set[str] | None = None) -> Matched:
    mode = alternative.mode
    if mode == "prefix":
        expanded = snap.expand_prefix(alternative.terms[0], MAX_PREFIX_TERMS)
        if terms is not None:
            terms.update(expanded)
        found = [snap.term(t) for t in expanded]
        bits = _or(t.bits for t in found)
        scores: dict[int, float] | scoring.Dense = {}
        for t in found:
            scores = scoring.raised(scores, t.scores, t.idf, snap.size)
        return Matched(bits, scores)
    if terms is not None:
        terms.update(alternative.terms)
    if mode == "term":
        return _term(snap.term(alternative.terms[0]))
    found = [snap.term(t) for t in alternative.terms]
    bits = (_or if mode == "any" else _and)(t.bits for t in found)
    if mode == "phrase" and bits:
        bits = phrase_bits(snap, alternative.terms, bits & within, budget)
    if not scored or not bits:
        return Matched(bits, {})
    docs = bitsets.to_list(bits)
    # The mean of the words' scores: a group's alternatives stand for one idea, and a
    # three-word synonym must not outscore the one-word abbreviation typed just for being long.
    total = _scores([Matched(t.bits, t.scores, t.idf / len(found)) for t in found], docs)
    return Matched(bits, scoring.table(docs, total, snap.size))


def constraints(snap: Snapshot, found: list[Constraint]) -> int:
    """The documents that pass every `field:value` of the query."""
    bits = snap.alive
    for c in found:
        value = c.value
        exact = {"tag": value.casefold(), "tool_kind": value.casefold(), "year": value,
                 "cluster": _slug(value), "board": _slug(value), "hscp": _slug(value),
                 "status": value.lower(), "role": value.lower()}.get(c.field)
        matched = snap.field_bits(c.field, exact) if exact else 0
        if c.field in _NAME_FIELDS:  # "board:lothian" for NHS Lothian, "author:reid"
            terms = analysis.terms(value)
            if terms:
                names = snap.alive
                for term in terms:
                    names &= snap.field_bits(_NAME_FIELDS[c.field], term)
                matched |= names
        bits = bits & ~matched if c.negated else bits & matched
    return bits


def more_like(snap: Snapshot, key_terms: list[tuple[str, float]], allowed: int,
              limit: int) -> list[tuple[float, int]]:
    """The `limit` allowed documents scoring best on the weighted key terms of another."""
    scores: dict[int, float] = {}
    bits = 0
    for text, weight in key_terms:
        term = snap.term(text)
        bits |= term.bits
        get = scores.get
        weight *= term.idf
        for d, s in term.scores.items():
            scores[d] = get(d, 0.0) + s * weight
    return heapq.nlargest(limit, ((scores[d], d) for d in bitsets.to_list(bits & allowed)))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def phrase_bits(snap: Snapshot, terms: tuple[str, ...], candidates: int, budget: Budget) -> int:
    """The candidates whose text has `terms` next to each other, in order.

    What each segment's documents were checked for is kept with the segment, which never
    changes: a later search checks only candidates not checked before (other filters, a new
    segment after an edit). Out of time, the candidates not yet checked are left out.
    """
    needle = analysis.phrase_bytes(terms)
    bits = 0
    for reader, offset, segment in snap.leaves:
        mine = (candidates >> offset) & bitsets.full(segment.size)
        if not mine:
            continue
        checked, found = segment.phrase(terms)
        unchecked = mine & ~checked
        if unchecked and not budget.spent():
            sequences = segment.sequences(reader)
            docs = bitsets.to_list(unchecked)
            for start in range(0, len(docs), PHRASE_CHUNK):
                chunk = docs[start:start + PHRASE_CHUNK]
                found |= bitsets.from_ids(sequences.holding(chunk, needle), segment.size)
                checked |= bitsets.from_ids(chunk, segment.size)
                if budget.spent():
                    break
            segment.remember_phrase(terms, checked, found)
        bits |= (found & mine) << offset
    return bits


def _or(bits_list) -> int:
    out = 0
    for bits in bits_list:
        out |= bits
    return out


def _and(bits_list) -> int:
    out = None
    for bits in bits_list:
        out = bits if out is None else out & bits
    return out or 0
