"""Snippets that show why a result matched: escaped text with <mark> around matched words.

Finding the matches must be cheap (twenty write-ups of a few thousand characters per page), so
candidates are found with `str.find` on each term's stem (C speed) and only the words found
there go through the analyser. The chosen window goes to whoosh's formatter as a `Fragment`
built from those matches: whoosh's own fragmenter re-tokenises the whole text in Python, which
cost about a millisecond per result, most of a query's time budget.
"""

import html
import re
from dataclasses import dataclass

from whoosh import highlight as whoosh_highlight
from whoosh.analysis import Token

from search_index import analysis

WIDTH = 240
LEAD = 60
MAX_HITS = 64  # enough to place a window; a common word can occur hundreds of times
_MARKDOWN = [
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: keep the text
    (re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$", re.M), " "),  # table rules
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+", re.M), ""),  # headings, quotes, lists
    (re.compile(r"[*_`~|]+"), " "),  # emphasis, code, table bars
]
_WORD = re.compile(r"\w+(?:\.\w+)*(?:/\w+)*")


class MarkFormatter(whoosh_highlight.Formatter):
    """Escape everything; wrap matched tokens in <mark>."""

    between = " … "

    def _text(self, text):
        return html.escape(text)

    def format_token(self, text, token, replace=False):
        return "<mark>" + html.escape(whoosh_highlight.get_text(text, token, replace)) + "</mark>"


_FORMATTER = MarkFormatter()


@dataclass(frozen=True)
class Wanted:
    """The terms to mark, and the stems' leading letters to look for them by."""

    terms: frozenset[str]
    prefixes: tuple[str, ...]
    groups: int  # how many things were asked for: a window with this many terms is enough

    @classmethod
    def of(cls, terms: set[str], groups: int = 0) -> "Wanted":
        # A Porter stem is the start of its words, except that a final "i" may stand for "y".
        prefixes = {t[:-1] if len(t) > 3 and t.endswith("i") else t for t in terms}
        # Units and numbers may follow a number ("48mmol/mol"): find them inside words too.
        return cls(frozenset(terms), tuple(sorted(prefixes)), groups or len(terms))


def plain(markdown: str) -> str:
    for pattern, replacement in _MARKDOWN:
        markdown = pattern.sub(replacement, markdown)
    return " ".join(markdown.split())


def snippet(doc: dict, wanted: Wanted) -> str:
    """The best window of the summary, aim or body for `wanted`, as safe HTML."""
    texts = [t for t in (doc.get(k) or "" for k in ("summary", "aim", "body")) if t.strip()]
    best = None
    for text in texts if wanted.terms else ():
        window = _window(text, wanted)
        if window and (best is None or window[0] > best[0]):
            best = window
            if window[0] >= wanted.groups:
                break
    if best is None:
        return html.escape(_shorten(plain(texts[0][:WIDTH * 3]), 0)) if texts else ""
    _, text, start = best
    window = plain(_shorten(text, start))
    matches = []
    for begin, end, _ in _matches(window, wanted):
        token = Token(chars=True)
        token.startchar, token.endchar = begin, end
        matches.append(token)
    return _FORMATTER.format_fragment(whoosh_highlight.Fragment(window, matches))


def _matches(text: str, wanted: Wanted) -> list[tuple[int, int, str]]:
    """(start, end, term) of the words in `text` that are wanted terms, in order."""
    lower = text.lower()
    if len(lower) != len(text):  # a rare letter whose lower case is longer: offsets would drift
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    found = {}
    for prefix in wanted.prefixes:
        i = lower.find(prefix)
        while i != -1 and len(found) < MAX_HITS * 4:
            start = i
            while start and (lower[start - 1].isalnum() or lower[start - 1] in "_."):
                start -= 1  # back to the start of the word ("48mmol/mol")
            if start not in found:
                match = _WORD.match(lower, start)
                if match:
                    term = analysis.normalise(match.group())
                    terms = (term,) if term.__class__ is str else term
                    hit = next((t for t in terms if t in wanted.terms), None)
                    found[start] = (start, match.end(), hit)
            i = lower.find(prefix, i + len(prefix))
    return sorted(hit for hit in found.values() if hit[2] is not None)


def _window(text: str, wanted: Wanted):
    """(distinct terms matched, text, start) for the densest WIDTH-character window."""
    hits = [(start, term) for start, _, term in _matches(text, wanted)[:MAX_HITS]]
    if not hits:
        return None
    best = (0, 0)
    inside: dict[str, int] = {}
    j = 0
    for start, term in hits:
        inside[term] = inside.get(term, 0) + 1
        while hits[j][0] < start - WIDTH + LEAD:
            left = hits[j][1]
            inside[left] -= 1
            if not inside[left]:
                del inside[left]
            j += 1
        if len(inside) > best[0]:
            best = (len(inside), hits[j][0])
            if best[0] >= wanted.groups:
                break
    return best[0], text, best[1]


def _shorten(text: str, start: int) -> str:
    """WIDTH characters from a little before `start`, cut at word boundaries."""
    begin = max(0, start - LEAD)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    end = begin + WIDTH
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    return ("… " if begin else "") + text[begin:end] + (" …" if end < len(text) else "")
