"""Searching: ranking, query syntax, synonyms, facets, visibility, suggestions, snippets."""

from dataclasses import replace

import pytest
from index_fixtures import CORPUS, ids, lothian, make_doc

from search_index import FACETS, QueryError, Scope

ANONYMOUS = Scope()
SIGNED_IN = Scope(signed_in=True)
EVERYTHING = Scope(everything=True)


# Ranking

def test_documents_matching_every_word_rank_above_those_matching_some(empty_index):
    empty_index.rebuild([
        make_doc(1, "Valproate review", "valproate " * 5 + "prescribing " * 5),
        make_doc(2, "Audit of valproate", "A short audit of valproate."),
        make_doc(3, "Audit calendar", "audit " * 10),
    ])
    results = empty_index.search("valproate audit", ANONYMOUS)
    assert results.total == 3  # one unmatched word still finds results
    assert ids(results)[0] == 2


def test_more_words_matching_rank_higher(empty_index):
    empty_index.rebuild([
        make_doc(1, "Opioid opioid opioid", "opioid " * 20),
        make_doc(2, "Chronic pain review", "opioid tapering in chronic pain"),
        make_doc(3, "Chronic pain", "chronic pain clinic"),
    ])
    results = empty_index.search("how did other clusters reduce opioid prescribing in chronic pain",
                                 ANONYMOUS)
    assert ids(results) == [2, 3, 1]


def test_a_word_nobody_used_still_leaves_results_for_the_others(index):
    results = index.search("valproate zzyzzx", ANONYMOUS)
    assert ids(results) == [1]


def test_title_words_outrank_body_words(empty_index):
    empty_index.rebuild([
        make_doc(1, "Calendar of audits", "Mentions frailty once."),
        make_doc(2, "Frailty huddles", "A calendar of audits."),
    ])
    assert ids(empty_index.search("frailty", ANONYMOUS)) == [2, 1]


def test_adjacent_words_rank_above_scattered_ones(empty_index):
    empty_index.rebuild([
        make_doc(1, "Review", "chronic illness and back pain were discussed"),
        make_doc(2, "Review", "chronic pain was discussed and illness back"),
    ])
    assert ids(empty_index.search("chronic pain", ANONYMOUS)) == [2, 1]


# Query syntax

def test_quoted_phrase_needs_the_words_together_in_order(index):
    assert ids(index.search('"women of childbearing age"', ANONYMOUS)) == [1]
    assert index.search('"age childbearing women"', ANONYMOUS).total == 0


def test_a_phrase_checked_within_a_filter_is_found_everywhere_later(empty_index):
    empty_index.rebuild([
        make_doc(1, "Pharmacy", "The practice pharmacist reviewed them."),
        lothian(make_doc(2, "Pharmacy", "A practice pharmacist led it.")),
        lothian(make_doc(3, "Pharmacy", "The pharmacist visited the practice.")),
    ])
    assert ids(empty_index.search('board:nhs-lothian "practice pharmacist"', ANONYMOUS)) == [2]
    assert set(ids(empty_index.search('"practice pharmacist"', ANONYMOUS))) == {1, 2}
    empty_index.update(make_doc(4, "Pharmacy", "Our practice pharmacist again."))
    assert set(ids(empty_index.search('"practice pharmacist"', ANONYMOUS))) == {1, 2, 4}


def test_phrase_does_not_span_two_tags(empty_index):
    empty_index.rebuild([make_doc(1, "Tags only", tags=("safer", "prescribing"))])
    assert empty_index.search('"safer prescribing"', ANONYMOUS).total == 0
    assert empty_index.search("safer prescribing", ANONYMOUS).total == 1


def test_minus_excludes_a_word(index):
    assert set(ids(index.search("anticoagulation", ANONYMOUS))) == {2, 3}
    assert ids(index.search("anticoagulation -apixaban", ANONYMOUS)) == [2]
    assert ids(index.search('anticoagulation -"renal function"', ANONYMOUS)) == [2]
    assert ids(index.search("anticoagulation NOT apixaban", ANONYMOUS)) == [2]


