"""Searching as a user does: languages, diacritics, typos, filters, ranking, snippets,
pagination and queries that do not parse."""
from __future__ import annotations

import pytest

from academy.search import searcher
from tests.search.helpers import make_article, set_status


def slugs(result):
    return [hit.slug for hit in result.results]


@pytest.mark.parametrize("lang, indexed, query", [
    ("en", "Customers get refunds within 30 days.", "refunded"),
    ("en", "How we refunded the order.", "refunds"),
    ("cs", "Jak vyřídit reklamaci zboží.", "reklamace"),
    ("cs", "Lhůta pro vyřízení reklamací.", "reklamace"),
    ("de", "Rückerstattungen dauern fünf Tage.", "Rückerstattung"),
    ("lt", "Sąskaitos apmokėjimas kortele.", "sąskaita"),
    ("et", "Kõik arved saadetakse e-postiga.", "arve"),
    ("et", "Klient ei saanud arvet.", "arved"),
])
def test_inflected_forms_are_found_in_each_language_without_a_language_filter(db, find, lang, indexed, query):
    make_article(db, slug=f"article-{lang}", lang=lang, title="Help", body=indexed)
    make_article(db, slug="unrelated", title="Shipping", body="Parcels leave the warehouse daily.")
    assert slugs(find(query)) == [f"article-{lang}"]


@pytest.mark.parametrize("lang, indexed, query", [
    ("cs", "Vrácení peněz do 14 dnů.", "vraceni penez"),
    ("de", "Die Rückerstattung erfolgt automatisch.", "Ruckerstattung"),
    ("de", "Die Rückerstattung erfolgt automatisch.", "Rueckerstattung"),
    ("lt", "Sąskaita išsiunčiama el. paštu.", "saskaita"),
    ("lt", "Sąskaitų archyvas.", "saskaita"),
    ("et", "Müügi tingimused.", "muugi"),
])
def test_query_typed_without_diacritics_finds_accented_words(db, find, lang, indexed, query):
    make_article(db, slug="accented", lang=lang, title="Info", body=indexed)
    result = find(query)
    assert slugs(result) == ["accented"]
    assert "<mark>" in result.results[0].snippet


def test_bare_word_finds_other_inflections_through_the_accented_forms_in_the_index(db, find):
    # "vadným zbožím" (instrumental) lets a bare "vadnym zbozim" reach "vadné zboží" too.
    make_article(db, slug="instrumental", lang="cs", title="Výměna", body="Zákazník s vadným zbožím má nárok na výměnu.")
    make_article(db, slug="accusative", lang="cs", title="Reklamace", body="Jak reklamovat vadné zboží.")
    assert sorted(slugs(find("vadnym zbozim"))) == ["accusative", "instrumental"]


@pytest.mark.parametrize("query, suggestion", [
    ("refnud", "refund"),
    ("Rouetr reset", "Router reset"),
    ("eskalce", "eskalace"),
    ("rekalmace", "reklamace"),
])
def test_misspelt_query_finds_the_article_and_suggests_the_spelling(db, find, query, suggestion):
    make_article(db, slug="refunds", title="Refunds", body="A refund is paid within 30 days of the refund request.")
    make_article(db, slug="router", title="Router reset", body="Hold the router button to reset it.")
    make_article(db, slug="eskalace", lang="cs", title="Eskalace", body="Kdy předat eskalace vedoucímu. Reklamace zboží.")
    result = find(query)
    assert result.total >= 1
    assert result.suggestion == suggestion
    assert find(suggestion).total >= 1


def test_suggestion_keeps_diacritics_of_the_indexed_word(db, find):
    make_article(db, slug="vraceni", lang="cs", title="Vrácení peněz", body="Vrácení peněz zákazníkovi.")
    assert find("vracemi").suggestion == "vrácení"


def test_correctly_spelt_query_has_no_suggestion(db, find):
    make_article(db, slug="refunds", title="Refunds", body="A refund is paid within 30 days.")
    result = find("refund")
    assert result.total == 1 and result.suggestion is None


def test_unknown_words_find_nothing_without_inventing_a_suggestion(db, find):
    make_article(db, slug="refunds", title="Refunds", body="A refund is paid within 30 days.")
    result = find("zzqxj")
    assert result.total == 0 and result.results == [] and result.suggestion is None


def test_all_words_are_required_until_none_match_together(db, find):
    make_article(db, slug="refund-card", title="Card refunds", body="Refund to the card.")
    make_article(db, slug="refund-cash", title="Cash refunds", body="Refund in cash.")
    assert slugs(find("refund card")) == ["refund-card"]
    relaxed = find("card cash")  # no article has both: the ones with either are offered
    assert sorted(slugs(relaxed)) == ["refund-card", "refund-cash"]


