"""The index schema, the document an article becomes, and how a parsed query maps onto
the fields.

**Fields.** Each language has its own text field (``text_en``, ``text_cs``, ...)
analysed with that language's stemmer; an article fills only the field of its own
language, and a query is looked up in every language's field at once (or only in one
when the caller filters by language), so a query in any of the five languages finds
articles in that language without a filter. ``restore_<lang>``
holds the terms that let a query typed without diacritics reach accented stems (see
:mod:`academy.search.analysis`), ``spell`` the folded, unstemmed vocabulary that spelling
suggestions come from. ``lang``, ``kind``, ``product_key`` and ``tag`` are exact-match
filters; ``title``, ``summary``, ``product`` and the first part of the plain-text
``body`` are stored for result lists and snippets.

**Ranking.** BM25F in its original form: the text field holds title, tags, summary and
body as parts, each occurrence weighted by its part's boost (title 4 > tags 3 >
summary 2 > body 1, see :class:`~academy.search.analysis.PartsTokenizer`) and summed
before BM25 saturates it. One field instead of one per part keeps the query small: a
word is one or two terms per language rather than eight (on the 10,000-article bench
corpus: median 12.6 -> 5.8 ms, p95 60 -> 18 ms against per-part fields with query-time
boosts). A
query word's variants are combined with a disjunction-max, so a word indexed under two
variants is not counted twice. Terms missing from the index are left out of the query
before it runs, which keeps a five-language query about as cheap as a one-language one;
and since an article fills only its own language's field, plain words joined by AND are
grouped by language (an OR over languages of ANDs, see :meth:`QueryBuilder._conjunction`),
so posting lists are intersected directly rather than through a union per word.
"""
from __future__ import annotations

from whoosh import query as wq
from whoosh import scoring
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from academy.search import analysis
from academy.search.analysis import AllOf, AnyOf, Not, Phrase, Word

SCHEMA_VERSION = 1  # bump when fields or analyzers change: indexes of another version are rebuilt
LANGUAGES = tuple(lang for lang in analysis.LANGUAGES if lang in analysis.SNOWBALL_NAMES)
PARTS = ("title", "tags", "summary", "body")
BOOSTS = {"title": 4.0, "tags": 3.0, "summary": 2.0, "body": 1.0}
STORED_BODY_CHARS = 6_000  # snippets are cut from this much of the body
SUGGESTION_BOOST = 0.8  # weight of a spelling alternative against the word as typed


def build_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        "slug": ID(stored=True),
        "lang": ID(stored=True),
        "kind": ID(stored=True),
        "product_key": ID(),
        "tag": KEYWORD(commas=True, lowercase=True),
        "product": STORED(),
        "title": STORED(),
        "summary": STORED(),
        "body": STORED(),
        "updated_at": STORED(),
        "spell": TEXT(analyzer=analysis.spelling_analyzer(), phrase=False),
    }
    boosts = tuple(BOOSTS[part] for part in PARTS)
    for lang in LANGUAGES:
        fields[f"text_{lang}"] = TEXT(analyzer=analysis.language_analyzer(lang, boosts))
        fields[f"restore_{lang}"] = TEXT(analyzer=analysis.restore_analyzer(lang), phrase=False)
    return Schema(**fields)


def weighting() -> scoring.BM25F:
    return scoring.BM25F(B=0.75, K1=1.2)


def is_indexable(article) -> bool:
    """Only published articles with a current revision are searchable."""
    return article is not None and article.status == "published" and article.current_revision is not None


def document_for(article) -> dict:
    """The index document of a published ``article`` (see :func:`is_indexable`)."""
    revision = article.current_revision
    lang = analysis.index_language(article.lang)
    title = revision.title or article.title
    summary = revision.summary or article.summary or ""
    tags = [str(tag).strip() for tag in (revision.tags or article.tags or []) if str(tag).strip()]
    body = _body_text(revision)
    all_text = analysis.join_parts(title, ", ".join(tags), summary, body)
    document = {
        "id": str(article.id),
        "slug": article.slug,
        "lang": article.lang,
        "kind": article.kind,
        "product": article.product or "",
        "title": title,
        "summary": summary,
        "body": body[:STORED_BODY_CHARS],
        "updated_at": article.updated_at.isoformat() if article.updated_at else "",
        f"text_{lang}": all_text,
        f"restore_{lang}": all_text,
        "spell": all_text,
    }
    if product_key(article.product):
        document["product_key"] = product_key(article.product)
    if tags:
        document["tag"] = ",".join(tag.lower() for tag in tags)
    return document


def _body_text(revision) -> str:
    if revision.body_html:
        return analysis.plain_text(revision.body_html)
    import markdown

    return analysis.plain_text(markdown.markdown(revision.body_md or ""))


def product_key(product: str | None) -> str:
    return " ".join((product or "").lower().split())