def test_only_exclusions_list_everything_else(index):
    results = index.search("-valproate", ANONYMOUS)
    assert ids(results) == [9, 5, 4, 3, 2]


@pytest.mark.parametrize("query, expected", [
    ("tag:anticoagulation", {2, 3}),
    ("tag:doac", {2}),
    ("tag:DOACs", {2}),
    ('tag:"safer prescribing"', {1}),
    ("cluster:wigtownshire", {1, 2, 3, 9}),
    ('cluster:"Edinburgh North"', {4, 5}),
    ("board:lothian", {4, 5}),
    ("board:nhs-lothian", {4, 5}),
    ("hscp:edinburgh", {4, 5}),
    ("status:completed", {1, 3}),
    ("status:COMPLETED", {1, 3}),
    ("role:extrinsic", {9}),
    ("year:2023", {3, 4}),
    ("author:reid", {1}),
    ("tool:spreadsheet", {4}),
    ("status:completed anticoagulation", {3}),
    ("-board:lothian audit", {1, 9}),
])
def test_field_prefixes(index, query, expected):
    assert set(ids(index.search(query, ANONYMOUS))) == expected


def test_prefix_wildcard(index):
    assert ids(index.search("valpro*", ANONYMOUS)) == [1]
    assert set(ids(index.search("anticoag*", ANONYMOUS))) == {2, 3}
    assert 1 not in ids(index.search("audit -valpro*", ANONYMOUS))


@pytest.mark.parametrize("query", ["DOAC", "doac", "DOACs", "doacs"])
def test_abbreviations_are_found_whatever_the_case_or_plural(index, query):
    assert 2 in ids(index.search(query, ANONYMOUS))


@pytest.mark.parametrize("query, expected", [
    ("egfr", 4), ("EGFR", 4), ("hba1c", 3), ("mmol/mol", 3), ("ml/min", 3), ("KIS", 5),
])
def test_clinical_terms_and_units_are_searchable(index, query, expected):
    assert ids(index.search(query, ANONYMOUS))[0] == expected


# Synonyms

def test_an_abbreviation_finds_its_expansion_and_members(index):
    # Document 3 never says "DOAC": it is found through apixaban, below document 2.
    assert ids(index.search("DOAC", ANONYMOUS)) == [2, 3]


def test_an_expansion_finds_the_abbreviation(index):
    results = index.search("direct oral anticoagulant", ANONYMOUS)
    assert set(ids(results)) == {2, 3}


def test_a_member_finds_the_group(index):
    assert 2 in ids(index.search("rivaroxaban", ANONYMOUS))


def test_multi_word_synonyms_match_as_phrases(index):
    # "chronic kidney disease" <-> CKD / eGFR: both documents mention eGFR or CKD.
    assert set(ids(index.search("chronic kidney disease", ANONYMOUS))) == {3, 4}
    assert ids(index.search("key information summary", ANONYMOUS)) == [5]
    assert ids(index.search("KIS", ANONYMOUS)) == [5]


def test_synonyms_rank_below_the_words_typed(empty_index, synonyms):
    empty_index.rebuild([
        make_doc(1, "Tramadol review", "tramadol"),
        make_doc(2, "Opioid review", "opioid"),
    ])
    assert ids(empty_index.search("opioid", ANONYMOUS)) == [2, 1]
    assert ids(empty_index.search("tramadol", ANONYMOUS)) == [1, 2]


def test_without_synonyms_only_the_words_typed_match(tmp_path):
    from search_index import ProjectIndex
    index = ProjectIndex(tmp_path / "plain")
    index.rebuild(CORPUS)
    assert ids(index.search("DOAC", ANONYMOUS)) == [2]


# Empty queries, sorting, pagination

def test_empty_query_lists_everything_visible_newest_first(index):
    results = index.search("", ANONYMOUS)
    assert ids(results) == [9, 5, 4, 3, 2, 1]
    assert results.total == 6 and results.message is None


