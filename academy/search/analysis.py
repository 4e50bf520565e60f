"""Text analysis for search: accent folding, Snowball stemming per language, the Whoosh
analyzers built from them, plain text from rendered article HTML, and the query syntax.

Pure logic: nothing here touches the database, the index or the request.

**Folding and stemming.** Each word is indexed as up to two terms at the same position:
``stem(fold(word))`` (fold first) and ``fold(stem(word))`` (stem the word as written, then
fold). Where the two differ, a ``restore`` term ``<fold-first><US><stem-first>`` is
indexed as well, so a query typed without diacritics can find the stems of the accented
words in the index that fold to it ("danym" -> "dan", the stem of "daným", which then
matches "daného", "daná"). A query word typed with diacritics is looked up under its two
variants; one typed without them under its fold-first stem plus the restored stems.

Measured on the real vocabulary of this machine's cs/de/lt/et message catalogues: of
every pair of words the stemmer conflates when diacritics are present, the share still
matched when the query is typed without diacritics (e.g. ``danym`` for ``daného``), and in
brackets the share of all matches that join words the stemmer would keep apart:

========  ==============  ==============  ==============  ============================
language  fold, then stem stem, then fold both variants   both + restore (chosen)
========  ==============  ==============  ==============  ============================
cs        55.4 % (8.5 %)  74.0 % (8.8 %)  74.4 % (8.7 %)  100 % (9.0 %)
de        100 % (0.7 %)   99.7 % (0.6 %)  100 % (0.7 %)   100 % (0.7 %)
lt        79.9 % (1.5 %)  83.1 % (1.6 %)  88.6 % (1.7 %)  100 % (2.5 %)
et        98.9 % (1.2 %)  98.9 % (1.1 %)  98.9 % (1.2 %)  100 % (1.2 %)
========  ==============  ==============  ==============  ============================

Folding first blinds the stemmer to suffixes spelt with diacritics (Czech ``-ým``,
``-ého``, ``-ům``; Lithuanian ``-ų``, ``-ą``); stemming first keeps them, but a bare query
word is then stemmed as a different word. The restore terms come from the indexed text
itself, so every accented word in the index can be reached without diacritics; the cost
is 1.12 terms per distinct Czech word instead of one (lt 1.06, de 1.01, et 1.00), plus the
restore terms. ``bench/search.py --fold-recall`` reproduces the table.
Phrases use the fold-first variant alone, which is always indexed.

Whoosh pickles analyzers into the index, so the filters below are importable classes that
hold only plain data (a language code); their stemmers live in a per-thread cache because
Snowball stemmer objects keep state between calls and are not thread-safe.
"""
from __future__ import annotations

import dataclasses
import functools
import html
import re
import threading
import unicodedata
from html.parser import HTMLParser

import numpy as np
import snowballstemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, Token, Tokenizer

from academy.config import LANGUAGES

SNOWBALL_NAMES = {"en": "english", "de": "german", "cs": "czech", "lt": "lithuanian", "et": "estonian"}
DEFAULT_LANGUAGE = "en"

# Letters that Unicode decomposition leaves alone but readers type as plain Latin.
_SPECIAL_LETTERS = str.maketrans({
    "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d",
})
# Spelling suggestions come from words of letters only, 3 to 30 of them.
SPELLING_PATTERN = r"[^\W\d_]{3,30}"


def index_language(lang: str | None) -> str:
    """The analyzer language for an article in ``lang``: its own when supported, else English."""
    return lang if lang in LANGUAGES and lang in SNOWBALL_NAMES else DEFAULT_LANGUAGE


@functools.lru_cache(maxsize=1 << 17)
def fold(word: str) -> str:
    """``word`` without diacritics: "vrácení" -> "vraceni", "Straße" -> "Strasse"."""
    return fold_text(word)


class _CombiningMarks(dict):
    """``str.translate`` table deleting combining marks, filled in as characters are met:
    one C-level lookup per character instead of a Python call."""

    def __missing__(self, codepoint: int):
        if len(self) > 100_000:  # bounded, whatever text comes
            self.clear()
        value = None if unicodedata.combining(chr(codepoint)) else codepoint
        self[codepoint] = value
        return value


