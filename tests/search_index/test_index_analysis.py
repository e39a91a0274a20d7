"""Text analysis: English stemming, clinical abbreviations and units kept intact."""

import pytest

from search_index import analysis


@pytest.mark.parametrize("text, expected", [
    ("DOAC", ["doac"]),
    ("DOACs", ["doac"]),
    ("doacs", ["doac"]),
    ("eGFR", ["egfr"]),
    ("HbA1c", ["hba1c"]),
    ("CKD", ["ckd"]),
    ("KIS", ["kis"]),  # not "ki"
    ("NHS", ["nhs"]),
    ("COPD", ["copd"]),
    ("BP", ["bp"]),
    ("GPs", ["gp"]),
    ("NSAIDs", ["nsaid"]),
    ("48 mmol/mol", ["48", "mmol/mol"]),
    ("48mmol/mol", ["48", "mmol/mol"]),
    ("eGFR < 30 ml/min", ["egfr", "30", "ml/min"]),
    ("and/or", []),
    ("warfarin/DOAC", ["warfarin", "doac"]),
])
def test_abbreviations_and_units_are_kept_whole(text, expected):
    assert analysis.terms(text) == expected


def test_english_words_are_stemmed_and_stop_words_dropped():
    assert analysis.terms("The audits of prescribing") == ["audit", "prescrib"]
    assert analysis.terms("audit") == analysis.terms("audits") == analysis.terms("Audited")
    assert analysis.terms("women of childbearing age") == ["women", "childbear", "age"]


def test_case_does_not_matter():
    assert analysis.terms("EGFR Egfr egfr") == ["egfr"] * 3


def test_clean_folds_wide_letters_and_blanks_control_characters():
    assert analysis.clean("ＤＯＡＣ\x00x\u200by") == "DOAC x y"
    assert analysis.terms(analysis.clean("ＤＯＡＣ")) == ["doac"]


def test_spans_give_offsets_into_the_original_text():
    text = "Ærøskøbing: DOACs work"
    found = [(term, text[start:end]) for term, start, end in analysis.spans(text)]
    assert found[1:] == [("doac", "DOACs"), ("work", "work")]


def test_the_whoosh_analyzer_agrees_with_terms():
    text = "DOACs and eGFR of 48mmol/mol in frail patients"
    tokens = [t.text for t in analysis.ClinicalAnalyzer()(text)]
    assert tokens == analysis.terms(text)


def test_phrase_bytes_are_found_in_sequences():
    seq = analysis.sequence_bytes([analysis.terms("women of childbearing age")])
    assert analysis.phrase_bytes(("childbear", "age")) in seq
    assert analysis.phrase_bytes(("age", "childbear")) not in seq