def test_filters_narrow_by_language_kind_product_and_tag(db, find):
    make_article(db, slug="a", lang="en", kind="policy", product="Billing", tags=["Refunds"], title="Refund policy",
                 body="refund")
    make_article(db, slug="b", lang="en", kind="guide", product="Router", tags=["setup"], title="Refund guide",
                 body="refund")
    make_article(db, slug="c", lang="de", kind="policy", product="Billing", tags=["refunds"], title="Refund Regeln",
                 body="refund")
    assert sorted(slugs(find("refund"))) == ["a", "b", "c"]
    assert sorted(slugs(find("refund", lang="en"))) == ["a", "b"]
    assert sorted(slugs(find("refund", kind="policy"))) == ["a", "c"]
    assert sorted(slugs(find("refund", product="billing"))) == ["a", "c"]
    assert sorted(slugs(find("refund", tag="refunds"))) == ["a", "c"]
    assert slugs(find("refund", lang="de", kind="policy", product="Billing", tag="Refunds")) == ["c"]
    assert find("refund", lang="de", kind="guide").total == 0


def test_title_ranks_above_tags_above_summary_above_body(db, find):
    filler = "Customers ask about many things every day."
    make_article(db, slug="in-body", title="Payments", summary="How payments work.", body=f"{filler} Voucher codes.")
    make_article(db, slug="in-summary", title="Payments", summary="Voucher codes explained.", body=filler)
    make_article(db, slug="in-tags", title="Payments", tags=["voucher"], summary="How payments work.", body=filler)
    make_article(db, slug="in-title", title="Voucher", summary="How payments work.", body=filler)
    assert slugs(find("voucher")) == ["in-title", "in-tags", "in-summary", "in-body"]


def test_snippet_is_escaped_text_with_marked_matches_and_no_markup(db, find):
    body = "## Steps\n\nType `<script>alert(1)</script>` and **never** promise a *refund* by phone."
    make_article(db, slug="safe", title="Phone calls", body=body)
    snippet = find("refund").results[0].snippet
    assert "<mark>refund</mark>" in snippet
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet
    assert "**" not in snippet and "##" not in snippet and "`" not in snippet


def test_snippet_falls_back_to_the_summary_when_only_the_title_matches(db, find):
    make_article(db, slug="title-only", title="Vouchers", summary="Codes & discounts.", body="Nothing else here.")
    assert find("voucher").results[0].snippet == "Codes &amp; discounts."


def test_results_are_paginated_with_the_total(db, find):
    for number in range(15):
        make_article(db, slug=f"refund-{number:02d}", title=f"Refund case {number}", body="refund")
    first, second, beyond = find("refund", limit=10), find("refund", page=2, limit=10), find("refund", page=3, limit=10)
    assert (first.total, second.total, beyond.total) == (15, 15, 15)
    assert len(first.results) == 10 and len(second.results) == 5 and beyond.results == []
    assert not set(slugs(first)) & set(slugs(second))


@pytest.mark.parametrize("query", [
    '"unbalanced quote refund', "refund AND", "AND", "OR", "NOT", "(refund", "refund)", ")(", "title:", "title:refund",
    "*", "refund*", "?", "-", "--", '""', "()", "refund^2", "x" * 5000, "refund " * 400, "\x00", "ü" * 600,
])
def test_queries_that_do_not_parse_never_raise(db, find, query):
    make_article(db, slug="refunds", title="Refunds", body="A refund is paid within 30 days.")
    result = find(query)
    assert result.total == len(result.results) or result.total > len(result.results)


@pytest.mark.parametrize("query", ['"unbalanced refund', "refund AND", "(refund", "title:refund", "refund)"])
def test_queries_that_do_not_parse_are_searched_as_plain_words(db, find, query):
    make_article(db, slug="refunds", title="Refunds", body="A refund is paid within 30 days.")
    assert slugs(find(query)) == ["refunds"]


def test_quoted_phrase_needs_the_words_together(db, find):
    make_article(db, slug="together", title="Returns", body="The customer wants their money back today.")
    make_article(db, slug="apart", title="Returns", body="Send the money and we call back.")
    assert sorted(slugs(find("money back"))) == ["apart", "together"]
    assert slugs(find('"money back"')) == ["together"]


def test_or_and_exclusion(db, find):
    make_article(db, slug="card", title="Card payments", body="card")
    make_article(db, slug="cash", title="Cash payments", body="cash")
    make_article(db, slug="voucher", title="Voucher payments", body="voucher")
    assert sorted(slugs(find("card OR cash"))) == ["card", "cash"]
    assert sorted(slugs(find("payments -voucher"))) == ["card", "cash"]
    assert sorted(slugs(find("payments NOT (card OR cash)"))) == ["voucher"]


def test_only_published_articles_are_found(db, find):
    make_article(db, slug="draft", title="Refund draft", body="refund", status="draft")
    published = make_article(db, slug="live", title="Refund", body="refund")
    assert slugs(find("refund")) == ["live"]
    set_status(db, published, "archived")
    assert find("refund").total == 0


