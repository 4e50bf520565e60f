"""Searching the knowledge base: the one code path the web pages, the API, the CLI and
practice sessions use.

:func:`search` parses the query (anything that does not parse is searched as plain
words), brings the index up to date with the outbox, and runs the query against a
searcher that is kept open per process and swapped when the index changed (opening one
costs ~40 ms; a lock serialises its use, since Whoosh readers seek shared file handles
and the GIL would serialise the pure-Python search anyway). Queries of plain words are
ranked on posting arrays kept with that searcher (:mod:`academy.search.postings`, the
same results as Whoosh's matchers), everything else by Whoosh. A missing or damaged
index is rebuilt on the spot with a warning in the log instead of failing the search.

**Typos.** All words must match. When that finds fewer than :data:`FEW_RESULTS`
documents, each query word unknown to the index (and, when nothing was found, each word
much rarer than a neighbour) gets up to three alternatives from the folded, unstemmed
vocabulary of all articles: words one edit or one swap of neighbouring letters away with
the same first letter, or, for words of six letters or more with no such neighbour, two
edits away with the same first two letters; ranked by distance, then by how many
articles use them. The best ones make the "did you mean" suggestion. When the query as
typed found nothing, it is run again with the alternatives searched beside each word
(slightly down-weighted), and when that finds nothing either, with any rather than all
of the words.
"""
from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import os
import re
import threading
from pathlib import Path

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy.orm import Session
from whoosh import collectors

from academy.search import analysis, index, indexer, postings, schema, speedups

speedups.install()

FEW_RESULTS = 3
MAX_LIMIT = 100
MAX_PAGE = 100
MAX_ALTERNATIVES = 3
MIN_CORRECTABLE = 4  # shorter words are too ambiguous to correct
SNIPPET_CHARS = 220


@dataclasses.dataclass(frozen=True)
class Hit:
    slug: str
    lang: str
    title: str
    kind: str
    product: str
    snippet: Markup  # escaped text with matches wrapped in <mark>: safe to render as is
    score: float

    def as_dict(self) -> dict:
        return {"slug": self.slug, "lang": self.lang, "title": self.title, "kind": self.kind,
                "product": self.product, "snippet": str(self.snippet), "score": self.score}


@dataclasses.dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    suggestion: str | None
    results: list[Hit]

    def as_dict(self) -> dict:
        """The API's search shape, without the ``url`` callers add to each result."""
        return {"query": self.query, "total": self.total, "suggestion": self.suggestion,
                "results": [hit.as_dict() for hit in self.results]}


def current_index_dir() -> Path:
    """The index directory of the current app (``<instance>/index``)."""
    return index.index_dir_for(current_app)


def search(session: Session, query: str, *, lang: str | None = None, kind: str | None = None,
           product: str | None = None, tag: str | None = None, page: int = 1, limit: int = 10,
           index_dir: Path | None = None) -> SearchResult:
    """Search published articles; filters narrow by language, kind, product and tag."""
    index_dir = Path(index_dir) if index_dir else current_index_dir()
    parsed = analysis.parse_query(query)
    request = _Request(
        parsed=parsed,
        langs=(analysis.index_language(lang),) if lang else schema.LANGUAGES,
        filter=schema.filter_query(lang=lang, kind=kind, product=product, tag=tag),
        page=min(max(int(page), 1), MAX_PAGE),
        limit=min(max(int(limit), 1), MAX_LIMIT),
    )
    if parsed.root is None:
        return SearchResult(parsed.text, 0, None, [])
    shared = _shared_searcher(index_dir)
    try:
        return _search(session, index_dir, shared, request)
    except Exception:
        shared.close()
        if index.damage(index_dir) is not None:
            index.rebuild_if_needed(session, index_dir)
        # Either the index was damaged and is now rebuilt, or this searcher raced a swap;
        # one more try on a fresh searcher, and a genuine bug still raises.
        return _search(session, index_dir, shared, request)


@dataclasses.dataclass(frozen=True)
class _Request:
    parsed: analysis.ParsedQuery
    langs: tuple
    filter: object
    page: int
    limit: int