def test_newest_sort(index):
    relevance = index.search("audit", ANONYMOUS)
    newest = index.search("audit", ANONYMOUS, sort="newest")
    assert set(ids(relevance)) == set(ids(newest))
    assert ids(newest) == sorted(ids(newest), reverse=True)  # ids follow update order here


def test_pagination(index):
    pages = [index.search("", EVERYTHING, page=p, per_page=4) for p in (1, 2, 3, 4)]
    assert [len(p.hits) for p in pages] == [4, 4, 1, 0]
    assert all(p.total == 9 for p in pages)
    assert sorted(i for p in pages for i in ids(p)) == list(range(1, 10))
    assert pages[1].page == 2 and pages[1].per_page == 4


def test_relevance_pages_do_not_repeat_or_skip(empty_index):
    empty_index.rebuild([make_doc(i, f"Audit {i}", "audit " * (i % 7 + 1) + "review " * (i % 3))
                         for i in range(1, 60)])
    seen = []
    for page in range(1, 8):
        seen += ids(empty_index.search("audit review", ANONYMOUS, page=page, per_page=10))
    assert sorted(seen) == list(range(1, 60))


@pytest.mark.parametrize("kwargs", [
    {"sort": "oldest"}, {"page": 0}, {"page": "2"}, {"per_page": 0}, {"per_page": 1000},
    {"filters": {"colour": ["red"]}}, {"filters": {"board": "nhs-fife"}},
])
def test_bad_parameters_raise_query_error(index, kwargs):
    with pytest.raises(QueryError):
        index.search("audit", ANONYMOUS, **kwargs)


# Facets

def facet(results, name):
    return {v.value: v.count for v in results.facets[name]}


def test_facets_count_the_whole_result_set(index):
    results = index.search("", EVERYTHING, per_page=1)
    assert set(results.facets) == set(FACETS)
    assert facet(results, "board") == {"nhs-dumfries-and-galloway": 7, "nhs-lothian": 2}
    assert facet(results, "status") == {"active": 5, "completed": 2, "paused": 1, "idea": 1}
    assert facet(results, "tags")["valproate"] == 2
    assert facet(results, "year") == {"2021": 1, "2022": 5, "2023": 2}  # one has no year
    assert [v.value for v in results.facets["year"]] == ["2023", "2022", "2021"]
    assert facet(results, "tool_kind") == {"audit search": 1, "spreadsheet": 1}


def test_facet_labels_are_display_names(index):
    results = index.search("", EVERYTHING)
    labels = {v.value: v.label for v in results.facets["board"]}
    assert labels["nhs-lothian"] == "NHS Lothian"
    tags = {v.value: v.label for v in results.facets["tags"]}
    assert tags["safer prescribing"] == "Safer prescribing"
    assert tags["ckd"] == "CKD"


def test_selecting_facets_narrows_or_within_and_across(index):
    fife_or_lothian = {"board": ["nhs-lothian", "nhs-dumfries-and-galloway"]}
    assert index.search("", ANONYMOUS, fife_or_lothian).total == 6
    assert set(ids(index.search("", ANONYMOUS, {"board": ["nhs-lothian"]}))) == {4, 5}
    both = {"board": ["nhs-lothian"], "status": ["paused", "completed"]}
    assert ids(index.search("", ANONYMOUS, both)) == [5]
    assert index.search("", ANONYMOUS, {"board": ["nhs-lothian"], "status": ["idea"]}).total == 0


def test_tag_filters_match_case_insensitively(index):
    assert set(ids(index.search("", EVERYTHING, {"tags": ["VALPROATE"]}))) == {1, 7}
    assert ids(index.search("", EVERYTHING, {"tags": [" Safer Prescribing "]})) == [1]
    assert ids(index.search("", ANONYMOUS, {"year": ["2021"]})) == [1]