def filter_query(*, lang=None, kind=None, product=None, tag=None):
    """The exact-match filters as one Whoosh query, or None when there are none."""
    terms = []
    if lang:
        terms.append(wq.Term("lang", lang))
    if kind:
        terms.append(wq.Term("kind", kind))
    if product and product_key(product):
        terms.append(wq.Term("product_key", product_key(product)))
    if tag and tag.strip():
        terms.append(wq.Term("tag", tag.strip().lower()))
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else wq.And(terms)


NOTHING = wq.NullQuery  # matches no document (as opposed to None: nothing to search for)


class Vocabulary:
    """The term lookups query building makes, remembered for one open reader.

    A lookup in Whoosh's term table probes it from Python (~10 µs a document frequency,
    ~35 µs a prefix scan of a restore field). The searcher stays open across searches,
    so a word that searches share is looked up once; a restore field is read whole at
    its first use instead of scanned per word, when it is small (it holds only the words
    whose two variants differ: on the bench corpus 1,743 Czech terms, read in ~3 ms, and
    fewer in the other languages). Replaced with the searcher when the index changes.
    """

    MAX_FREQUENCIES = 50_000  # remembered, whatever queries come
    MAX_RESTORE_TABLE = 10_000  # restore terms read whole (~16 ms); a bigger field is scanned per word

    def __init__(self, reader):
        self.reader = reader
        self._frequencies: dict[tuple[str, str], int] = {}
        self._restore_tables: dict[str, dict[str, list[str]] | None] = {}

    def doc_frequency(self, field: str, term: str) -> int:
        """How many documents have ``term`` in ``field`` (0: the term is not in the index)."""
        key = (field, term)
        frequency = self._frequencies.get(key)
        if frequency is None:
            if len(self._frequencies) >= self.MAX_FREQUENCIES:
                self._frequencies.clear()
            frequency = self._frequencies[key] = self.reader.doc_frequency(field, term)
        return frequency

    def restored(self, lang: str, prefix: str) -> list[str]:
        """The stem-first terms of the restore terms ``<prefix><stem-first>`` of ``lang``
        (``prefix``: a fold-first term and the separator), in index order."""
        field = f"restore_{lang}"
        if field not in self._restore_tables:
            self._restore_tables[field] = self._restore_table(field)
        table = self._restore_tables[field]
        if table is None:
            return [term_text(term)[len(prefix):] for term in self.reader.expand_prefix(field, prefix)]
        return table.get(prefix, [])

    def _restore_table(self, field: str) -> dict[str, list[str]] | None:
        """Prefix -> stem-first terms of a whole restore field; None when it has more
        than :attr:`MAX_RESTORE_TABLE` terms."""
        table: dict[str, list[str]] = {}
        for count, term in enumerate(map(term_text, self.reader.lexicon(field))):
            if count == self.MAX_RESTORE_TABLE:
                return None
            cut = term.index(analysis.RESTORE_SEPARATOR) + 1
            table.setdefault(term[:cut], []).append(term[cut:])
        return table


