"""Pure analysis: folding, stemming per language, plain text, the query syntax."""
from __future__ import annotations

import pickle

import pytest

from academy.search import analysis
from academy.search.analysis import AllOf, AnyOf, Not, Phrase, Word, parse_query


def terms(lang, text):
    return [token.text for token in analysis.language_analyzer(lang)(text)]


@pytest.mark.parametrize("lang, forms", [
    ("en", ["refunds", "refunded", "refund", "refunding"]),
    ("cs", ["reklamace", "reklamaci", "reklamací", "reklamacím"]),
    ("de", ["Rückerstattungen", "Rückerstattung"]),
    ("lt", ["sąskaita", "sąskaitos", "sąskaitą"]),
    ("et", ["arve", "arvet", "arved", "arvete"]),
])
def test_inflected_forms_share_a_term(lang, forms):
    first, *others = (set(terms(lang, form)) for form in forms)
    for other in others:
        assert first & other


@pytest.mark.parametrize("lang, plain, accented", [
    ("cs", "vraceni penez", "vrácení peněz"),
    ("de", "Ruckerstattung", "Rückerstattung"),
    ("de", "Strasse", "Straße"),
    ("lt", "saskaita", "sąskaita"),
    ("et", "muugi", "müügi"),
])
def test_words_typed_without_diacritics_share_a_term(lang, plain, accented):
    plain_terms, accented_terms = terms(lang, plain), terms(lang, accented)
    assert plain_terms and set(plain_terms) <= set(accented_terms)


def test_restore_terms_lead_a_bare_word_to_the_accented_stem():
    # "daným" and "daného" share the stem "dan" only when their diacritics are there.
    restore = [t.text for t in analysis.restore_analyzer("cs")("daným")]
    prefix = analysis.restore_prefix("cs", "danym")
    assert prefix is not None and any(term.startswith(prefix) for term in restore)
    restored = {term[len(prefix):] for term in restore if term.startswith(prefix)}
    assert restored & set(analysis.variants("cs", "daného"))
    assert analysis.restore_prefix("cs", "daným") is None  # typed with diacritics: exact variants


def test_fold_removes_diacritics_and_special_letters():
    assert analysis.fold("příliš žluťoučký kůň") == "prilis zlutoucky kun"
    assert analysis.fold("straße") == "strasse"
    assert analysis.fold("łódź") == "lodz"


def test_analyzers_survive_pickling_as_whoosh_stores_them():
    analyzer = analysis.language_analyzer("cs")
    restored = pickle.loads(pickle.dumps(analyzer))
    assert [t.text for t in restored("reklamací")] == [t.text for t in analyzer("reklamací")]
    assert restored == analyzer


def test_plain_text_drops_markup_and_decodes_entities():
    html = "<h2>Refunds</h2><p>Use <strong>the form</strong> &amp; wait.</p><script>alert(1)</script><ul><li>one</li></ul>"
    assert analysis.plain_text(html) == "Refunds\nUse the form & wait.\none"


def test_query_words_are_all_required():
    assert parse_query("refund policy").root == AllOf((Word("refund"), Word("policy")))


def test_query_phrases_or_and_exclusion_parse():
    parsed = parse_query('"money back" (refund OR return) -voucher NOT coupon')
    assert not parsed.is_plain
    assert parsed.root == AllOf((
        Phrase(("money", "back")), AnyOf((Word("refund"), Word("return"))), Not(Word("voucher")), Not(Word("coupon")),
    ))
    assert parsed.words() == ["refund", "return"]


@pytest.mark.parametrize("text, words", [
    ('"unbalanced quote', ["unbalanced", "quote"]),
    ("refund AND", ["refund"]),
    ("AND", ["and"]),
    ("(stray bracket", ["stray", "bracket"]),
    ("stray) bracket", ["stray", "bracket"]),
    ("OR refund", ["refund"]),
    ("((((((((((deep))))))))))", ["deep"]),
])
def test_query_that_does_not_parse_is_searched_as_plain_words(text, words):
    parsed = parse_query(text)
    assert parsed.is_plain
    assert parsed.words() == words


def test_field_syntax_is_not_special():
    assert parse_query("title:").words() == ["title:"]
    assert analysis.words("title:") == ["title"]


def test_query_of_symbols_only_has_nothing_to_search():
    assert parse_query("*").words() == ["*"]
    assert analysis.words("*") == []
    assert parse_query("").root is None


def test_very_long_query_is_cut():
    parsed = parse_query("refund " * 1000)
    assert len(parsed.text) == analysis.MAX_QUERY_CHARS
    assert len(parsed.words()) == analysis.MAX_QUERY_WORDS


def test_fold_text_drops_every_combining_mark_and_nothing_else():
    import unicodedata

    from academy.search.analysis import fold_text

    def expected(text):
        decomposed = unicodedata.normalize("NFKD", text.translate(analysis._SPECIAL_LETTERS))
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

    text = "".join(chr(code) for code in range(0x20, 0x3000) if not 0xD800 <= code <= 0xDFFF)
    # beyond the Basic Multilingual Plane: a combining musical stem goes, an emoji stays
    text += "Grüße \U0001D165\U0001F44D" * 3
    for size in (len(text), 100, 10):  # long text is folded otherwise than words
        for start in range(0, len(text), size):
            assert fold_text(text[start:start + size]) == expected(text[start:start + size])
    assert fold_text("Vrácení peněz, Straße, Sąskaitų") == "Vraceni penez, Strasse, Saskaitu"
    assert fold_text("Grüße \U0001D165\U0001F44D " * 10) == "Grusse \U0001F44D " * 10


def test_plain_text_leaves_out_footnote_markers_and_heading_permalinks():
    from academy.knowledge.rendering import render
    from academy.search.analysis import plain_text

    html = render("## Refunds\n\nWithin 5 working days[^1]. Done.\n\n[^1]: Monday to Friday.\n").html
    text = plain_text(html)
    assert "working days. Done." in text and "Monday to Friday." in text
    assert "#" not in text and "↩" not in text