def test_facet_counts_are_disjunctive(index):
    results = index.search("", ANONYMOUS, {"board": ["nhs-lothian"]})
    # The board facet still shows what choosing the other board would add...
    assert facet(results, "board") == {"nhs-dumfries-and-galloway": 4, "nhs-lothian": 2}
    # ...while every other facet counts within the selection.
    assert facet(results, "status") == {"active": 1, "paused": 1}
    assert [v.selected for v in results.facets["board"] if v.value == "nhs-lothian"] == [True]


def test_a_selected_value_with_no_results_is_still_listed(index):
    results = index.search("valproate", ANONYMOUS, {"status": ["stopped"]})
    assert results.total == 0
    assert {v.value: (v.count, v.selected) for v in results.facets["status"]} == {
        "completed": (1, False), "stopped": (0, True)}


def test_facet_values_are_limited_but_selected_ones_kept(tmp_path):
    from search_index import ProjectIndex
    small = ProjectIndex(tmp_path / "small", facet_limit=2)
    small.rebuild(CORPUS)
    results = small.search("", EVERYTHING, {"tags": ["ckd"]})
    assert len(results.facets["tags"]) == 3
    assert [v.value for v in results.facets["tags"]][:2] == ["anticoagulation", "audit"]
    assert results.facets["tags"][2].value == "ckd" and results.facets["tags"][2].selected


def test_facets_follow_the_query(index):
    results = index.search("anticoagulation", ANONYMOUS)
    assert facet(results, "status") == {"active": 1, "completed": 1}
    assert facet(results, "board") == {"nhs-dumfries-and-galloway": 2}


# Visibility

@pytest.mark.parametrize("scope, visible", [
    (ANONYMOUS, {1, 2, 3, 4, 5, 9}),
    (SIGNED_IN, {1, 2, 3, 4, 5, 6, 9}),
    (Scope(signed_in=True, cluster_ids=frozenset({1})), {1, 2, 3, 4, 5, 6, 7, 8, 9}),
    (Scope(signed_in=True, cluster_ids=frozenset({2})), {1, 2, 3, 4, 5, 6, 9}),
    (EVERYTHING, set(range(1, 10))),
])
def test_visibility_is_enforced_inside_the_search(index, scope, visible):
    assert set(ids(index.search("", scope, per_page=50))) == visible
    assert index.search("", scope).facets["board"][0].count <= len(visible)


def test_drafts_are_found_only_by_their_cluster_and_coordinators(index):
    assert 7 not in ids(index.search("valproate", SIGNED_IN))
    assert 7 in ids(index.search("valproate", Scope(cluster_ids=frozenset({1}))))
    assert 7 in ids(index.search("valproate", EVERYTHING))


def test_hidden_documents_do_not_leak_through_facets_or_suggestions(index):
    results = index.search("tramadol", ANONYMOUS)
    assert results.total == 0 and all(not v for v in results.facets.values())
    assert results.suggestion is None


# Did you mean

def test_misspelling_is_corrected_when_nothing_matches(index):
    results = index.search("valporate", ANONYMOUS)
    assert results.corrected_from == "valporate"
    assert results.suggestion == results.query == "valproate"
    assert ids(results) == [1]


def test_without_autocorrect_the_words_are_searched_as_typed(index):
    results = index.search("valporate", ANONYMOUS, autocorrect=False)
    assert results.total == 0 and results.corrected_from is None
    assert results.query == "valporate" and results.suggestion == "valproate"


def test_correction_keeps_the_rest_of_the_query(index):
    # "group" alone finds something, but nothing has both words: the correction is shown.
    results = index.search("menopuase group", SIGNED_IN)
    assert results.suggestion == results.query == "menopause group"
    assert results.corrected_from == "menopuase group"
    assert ids(results) == [6]


def test_a_rare_word_gets_a_suggestion_but_keeps_its_results(empty_index):
    empty_index.rebuild([make_doc(1, "Menopuase clinic")] +
                        [make_doc(i, f"Menopause clinic {i}") for i in range(2, 6)])
    results = empty_index.search("menopuase", ANONYMOUS)
    assert results.suggestion == "menopause" and results.corrected_from is None
    assert ids(results) == [1]