class QueryBuilder:
    """Turns a parsed query into a Whoosh query, looking terms up in a :class:`Vocabulary`.

    ``expansions`` maps a folded query word to spelling alternatives that are searched
    beside it; ``relaxed`` joins the top-level words with OR (documents matching more of
    them rank higher) instead of AND. After :meth:`build`, ``frequencies`` holds, per
    folded bare word, the highest document frequency of any of its terms (0 = unknown),
    and ``field_terms`` the terms searched in each field (what snippets highlight).
    """

    def __init__(self, vocabulary: Vocabulary, *, langs=LANGUAGES, expansions=None, relaxed=False):
        self.vocabulary = vocabulary
        self.langs = tuple(langs)
        self.expansions = expansions or {}
        self.relaxed = relaxed
        self.frequencies: dict[str, int] = {}
        self.field_terms: dict[str, set[str]] = {}

    def build(self, root):
        if isinstance(root, AllOf):
            return self._all(root.children, relaxed=self.relaxed)
        if isinstance(root, Not):
            return None
        return self._node(root)

    def _node(self, node):
        if isinstance(node, Word):
            return self._word(node.text)
        if isinstance(node, Phrase):
            return self._phrase(node.words)
        if isinstance(node, AllOf):
            return self._all(node.children, relaxed=False)
        if isinstance(node, AnyOf):
            return _any(self._node(child) for child in node.children)
        return None

    def _all(self, children, *, relaxed):
        words = [child for child in children if not isinstance(child, Not)]
        if not relaxed and all(isinstance(child, Word) and not self._alternatives(child.text) for child in words):
            positive = self._conjunction(child.text for child in words)
            if positive is None:
                return None
            positives = [positive]
        else:
            positives = [self._node(child) for child in words]
        negatives = [self._node(child.child) for child in children if isinstance(child, Not)]
        positives = [q for q in positives if q is not None]
        if not positives:
            return None
        if relaxed:
            positive = _any(positives, scale=0.9)
        elif any(q is NOTHING for q in positives):
            return NOTHING
        else:
            positive = positives[0] if len(positives) == 1 else wq.And(positives)
        excluded = _any(negatives)
        if positive is NOTHING or excluded in (None, NOTHING):
            return positive
        return wq.AndNot(positive, excluded)

    def _conjunction(self, texts):
        """All of the plain words ``texts``, grouped by language: an OR over languages of
        the AND of each word's terms in that language, rather than an AND over words of
        an OR over languages. An article fills only its own language's field, so both
        match the same articles with the same scores (the OR adds nothing to the one
        language a document has), but this one intersects posting lists directly instead
        of through a union per word, and drops a language as soon as one word is missing
        from it (on the 10,000-article bench corpus: see ``bench/README.md``)."""
        per_word = [self._word_fields(word, 1.0, True) for text in texts for word in analysis.words(text)]
        if not per_word:
            return None
        if not all(per_word):
            return NOTHING
        by_lang = []
        for lang in self.langs:
            if all(lang in fields for fields in per_word):
                queries = [fields[lang] for fields in per_word]
                by_lang.append(queries[0] if len(queries) == 1 else wq.And(queries))
        return _any(by_lang) if by_lang else NOTHING

    def _alternatives(self, text):
        return self.expansions.get(analysis.fold(text.lower()), ())

    def _word(self, text):
        alternatives = self._alternatives(text)
        typed = self._words_of(text, boost=1.0, record=True)
        if not alternatives:
            return typed
        options = [typed] + [self._words_of(alt, boost=SUGGESTION_BOOST) for alt in alternatives]
        return _any(options)

    def _words_of(self, text, *, boost, record=False):
        parts = analysis.words(text)
        if not parts:
            return None
        queries = [self._single_word(word, boost, record) for word in parts]
        if self.relaxed:
            return _any(queries, scale=0.9)
        if any(q is NOTHING for q in queries):
            return NOTHING
        return queries[0] if len(queries) == 1 else wq.And(queries)

    def _single_word(self, word, boost, record):
        field_queries = list(self._word_fields(word, boost, record).values())
        if not field_queries:
            return NOTHING
        return field_queries[0] if len(field_queries) == 1 else wq.Or(field_queries)

    def _word_fields(self, word, boost, record) -> dict:
        """Language -> the query for ``word`` in that language's field, for the languages
        whose field has any of its terms (recording its frequency and terms)."""
        vocabulary = self.vocabulary
        field_queries = {}
        frequency = 0
        for lang in self.langs:
            field = f"text_{lang}"
            # One lookup per term: its document frequency, 0 when the field lacks it (a
            # term is in the index exactly when some document was indexed with it).
            variants = analysis.variants(lang, word)
            counts = {term: vocabulary.doc_frequency(field, term) for term in variants}
            prefix = analysis.restore_prefix(lang, word)  # variants[0] + separator, if any
            # A restore term "<fold-first><US><stem-first>" is indexed only beside its
            # fold-first term in the text field: without that term (the common case for
            # most languages of a word) the restore field is not consulted.
            if prefix and counts[variants[0]]:
                for term in vocabulary.restored(lang, prefix):
                    if term not in counts:
                        counts[term] = vocabulary.doc_frequency(field, term)
            present = sorted(term for term, count in counts.items() if count)
            if not present:
                continue
            frequency = max(frequency, *(counts[term] for term in present))
            self.field_terms.setdefault(field, set()).update(present)
            subqueries = [wq.Term(field, t, boost=boost) for t in present]
            field_queries[lang] = subqueries[0] if len(subqueries) == 1 else wq.DisjunctionMax(subqueries)
        if record:
            key = analysis.fold(word)
            self.frequencies[key] = max(self.frequencies.get(key, 0), frequency)
        return field_queries

    def _phrase(self, phrase_words):
        field_queries = []
        for lang in self.langs:
            terms = [analysis.variants(lang, word)[0] for word in phrase_words]
            field = f"text_{lang}"
            if all(self.vocabulary.doc_frequency(field, t) for t in terms):
                self.field_terms.setdefault(field, set()).update(terms)
                field_queries.append(wq.Phrase(field, terms))
        return _any(field_queries)


def term_text(term) -> str:
    """Whoosh's term listings give bytes in some readers and text in others."""
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _any(queries, scale=None):
    """OR of ``queries`` without the ones matching nothing; NOTHING if none is left,
    None if there was nothing to search for at all."""
    queries = list(queries)
    useful = [q for q in queries if q is not None and q is not NOTHING]
    if not useful:
        return NOTHING if any(q is NOTHING for q in queries) else None
    if len(useful) == 1:
        return useful[0]
    return wq.Or(useful, scale=scale) if scale else wq.Or(useful)