_COMBINING_MARKS = _CombiningMarks()
_LONG_TEXT = 64  # characters from which array lookups beat str.translate


def fold_text(text: str) -> str:
    """:func:`fold` for long text (not cached).

    Words go through ``str.translate``. Long text is folded for the snippet of every
    result (6,000 characters of body), and there ``str.translate`` costs ~70 ns a
    character once the text has a non-ASCII letter (~0.6 ms for the two tables over a
    Czech body): the special letters are replaced one by one where present and the
    combining marks dropped with an array lookup instead (~50 µs), with the same result."""
    if text.isascii():
        return text
    if len(text) < _LONG_TEXT:
        return unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS)).translate(_COMBINING_MARKS)
    for letter, replacement in _SPECIAL_LETTERS.items():
        if chr(letter) in text:
            text = text.replace(chr(letter), replacement)
    return _without_combining_marks(unicodedata.normalize("NFKD", text))


def _without_combining_marks(text: str) -> str:
    """``text`` without the characters of non-zero canonical combining class."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    combining = _combining_bmp()[np.minimum(codes, 0xFFFF)]  # U+FFFF is not combining
    astral = codes > 0xFFFF
    if astral.any():
        for code in np.unique(codes[astral]).tolist():
            if unicodedata.combining(chr(code)):
                combining[codes == code] = True
    return codes[~combining].tobytes().decode("utf-32-le", "surrogatepass")


@functools.cache
def _combining_bmp() -> np.ndarray:
    """Whether each character of the Basic Multilingual Plane is a combining mark."""
    return np.array([bool(unicodedata.combining(chr(code))) for code in range(0x10000)])


_stemmers = threading.local()


def stem(lang: str, word: str) -> str:
    """The Snowball stem of the lower-case ``word`` in ``lang``."""
    stemmer = getattr(_stemmers, lang, None)
    if stemmer is None:
        stemmer = snowballstemmer.stemmer(SNOWBALL_NAMES[lang])
        setattr(_stemmers, lang, stemmer)
    return stemmer.stemWord(word)


@functools.lru_cache(maxsize=1 << 18)
def variants(lang: str, word: str) -> tuple[str, ...]:
    """The index terms of the lower-case ``word``: fold-first stem, then (if different)
    the stem-first variant. The first one is the term phrases use."""
    fold_first = fold(stem(lang, fold(word)))
    stem_first = fold(stem(lang, word))
    return (fold_first,) if fold_first == stem_first else (fold_first, stem_first)


class FoldStemFilter(Filter):
    """Replaces each lower-case token with its :func:`variants` in ``lang``, at one position."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, tokens):
        lang = self.lang
        for token in tokens:
            terms = variants(lang, token.text)
            token.text = terms[0]
            yield token
            if len(terms) > 1:
                token.text = terms[1]
                yield token


RESTORE_SEPARATOR = "\x1f"


def restore_prefix(lang: str, word: str) -> str | None:
    """For a query word typed without diacritics, the prefix of the ``restore`` terms
    that lead to the stems of accented words folding to it; None for an accented word."""
    if fold(word) != word:
        return None
    return variants(lang, word)[0] + RESTORE_SEPARATOR


class RestoreFilter(Filter):
    """Emits ``<fold-first><US><stem-first>`` for tokens whose two variants differ."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, tokens):
        lang = self.lang
        for token in tokens:
            terms = variants(lang, token.text)
            if len(terms) > 1:
                token.text = terms[0] + RESTORE_SEPARATOR + terms[1]
                yield token


class FoldFilter(Filter):
    """Folds each lower-case token (no stemming): the vocabulary spelling suggestions use."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            yield token


PART_SEPARATOR = "\x1e"
PART_GAP = 8  # positions left between parts, so that no phrase spans two of them