def test_a_misspelt_ending_is_corrected_from_the_stem(index):
    results = index.search("anticoagulaton", ANONYMOUS)
    assert results.corrected_from == "anticoagulaton"
    assert results.query == "anticoagulation" and set(ids(results)) == {2, 3}


def test_no_suggestion_for_known_words(index):
    results = index.search("valproate", ANONYMOUS)
    assert results.suggestion is None and results.corrected_from is None


def test_suggestions_come_only_from_visible_write_ups(index):
    assert index.search("tramadl", ANONYMOUS).suggestion is None  # only a cluster-only one
    results = index.search("tramadl", Scope(cluster_ids=frozenset({1})))
    assert results.corrected_from == "tramadl" and ids(results) == [8]


def test_no_correction_for_nonsense(index):
    results = index.search("qqqqxxxx", ANONYMOUS)
    assert results.total == 0 and results.suggestion is None


# Snippets

def test_snippets_mark_matched_words(index):
    hit = index.search("DOAC checklist", ANONYMOUS).hits[0]
    assert "<mark>DOAC</mark>" in hit.highlight and "<mark>checklist</mark>" in hit.highlight


def test_snippets_are_escaped(empty_index):
    empty_index.rebuild([make_doc(1, "XSS", summary="<script>alert('valproate')</script> & co",
                                  body="<img src=x onerror=alert(1)> valproate")])
    hit = empty_index.search("valproate", ANONYMOUS).hits[0]
    assert "<script>" not in hit.highlight and "<img" not in hit.highlight
    assert "&lt;script&gt;" in hit.highlight and "&amp;" in hit.highlight
    assert "<mark>valproate</mark>" in hit.highlight


def test_snippet_without_a_text_match_shows_the_summary(index):
    hit = index.search("tag:anticoagulation", ANONYMOUS, sort="newest").hits[-1]
    assert hit.highlight.startswith("Switching suitable patients")


def test_hits_carry_the_display_fields(index):
    hit = index.search("KIS", ANONYMOUS).hits[0]
    assert (hit.id, hit.slug, hit.cluster, hit.cluster_name, hit.board, hit.board_name) == (
        5, "project-5", "edinburgh-north", "Edinburgh North", "nhs-lothian", "NHS Lothian")
    assert hit.tags == ("KIS", "frailty") and hit.status == "paused" and hit.score > 0


# Similar

def test_similar_finds_related_write_ups_not_itself(empty_index):
    empty_index.rebuild([
        make_doc(1, "Valproate in women of childbearing age", "valproate pregnancy prevention"),
        make_doc(2, "Valproate pregnancy prevention with pharmacy", "valproate pregnancy"),
        make_doc(3, "Valproate and topiramate recall", "valproate topiramate pregnancy",
                 visibility="network"),
        make_doc(4, "Inhaler recycling", "inhalers returned to pharmacy"),
    ])
    assert ids(empty_index.similar(1, ANONYMOUS)) == [2]
    assert set(ids(empty_index.similar(1, SIGNED_IN))) == {2, 3}
    assert "<mark>" in empty_index.similar(1, ANONYMOUS)[0].highlight
    assert ids(empty_index.similar(1, SIGNED_IN, limit=1)) == [2]
    assert empty_index.similar(99, ANONYMOUS) == []


def test_updates_are_visible_to_the_next_search(index):
    index.update(replace(CORPUS[0], title="Lithium monitoring", body="lithium", summary="",
                         tags=()))
    assert index.search("valproate", ANONYMOUS).total == 0
    assert ids(index.search("lithium", ANONYMOUS)) == [1]
    index.update_many([make_doc(20, "Valproate again"), lothian(make_doc(21, "Valproate too"))])
    assert set(ids(index.search("valproate", ANONYMOUS))) == {20, 21}
    index.remove(20)
    assert ids(index.search("valproate", ANONYMOUS)) == [21]
    index.remove(999)  # removing what is not there is not an error
