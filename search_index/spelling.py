"""'Did you mean': corrections from the index's own vocabulary.

Candidates are the index's terms sharing the word's first letter and within two edits
(Damerau-Levenshtein, so a swapped pair of letters is one edit: whoosh's automaton search counts
it as two and misses "valporate"), probing with both the word as typed and its stem, since the
index holds stems. The suggestion shows the word as the write-ups spell it, taken from a
document that contains the stem.
"""

from collections import Counter

from whoosh.support.levenshtein import damerau_levenshtein

from search_index import analysis, bitsets
from search_index.querying import Plan
from search_index.snapshot import Snapshot

FEW = 3  # fewer results than this also prompts a suggestion for a rare word
MIN_WORD = 4


def suggest(snap: Snapshot, plan: Plan, total: int, visible: int) -> tuple[str | None, bool]:
    """(corrected query text or None, whether every unknown word was corrected).

    Words count as known, and corrections as found, only in the `visible` documents: a
    suggestion never names a word that only a hidden write-up uses.
    """
    replacements = []
    unknown = corrected_unknown = 0
    for group in plan.groups:
        word = group.word
        if len(word) < MIN_WORD or not word.isalpha():
            continue
        term = group.alternatives[0].terms[0]
        df = (snap.term(term).bits & visible).bit_count()
        if df and (total >= FEW or df > 2):
            continue
        unknown += not df
        best = _best(snap, word, term, df, visible)
        if best:
            replacements.append((group.span, best))
            corrected_unknown += not df
    if not replacements:
        return None, False
    text = plan.text
    for (start, end), word in sorted(replacements, reverse=True):
        text = text[:start] + word + text[end:]
    return text, unknown > 0 and corrected_unknown == unknown


def _best(snap: Snapshot, word: str, term: str, df: int, visible: int) -> str | None:
    maxdist = 1 if len(word) <= 5 else 2
    probes = {word, term}
    shortest = min(map(len, probes)) - maxdist
    longest = max(map(len, probes)) + maxdist
    letters = {p: set(p) for p in probes}
    candidates: dict[str, int] = {}
    stems: dict[str, int] = {}  # used only when no whole word is close
    for reader, _, _ in snap.leaves:
        for btext in reader.expand_prefix("text", word[0]):
            candidate = btext.decode("utf-8")
            size = len(candidate)
            if size > longest or not candidate.isalpha():
                continue
            if size >= shortest:
                dist = min(_distance(p, letters[p], candidate, maxdist) for p in probes)
                if dist <= maxdist:
                    candidates[candidate] = dist
                    continue
            if size >= 5 and len(word) - size <= 5 and word[:2] == candidate[:2]:
                # A stem is a word's start: "anticoagulaton" is "anticoagul" plus a
                # misspelt ending.
                start = word[:size]
                dist = _distance(start, set(start), candidate, maxdist - 1)
                if dist < maxdist:
                    stems[candidate] = dist + 1
    candidates = candidates or stems
    candidates.pop(term, None)
    need = 3 * df if df else 0
    ranked = []
    for candidate, dist in candidates.items():
        cdf = (snap.term(candidate).bits & visible).bit_count()
        if cdf > need:
            ranked.append((dist, -cdf, candidate))
    if not ranked:
        return None
    return surface(snap, min(ranked)[2], visible)


def _distance(word: str, letters: set[str], candidate: str, limit: int) -> int:
    """Damerau-Levenshtein distance, or more than `limit`; cheap when clearly more.

    Each edit adds or removes at most one distinct letter, so comparing the letter sets (in
    C) rules out most of the vocabulary before the Python edit-distance table is built.
    """
    other = set(candidate)
    if len(letters - other) > limit or len(other - letters) > limit:
        return limit + 1
    return damerau_levenshtein(word, candidate, limit=limit)


def surface(snap: Snapshot, term: str, visible: int) -> str:
    """How the write-ups spell a stem: its commonest surface form in a few documents."""
    bits = snap.term(term).bits & visible
    seen: Counter = Counter()
    for docnum in bitsets.to_list(bits)[:3]:
        doc = snap.stored(docnum)
        text = " ".join((doc.get("title", ""), doc.get("summary", ""), doc.get("aim", ""),
                         doc.get("body", "")))
        for found, start, end in analysis.spans(text):
            if found == term:
                seen[text[start:end].lower()] += 1
    return seen.most_common(1)[0][0] if seen else term

