"""The fixed, seeded mix of 200 benchmark queries, the same for every engine and size.

The mix is what a PQL would really type (one word, several words, abbreviations, misspellings,
phrases, facets…) weighted towards the cases the issue calls out as slow in pure-Python Whoosh:
words that appear in nearly every write-up ("practice", "patients", "review") alone, combined
and in phrases. `query_mix(n)` returns the first n of a seeded shuffle, so a quick run with
fewer queries is still a representative sample.
"""

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

import corpus
import vocabulary as v

SEED = "queries-v1"
MIX_SIZE = 200


@dataclass(frozen=True)
class Query:
    kind: str                                  # which part of the mix, for the report
    text: str
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"

    def describe(self) -> str:
        parts = [repr(self.text)]
        parts += [f"{name}={'|'.join(values)}" for name, values in self.filters.items()]
        if self.sort != "relevance":
            parts.append(f"sort={self.sort}")
        return " ".join(parts)

    def http_params(self) -> list[tuple[str, str]]:
        """/api/v1/search parameters: tags are asked for as ?tag=, repeated for OR."""
        params = [("q", self.text)]
        for name, values in self.filters.items():
            params += [("tag" if name == "tags" else name, value) for value in values]
        if self.sort != "relevance":
            params.append(("sort", self.sort))
        return params


RARE_WORDS = ("lithium", "mirabegron", "methotrexate", "shingles", "topiramate", "Shingrix",
              "nitrofurantoin", "pregabalin", "spirometry", "DNACPR", "Rockwood", "carers",
              "deprescribing", "tramadol", "rheumatology", "perimenopause", "dipsticks",
              "psychiatry", "hospice", "Docman")
ABBREVIATIONS = ("DOAC", "eGFR", "HbA1c", "KIS", "COPD", "CKD", "BP", "AF", "SABA", "UTI",
                 "HRT", "ANP", "INR", "ACP", "MDT", "AKI", "eFI", "doac", "egfr", "hba1c")
PHRASES = ("run chart", "key information summary", "practice pharmacist", "pregnancy "
           "prevention programme", "significant event analysis", "care homes", "group "
           "consultations", "sick day rules", "rescue packs", "the practice", "patients due a "
           "review", "audit search", "chronic kidney disease", "atrial fibrillation",
           "shared care", "home blood pressure monitoring", "cluster meeting", "template letter",
           "renal function", "out-of-hours services")
PREFIXES = ("valpro*", "anticoag*", "prescrib*", "pati*", "rev*", "menop*", "gaba*", "inhal*",
            "frail*", "pharm*", "hypert*", "vacc*", "opio*", "clust*")
MISSPELLABLE = ("valproate", "anticoagulation", "menopause", "frailty", "methotrexate",
                "gabapentin", "rivaroxaban", "apixaban", "lithium", "pregabalin", "spirometry",
                "nitrofurantoin", "hypertension", "prescribing", "polypharmacy", "vaccination",
                "pharmacist", "consultations", "safeguards", "anticipatory")
LONG_QUERIES = (
    "how did other clusters reduce opioid prescribing in chronic pain",
    "improving the care of frail elderly patients in care homes with the MDT",
    "audit of women of childbearing age on valproate and their contraception",
    "what worked for recalling patients with diabetes after the pandemic",
)
EXCLUDED = ("valproate", "frailty", "audit", "pharmacist", "care", "DOAC")
# Words in most write-ups, plus a few nearly as common: the expensive single-word queries.
COMMON_QUERY_WORDS = v.COMMON_WORDS + ("practices", "pharmacist", "monthly", "baseline",
                                       "letter", "shared")
STATUS_VALUES = ("idea", "active", "completed", "paused", "stopped")

# How many queries of each kind make up the 200.
MIX = {"common word": 16, "rare word": 20, "abbreviation": 18, "several words": 30,
       "common words": 16, "phrase": 20, "facets": 24, "field prefix": 8, "prefix": 14,
       "misspelling": 16, "exclusion": 6, "newest": 6, "empty": 2, "long": 4}