def _search(session, index_dir, shared, request: _Request) -> SearchResult:
    indexer.catch_up(session, index_dir)
    with shared.use() as opened:
        searcher = opened.searcher
        reader = searcher.reader()
        root = request.parsed.root
        builder = schema.QueryBuilder(opened.vocabulary, langs=request.langs)
        ranking = _run(opened, builder.build(root), request)
        suggestion = None
        if ranking.total < FEW_RESULTS:
            alternatives = _alternatives(reader, request.parsed.words(), builder.frequencies, ranking.total)
            several_words = len(analysis.words(" ".join(request.parsed.words()))) > 1
            if ranking.total == 0 and (alternatives or several_words):
                for relaxed in (False, True):
                    if not alternatives and not relaxed:
                        continue
                    builder = schema.QueryBuilder(opened.vocabulary, langs=request.langs,
                                                  expansions=alternatives, relaxed=relaxed)
                    ranking = _run(opened, builder.build(root), request)
                    if ranking.total:
                        break
            if alternatives:
                suggestion = _suggestion(opened.stored, request.parsed, alternatives, ranking)
        hits = _hits(opened.stored, ranking, builder, request)
        return SearchResult(request.parsed.text, ranking.total, suggestion, hits)


@dataclasses.dataclass(frozen=True)
class _Ranking:
    top: list  # (score, docnum) of the first page * limit matches, best first
    total: int


def _run(opened, query, request: _Request) -> _Ranking:
    """Rank ``query``: plain words on cached posting arrays (:mod:`~academy.search.postings`,
    same results), anything else with Whoosh."""
    if query is None or query is schema.NOTHING:
        return _Ranking([], 0)
    limit = request.page * request.limit
    ranked = opened.postings.rank(query, limit, request.filter)
    if ranked is None:
        ranked = _whoosh_rank(opened.searcher, query, limit, request.filter)
    return _Ranking(*ranked)


def _whoosh_rank(searcher, query, limit: int, filter) -> tuple[list, int]:
    # What searcher.search(optimize=False) builds, with one difference: a top-N collector
    # normally "replaces" the matcher every 10 matches, dropping branches (a language, a
    # rare term) whose best score can no longer reach the top N, and the documents
    # only they match go uncounted: totals came out short (101 for 102 on "system host"
    # in the bench corpus; 37 for 40 on "schema table" with words grouped by language).
    # replace=0 scores every match, so the total is exact. Block skipping stays off: with
    # it Whoosh counts the total again, without the filter.
    if limit >= searcher.doc_count():
        collector = collectors.UnlimitedCollector()
    else:
        collector = collectors.TopCollector(limit, usequality=False, replace=0)
    if filter is not None:
        collector = collectors.FilterCollector(collector, filter)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    return list(results.top_n), len(results)


# ---------------------------------------------------------------- spelling

def _alternatives(reader, words, frequencies, total) -> dict[str, list[str]]:
    """Folded query word -> better-known words within reach, best first. With some
    results only unknown words are corrected; with none, also words that are much rarer
    than a neighbour (a real word typed for another)."""
    found = {}
    for word in words:
        key = analysis.fold(word.lower())
        if len(key) < MIN_CORRECTABLE or not key.isalpha() or key in found:
            continue
        known = frequencies.get(key, 0)
        if known and total:
            continue
        candidates = []
        for candidate in _neighbours(reader, key):
            frequency = reader.doc_frequency("spell", candidate)
            if candidate != key and frequency > known * 10:
                candidates.append((edit_distance(key, candidate), -frequency, candidate))
        if candidates:
            found[key] = [candidate for _, _, candidate in sorted(candidates)[:MAX_ALTERNATIVES]]
    return found


def _neighbours(reader, key: str) -> set[str]:
    """Vocabulary words one edit (or one swap of neighbouring letters) from ``key``, and,
    for words of 6 letters or more when there are none, two edits away with the first two
    letters kept (scanning the vocabulary is what costs; the prefix narrows the scan)."""
    swapped = {key[:i] + key[i + 1] + key[i] + key[i + 2:] for i in range(len(key) - 1)}
    found = {word for word in swapped if ("spell", word) in reader}
    found |= {schema.term_text(t) for t in reader.terms_within("spell", key, 1, prefix=1)}
    found.discard(key)
    if not found and len(key) >= 6:
        found = {schema.term_text(t) for t in reader.terms_within("spell", key, 2, prefix=2)} - {key}
    return found


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance counting a swap of two neighbours as one edit."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _suggestion(stored_fields, parsed, alternatives, ranking: _Ranking) -> str | None:
    """The query with each corrected word replaced by its best alternative, spelt as in
    the articles found (with its diacritics) and cased like the typed word."""
    texts = []
    for _score, docnum in ranking.top[:5]:
        stored = stored_fields[docnum]
        texts.append(f"{stored.get('title', '')} {stored.get('summary', '')} {stored.get('body', '')}")
    suggestion = parsed.text
    for word in parsed.words():
        best = alternatives.get(analysis.fold(word.lower()))
        if not best:
            continue
        replacement = _match_case(_surface_form(best[0], texts), word)
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
        suggestion = pattern.sub(lambda _m: replacement, suggestion, count=1)
    suggestion = " ".join(suggestion.split())
    return suggestion if suggestion != " ".join(parsed.text.split()) else None


