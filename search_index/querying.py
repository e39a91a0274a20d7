"""The user's query text to a plan: groups of alternatives, exclusions and field constraints.

Syntax: words; "quoted phrases" (a missing closing quote ends at the end of the text);
`-word`, `-"phrase"` and `NOT word` exclude; `field:value` with field one of tag, cluster,
board, hscp, status, role, year, author, tool; `prefix*`. `AND` and `OR` are ignored (the more
of the words a write-up has, the higher it ranks anyway). Anything else is text: no input
raises, and whatever was ignored is explained in `messages`.
"""

import re
from dataclasses import dataclass, field

from search_index import analysis
from search_index.synonyms import Synonyms

MAX_QUERY_CHARS = 256
MAX_GROUPS = 16
MIN_PREFIX = 2
SYNONYM_WEIGHT = 0.7
SOME_WORDS_WEIGHT = 0.3  # a synonym's words found apart, not as the phrase

FIELDS = {
    "tag": "tag", "tags": "tag", "cluster": "cluster", "board": "board", "hscp": "hscp",
    "status": "status", "role": "role", "year": "year", "author": "author",
    "authors": "author", "tool": "tool_kind", "tools": "tool_kind",
}
_CLAUSE = re.compile(r"""
    (?P<neg>-+)?
    (?:(?P<field>[^\W\d_]+):(?=[^\s:]))?
    (?: "(?P<phrase>[^"]*)"? | (?P<word>[^\s"]+) )
""", re.VERBOSE)
_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»″〝〞"} | {c: "-" for c in "−–—"})


@dataclass(frozen=True)
class Alternative:
    """One way a group can match: a term, a phrase, all of some terms, or a prefix."""

    terms: tuple[str, ...]
    mode: str = "term"  # term | phrase | all (anywhere) | any (some of them) | prefix
    weight: float = 1.0


@dataclass
class Group:
    """One thing the user asked for: matched when any of its alternatives matches."""

    alternatives: list[Alternative]
    word: str = ""  # the single word typed, when the group is one (for spelling)
    span: tuple[int, int] = (0, 0)  # where it is in `Plan.text`


@dataclass(frozen=True)
class Constraint:
    field: str
    value: str
    negated: bool = False


@dataclass
class Plan:
    text: str
    groups: list[Group] = field(default_factory=list)
    excluded: list[Alternative] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.groups or self.excluded or self.constraints)


@dataclass
class _Clause:
    negated: bool
    field: str | None
    value: str
    quoted: bool
    span: tuple[int, int]


def parse(text: str, synonyms: Synonyms) -> Plan:
    text = analysis.clean(text or "").translate(_QUOTES)
    text = " ".join(text.split())
    plan = Plan(text=text)
    if len(text) > MAX_QUERY_CHARS:
        cut = text.rfind(" ", 0, MAX_QUERY_CHARS + 1)
        plan.text = text = text[: cut if cut > 0 else MAX_QUERY_CHARS]
        plan.messages.append(
            f"Your search was long, so only its first {len(text)} characters were used.")
    plain: list[tuple[tuple[str, ...], _Clause]] = []
    for clause in _clauses(text, plan):
        if clause.field:
            _constraint(clause, plan)
        elif clause.value.endswith("*") and not clause.quoted:
            _prefix(clause, plan)
        else:
            terms = tuple(analysis.terms(clause.value))
            if not terms:
                continue
            if clause.negated:
                plan.excluded.append(_literal(terms, phrase=True))
            elif clause.quoted:
                plan.groups.append(Group([_literal(terms, phrase=True)], span=clause.span))
            else:
                plain.append((terms, clause))
    plan.groups[:0] = _plain_groups(plain, synonyms)
    plan.groups.sort(key=lambda g: g.span)
    if len(plan.groups) > MAX_GROUPS:
        plan.groups = plan.groups[:MAX_GROUPS]
        plan.messages.append(f"Only the first {MAX_GROUPS} words of your search were used.")
    if text and plan.empty and not plan.messages:
        plan.messages.append(
            "Your search had no words to look for (very common words such as “the” and "
            "symbols are ignored), so everything is listed.")
    return plan


def _clauses(text: str, plan: Plan):
    negate_next = False
    pos = 0
    while pos < len(text):
        if text[pos] == " ":
            pos += 1
            continue
        match = _CLAUSE.match(text, pos)
        pos = match.end()
        value = match["phrase"] if match["phrase"] is not None else match["word"]
        quoted = match["phrase"] is not None
        negated = bool(match["neg"]) or negate_next
        negate_next = False
        name = (match["field"] or "").lower()
        if not quoted and not match["field"] and value in ("AND", "OR", "&&", "||"):
            continue
        if not quoted and not match["field"] and value == "NOT":
            negate_next = True
            continue
        if match["field"] and name not in FIELDS:
            value = f"{match['field']}:{value}"  # "http://…", "note:" — just text
            name = ""
        if not quoted and not name and value.endswith(":") and value[:-1].lower() in FIELDS:
            plan.messages.append(f"There was nothing to look for after “{value}”.")
            continue
        yield _Clause(negated, FIELDS.get(name), value, quoted, (match.start(), match.end()))


def _constraint(clause: _Clause, plan: Plan) -> None:
    value = clause.value.strip().rstrip("*")
    if not value:
        plan.messages.append(f"There was nothing to look for after “{clause.field}:”.")
        return
    plan.constraints.append(Constraint(clause.field, value, clause.negated))


def _prefix(clause: _Clause, plan: Plan) -> None:
    stem = clause.value.lower().strip("*")
    words = re.findall(r"\w+", stem)
    if not words or len(words[-1]) < MIN_PREFIX:
        plan.messages.append(f"“{clause.value}” was ignored: put at least {MIN_PREFIX} letters "
                             "before the *.")
        return
    alternative = Alternative((words[-1],), mode="prefix")
    if clause.negated:
        plan.excluded.append(alternative)
    else:
        plan.groups.append(Group([alternative], word="", span=clause.span))


def _literal(terms: tuple[str, ...], phrase: bool, weight: float = 1.0) -> Alternative:
    if len(terms) == 1:
        return Alternative(terms, "term", weight)
    return Alternative(terms, "phrase" if phrase else "all", weight)


def _plain_groups(plain, synonyms: Synonyms) -> list[Group]:
    """Unquoted words, with runs of them that name a synonym group merged into one group."""
    groups = []
    i = 0
    while i < len(plain):
        for j in range(min(len(plain), i + max(synonyms.longest, 1)), i, -1):
            seq = tuple(t for terms, _ in plain[i:j] for t in terms)
            if j - i == 1 or synonyms.known(seq):
                break
        alternatives = [_literal(seq, phrase=(j - i == 1))]
        alternatives += [_literal(other, phrase=True, weight=SYNONYM_WEIGHT)
                         for other in synonyms.equivalents(seq)]
        if j - i > 1:  # words merged for a synonym still find write-ups with only some of them
            alternatives.append(Alternative(seq, "any", SOME_WORDS_WEIGHT))
        first, last = plain[i][1], plain[j - 1][1]
        word = first.value.lower() if j - i == 1 and len(seq) == 1 else ""
        groups.append(Group(alternatives, word=word, span=(first.span[0], last.span[1])))
        i = j
    return groups