assert sum(MIX.values()) == MIX_SIZE


def query_mix(count: int = MIX_SIZE) -> list[Query]:
    if not 1 <= count <= MIX_SIZE:
        raise ValueError(f"between 1 and {MIX_SIZE} queries")
    rng = random.Random(SEED)
    seen: set[str] = set()
    mix = [_unique(kind, i, n, rng, seen) for kind, n in MIX.items() for i in range(n)]
    rng.shuffle(mix)
    assert not {q.describe() for q in WARM_UP} & seen, "a warm-up query is in the mix"
    return mix[:count]


# Run before timing, to open the index and load what the engine loads lazily (each field,
# facet, sort and the spelling dictionary) as a long-running server would have: one query per
# feature. None is in the mix (checked below), so no timed query is a result-cache repeat.
WARM_UP = (
    Query("warm-up", "flu clinic"),
    Query("warm-up", '"flu clinic"'),
    Query("warm-up", "immunis*"),
    Query("warm-up", "imunisation"),
    Query("warm-up", "flu -clinic"),
    Query("warm-up", "flu", sort="newest"),
    Query("warm-up", "tag:vaccination flu"),
    Query("warm-up", "board:nhs-fife flu"),
    Query("warm-up", "hscp:fife flu"),
    Query("warm-up", "cluster:nowhere flu"),
    Query("warm-up", "status:active flu"),
    Query("warm-up", "author:fraser flu"),
    Query("warm-up", "tool:slides flu"),
    Query("warm-up", "flu", {"board": ("nhs-fife",), "hscp": ("fife",), "status": ("active",),
                             "tags": ("vaccination",), "year": ("2024",)}),
    Query("warm-up", "", {"role": ("both",)}),
)


def _unique(kind: str, i: int, n: int, rng: random.Random, seen: set[str]) -> Query:
    """Every query in the mix is different, so no timed query is a result-cache repeat."""
    for attempt in range(100):
        query = Query(kind, *_MAKERS[kind](rng, i + attempt * n))
        if query.describe() not in seen and not _repeats_a_word(query.text):
            seen.add(query.describe())
            return query
    raise AssertionError(f"cannot make a new {kind} query")


def _several_words(rng: random.Random) -> str:
    topic = _topic(rng)
    choices = (
        lambda: rng.choice(topic.subjects),
        lambda: f"{_word_of(rng, rng.choice(topic.terms))} {rng.choice(v.COMMON_WORDS)}",
        lambda: " ".join(_word_of(rng, rng.choice(topic.terms)) for _ in range(2)),
        lambda: f"{rng.choice(topic.tags)} {rng.choice(v.NOUNS)}",
    )
    return rng.choice(choices)()


def _facets(rng: random.Random) -> dict[str, tuple[str, ...]]:
    """One to three facets, sometimes two values of one facet (OR)."""
    pools = {
        "board": sorted({c.board for c in corpus.clusters()}),
        "hscp": sorted({c.hscp for c in corpus.clusters()}),
        "status": STATUS_VALUES,
        "tags": sorted({tag for topic in v.TOPICS for tag in topic.tags} | set(v.GENERAL_TAGS)),
        "year": [str(year) for year in range(corpus.FIRST_YEAR, corpus.LAST_YEAR + 1)],
    }
    names = rng.sample(sorted(pools), rng.randint(1, 3))
    return {name: tuple(rng.sample(pools[name], rng.choice((1, 1, 2)))) for name in names}


def _facet_text(rng: random.Random) -> str:
    """Faceted searches: a third browse with no words, the rest add one or more."""
    return rng.choice(("", _topic_word(rng), _several_words(rng), rng.choice(v.COMMON_WORDS)))


def _field_prefix(rng: random.Random) -> str:
    cluster = rng.choice(corpus.clusters())
    return rng.choice((
        f"tag:{rng.choice([t for t in _topic(rng).tags if ' ' not in t] or ['audit'])}",
        f"board:{cluster.board} {rng.choice(v.COMMON_WORDS)}",
        f"status:{rng.choice(STATUS_VALUES)} {_topic_word(rng)}",
        f"cluster:{cluster.slug} review",
        f"hscp:{cluster.hscp} {_topic_word(rng)}",
    ))