def test_result_has_the_api_shape(db, find):
    make_article(db, slug="refunds", lang="en", kind="policy", product="Billing", title="Refunds", body="refund")
    data = find("refund").as_dict()
    assert set(data) == {"query", "total", "suggestion", "results"}
    assert data["query"] == "refund" and data["total"] == 1 and data["suggestion"] is None
    hit = data["results"][0]
    assert set(hit) == {"slug", "lang", "title", "kind", "product", "snippet", "score"}
    assert (hit["slug"], hit["lang"], hit["title"], hit["kind"], hit["product"]) == (
        "refunds", "en", "Refunds", "policy", "Billing")
    assert isinstance(hit["snippet"], str) and hit["score"] > 0


def test_index_dir_defaults_to_the_apps(db, search_app, index_dir):
    make_article(db, slug="refunds", title="Refunds", body="refund")
    with search_app.app_context():
        assert searcher.current_index_dir() == index_dir
        assert slugs(searcher.search(db, "refund")) == ["refunds"]


def test_total_counts_every_match_when_only_the_top_few_are_returned(db, find):
    # A top-N collector drops branches (here: the German field, where the words are
    # common and so score low) once their best score cannot reach the top N; the
    # documents only they match must still be counted.
    for number in range(2):
        make_article(db, slug=f"en-{number}", title="Refund card", body="Refund card.")
    for number in range(8):
        make_article(db, slug=f"en-other-{number}", title="Shipping", body="Parcels leave daily.")
    for number in range(8):
        make_article(db, slug=f"de-{number}", lang="de", title=f"Zahlungen {number}",
                     body="Lange Erklärung über viele Dinge. " * 40 + "refund card")
    first = find("refund card", limit=2)
    assert first.total == 10 and slugs(first) == ["en-0", "en-1"]
    assert len(find("refund card", limit=2, page=5).results) == 2


def test_every_word_must_match_within_one_articles_language(db, find):
    make_article(db, slug="en-refund", title="Refund", body="refund only")
    make_article(db, slug="de-both", lang="de", title="Rückerstattung", body="refund voucher")
    make_article(db, slug="en-voucher", title="Voucher", body="voucher only")
    assert slugs(find("refund voucher")) == ["de-both"]


def test_plain_words_rank_on_posting_arrays_as_whoosh_ranks_them(db, find, monkeypatch):
    texts = {
        "en": ["Refund the order within thirty days", "Refunds are paid to the card", "Card payments, refund limits"],
        "cs": ["Vrácení peněz za vadné zboží", "Reklamace vadného zboží a vrácení peněz", "Platba kartou a vrácení"],
        "de": ["Rückerstattung auf die Karte", "Karte sperren und Rückerstattung anfordern", "Zahlung mit Karte"],
    }
    for lang, bodies in texts.items():
        for number, body in enumerate(bodies * 4):
            make_article(db, slug=f"{lang}-{number}", lang=lang, title=body.split()[0], body=body * (number % 3 + 1))
    queries = ["refund card", "refunds", "vraceni penez", "vrácení zboží", "karte rückerstattung", "card", "zbozi",
               "Karte", "refund OR karte", '"vrácení peněz"', "refund -card", "refnud"]

    def search_all():
        return [find(query, limit=5, page=2).as_dict() for query in queries] + [find(query).as_dict() for query in queries]

    ranked = search_all()
    assert sum(len(result["results"]) for result in ranked) > 60
    monkeypatch.setattr(searcher.postings.PostingCache, "rank", lambda *args: None)  # Whoosh ranks everything
    assert search_all() == ranked


@pytest.mark.parametrize("table_limit", [10_000, 2])
def test_vocabulary_reads_restore_fields_as_a_prefix_scan_finds_them(db, find, index_dir, monkeypatch, table_limit):
    from academy.search import analysis, index, schema

    monkeypatch.setattr(schema.Vocabulary, "MAX_RESTORE_TABLE", table_limit)  # 2: Czech is scanned per word
    make_article(db, slug="cs", lang="cs", title="Vrácení", body="Vrácení peněz za vadné zboží, vadným zbožím, daného.")
    make_article(db, slug="lt", lang="lt", title="Sąskaita", body="Sąskaitų archyvas, sąskaitos apmokėjimas.")
    find("vraceni")  # applies the outbox
    with index.open_generation(index.current_generation(index_dir)).reader() as reader:
        vocabulary = schema.Vocabulary(reader)
        checked = 0
        for lang in schema.LANGUAGES:
            prefixes = {schema.term_text(term).split(analysis.RESTORE_SEPARATOR)[0] + analysis.RESTORE_SEPARATOR
                        for term in reader.lexicon(f"restore_{lang}")}
            for prefix in prefixes | {"nothing" + analysis.RESTORE_SEPARATOR}:
                terms = reader.expand_prefix(f"restore_{lang}", prefix)
                scanned = [schema.term_text(term)[len(prefix):] for term in terms]
                assert vocabulary.restored(lang, prefix) == scanned
                checked += len(scanned)
        assert checked >= 3