def _surface_form(folded: str, texts) -> str:
    for text in texts:
        for match in re.finditer(r"[^\W\d_]+", text):
            if analysis.fold(match.group().lower()) == folded:
                return match.group().lower()
    return folded


def _match_case(word: str, typed: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# ---------------------------------------------------------------- hits and snippets

def _hits(stored_fields, ranking: _Ranking, builder, request: _Request) -> list[Hit]:
    offset = (request.page - 1) * request.limit
    hits = []
    for score, docnum in ranking.top[offset:offset + request.limit]:
        stored = stored_fields[docnum]
        hits.append(Hit(
            slug=stored["slug"], lang=stored["lang"], title=stored["title"], kind=stored["kind"],
            product=stored.get("product", ""), snippet=_snippet(stored, builder), score=round(score, 4),
        ))
    return hits


def _snippet(stored, builder) -> Markup:
    """The passage of the body around the first match, else of the summary, else the
    summary or the start of the body; escaped, with matched words in ``<mark>``."""
    lang = analysis.index_language(stored["lang"])
    terms = builder.field_terms.get(f"text_{lang}")
    for part in ("body", "summary"):
        text = stored.get(part) or ""
        if terms and text:
            marked = highlight(text, lang, terms)
            if marked is not None:
                return marked
    plain = stored.get("summary") or stored.get("body") or ""
    return Markup(escape(_shorten(plain, SNIPPET_CHARS)))


def highlight(text: str, lang: str, terms, width: int = SNIPPET_CHARS, before: int = 60) -> Markup | None:
    """A ``width``-character window of ``text`` starting a little ``before`` the first
    word whose index terms are among ``terms``, every such word in it marked; None
    when no word matches.

    Candidate words are found by a regular expression over the folded text (words that
    begin like one of the terms), and only those are stemmed to confirm: a long body
    costs a regex scan, not a stemmer call per word.
    """
    terms = frozenset(terms)
    spans = []
    window_end = None
    for start, end in _candidates(text, terms):
        if window_end is not None and end > window_end:
            break
        if not terms.isdisjoint(analysis.variants(lang, text[start:end].lower())):
            if window_end is None:
                window_start = _word_start(text, max(0, start - before))
                window_end = window_start + width
            spans.append((start, end))
    if not spans:
        return None
    end = _word_end(text, min(len(text), window_end))
    pieces = ["… "] if window_start > 0 else []
    position = window_start
    for span_start, span_end in spans:
        pieces.append(str(escape(text[position:span_start])))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    pieces.append(str(escape(text[position:end])))
    if end < len(text):
        pieces.append(" …")
    return Markup(" ".join("".join(pieces).split()))


def _candidates(text: str, terms: frozenset):
    """(start, end) of the words of ``text`` that might carry one of ``terms``."""
    folded = analysis.fold_text(text.lower())
    if len(folded) != len(text):  # a letter folded into two: offsets differ, check every word
        return ((match.start(), match.end()) for match in analysis.WORD.finditer(text))
    pattern, guarded = _prefix_pattern(terms)
    if guarded:
        return ((match.start(), match.end()) for match in pattern.finditer(folded))
    return ((match.start(), match.end()) for match in pattern.finditer(folded)
            if match.start() == 0 or not _is_word_character(folded[match.start() - 1]))


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"  # what \w matches


@functools.lru_cache(maxsize=256)
def _prefix_pattern(terms: frozenset):
    """The pattern finding words that begin with a term's first four letters, and whether
    it checks itself that the match begins a word.

    Stems are prefixes of their folded words up to their last letters (Czech "reklamak"
    for "reklamace"), so the first four letters of each term find every candidate. When
    the prefixes are word characters only, the pattern leaves out the ``(?<!\\w)``
    look-behind, which the regex engine would try at every position of a 6,000-character
    body (about 3x slower), and the caller drops matches that start inside a word: such a
    match runs to the end of that word, so it hides no word start."""
    prefixes = sorted({term[:4] for term in terms}, key=len, reverse=True)
    alternatives = "(?:" + "|".join(re.escape(prefix) for prefix in prefixes) + r")\w*"
    if all(re.fullmatch(r"\w+", prefix) for prefix in prefixes):
        return re.compile(alternatives), False
    return re.compile(r"(?<!\w)" + alternatives), True


def _word_start(text: str, position: int) -> int:
    """``position`` moved forward to the start of a word (unless it already is one)."""
    if position == 0 or not text[position - 1].isalnum():
        return position
    space = text.find(" ", position)
    return position if space == -1 else space + 1


def _word_end(text: str, position: int) -> int:
    """``position`` moved back to the end of a word (unless it already is one)."""
    if position >= len(text) or not text[position].isalnum():
        return position
    space = text.rfind(" ", 0, position)
    return position if space == -1 else space


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return text[:width].rsplit(" ", 1)[0] + " …"


# ---------------------------------------------------------------- the shared searcher

class _StoredFields:
    """The stored fields of the documents a searcher returned last, by docnum (reading
    one decompresses and unpickles it, ~30 µs; searches share results). Read-only."""

    LIMIT = 1024  # documents kept: ~6-12 KB each, most of it the stored body

    def __init__(self, searcher):
        self.searcher = searcher
        self._documents: collections.OrderedDict = collections.OrderedDict()

    def __getitem__(self, docnum: int) -> dict:
        stored = self._documents.get(docnum)
        if stored is None:
            stored = self._documents[docnum] = self.searcher.stored_fields(docnum)
            if len(self._documents) > self.LIMIT:
                self._documents.popitem(last=False)
        else:
            self._documents.move_to_end(docnum)
        return stored


@dataclasses.dataclass(frozen=True)
class _Open:
    """An open searcher and what is remembered about its index, replaced together."""
    searcher: object
    postings: postings.PostingCache
    vocabulary: schema.Vocabulary
    stored: _StoredFields


class _SharedSearcher:
    """One Whoosh searcher per process and index directory, reopened when the index
    changed (another commit, or a rebuild that swapped generations)."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self.lock = threading.Lock()
        self.generation = None
        self.opened: _Open | None = None

    @contextlib.contextmanager
    def use(self):
        with self.lock:
            generation = index.current_generation(self.index_dir)
            if self.opened is None or generation != self.generation or not self.opened.searcher.up_to_date():
                self._close()
                searcher = index.open_generation(generation).searcher(weighting=schema.weighting())
                self.opened = _Open(searcher, postings.PostingCache(searcher), schema.Vocabulary(searcher.reader()),
                                    _StoredFields(searcher))
                self.generation = generation
            yield self.opened

    def close(self):
        with self.lock:
            self._close()

    def _close(self):
        if self.opened is not None:
            with contextlib.suppress(Exception):
                self.opened.searcher.close()
        self.opened = None
        self.generation = None


_searchers: dict[str, _SharedSearcher] = {}
_searchers_lock = threading.Lock()


def _shared_searcher(index_dir: Path) -> _SharedSearcher:
    key = _searcher_key(os.path.abspath(index_dir))
    with _searchers_lock:
        if key not in _searchers:
            _searchers[key] = _SharedSearcher(Path(index_dir))
        return _searchers[key]


@functools.lru_cache(maxsize=64)
def _searcher_key(index_dir: str) -> str:
    """The resolved absolute ``index_dir``: one searcher per directory however it is
    spelt. Remembered, since resolving makes a system call per path component (~30 µs)."""
    return str(Path(index_dir).resolve())


def close_searchers() -> None:
    """Close every searcher this process holds (tests; and after a fork, see below)."""
    with _searchers_lock:
        for shared in _searchers.values():
            shared.close()
        _searchers.clear()


def _forget_after_fork() -> None:
    # A forked worker must not share the parent's open files or locks.
    global _searchers_lock
    _searchers_lock = threading.Lock()
    _searchers.clear()


os.register_at_fork(after_in_child=_forget_after_fork)
