"""Text to index terms: English stemming that leaves clinical abbreviations and units intact.

One normaliser (`normalise`, token -> term) serves indexing, querying and highlighting, so the
three never disagree. It is plain Python rather than a whoosh filter chain because indexing
speed matters (a whoosh `Token` pipeline is several times slower); `ClinicalAnalyzer` wraps it
as the fields' whoosh analyzer, for any whoosh API that asks for one.
"""

import re
import unicodedata
import zlib
from array import array

from whoosh.analysis import Token, Tokenizer
from whoosh.analysis.filters import STOP_WORDS as _WHOOSH_STOP_WORDS
from whoosh.lang.porter2 import stem as _porter2

# Abbreviations whose letters carry the meaning: never stemmed ("kis" must not become "ki",
# "nhs" not "nh"), and a trailing plural "s" folds onto them ("DOACs" -> "doac").
ABBREVIATIONS = frozenset("""
    abpm acb ace acp acr adhd af ahp aki anp arb asd bmi bnf bp cabg camhs cbt ccg cfs ckd clw
    copd cql cvd dm dmard dna dnacpr dnar doac dpi dpp4 dvt ecg ecs efi egfr eolc fbc fcp fit
    gip gms gp hba1c hbpm hdl hf hrt hscp ibs ics ijb inr kis laba lama ld ldl lft ltc lvsd mdi
    mdt mht mhra mi mnd ms msk noac nhs nsaid ocp opd pcn pdsa pe phs pmdi ppi ppp pql psa ptsd
    qi qof saba sglt2 smr spc t1dm t2dm tft tia usc uti vka vte wocbp xmr
""".split())

# Units are one token each ("mmol/mol", "ml/min"), and a number glued to a unit is split from
# it ("48mmol/mol" -> "48", "mmol/mol"). Other slashed words split at the slash ("and/or").
_TOKEN = re.compile(r"\w+(?:\.\w+)*(?:/\w+)*")
_UNIT = re.compile(
    r"(\d+(?:\.\d+)?)?((?:mmol|micromol|umol|µmol|nmol|pmol|mg|mcg|micrograms?|ml|kg|iu|units?|g)"
    r"/(?:mol|mmol|l|dl|min|day|d|kg|m2|h|hr|hours?|week|wk))$"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
# Whoosh's list plus the function words of natural questions ("how did other clusters
# reduce ..."): they would otherwise match every write-up and outrank the words that matter.
# "his" stays searchable: it is also HIS, Healthcare Improvement Scotland.
STOP_WORDS = _WHOOSH_STOP_WORDS | frozenset("""
    about after again all also am an any are because been before being both but could did do
    does doing each few had has having he her here how i into its itself just me more most much
    must my no nor only other our ours out over own same she should so some such than their
    theirs them then there these they those through too under until very was were what where
    which while who whom why would
""".split())
MIN_LENGTH = 2

# token -> its term; "" when it is not indexed (a stop word, one character); a tuple of terms
# for a slashed token, which is also in _several.
_terms: dict[str, str | tuple[str, ...]] = {}
_several: set[str] = set()


def normalise(token: str) -> str | tuple[str, ...]:
    """One lower-cased token to its term(s)."""
    term = _terms.get(token)
    if term is None:
        if len(_terms) > 500_000:
            _terms.clear()
            _several.clear()
        if "/" in token:
            term = _split(token)
            _several.add(token)
        else:
            term = _normalise(token)
        _terms[token] = term
    return term


def _split(token: str) -> tuple[str, ...]:
    unit = _UNIT.match(token)
    if unit:
        return tuple(t for t in unit.groups() if t)
    return tuple(t for t in map(_normalise, token.split("/")) if t)


def _normalise(word: str) -> str:
    if len(word) < MIN_LENGTH or word in STOP_WORDS:
        return ""
    if word in ABBREVIATIONS or any(c.isdigit() for c in word):
        return word
    if word.endswith("s") and word[:-1] in ABBREVIATIONS:
        return word[:-1]
    return _porter2(word)


def clean(text: str) -> str:
    """Fold compatibility forms (full-width letters, ligatures) and blank control characters."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _CONTROL.sub(" ", text)


# A whitespace-separated chunk ("(DOACs," lower-cased) -> its terms, as for _terms. Tokens
# never span whitespace, so splitting first and caching per chunk gives the same terms as
# tokenising the whole text, with the regular expression run once per distinct chunk rather
# than over every character: this is the indexing hot path.
_chunks: dict[str, str | tuple[str, ...]] = {}
_several_chunks: set[str] = set()


def _chunk(chunk: str) -> str | tuple[str, ...]:
    found = []
    for token in _TOKEN.findall(chunk):
        term = normalise(token)
        if term.__class__ is str:
            if term:
                found.append(term)
        else:
            found.extend(term)
    if len(_chunks) > 500_000:
        _chunks.clear()
        _several_chunks.clear()
    value = found[0] if len(found) == 1 else tuple(found) if found else ""
    if value.__class__ is tuple:
        _several_chunks.add(chunk)
    _chunks[chunk] = value
    return value


def terms(text: str) -> list[str]:
    """Index terms of `text` in order, stop words removed."""
    chunks = text.lower().split()
    found = list(map(_chunks.get, chunks))
    if None in found:
        found = [_chunk(c) if term is None else term for c, term in zip(chunks, found)]
    if _several_chunks.isdisjoint(chunks):
        return [term for term in found if term]
    out = []
    for term in found:
        if term.__class__ is str:
            if term:
                out.append(term)
        else:
            out.extend(term)
    return out


def spans(text: str):
    """(term, start, end) for every indexed token of `text`: where and how a term is written."""
    for match in _TOKEN.finditer(text):
        term = normalise(match.group().lower())
        if term.__class__ is not str:
            term = " ".join(term)
        if term:
            yield term, match.start(), match.end()


_hashes: dict[str, int] = {}
SEPARATOR = 0  # between sections, tags and names in a sequence: phrases never span one


def term_hash(term: str) -> int:
    found = _hashes.get(term)
    if found is None:
        found = zlib.crc32(term.encode("utf-8")) or 1
        if len(_hashes) > 500_000:
            _hashes.clear()
        _hashes[term] = found
    return found


def sequence_bytes(parts: list[list[str]]) -> bytes:
    """Term sequences as 32-bit term hashes, parts separated: what phrases are matched in."""
    seq = array("I")
    for part in parts:
        seq.append(SEPARATOR)
        hashes = list(map(_hashes.get, part))
        if None in hashes:
            hashes = list(map(term_hash, part))
        seq.extend(hashes)
    return seq.tobytes()


def phrase_bytes(terms: tuple[str, ...]) -> bytes:
    return array("I", map(term_hash, terms)).tobytes()


class ClinicalAnalyzer(Tokenizer):
    """`normalise` as a whoosh analyzer, for the whoosh APIs that take one."""

    def __eq__(self, other):
        return isinstance(other, ClinicalAnalyzer)

    def __hash__(self):
        return hash(ClinicalAnalyzer)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for match in _TOKEN.finditer(value):
            found = normalise(match.group().lower())
            for term in ((found,) if found.__class__ is str else found):
                if not term:
                    continue
                token.text = term
                token.stopped = False
                token.boost = 1.0
                if keeporiginal:
                    token.original = match.group()
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + match.start()
                    token.endchar = start_char + match.end()
                pos += 1
                yield token