class PartsTokenizer(Tokenizer):
    """Tokenizes text made of parts joined by :data:`PART_SEPARATOR` (title, tags,
    summary, body), giving each token the boost of its part: one field then carries
    what several would, with each part's weight summed into the term frequency."""

    def __init__(self, boosts=(1.0,)):
        self.boosts = tuple(float(boost) for boost in boosts)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position, offset = start_pos, start_char
        for number, part in enumerate(value.split(PART_SEPARATOR)):
            boost = self.boosts[min(number, len(self.boosts) - 1)]
            for match in WORD.finditer(part):
                token.text = match.group()
                token.boost = boost
                token.stopped = False
                if keeporiginal:
                    token.original = token.text
                if positions:
                    token.pos = position
                    position += 1
                if chars:
                    token.startchar = offset + match.start()
                    token.endchar = offset + match.end()
                yield token
            position += PART_GAP
            offset += len(part) + 1


def join_parts(*parts: str) -> str:
    """Parts for :class:`PartsTokenizer`, with any separator inside them removed."""
    return PART_SEPARATOR.join(part.replace(PART_SEPARATOR, " ") for part in parts)


def language_analyzer(lang: str, boosts=(1.0,)):
    """Tokenize (weighting each part by its boost), lower-case, fold and stem in ``lang``."""
    return PartsTokenizer(boosts) | LowercaseFilter() | FoldStemFilter(lang)


def restore_analyzer(lang: str):
    """Tokenize and lower-case; keep only the restore terms of words in ``lang``."""
    return RegexTokenizer() | LowercaseFilter() | RestoreFilter(lang)


def spelling_analyzer():
    """Tokenize words of letters, lower-case and fold: the did-you-mean vocabulary."""
    return RegexTokenizer(SPELLING_PATTERN) | LowercaseFilter() | FoldFilter()


