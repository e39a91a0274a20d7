"""Query text: the parser's plan, and hostile or malformed input that must never raise."""

import json
from pathlib import Path

import pytest
from index_fixtures import ids

from search_index import Scope
from search_index.querying import MAX_QUERY_CHARS, parse
from search_index.synonyms import Synonyms

BLNS = json.loads((Path(__file__).parents[1] / "data" / "blns" / "blns.json").read_text("utf-8"))
SYNONYMS = Synonyms({"doac": ["DOAC", "direct oral anticoagulant", "apixaban"],
                     "ckd": ["CKD", "chronic kidney disease"]})


def alternatives(plan):
    return [[(a.terms, a.mode) for a in g.alternatives] for g in plan.groups]


def test_plain_words_are_one_group_each():
    plan = parse("valproate audit", SYNONYMS)
    assert alternatives(plan) == [[(("valproat",), "term")], [(("audit",), "term")]]
    assert [g.word for g in plan.groups] == ["valproate", "audit"]


def test_synonyms_expand_in_both_directions():
    assert alternatives(parse("DOACs", SYNONYMS)) == [[
        (("doac",), "term"), (("direct", "oral", "anticoagul"), "phrase"),
        (("apixaban",), "term")]]
    plan = parse("chronic kidney disease audit", SYNONYMS)
    assert alternatives(plan) == [
        [(("chronic", "kidney", "diseas"), "all"), (("ckd",), "term"),
         (("chronic", "kidney", "diseas"), "any")],
        [(("audit",), "term")]]


def test_quotes_exclusions_prefixes_and_fields():
    plan = parse('"women of childbearing age" -valproate valpro* tag:doac -status:idea', SYNONYMS)
    assert alternatives(plan) == [[(("women", "childbear", "age"), "phrase")],
                                  [(("valpro",), "prefix")]]
    assert [(a.terms, a.mode) for a in plan.excluded] == [(("valproat",), "term")]
    assert [(c.field, c.value, c.negated) for c in plan.constraints] == [
        ("tag", "doac", False), ("status", "idea", True)]


@pytest.mark.parametrize("text, message", [
    ("tag:", "nothing to look for after “tag:”"),
    ("*", "at least 2 letters before the *"),
    ("AND", "no words to look for"),
    ("-", "no words to look for"),
    ("the of and", "no words to look for"),
    ("x" * 10_000, f"first {MAX_QUERY_CHARS} characters"),
])
def test_ignored_input_is_explained(text, message):
    assert message in " ".join(parse(text, SYNONYMS).messages)


def test_long_queries_are_cut_at_a_word_boundary():
    plan = parse("audit " * 200, SYNONYMS)
    assert len(plan.text) <= MAX_QUERY_CHARS and plan.text.endswith("audit")


MALFORMED = [
    '"unbalanced', 'unbalanced"', '"', '""', '"""', "AND", "OR", "NOT", "AND OR NOT", "-", "--",
    "- -", "*", "**", "***valproate", "valproate*", "v*", "tag:", "tag:*", "tag:-", ":", "::",
    "tag::x", "status:", "-tag:", "board:\"", "cluster:\"unterminated", "year:abc",
    "http://example.com/?q=1&r=2", "(valproate", "valproate)", "[audit]", "{audit}", "a:b:c",
    "\x00\x01\x02", "valproate\x00audit", "\u202eetaorplav", "\ufeffDOAC", "ＤＯＡＣ",
    "𝐃𝐎𝐀𝐂", "😀 audit", "<script>alert(1)</script>", "'; DROP TABLE projects; --",
    "%s%s%s%n", "{{7*7}}", "${7*7}", "../../etc/passwd", "\\", "\\\\\\", "audit " * 2000,
    "a" * 10_000, "é" * 5000, "valproate" + " -x" * 300, '"a" ' * 500, "NOT " * 100,
]


@pytest.mark.parametrize("text", MALFORMED + BLNS, ids=range(len(MALFORMED) + len(BLNS)))
def test_malformed_and_hostile_queries_never_raise(shared_index, text):
    results = shared_index.search(text, Scope())
    assert results.total >= 0
    assert len(results.query) <= MAX_QUERY_CHARS
    for hit in results.hits:
        assert "<script" not in hit.highlight


def test_a_query_of_only_symbols_lists_everything_with_a_message(shared_index):
    results = shared_index.search("&& || !!", Scope())
    assert results.total == shared_index.search("", Scope()).total
    assert results.message


def test_wide_letters_find_the_plain_word(shared_index):
    assert ids(shared_index.search("ＤＯＡＣ", Scope()))[0] == 2
