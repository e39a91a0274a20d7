"""Facet counts over a result set, disjunctively: each facet is counted with the other facets'
selections applied but not its own, so a ticked value's siblings still show what ticking them
would add. One AND and one popcount per value, over cached bitsets."""

from search_index.documents import FacetValue
from search_index.schema import FACET_FIELDS
from search_index.snapshot import Snapshot

_CASE_FOLDED = {"tag", "tool_kind"}


def normalise(facet: str, value: str) -> str:
    """A filter value as indexed: tags and tool kinds case-folded, the rest as given."""
    value = str(value).strip()
    return value.casefold() if FACET_FIELDS[facet] in _CASE_FOLDED else value


def selection_bits(snap: Snapshot, selected: dict[str, list[str]]) -> dict[str, int]:
    """Each facet with a selection -> documents having any selected value (OR within a facet)."""
    out = {}
    for facet, values in selected.items():
        field = FACET_FIELDS[facet]
        bits = 0
        for value in values:
            bits |= snap.field_bits(field, value)
        out[facet] = bits
    return out


def count(snap: Snapshot, base: int, chosen: dict[str, int], selected: dict[str, list[str]],
          limit: int) -> dict[str, list[FacetValue]]:
    """Counts for every facet over `base` narrowed by the other facets' selections."""
    out = {}
    for facet, field in FACET_FIELDS.items():
        narrowed = base
        for other, bits in chosen.items():
            if other != facet:
                narrowed &= bits
        mine = set(selected.get(facet, ()))
        counts = []
        if narrowed:
            counts = [(value, (bits & narrowed).bit_count())
                      for value, bits in snap.facet_table(field)]
            counts = [vc for vc in counts if vc[1]]
        for value in mine - {v for v, _ in counts}:
            counts.append((value, 0))
        if field == "year":
            counts.sort(key=lambda vc: vc[0], reverse=True)
        else:
            counts.sort(key=lambda vc: (-vc[1], vc[0]))
        kept = counts[:limit] + [vc for vc in counts[limit:] if vc[0] in mine]
        out[facet] = [FacetValue(value, snap.label(field, value), n, value in mine)
                      for value, n in kept]
    return out