WORD = re.compile(r"\w+(?:\.?\w+)*")  # what Whoosh's RegexTokenizer() takes for a word


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` as the analyzers tokenize them."""
    return [match.group().lower() for match in WORD.finditer(text)]


# ---------------------------------------------------------------- plain text of HTML

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "pre", "blockquote", "section", "article", "dt", "dd", "hr",
}
_SKIPPED_TAGS = {"script", "style", "template", "sup"}  # sup: footnote markers would glue digits to words
# Links that only repeat navigation: heading permalinks ("#") and footnote back-links ("↩").
_SKIPPED_LINK_CLASSES = {"headerlink", "footnote-backref"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipped_tags: list[str] = []  # open skipped elements, innermost last

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag in _SKIPPED_TAGS or (tag == "a" and _SKIPPED_LINK_CLASSES & classes):
            self.skipped_tags.append(tag)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.skipped_tags and tag == self.skipped_tags[-1]:
            self.skipped_tags.pop()
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipped_tags:
            self.parts.append(data)


def plain_text(body_html: str) -> str:
    """The readable text of rendered article HTML: no tags, entities decoded, blocks
    separated by newlines, runs of blanks collapsed (snippets must show no markup)."""
    extractor = _TextExtractor()
    extractor.feed(body_html or "")
    extractor.close()
    text = html.unescape("".join(extractor.parts))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- query syntax

MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 24
MAX_NESTING = 8
OPERATORS = ("AND", "OR", "NOT")


@dataclasses.dataclass(frozen=True)
class Word:
    text: str  # as typed, e.g. "Refunds" or "e-mail"


@dataclasses.dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Not:
    child: object


@dataclasses.dataclass(frozen=True)
class AllOf:
    children: tuple


@dataclasses.dataclass(frozen=True)
class AnyOf:
    children: tuple


@dataclasses.dataclass(frozen=True)
class ParsedQuery:
    """What the user asked for: a tree of :class:`Word`, :class:`Phrase`, :class:`Not`,
    :class:`AllOf` (and) and :class:`AnyOf` (or), or None when nothing searchable is left.
    ``is_plain`` says the syntax did not parse and the text is searched as plain words."""

    text: str
    root: object | None
    is_plain: bool = False

    def words(self) -> list[str]:
        """The bare words (not phrases, not negated), in order: what spelling can correct."""
        found: list[str] = []

        def walk(node, negated):
            if isinstance(node, Word) and not negated:
                found.append(node.text)
            elif isinstance(node, Not):
                walk(node.child, True)
            elif isinstance(node, (AllOf, AnyOf)):
                for child in node.children:
                    walk(child, negated)

        walk(self.root, False)
        return found


class QuerySyntaxError(ValueError):
    """The query does not parse; it is then searched as plain words."""


_QUERY_TOKEN = re.compile(r'"[^"]*"|[()]|[^\s()"]+')


def parse_query(text: str) -> ParsedQuery:
    """Parse a search box query: words (all required), ``"quoted phrases"``, ``-word`` or
    ``NOT word`` to exclude, ``OR`` between alternatives, ``AND``, and brackets.

    Anything that does not parse (unbalanced quotes or brackets, an operator with nothing
    to join, too deep nesting, too many words) is searched as its plain words instead, so
    a query never raises. Input is cut to :data:`MAX_QUERY_CHARS` characters.
    """
    text = (text or "")[:MAX_QUERY_CHARS]
    try:
        root = _Parser(text).parse()
    except QuerySyntaxError:
        return ParsedQuery(text, _plain_root(text), is_plain=True)
    parsed = ParsedQuery(text, root)
    if _count_words(root) > MAX_QUERY_WORDS:
        return ParsedQuery(text, _plain_root(text), is_plain=True)
    return parsed


def _plain_root(text: str):
    found = words(text)
    meaningful = [w for w in found if w.upper() not in OPERATORS]
    chosen = (meaningful or found)[:MAX_QUERY_WORDS]
    return AllOf(tuple(Word(w) for w in chosen)) if chosen else None


def _count_words(node) -> int:
    if isinstance(node, Word):
        return 1
    if isinstance(node, Phrase):
        return len(node.words)
    if isinstance(node, Not):
        return _count_words(node.child)
    if isinstance(node, (AllOf, AnyOf)):
        return sum(_count_words(child) for child in node.children)
    return 0


class _Parser:
    """Recursive descent over: or := and (OR and)* ; and := unary ([AND] unary)* ;
    unary := (NOT | -) unary | atom ; atom := word | "phrase" | ( or )."""

    def __init__(self, text: str):
        if text.count('"') % 2:
            raise QuerySyntaxError("unbalanced quotes")
        self.tokens = _QUERY_TOKEN.findall(text)
        self.position = 0
        self.depth = 0

    def parse(self):
        if not self.tokens:
            return None
        node = self._or()
        if self.position != len(self.tokens):
            raise QuerySyntaxError(f"unexpected {self.tokens[self.position]!r}")
        return node

    def _peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self):
        token = self._peek()
        self.position += 1
        return token

    def _or(self):
        children = [self._and()]
        while self._peek() == "OR":
            self._take()
            children.append(self._and())
        return children[0] if len(children) == 1 else AnyOf(tuple(children))

    def _and(self):
        children = [self._unary()]
        while self._peek() not in (None, ")", "OR"):
            if self._peek() == "AND":
                self._take()
            children.append(self._unary())
        return children[0] if len(children) == 1 else AllOf(tuple(children))

    def _unary(self):
        token = self._peek()
        if token == "NOT":
            self._take()
            return Not(self._unary())
        if token is not None and token.startswith("-") and len(token) > 1:
            self.tokens[self.position] = token[1:]
            return Not(self._unary())
        return self._atom()

    def _atom(self):
        token = self._take()
        if token is None or token == ")" or token in OPERATORS:
            raise QuerySyntaxError(f"expected a word, found {token!r}")
        if token == "(":
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise QuerySyntaxError("brackets nested too deep")
            node = self._or()
            if self._take() != ")":
                raise QuerySyntaxError("unclosed bracket")
            self.depth -= 1
            return node
        if token.startswith('"'):
            phrase_words = tuple(words(token[1:-1]))
            if not phrase_words:
                raise QuerySyntaxError("empty phrase")
            return Phrase(phrase_words) if len(phrase_words) > 1 else Word(phrase_words[0])
        return Word(token.lstrip("+") or token)