def _misspell(rng: random.Random, word: str) -> str:
    """One typing slip, never on the first letter: swap, drop, double or wrong vowel."""
    i = rng.randrange(1, len(word) - 1)
    slips = (
        lambda: word[:i] + word[i + 1] + word[i] + word[i + 2:],
        lambda: word[:i] + word[i + 1:],
        lambda: word[:i] + word[i] + word[i:],
        lambda: word[:i] + rng.choice("aeiou".replace(word[i], "")) + word[i + 1:],
    )
    slipped = rng.choice(slips)()
    return slipped if slipped != word else word[:i] + word[i + 1:]


def _topic(rng: random.Random) -> v.Topic:
    # Queries follow the corpus's Zipf-like topic frequencies, but flatter: people also search
    # for rare topics.
    return rng.choice(v.TOPICS[:8] * 2 + v.TOPICS)


def _topic_word(rng: random.Random) -> str:
    return _word_of(rng, rng.choice(_topic(rng).terms))


def _word_of(rng: random.Random, phrase: str) -> str:
    """The most telling word of a phrase: skip "the" and short words."""
    words = [w for w in phrase.split() if len(w) > 2 and w.lower() != "the"] or phrase.split()
    return rng.choice(words)


def _common_words(rng: random.Random) -> str:
    return " ".join(rng.sample(v.COMMON_WORDS, rng.randint(2, 4)))


def _repeats_a_word(text: str) -> bool:
    """"QRISK QRISK" is a generator accident; long natural queries may repeat "of"."""
    words = text.lower().split()
    return len(words) <= 4 and len(set(words)) < len(words)


def _phrase(rng: random.Random, i: int) -> str:
    """A quoted phrase, a third of the time with another word."""
    extra = rng.choice(("", "", f" {_topic_word(rng)}"))
    return f'"{PHRASES[i % len(PHRASES)]}"{extra}'


def _misspelling(rng: random.Random, i: int) -> str:
    # The issue's own example first.
    return "valporate" if i == 0 else _misspell(rng, MISSPELLABLE[i % len(MISSPELLABLE)])


def _exclusion(rng: random.Random, i: int) -> str:
    """A common word and a topic word, minus a different word."""
    words = f"{rng.choice(v.COMMON_WORDS)} {_topic_word(rng)}"
    excluded = [w for w in EXCLUDED if w.lower() not in words.lower()]
    return f"{words} -{excluded[i % len(excluded)]}"


# kind -> (rng, index within kind) -> Query arguments after kind: (text[, filters[, sort]]).
_MAKERS = {
    "common word": lambda rng, i: (COMMON_QUERY_WORDS[i % len(COMMON_QUERY_WORDS)],),
    "rare word": lambda rng, i: (RARE_WORDS[i % len(RARE_WORDS)],),
    "abbreviation": lambda rng, i: (ABBREVIATIONS[i % len(ABBREVIATIONS)],),
    "several words": lambda rng, i: (_several_words(rng),),
    "common words": lambda rng, i: (_common_words(rng),),
    "phrase": lambda rng, i: (_phrase(rng, i),),
    "facets": lambda rng, i: (_facet_text(rng), _facets(rng)),
    "field prefix": lambda rng, i: (_field_prefix(rng),),
    "prefix": lambda rng, i: (PREFIXES[i % len(PREFIXES)],),
    "misspelling": lambda rng, i: (_misspelling(rng, i),),
    "exclusion": lambda rng, i: (_exclusion(rng, i),),
    "newest": lambda rng, i: (_several_words(rng), {}, "newest"),
    "empty": lambda rng, i: ("" if i == 0 else "   ",),
    "long": lambda rng, i: (LONG_QUERIES[i % len(LONG_QUERIES)],),
}
