"""The matcher: which moves an agent's message makes, with a confidence for each.

One message can make several moves ("Good morning, I'm sorry about that, may I have your
customer number?"), so the message is cut into segments (sentences, and the clauses of a
sentence between commas) and every move is scored against every segment; a move's
confidence is its best piece of evidence in any segment. A sentence keeps its closing
punctuation and any colon inside it ("Let me recap: ..."); the full stop of an abbreviation
such as "el." or "z. B." ends no sentence; a clause after a comma keeps the comma, so a
pattern can tell the start of a sentence (``^[^,\\w]*``) from that of any clause
(``^\\W*``). Three kinds of evidence, all per language and all offline:

- **rules**: a keyword phrase of the move found in the segment (compared as stemmed terms),
  or one of its regular expressions (``patterns``) matching the segment, gives high
  confidence. A pattern is tried on whole sentences, and one with a ``^`` or ``$`` anchor
  on every clause as well. It is matched case-insensitively with accents
  folded and apostrophes dropped ("can't" is "cant", "I'm" is "im"), in the case the user
  typed it, so a pattern may ask for a capital with ``(?-i:[A-Z])``; the pattern is folded
  the same way, so authors may write it with or without accents. ``\\?\\s*$`` finds a
  question, ``\\s*:`` a lead-in ("Let me recap:"). A move's ``unless`` patterns name
  statements that only look like it ("I have verified your identity" is no request for
  identification): a sentence that is not a question and matches one gives the move nothing,
  in any of its clauses; an ``unless`` pattern that asks for a question mark (``\\?``) rules
  out questions too ("Sorry, which model was it?" is no apology). A move about the
  customer's case (empathy, discovery, escalation, ...) is given ``off_topic`` patterns,
  the words of small talk (weather, sport, food, pets, films), and ``on_topic`` ones, the
  words of the case (router, invoice, tariff): a sentence, question or not, that speaks of
  small talk and not of the case makes no such move, so "I'm sorry I missed the concert"
  apologises to no one. A discovery question must also speak of the case, by its words or
  by its ``anchors`` (words that point back to it: "it", "that", "happen", "exactly"), so
  "How long have you lived in Brno?" asks nothing about the problem; a follow-up of up to
  ``ANCHORLESS_WORDS`` words ("Since when?") needs no anchor.
  Passages the agent quotes in double quotation marks are left out ("the screen says
  "Sorry, an error occurred"");
- **lexical similarity** to the move's examples: TF-IDF cosine over word terms made the way
  the search makes them (accents folded, Snowball-stemmed: ``academy.search.analysis``),
  where IDF is computed over all examples of the language, so words every move uses
  ("you", "please") weigh little; plus a character-trigram cosine that catches compounds
  and inflections the stemmer misses. Segments under ``SIMILARITY_MIN_WORDS`` words get
  none ("Labas" is too short to resemble anything), and a clause cut out of a sentence
  counts at ``CLAUSE_SIMILARITY`` of its cosine. A move that has patterns in the
  language counts the similarity only for a whole sentence, to examples that are questions
  when it is one and statements when it is not, and from ``PATTERN_MOVE_SIMILARITY`` up:
  its patterns describe it, and a loose resemblance is more often another move ("There's
  no need to transfer you" ~ "There's no need to shout");
- **typo tolerance**: a word that is none of the words the move library spells (in its
  examples, keywords and patterns) is replaced by the one such word one edit away (an
  insertion, a deletion, a substitution or a swap of two neighbours, but not in the ending,
  where inflected forms differ: "sekund" is no typo of "sekundu"), when there is
  exactly one, it starts with the same letter, and, for a word under five letters, has the
  same length ("custmer" -> "customer", but "terve" stays "terve", not "tere"). The corrected
  words feed the similarity, and the rules are tried on the message as typed and as
  corrected.

**Negation** cancels a piece of evidence for a move marked ``negatable`` ("I can't pass
this on" is no escalation, "No need to apologise" no apology) only where it governs the
evidence: a negation word ("not", "nemohu", "nicht", "negaliu", "ei") up to
``NEGATION_BEFORE`` words before it or up to ``NEGATION_AFTER_BY_LANG`` words after it in
the same clause (clauses end at commas, dashes and conjunctions such as "but", "so", "that",
"aber", "dass", "ale"), or among the words the evidence rests on. After the words, Czech,
Lithuanian and Estonian often put the negated verb last ("přepojit vás nemůžu") and German
its "nicht" ("In die Warteschleife lege ich Sie nicht"; "erst ..., wenn" counts as "not
before"), while English negates there seldom and at once ("a transfer is not possible"), so
its window is short and stops at a subject ("I'm sorry I can't help" still apologises). A
negated verb of opinion negates the clause it introduces ("I don't think we need to escalate
this", "Ich glaube nicht, dass ..."). A negation that a keyword or pattern spells out itself
("don't hang up", "nezavěšujte") is part of the move, not a negation of it; Czech and
Lithuanian nouns made with "ne" ("nepříjemnosti", "nepatogumai") negate nothing, nor does
"no" in "no problem" or "nothing" in "nothing else". So "No problem, I'll pass this to my
supervisor" and "I can't fix it myself, so I'm passing it to my supervisor" are escalations.
The other moves ignore negation.

A message whose best move stays under the threshold is *unknown*; the caller logs it.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from academy.search.analysis import WORD, fold, fold_text, stem, words

THRESHOLD = 0.5          # below this a move is not made
KEYWORD_CONFIDENCE = 0.9
PATTERN_CONFIDENCE = 0.85
WORD_WEIGHT = 0.75       # share of the word cosine in the similarity; the rest is trigrams
SIMILARITY_MIN_WORDS = 4 # a shorter segment ("Labas", "prašau") is too short to resemble an example
# A move with patterns in the language is described by them; the similarity to its examples
# then counts only from here up, since a loose resemblance ("There's no need to transfer you"
# ~ "There's no need to shout") is more often a different move than a rephrasing.
PATTERN_MOVE_SIMILARITY = 0.6
ANCHORLESS_WORDS = 3     # a question this short needs no anchor: it follows up on what was said
CLAUSE_SIMILARITY = 0.95 # a clause cut out of a sentence is short, so its cosine is less sure
NEGATION_BEFORE = 6      # words before the evidence a negation governs
NEGATION_AFTER = 3       # words after it ("... is not possible", "přepojit vás nemůžu")
# German puts "nicht" at the end of the clause ("In die Warteschleife lege ich Sie nicht"),
# and Czech, Lithuanian and Estonian often put the negated verb last ("Antrojo lygio
# specialistams to žiūrėti nereikia");
# English rarely negates after the words, and then right after them ("a transfer is not
# possible"), so there the window is shorter and stops at a subject ("sorry I can't ...").
NEGATION_AFTER_BY_LANG = {"en": 2, "de": 5, "cs": 4, "lt": 4, "et": 4}

# Words that negate what follows, folded. Czech and Lithuanian also negate by the prefix
# "ne" on the verb ("nemohu", "negaliu"): see ``_is_negation``.
NEGATIONS = {
    "en": {"not", "no", "never", "cannot", "cant", "wont", "dont", "unable", "nobody", "nothing",
           "isnt", "arent", "wasnt", "werent", "doesnt", "didnt", "couldnt", "wouldnt", "shouldnt",
           "hasnt", "havent", "hadnt", "mustnt", "neednt", "aint", "neither", "nor"},
    "cs": {"ne", "nelze", "nikdy", "nikdo", "nic", "neni", "nejde"},
    "de": {"nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "niemand",
           "nichts", "nee", "erst"},
    "lt": {"ne", "niekada", "niekas", "nieko", "negalima", "nera", "nei"},
    "et": {"ei", "mitte", "pole", "ara", "arge", "polnud", "poleks", "eiole"},
}
# "no" before these is no negation ("No problem, I'll transfer you").
# "nothing" before "else" neither ("If there's nothing else I can do, have a nice day").
_NOT_NEGATING_AFTER = {"en": {"no": {"problem", "problems", "worries", "worry", "doubt", "wonder"},
                              "nothing": {"else", "more", "further"}},
                       "cs": {"nic": {"dalsiho", "jineho", "vic", "vice"}},
                       "de": {"nichts": {"weiter", "mehr", "anderes"},
                              "erst": {"mal", "einmal", "recht"}},  # "erst ..., wenn": not before
                       "lt": {"nieko": {"daugiau", "kito"}}}
_NEGATING_PREFIX = {"cs": "ne", "lt": "ne"}
# Czech/Lithuanian words that start with "ne" without being negated verbs.
_NOT_NEGATED = {"cs": {"nejprve", "nejlepsi", "nebo", "nez", "nejake", "nejaky", "nejdrive", "nekdo", "neco",
                       "nekdy", "nejvic", "nejen", "nedele", "nedeli", "neprodlene", "nekde", "nekolik",
                       "nektery", "nektera", "nektere", "nejak", "nejaka", "nejakou", "nejakem", "necim",
                       "nekoho", "nekomu", "necemu", "neustale", "nedavno", "nedaleko", "nezbytne",
                       "nezbytny", "nemocnice", "nehledě", "nehlede"},
                "lt": {"nes", "net", "nei", "nebent", "neseniai", "netrukus", "nedelsiant", "nedelsdamas",
                       "nedelsdama", "nemokamai", "nemokamas", "nemokama", "nepaisant", "negu", "nedidelis",
                       "nedaug"}}
# Czech/Lithuanian nouns and adjectives made with "ne" ("nepříjemnosti", "nedorozumění",
# "nepatogumai"): they name a trouble, they do not negate a verb.
_NOT_NEGATED_PREFIXES = {"cs": ("neprijemn", "nedorozum", "nepohodl", "nesnaz", "nedostat", "neshod", "nefunkc",
                                "nesrovnal", "nespokoj", "nejasnost", "nezdar", "nepresnost", "nehod"),
                         "lt": ("nepatogum", "nesklandum", "nesusiprat", "nemalon", "nepasitenkin", "netiksl",
                                "nesekm", "nemokam")}
# English subjects: a negation after one of them belongs to a new clause ("I'm sorry I can't
# transfer you" still apologises).
SUBJECTS = {"en": {"i", "we", "you", "he", "she", "they", "im", "ive", "ill", "id", "were", "weve", "well",
                   "youre", "youve", "youll", "theyre", "theyll", "hes", "shes", "it", "its", "there", "theres",
                   "nobody", "noone", "someone", "somebody"}}
# Czech superlatives start with "nej" ("nejpozději"); of those words only these negate.
_CS_NEJ_NEGATING = {"nejsem", "nejsi", "nejsme", "nejste", "nejsou", "nejde", "nejdou", "nejedna", "nejede"}
# Verbs of opinion whose negation belongs to the clause they introduce ("I don't think we
# need to escalate this" is no escalation).
NEGATION_RAISERS = {
    "en": {"think", "believe", "suppose", "expect"},
    "cs": {"nemyslim", "nemyslime", "nepredpokladam", "nemyslel", "nemyslela", "myslim"},
    "de": {"glaube", "glauben", "denke", "denken", "meine", "finde", "nehme"},
    "lt": {"nemanau", "nemanome", "nemanyciau", "manau", "netikiu"},
    "et": {"arva", "arvan", "usu", "usun", "arvame", "usume"},
}
# Words that start a new clause: a negation before them does not reach past them.
CLAUSE_WORDS = {
    "en": {"but", "so", "and", "because", "then", "therefore", "however", "instead", "which", "who", "while",
           "although", "though", "or", "meanwhile", "that", "if", "unless", "until", "before", "when"},
    "cs": {"ale", "tak", "takze", "proto", "a", "protoze", "vsak", "ktery", "ktera", "ktere", "ktery",
           "nebo", "zatimco", "ovsem", "aby", "pak"},
    "de": {"aber", "sondern", "also", "deshalb", "daher", "und", "weil", "dann", "denn", "doch", "oder",
           "deswegen", "damit", "jedoch", "stattdessen", "dass", "wenn", "falls", "bevor",
           "bis", "sobald"},
    "lt": {"bet", "tad", "todel", "ir", "nes", "o", "taciau", "kuris", "kuri", "kurie", "arba", "tada",
           "taigi"},
    "et": {"aga", "siis", "seega", "ja", "sest", "kuid", "vaid", "kes", "mis", "voi", "nii", "seetottu"},
}
# A segment keeps its closing punctuation, so a pattern can tell a question ("...\\?$") or a
# lead-in ("Let me recap:") from a statement.
_SEGMENT = re.compile(r"[^.!?;…\n]+[.!?;…]*")
# Abbreviations whose full stop ends no sentence ("el. paštu", "z. B.", "Mr. Novak").
ABBREVIATIONS = {"el", "pvz", "tel", "nr", "mr", "mrs", "ms", "dr", "st", "eg", "ie", "etc", "vs", "bzw",
                 "ca", "usw", "vgl", "tzn", "napr", "atd", "apod", "tj", "resp", "pan", "pani", "hr", "fr", "sh",
                 "jne", "nt", "prof", "ing", "mgr", "max", "min"}
_LAST_WORD = re.compile(r"(\w+)\.$")
_CLAUSE = re.compile(r",?[^,]+")  # within a sentence
_CLAUSE_MARK = re.compile(r"[,;:()\[\]]|\s[-–—]\s|[–—]")


_QUOTED = re.compile(r'"[^"\n]{3,}"|“[^”\n]{3,}”|„[^“”\n]{3,}[“”]|«[^»\n]{3,}»|»[^«\n]{3,}«|‘[^’\n]{3,}’'
                     r"|(?<!\w)'[^'\n]{3,}'(?!\w)")  # single quotes: not an apostrophe inside a word


def unquoted(text: str) -> str:
    """``text`` without the passages it quotes in quotation marks: the agent who writes that
    the screen says "Sorry, something went wrong" apologises for nothing. A single quotation
    mark counts only outside a word, so "don't" and "customers' bills" quote nothing."""
    return _QUOTED.sub('""', text)


def sentences(text: str) -> list[str]:
    """``text`` cut after sentence-ending punctuation, except after an abbreviation or a
    single letter."""
    sentences: list[str] = []
    joined = False
    for piece in _SEGMENT.findall(text):
        if joined:
            sentences[-1] += piece
        else:
            sentences.append(piece)
        last = _LAST_WORD.search(piece.rstrip())
        joined = bool(last) and piece.rstrip().endswith(".") and not piece.rstrip().endswith("..") and (
            fold(last.group(1).lower()) in ABBREVIATIONS or (len(last.group(1)) == 1 and last.group(1).isalpha()))
    return sentences


@dataclass(frozen=True)
class MoveSpec:
    """What the matcher needs to know about one move in one language."""
    id: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    negatable: bool = False
    patterns: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()     # statements that only look like the move (see _evidence)
    off_topic: tuple[str, ...] = ()  # small talk, which makes no such move ...
    on_topic: tuple[str, ...] = ()   # ... unless the sentence also speaks of the case
    anchors: tuple[str, ...] = ()    # when given, a sentence must match these or on_topic


def compile_pattern(pattern: str) -> re.Pattern:
    """A move's regular expression, matched case-insensitively against accent-folded text;
    the pattern is folded the same way, so authors may write it with or without accents.
    Raises re.error for a broken one."""
    return re.compile(fold_text(pattern), re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    move: str
    confidence: float
    negated: bool = False


def _terms(lang: str, text: str) -> list[str]:
    return [fold(stem(lang, fold(word))) for word in words(_unapostrophe(text))]


def _unapostrophe(text: str) -> str:
    # "can't" -> "cant", "don't" -> "dont": one word, as NEGATIONS lists them.
    return re.sub(r"(\w)[’'`´](\w)", r"\1\2", text)


def _trigrams(text: str) -> Counter:
    grams: Counter = Counter()
    for word in words(fold_text(_unapostrophe(text))):
        padded = f" {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def _normalised(vector: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {term: value / norm for term, value in vector.items()} if norm else {}


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(term, 0.0) for term, value in a.items())


def _deletes(term: str) -> set[str]:
    return {term[:i] + term[i + 1:] for i in range(len(term))}


class _Speller:
    """Corrects a word to the only known word one edit away (symmetric-delete lookup)."""

    def __init__(self, known: Iterable[str]):
        self.known = frozenset(known)
        self._near: dict[str, set[str]] = {}
        for word in self.known:
            if len(word) >= 4:
                for deleted in _deletes(word) | {word}:
                    self._near.setdefault(deleted, set()).add(word)

    def correct(self, word: str) -> str:
        if word in self.known or len(word) < 4 or word.isdigit():
            return word
        candidates: set[str] = set()
        for deleted in _deletes(word) | {word}:
            candidates |= self._near.get(deleted, set())
        # A short word is more often another real word than a typo of it ("terve" is no
        # "tere"): to a word under five letters only a same-length slip is corrected.
        # Typists rarely miss the first letter, and a word that differs there is usually
        # another word ("Karten" is no "warten").
        candidates = {c for c in candidates if c[0] == word[0] and _one_edit(word, c)
                      and (len(c) >= 5 or len(c) == len(word))}
        return next(iter(candidates)) if len(candidates) == 1 else word


def _one_edit(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one insertion, deletion, substitution or swap of neighbours,
    not in the ending (the last letter, the last three of a word of seven or more): there two
    words of an inflected language differ ("sekund", "sekundu"; "prisidirbome", "-ote"), which
    is no typo (a swap of neighbours is: "slwo", "richitg")."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    ending = 3 if len(b) >= 7 else 1
    if len(a) < len(b):
        return start < len(b) - ending and a[start:] == b[start + 1:]
    if a[start + 1:start + 2] == b[start:start + 1] and a[start:start + 1] == b[start + 1:start + 2] \
            and a[start + 2:] == b[start + 2:]:
        return True
    return start < len(b) - ending and a[start + 1:] == b[start + 1:]


@dataclass
class _Example:
    words: dict[str, float]
    grams: dict[str, float]
    question: bool = False


@dataclass
class _Rule:
    """A keyword (a tuple of terms) or a compiled pattern, with the words it spells out itself
    (a negation among them is part of the move: "don't hang up")."""
    keyword: tuple[str, ...] = ()
    pattern: re.Pattern | None = None
    spelled: frozenset[str] = frozenset()
    anchored: bool = False           # has ^ or $: tried on every clause, not just the sentence


def _anchored(pattern: str) -> bool:
    """Whether a pattern has a ^ or $ anchor (outside character classes and escapes)."""
    bare = re.sub(r"\\.", "", pattern)
    bare = re.sub(r"\[(?:[^\]\\]|\\.)*\]", "", bare)
    return "^" in bare or "$" in bare


def _pattern_words(pattern: str) -> set[str]:
    """The whole words a pattern spells out ("expect" in "(expect|think)"), not its stems
    ("escalat" in "escalat\\w*") nor the pieces of optional letters ("gera" in "gera(e)?t")."""
    text = re.sub(r"\\b", " ", fold_text(pattern).lower())
    text = re.sub(r"\\.", "\0", text)
    return set(re.findall(r"(?<![a-z)\]\0])[a-z]{4,}(?![a-z(\[?*+{\0])", text))


def _spells(spelled: frozenset[str], token: str) -> bool:
    """Whether a rule spells ``token``: as a word, or as a stem of four letters or more
    ("neatsijung" in "neatsijung\\w*" spells "neatsijungti")."""
    return token in spelled or any(len(word) >= 4 and token.startswith(word) for word in spelled)


def _spelled_words(text: str, pattern: bool = False) -> frozenset[str]:
    folded = fold_text(_unapostrophe(text)).lower()
    if pattern:
        folded = re.sub(r"\\[a-z]", " ", folded)  # \b, \w, \s are no words
    return frozenset(re.findall(r"[^\W\d_]+", folded))


@dataclass
class _Move:
    spec: MoveSpec
    examples: list[_Example] = field(default_factory=list)
    keywords: list[_Rule] = field(default_factory=list)
    patterns: list[_Rule] = field(default_factory=list)
    unless: list[re.Pattern] = field(default_factory=list)
    off_topic: list[re.Pattern] = field(default_factory=list)
    on_topic: list[re.Pattern] = field(default_factory=list)
    anchors: list[re.Pattern] = field(default_factory=list)


@dataclass
class _Segment:
    """One segment, analysed once for all moves."""
    folded: str                      # accent-folded, apostrophes dropped, lower case
    tokens: list[str]                # its words
    cased: str                       # ``folded`` in the case the user typed it, for the patterns
    corrected: str                   # ``cased`` with unknown words spelled as known ones
    starts: list[int]                # character offset of each word in ``folded``
    ends: list[int]
    terms: list[str]                 # stemmed (and typo-corrected) term of each word
    clause: list[int]                # clause number of each word
    negations: list[int]             # indexes of the negation words
    word_vector: dict[str, float]
    grams: dict[str, float]
    is_clause: bool = False          # a clause cut out of a sentence, not the sentence
    topic_checks: dict = field(default_factory=dict)  # small-talk verdicts, shared by the moves


class Matcher:
    """Scores messages in one language against a set of moves. Build once per scenario
    and language (building is the costly part); ``match`` is cheap and deterministic."""

    def __init__(self, lang: str, moves: Iterable[MoveSpec], threshold: float = THRESHOLD):
        self.lang = lang
        self.threshold = threshold
        specs = list(moves)
        documents = [_terms(lang, example) for spec in specs for example in spec.examples]
        frequency = Counter(term for document in documents for term in set(document))
        count = max(len(documents), 1)
        self.idf = {term: math.log((1 + count) / (1 + df)) + 1.0 for term, df in frequency.items()}
        self.unknown_idf = math.log(1 + count) + 1.0
        self.vocabulary = frozenset(frequency)
        surface = {word for spec in specs for text in spec.examples + spec.keywords
                   for word in words(fold_text(_unapostrophe(text)))}
        surface |= {word for spec in specs for pattern in spec.patterns for word in _pattern_words(pattern)}
        self._words_speller = _Speller(surface)
        self.negations = NEGATIONS.get(lang, set())
        self.clause_words = CLAUSE_WORDS.get(lang, set())
        self.negation_after = NEGATION_AFTER_BY_LANG.get(lang, NEGATION_AFTER)
        self.subjects = SUBJECTS.get(lang, set())
        self.moves = [self._prepare(spec) for spec in specs]

    def _prepare(self, spec: MoveSpec) -> _Move:
        move = _Move(spec)
        for example in spec.examples:
            move.examples.append(_Example(self._word_vector(_terms(self.lang, example)),
                                          _normalised(_trigrams(example)), example.rstrip().endswith("?")))
        move.keywords = [_Rule(keyword=tuple(_terms(self.lang, keyword)), spelled=_spelled_words(keyword))
                         for keyword in spec.keywords if keyword.strip()]
        move.patterns = [_Rule(pattern=compile_pattern(pattern), spelled=_spelled_words(pattern, pattern=True),
                               anchored=_anchored(pattern)) for pattern in spec.patterns]
        move.unless = [compile_pattern(pattern) for pattern in spec.unless]
        move.off_topic = [compile_pattern(pattern) for pattern in spec.off_topic]
        move.on_topic = [compile_pattern(pattern) for pattern in spec.on_topic]
        move.anchors = [compile_pattern(pattern) for pattern in spec.anchors]
        return move

    def _word_vector(self, terms: list[str]) -> dict[str, float]:
        counts = Counter(terms)
        return _normalised({term: (1 + math.log(n)) * self.idf.get(term, self.unknown_idf)
                            for term, n in counts.items()})

    def _is_negation(self, folded: str, following: str | None = None) -> bool:
        if folded in self.negations:
            return following not in _NOT_NEGATING_AFTER.get(self.lang, {}).get(folded, ())
        prefix = _NEGATING_PREFIX.get(self.lang)
        if not (prefix and folded.startswith(prefix) and len(folded) > 4):
            return False
        if folded in _NOT_NEGATED.get(self.lang, ()) or folded.startswith(_NOT_NEGATED_PREFIXES.get(self.lang, ())):
            return False
        return not (self.lang == "cs" and folded.startswith("nej") and folded not in _CS_NEJ_NEGATING)

    def segments(self, text: str) -> list[str]:
        """Sentences, and the clauses of sentences that have commas."""
        return [segment for segment, _is_clause in self._segments(text)]

    def _segments(self, text: str) -> list[tuple[str, bool]]:
        """(segment, whether it is a clause cut out of a sentence). A clause whose negation
        goes with a verb of opinion stays joined to the next one, which it negates."""
        found = []
        for sentence in sentences(text):
            if sentence.strip():
                found.append((sentence, False))
                clauses: list[str] = []
                for piece in _CLAUSE.findall(sentence):  # each after the first starts with its comma
                    if clauses and self._raises_negation(clauses[-1]):
                        clauses[-1] += piece
                    elif piece.strip(", "):
                        clauses.append(piece)
                if len(clauses) > 1:
                    found += [(piece, True) for piece in clauses]
        return found or [(text, False)]

    def _raises_negation(self, clause: str) -> bool:
        tokens = words(fold_text(_unapostrophe(clause)).lower())
        raisers = NEGATION_RAISERS.get(self.lang, set())
        return any(token in raisers for token in tokens) and any(
            self._is_negation(token, tokens[i + 1] if i + 1 < len(tokens) else None) for i, token in enumerate(tokens))

    def _analyse(self, segment: str, is_clause: bool = False) -> _Segment:
        cased = fold_text(_unapostrophe(segment))
        folded = cased.lower()
        if len(folded) != len(cased):
            cased = folded  # a rare letter whose lower case is longer: spans must stay aligned
        found = list(WORD.finditer(folded))
        tokens = [m.group() for m in found]
        respelled = [self._words_speller.correct(token) for token in tokens]
        terms = [fold(stem(self.lang, word)) for word in respelled]
        clause, number, previous_end = [], 0, 0
        for index, m in enumerate(found):
            if _CLAUSE_MARK.search(folded, previous_end, m.start()) or (index and tokens[index] in self.clause_words):
                number += 1
            clause.append(number)
            previous_end = m.end()
        negations = [i for i, token in enumerate(tokens)
                     if self._is_negation(token, tokens[i + 1] if i + 1 < len(tokens) else None)]
        pieces, previous = [], 0
        for m, word in zip(found, respelled):
            pieces += [cased[previous:m.start()], cased[m.start():m.end()] if word == m.group() else word]
            previous = m.end()
        corrected = "".join(pieces) + cased[previous:]
        return _Segment(folded, tokens, cased, corrected, [m.start() for m in found], [m.end() for m in found], terms, clause,
                        negations, self._word_vector(terms), _normalised(_trigrams(segment)), is_clause)

    def _governed(self, seg: _Segment, first: int, last: int, spelled: frozenset[str] | None) -> bool:
        """Whether a negation governs the words ``first``..``last`` of ``seg``. ``spelled``:
        the rule's own words, whose negations are part of the move; None for similarity."""
        if first > last:
            return False
        clauses = set(seg.clause[first:last + 1])
        for i in seg.negations:
            if first == i == last:
                continue  # the negation word itself
            if first <= i <= last:
                if spelled is None or not _spells(spelled, seg.tokens[i]):
                    return True
            elif first - NEGATION_BEFORE <= i < first and (
                    seg.clause[i] in clauses or (seg.clause[i] + 1 in clauses and self._raised(seg, i))):
                return True
            elif (seg.clause[i] in clauses and last < i <= last + self.negation_after
                  and not self.subjects.intersection(seg.tokens[last + 1:i])):
                return True
        return False

    def _raised(self, seg: _Segment, i: int) -> bool:
        """Whether the negation ``i`` goes with a verb of opinion ("I don't think", "ich glaube
        nicht, dass", "nemyslím, že", "ma ei arva, et"), which negates the clause that follows."""
        raisers = NEGATION_RAISERS.get(self.lang, set())
        return any(token in raisers for token in seg.tokens[max(0, i - 2):i + 3])

    def _words_in(self, seg: _Segment, start: int, end: int) -> tuple[int, int]:
        inside = [i for i in range(len(seg.starts)) if seg.starts[i] < end and seg.ends[i] > start]
        return (inside[0], inside[-1]) if inside else (0, -1)

    @staticmethod
    def _unless(move: _Move, sentence: _Segment) -> bool:
        """Whether one of the move's ``unless`` patterns rules out the whole sentence (and so
        each of its clauses): any of them for a statement, those asking for a question mark
        for a question ("Sorry, which model was it?" asks, it does not apologise)."""
        if not move.unless:
            return False
        question = sentence.folded.rstrip().endswith("?")
        return any(p.search(sentence.cased) for p in move.unless if not question or r"\?" in p.pattern)

    @staticmethod
    def _small_talk(move: _Move, sentence: _Segment) -> bool:
        """Whether the sentence speaks of small talk and not of the customer's case, and so
        makes none of the moves about the case ("Have you seen the new Bond film?"), or,
        for a move with anchors, speaks of nothing that points to the case at all."""
        if not move.off_topic and not move.anchors:
            return False

        def found(patterns: tuple[str, ...], compiled: list[re.Pattern]) -> bool:
            # the topical moves share their lists, so each sentence is searched once per list
            if patterns not in sentence.topic_checks:
                texts = {sentence.cased, sentence.corrected}  # as typed and with typos corrected
                sentence.topic_checks[patterns] = any(p.search(text) for p in compiled for text in texts)
            return sentence.topic_checks[patterns]

        on_topic = found(move.spec.on_topic, move.on_topic)
        if not on_topic and found(move.spec.off_topic, move.off_topic):
            return True
        if not move.anchors or len(sentence.tokens) <= ANCHORLESS_WORDS:
            return False  # a short follow-up ("Since when?", "Seit wann genau?") points back by itself
        return not on_topic and not found(move.spec.anchors, move.anchors)

    def _evidence(self, move: _Move, seg: _Segment, sentence: _Segment) -> tuple[float, float]:
        """(best confidence, best confidence not cancelled by a negation) for one segment of
        ``sentence`` (the segment itself when it is a whole sentence)."""
        best_example, similarity = None, 0.0
        question = seg.folded.rstrip().endswith("?")
        if self._unless(move, sentence) or self._small_talk(move, sentence):
            return 0.0, 0.0  # a statement that only looks like the move ("I have verified your identity")
        for example in (move.examples if len(seg.terms) >= SIMILARITY_MIN_WORDS else ()):
            if move.patterns and example.question != question:
                continue  # a statement is no rephrasing of a question, nor the other way round
            value = WORD_WEIGHT * _dot(seg.word_vector, example.words) + (1 - WORD_WEIGHT) * _dot(seg.grams, example.grams)
            if value > similarity:
                best_example, similarity = example, value
        if move.patterns and (similarity < PATTERN_MOVE_SIMILARITY or seg.is_clause):
            similarity = 0.0  # a move its patterns describe counts only a sentence's close resemblance
        elif seg.is_clause:
            similarity *= CLAUSE_SIMILARITY
        found = [(similarity, None, None)]  # (confidence, (first, last) words, rule words)
        for rule in move.keywords:
            width = len(rule.keyword)
            for i in range(len(seg.terms) - width + 1):
                if tuple(seg.terms[i:i + width]) == rule.keyword:
                    found.append((KEYWORD_CONFIDENCE, (i, i + width - 1), rule.spelled))
        for rule in move.patterns:
            if seg.is_clause and not rule.anchored:
                continue  # the whole sentence was tried, and lookarounds see all of it there
            texts = (seg.cased,) if seg.corrected == seg.cased else (seg.cased, seg.corrected)
            for text in texts:
                for m in rule.pattern.finditer(text):
                    found.append((PATTERN_CONFIDENCE, self._words_in(seg, *m.span()), rule.spelled))
        best = max(confidence for confidence, _, _ in found)
        if not move.spec.negatable or not seg.negations:
            return best, best
        kept = 0.0
        for confidence, span, spelled in found:
            if span is None:
                governed = best_example is not None and self._similarity_governed(seg, best_example)
            else:
                governed = self._governed(seg, span[0], span[1], spelled)
            if not governed:
                kept = max(kept, confidence)
        return best, kept

    def _similarity_governed(self, seg: _Segment, example: _Example) -> bool:
        """Whether negations govern the words carrying at least half the word similarity."""
        share = {term: seg.word_vector[term] * weight for term, weight in example.words.items()
                 if term in seg.word_vector}
        total = sum(share.values())
        if not total:
            return False
        governed = sum(share[term] for term in share
                       if any(self._governed(seg, i, i, None) for i, t in enumerate(seg.terms) if t == term))
        return governed >= total / 2

    def scores(self, text: str) -> dict[str, Match]:
        """Every move's best confidence over the segments of ``text``."""
        best: dict[str, Match] = {}
        sentence = None
        for segment, is_clause in self._segments(unquoted(text)):
            seg = self._analyse(segment, is_clause)
            if not is_clause or sentence is None:
                sentence = seg
            for move in self.moves:
                found, kept = self._evidence(move, seg, sentence)
                is_negated = kept < found and kept < self.threshold <= found
                current = best.get(move.spec.id)
                if current is None or kept > current.confidence:
                    best[move.spec.id] = Match(move.spec.id, round(kept, 4), is_negated)
        return best

    def match(self, text: str) -> list[Match]:
        """The moves ``text`` makes, most confident first; empty when it makes none."""
        made = [m for m in self.scores(text).values() if m.confidence >= self.threshold]
        return sorted(made, key=lambda m: (-m.confidence, m.move))
