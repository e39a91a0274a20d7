"""Synonym and abbreviation groups, expanded on the query side only.

The data file (`content/search/synonyms.yaml`) maps a group name to its equivalent terms and
phrases. Expanding at query time means coordinators can extend the file without a rebuild, and
the index stays the size of the text.
"""

from collections.abc import Mapping
from pathlib import Path

import yaml

from search_index import analysis


def load_synonyms(path: Path) -> dict[str, list[str]]:
    """Read a synonyms file; entries that are not a name with a list of strings are skipped."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of group name to a list of terms")
    return {
        str(name): [str(term) for term in terms if isinstance(term, (str, int, float))]
        for name, terms in data.items()
        if isinstance(terms, list)
    }


class Synonyms:
    """Groups of equivalent term sequences, as analysed by the index's own analysis."""

    def __init__(self, groups: Mapping[str, list[str]] | None = None):
        self._members: list[tuple[tuple[str, ...], ...]] = []
        self._groups_of: dict[tuple[str, ...], list[int]] = {}
        for terms in (groups or {}).values():
            members = tuple(dict.fromkeys(
                seq for seq in (tuple(analysis.terms(analysis.clean(t))) for t in terms) if seq))
            if len(members) < 2:
                continue
            index = len(self._members)
            self._members.append(members)
            for seq in members:
                self._groups_of.setdefault(seq, []).append(index)
        self.longest = max((len(seq) for seq in self._groups_of), default=0)

    def __bool__(self) -> bool:
        return bool(self._groups_of)

    def equivalents(self, seq: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Every other member of every group `seq` belongs to (empty if it is in none)."""
        found: dict[tuple[str, ...], None] = {}
        for index in self._groups_of.get(seq, ()):
            for member in self._members[index]:
                if member != seq:
                    found[member] = None
        return list(found)

    def known(self, seq: tuple[str, ...]) -> bool:
        return seq in self._groups_of
