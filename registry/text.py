"""Small text helpers shared by every domain."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "item") -> str:
    """Lower-cased text with runs of other characters as single hyphens ("é" becomes "e")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", ascii_text.lower()).strip("-") or fallback


def tag_key(tag: str) -> str:
    """How tags are matched: trimmed, inner spaces folded, case-folded."""
    return " ".join(tag.split()).casefold()
