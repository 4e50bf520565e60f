"""Reading the move library (``courses/moves.yaml``) and scenario files
(``courses/<course>/scenarios/<id>.md`` or ``<id>.<lang>.md``) into ``definitions``.

Every problem is collected as a ``ContentProblem`` (``PATH:LINE: message``) rather than
stopping at the first. What needs the database (do the required articles exist?) is left
to the caller: ``ParsedScenario.article_refs`` lists each slug with its line.
"""
from __future__ import annotations

import dataclasses
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from academy.config import LANGUAGES
from academy.content_errors import ContentProblem
from academy.practice import yamllines
from academy.practice.definitions import (
    CHANNELS, CONDITION_ROOTS, DEFAULT_EFFECTS, ENDS, Criterion, Effect, Expect, Line, Move, Persona,
    Scenario, State,
)
from academy.practice.expressions import Expression, ExpressionError, compile_expression
from academy.practice.matcher import compile_pattern

LIBRARY_FILE = "moves.yaml"
SMALL_TALK = "small_talk"  # the library's section of small-talk words, not a move
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FILE_NAME = re.compile(r"^(?P<id>[a-z0-9][a-z0-9_-]*?)(?:\.(?P<lang>[a-z]{2}))?\.md$")
_LEAVE = {"en": "That's it, I've had enough. Goodbye.", "cs": "Tak to stačí, už toho mám dost. Na shledanou.",
          "de": "Jetzt reicht es mir. Auf Wiederhören.", "lt": "Užteks, man jau gana. Viso gero.",
          "et": "Aitab, mul on sellest kõrini. Head aega."}
EVIDENCE_KEYS = {"move", "by_turn", "before_move", "kb_opened", "absent_move", "end", "record_matches",
                 "max_minutes", "action", "moves_all"}
ACTIONS = ("escalate", "hold", "record", "open_article", "search")


@dataclass
class LibraryMove:
    id: str
    label: dict[str, str]     # per language, like hint and better; a plain string in the file is English
    hint: dict[str, str]
    better: dict[str, str]
    effect: Effect
    examples: dict[str, tuple[str, ...]]
    keywords: dict[str, tuple[str, ...]]
    negatable: bool
    line: int
    patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unless: dict[str, tuple[str, ...]] = field(default_factory=dict)
    off_topic: dict[str, tuple[str, ...]] = field(default_factory=dict)  # set for a topical move
    on_topic: dict[str, tuple[str, ...]] = field(default_factory=dict)
    anchors: dict[str, tuple[str, ...]] = field(default_factory=dict)  # set for a move that needs them

    def move_in(self, lang: str) -> Move:
        """This library move as a scenario in ``lang`` uses it. The label and hint fall back to English;
        a language without its own model phrasing shows the move's first example instead."""
        label = self.label.get(lang) or self.label.get("en") or self.id
        return Move(id=self.id, label=label, examples=self.examples.get(lang, ()),
                    keywords=self.keywords.get(lang, ()), negatable=self.negatable,
                    hint=self.hint.get(lang) or self.hint.get("en", ""), better=self.better.get(lang, ""),
                    effect=self.effect,
                    patterns=self.patterns.get(lang, ()), unless=self.unless.get(lang, ()),
                    off_topic=self.off_topic.get(lang, ()), on_topic=self.on_topic.get(lang, ()),
                    anchors=self.anchors.get(lang, ()))


@dataclass
class ParsedScenario:
    scenario: Scenario | None
    article_refs: list[tuple[str, int]] = field(default_factory=list)
    source: str = ""


class _Problems:
    def __init__(self, path: str):
        self.path = path
        self.items: list[ContentProblem] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(ContentProblem(self.path, line, message))


def _text(value, default: str = "") -> str:
    return value.strip() if isinstance(value, str) else default


def _strings(value) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def _number(value, name, line, problems, low=None, high=None, default=None):
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.add(line, f"'{name}' must be a number, not {value!r}")
        return default
    if (low is not None and value < low) or (high is not None and value > high):
        problems.add(line, f"'{name}' must be between {low} and {high}, not {value}")
        return default
    return value


def _effect(value, name, line, problems, base: Effect = Effect()) -> Effect:
    if value is None:
        return base
    if not isinstance(value, dict):
        problems.add(line, f"the effect of '{name}' must be a mapping like {{mood: -10, decay: 0.5}}")
        return base
    unknown = set(value) - {"mood", "patience", "decay"}
    if unknown:
        problems.add(line, f"unknown effect key(s) {', '.join(sorted(map(str, unknown)))} for '{name}'")
    return Effect(
        mood=_number(value.get("mood"), f"{name}.mood", line, problems, -100, 100, base.mood),
        patience=_number(value.get("patience"), f"{name}.patience", line, problems, -100, 100, base.patience),
        decay=_number(value.get("decay"), f"{name}.decay", line, problems, 0, 1, base.decay),
    )


def _unknown_keys(mapping, allowed, problems, where):
    for key in mapping:
        if key not in allowed:
            problems.add(mapping.line_of(key), f"unknown key '{key}' in {where}")


# ------------------------------------------------------------------ the move library

def _check_patterns(patterns, name, line, problems) -> None:
    for pattern in patterns:
        try:
            compile_pattern(pattern)
        except re.error as error:
            problems.add(line, f"'{name}': the regular expression {pattern!r} is broken ({error})")


def read_library(path: Path, shown: str) -> tuple[dict[str, LibraryMove], list[ContentProblem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return {}, [ContentProblem(shown, 1, "the file is not UTF-8 text")]
    return parse_library(text, shown)


def parse_library(text: str, shown: str = LIBRARY_FILE) -> tuple[dict[str, LibraryMove], list[ContentProblem]]:
    problems = _Problems(shown)
    try:
        data = yamllines.load(text)
    except yaml.YAMLError as error:
        problems.add(yamllines.error_line(error), f"broken YAML: {yamllines.error_reason(error)}")
        return {}, problems.items
    if not isinstance(data, dict):
        problems.add(1, "the move library must map move ids to their definitions")
        return {}, problems.items
    moves = {}
    off_topic, on_topic, anchors = _small_talk(data.get(SMALL_TALK), data.line_of(SMALL_TALK), problems)
    for move_id, spec in data.items():
        line = data.line_of(move_id)
        if move_id == SMALL_TALK:
            continue
        if not isinstance(move_id, str) or not _ID.match(move_id):
            problems.add(line, f"move id {move_id!r} must be lower-case letters, digits, '-' or '_'")
            continue
        if not isinstance(spec, dict):
            problems.add(line, f"move '{move_id}' must be a mapping")
            continue
        _unknown_keys(spec, {"label", "hint", "better", "effects", "examples", "keywords", "patterns", "unless",
                             "negatable", "topical"},
                      problems, f"move '{move_id}'")
        examples = _per_language(spec.get("examples"), f"{move_id}.examples", spec.line_of("examples"), problems)
        for lang in LANGUAGES:
            if not examples.get(lang):
                problems.add(spec.line_of("examples"), f"move '{move_id}' has no examples in '{lang}'")
        moves[move_id] = LibraryMove(
            id=move_id, label=_localised(spec.get("label"), f"{move_id}.label", spec.line_of("label"), problems),
            hint=_localised(spec.get("hint"), f"{move_id}.hint", spec.line_of("hint"), problems),
            better=_localised(spec.get("better"), f"{move_id}.better", spec.line_of("better"), problems),
            effect=_effect(spec.get("effects"), move_id, spec.line_of("effects"), problems),
            examples=examples,
            keywords=_per_language(spec.get("keywords"), f"{move_id}.keywords", spec.line_of("keywords"), problems),
            negatable=spec.get("negatable") is True, line=line,
            patterns=_per_language(spec.get("patterns"), f"{move_id}.patterns", spec.line_of("patterns"), problems),
            unless=_per_language(spec.get("unless"), f"{move_id}.unless", spec.line_of("unless"), problems))
        topical = spec.get("topical", False)
        if topical in (True, "anchored"):
            moves[move_id].off_topic, moves[move_id].on_topic = off_topic, on_topic
            if topical == "anchored":
                moves[move_id].anchors = anchors
        elif topical is not False:
            problems.add(spec.line_of("topical"), f"'{move_id}.topical' must be true, false or 'anchored'")
        for key in ("patterns", "unless"):
            for lang, patterns in getattr(moves[move_id], key).items():
                _check_patterns(patterns, f"{move_id}.{key}.{lang}", spec[key].line_of(lang), problems)
    return moves, problems.items


def _small_talk(section, line, problems) -> tuple[dict[str, tuple[str, ...]], ...]:
    """The library's ``small_talk`` section: per language, the patterns of small talk
    (``topics``), of the customer's case (``case``) and of words pointing back to it
    (``anchors``) that topical moves are checked against."""
    keys = ("topics", "case", "anchors")
    if section is None:
        return {}, {}, {}
    if not isinstance(section, dict):
        problems.add(line, f"'{SMALL_TALK}' must map {', '.join(map(repr, keys))} to patterns per language")
        return {}, {}, {}
    _unknown_keys(section, set(keys), problems, f"'{SMALL_TALK}'")
    found = []
    for key in keys:
        patterns = _per_language(section.get(key), f"{SMALL_TALK}.{key}", section.line_of(key), problems)
        for lang, texts in patterns.items():
            _check_patterns(texts, f"{SMALL_TALK}.{key}.{lang}", section[key].line_of(lang), problems)
        found.append(patterns)
    return tuple(found)


def _by_language(value, name, line, problems, convert, one: str, many: str) -> dict:
    """A mapping of languages to values ``convert`` accepts (it returns None for a bad one)."""
    if not isinstance(value, dict):
        problems.add(line, f"'{name}' must map languages to {many}")
        return {}
    result = {}
    for lang, item in value.items():
        converted = convert(item)
        if lang not in LANGUAGES:
            problems.add(value.line_of(lang), f"unknown language '{lang}' in '{name}'")
        elif converted is None:
            problems.add(value.line_of(lang), f"'{name}.{lang}' must be a {one}")
        else:
            result[lang] = converted
    return result


def _localised(value, name, line, problems) -> dict[str, str]:
    """A text that is either one string (English) or a mapping of languages to strings."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"en": value.strip()}
    return _by_language(value, name, line, problems,
                        lambda text: text.strip() if isinstance(text, str) and text.strip() else None, "text", "texts")


def _per_language(value, name, line, problems) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    return _by_language(value, name, line, problems, _strings, "list of texts", "lists of texts")


# ------------------------------------------------------------------ scenario files

def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(yaml, body, file line where the body starts), or None when there is no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return None


def _split_notes(body: str) -> tuple[str, str]:
    match = re.search(r"^##\s+Trainer notes\s*$", body, flags=re.MULTILINE | re.IGNORECASE)
    if not match:
        return body.strip(), ""
    return body[:match.start()].strip(), body[match.end():].strip()


class _ScenarioReader:
    """Builds one Scenario from its front matter, collecting problems."""

    def __init__(self, data, problems: _Problems, library: dict[str, LibraryMove], file_id: str,
                 file_lang: str | None, course: str):
        self.data, self.problems, self.library = data, problems, library
        self.file_id, self.file_lang, self.course = file_id, file_lang, course
        self.article_refs: list[tuple[str, int]] = []

    def line(self, key) -> int:
        return self.data.line_of(key)

    def condition(self, source, line) -> Expression | None:
        if source is None:
            return None
        try:
            expression = compile_expression(source if isinstance(source, str) else "")
        except ExpressionError as error:
            self.problems.add(line, f"condition {source!r}: {error}")
            return None
        for name in expression.names:
            if name[0] not in CONDITION_ROOTS:
                roots = ", ".join(sorted(CONDITION_ROOTS))
                self.problems.add(line, f"condition {source!r} reads '{name[0]}'; conditions can read {roots}")
            elif name[0] in ("moves", "made") and len(name) > 1 and name[1] not in self.move_ids:
                self.problems.add(line, f"condition {source!r} names the undefined move '{name[1]}'")
        return expression

    def lines_of(self, value, line, name) -> tuple[Line, ...]:
        """Customer lines: a text, a list of texts, or a list of {say, when}."""
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        result = []
        for index, item in enumerate(items):
            item_line = items.line_of(index) if isinstance(items, yamllines.LineList) else line
            if isinstance(item, str) and item.strip():
                result.append(Line(item.strip()))
            elif isinstance(item, dict) and isinstance(item.get("say"), str) and item["say"].strip():
                _unknown_keys(item, {"say", "when"}, self.problems, name)
                result.append(Line(item["say"].strip(), self.condition(item.get("when"), item_line)))
            else:
                self.problems.add(item_line, f"each line of '{name}' must be a text or {{say: ..., when: ...}}")
        return tuple(result)

    def read(self) -> Scenario | None:
        data, problems = self.data, self.problems
        _unknown_keys(data, {"id", "version", "title", "lang", "channel", "difficulty", "limits", "persona",
                             "facts", "reveal", "policy", "kb", "uses", "moves", "effects", "start", "states",
                             "end_when", "record", "rubric", "pass_mark", "leave_line"}, problems, "the scenario")
        for key in ("id", "title", "lang", "channel", "persona", "states", "rubric"):
            if key not in data:
                problems.add(data.line, f"missing '{key}'")
        scenario_id = data.get("id")
        if scenario_id is not None and scenario_id != self.file_id:
            problems.add(self.line("id"), f"id '{scenario_id}' does not match the file name ('{self.file_id}')")
        lang = data.get("lang")
        if lang is not None and lang not in LANGUAGES:
            problems.add(self.line("lang"), f"unknown language '{lang}' (use one of {', '.join(LANGUAGES)})")
            lang = None
        if lang and self.file_lang and lang != self.file_lang:
            problems.add(self.line("lang"), f"lang '{lang}' does not match the file name ('.{self.file_lang}.md')")
        channel = data.get("channel")
        if channel is not None and channel not in CHANNELS:
            problems.add(self.line("channel"), f"unknown channel '{channel}' (use one of {', '.join(CHANNELS)})")
        if not lang:
            return None
        self.lang = lang
        self.moves = self.read_moves()
        self.move_ids = set(self.moves)
        effects = self.read_effects()
        persona = self.read_persona()
        facts = self.read_facts()
        reveal = self.read_reveal(facts)
        states, start = self.read_states()
        end_when = self.read_end_when()
        rubric = self.read_rubric()
        kb = data.get("kb") or {}
        kb_required = ()
        if not isinstance(kb, dict) or (kb.get("required") is not None and _strings(kb.get("required")) is None):
            problems.add(self.line("kb"), "'kb' must be like {required: [article-slug, ...]}")
        else:
            kb_required = _strings(kb.get("required")) or ()
            self.article_refs += [(slug, self.line("kb")) for slug in kb_required]
        limits = data.get("limits") or {}
        if not isinstance(limits, dict):
            problems.add(self.line("limits"), "'limits' must be like {max_turns: 20, target_minutes: 8}")
            limits = {}
        max_turns = _number(limits.get("max_turns"), "limits.max_turns", self.line("limits"), problems, 1, 200, 30)
        target = _number(limits.get("target_minutes"), "limits.target_minutes", self.line("limits"), problems,
                         0.5, 600, None)
        record = data.get("record") or {}
        if not isinstance(record, dict):
            problems.add(self.line("record"), "'record' must be like {nature: complaint, resolution: ..., escalated: true}")
            record = {}
        version = data.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            problems.add(self.line("version"), f"'version' must be a whole number from 1, not {version!r}")
            version = 1
        difficulty = _number(data.get("difficulty"), "difficulty", self.line("difficulty"), problems, 1, 5, 1)
        pass_mark = _number(data.get("pass_mark"), "pass_mark", self.line("pass_mark"), problems, 0, 100, 70)
        if problems.items or not persona or not states:
            return None
        return Scenario(
            id=self.file_id, version=version, lang=lang, title=_text(data.get("title")), channel=channel,
            course=self.course, difficulty=int(difficulty), persona=persona, facts=facts, reveal=reveal,
            policy=dict(data.get("policy") or {}), kb_required=kb_required, moves=self.moves, effects=effects,
            states=states, start=start, end_when=end_when, record=dict(record), rubric=tuple(rubric),
            pass_mark=float(pass_mark), max_turns=int(max_turns), target_minutes=target,
            leave_line=_text(data.get("leave_line"), _LEAVE[lang]), briefing_md="", trainer_notes_md="")

    def read_moves(self) -> dict[str, Move]:
        data, problems, lang = self.data, self.problems, self.lang
        uses = data.get("uses") or []
        if not isinstance(uses, list):
            problems.add(self.line("uses"), "'uses' must be a list of move ids from the move library")
            uses = []
        moves: dict[str, Move] = {}
        for index, move_id in enumerate(uses):
            line = uses.line_of(index)
            known = self.library.get(move_id) if isinstance(move_id, str) else None
            if known is None:
                problems.add(line, f"'{move_id}' is not in the move library ({LIBRARY_FILE})")
                continue
            moves[move_id] = known.move_in(lang)
        own = data.get("moves") or {}
        if not isinstance(own, dict):
            problems.add(self.line("moves"), "'moves' must map move ids to their definitions")
            own = {}
        for move_id, spec in own.items():
            line = own.line_of(move_id)
            if not isinstance(move_id, str) or not _ID.match(move_id) or move_id in DEFAULT_EFFECTS:
                problems.add(line, f"move id {move_id!r} must be lower-case letters, digits, '-' or '_' "
                                   f"and not one of {', '.join(DEFAULT_EFFECTS)}")
                continue
            if not isinstance(spec, dict):
                problems.add(line, f"move '{move_id}' must be a mapping")
                continue
            _unknown_keys(spec, {"label", "examples", "keywords", "patterns", "negatable", "hint", "better",
                                 "requires_kb", "wrong", "effects"}, problems, f"move '{move_id}'")
            base = moves.get(move_id) or (Move(move_id, move_id, ()) if move_id not in self.library else None)
            if base is None:  # extending a library move the scenario forgot to list in 'uses'
                base = self.library[move_id].move_in(lang)
            examples = self.texts_in_language(spec.get("examples"), f"{move_id}.examples", spec.line_of("examples"))
            keywords = self.texts_in_language(spec.get("keywords"), f"{move_id}.keywords", spec.line_of("keywords"))
            patterns = self.texts_in_language(spec.get("patterns"), f"{move_id}.patterns", spec.line_of("patterns"))
            _check_patterns(patterns, f"{move_id}.patterns", spec.line_of("patterns"), problems)
            requires_kb = spec.get("requires_kb")
            if requires_kb is not None:
                if not isinstance(requires_kb, str):
                    problems.add(spec.line_of("requires_kb"), f"'{move_id}.requires_kb' must be an article slug")
                    requires_kb = None
                else:
                    self.article_refs.append((requires_kb, spec.line_of("requires_kb")))
            wrong = spec.get("wrong") is True
            effect = _effect(spec.get("effects"), move_id, spec.line_of("effects"), problems,
                             DEFAULT_EFFECTS["wrong"] if wrong else base.effect)
            moves[move_id] = Move(
                id=move_id, label=_text(spec.get("label"), base.label), examples=base.examples + examples,
                keywords=base.keywords + keywords, patterns=base.patterns + patterns, unless=base.unless,
                off_topic=base.off_topic, on_topic=base.on_topic, anchors=base.anchors,
                negatable=spec["negatable"] is True if "negatable" in spec else base.negatable,
                hint=_text(spec.get("hint"), base.hint), better=_text(spec.get("better"), base.better),
                effect=effect, requires_kb=requires_kb, wrong=wrong)
        for move_id, move in moves.items():
            if not move.examples:
                line = own.line_of(move_id) if move_id in own else self.line("uses")
                problems.add(line, f"move '{move_id}' has no examples in the scenario's language '{lang}'")
        return moves

    def texts_in_language(self, value, name, line) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, dict):
            chosen = value.get(self.lang)
            if chosen is None:
                return ()
            value, line = chosen, value.line_of(self.lang)
        strings = _strings(value)
        if strings is None:
            self.problems.add(line, f"'{name}' must be a list of texts (or map languages to lists)")
            return ()
        return strings

    def read_effects(self) -> dict[str, Effect]:
        value = self.data.get("effects") or {}
        effects = dict(DEFAULT_EFFECTS)
        if not isinstance(value, dict):
            self.problems.add(self.line("effects"), "'effects' must map move ids to {mood, patience, decay}")
            return effects
        for name, spec in value.items():
            line = value.line_of(name)
            if name in DEFAULT_EFFECTS:
                effects[name] = _effect(spec, name, line, self.problems, DEFAULT_EFFECTS[name])
            elif name in self.moves:
                move = self.moves[name]
                self.moves[name] = dataclasses.replace(move, effect=_effect(spec, name, line, self.problems, move.effect))
            else:
                self.problems.add(line, f"effect for the undefined move '{name}'")
        return effects

    def read_persona(self) -> Persona | None:
        value = self.data.get("persona")
        line = self.line("persona")
        if not isinstance(value, dict) or not isinstance(value.get("name"), str):
            if value is not None:
                self.problems.add(line, "'persona' must be like {name: ..., mood: 60, patience: 6}")
            return None
        _unknown_keys(value, {"name", "mood", "patience"}, self.problems, "persona")
        mood = _number(value.get("mood"), "persona.mood", line, self.problems, 0, 100, 40)
        patience = _number(value.get("patience"), "persona.patience", line, self.problems, 1, 100, 6)
        return Persona(value["name"].strip(), float(mood), float(patience))

    def read_facts(self) -> dict[str, str]:
        value = self.data.get("facts") or {}
        if not isinstance(value, dict) or not all(isinstance(v, (str, int, float)) for v in value.values()):
            self.problems.add(self.line("facts"), "'facts' must map names to texts")
            return {}
        return {str(k): str(v) for k, v in value.items()}

    def read_reveal(self, facts) -> dict[str, tuple[str, ...]]:
        value = self.data.get("reveal") or {}
        if not isinstance(value, dict):
            self.problems.add(self.line("reveal"), "'reveal' must map a move to the fact(s) it brings out")
            return {}
        reveal = {}
        for move_id, names in value.items():
            line = value.line_of(move_id)
            names = _strings(names)
            if move_id not in self.moves:
                self.problems.add(line, f"'reveal' names the undefined move '{move_id}'")
            elif names is None:
                self.problems.add(line, f"'reveal.{move_id}' must name facts")
            else:
                for name in names:
                    if name not in facts:
                        self.problems.add(line, f"'reveal.{move_id}' names the unknown fact '{name}'")
                reveal[move_id] = names
        return reveal

    def read_states(self) -> tuple[dict[str, State], str]:
        value = self.data.get("states")
        if not isinstance(value, dict) or not value:
            if value is not None:
                self.problems.add(self.line("states"), "'states' must map state names to states")
            return {}, ""
        states = {}
        gotos: dict[str, list[tuple[str, int]]] = {}
        ends: dict[str, set[str]] = {}
        for name, spec in value.items():
            line = value.line_of(name)
            if not isinstance(spec, dict):
                self.problems.add(line, f"state '{name}' must be a mapping")
                continue
            _unknown_keys(spec, {"customer", "expect", "fallback"}, self.problems, f"state '{name}'")
            customer = self.lines_of(spec.get("customer"), spec.line_of("customer"), f"{name}.customer")
            if not customer:
                self.problems.add(line, f"state '{name}' has no customer line")
            fallback = self.lines_of(spec.get("fallback"), spec.line_of("fallback"), f"{name}.fallback")
            expects = []
            raw = spec.get("expect") or []
            if not isinstance(raw, list):
                self.problems.add(spec.line_of("expect"), f"'{name}.expect' must be a list")
                raw = []
            gotos[name], ends[name] = [], set()
            for index, item in enumerate(raw):
                item_line = raw.line_of(index)
                expect = self.read_expect(item, item_line, name)
                if expect:
                    expects.append(expect)
                    if expect.goto:
                        gotos[name].append((expect.goto, item_line))
                    if expect.end:
                        ends[name].add(expect.end)
            states[name] = State(name, customer, tuple(expects), fallback)
        start = self.data.get("start", next(iter(value)))
        if start not in value:
            self.problems.add(self.line("start"), f"start state '{start}' is not defined")
            return states, ""
        for name, targets in gotos.items():
            for target, line in targets:
                if target not in value:
                    self.problems.add(line, f"'goto: {target}' names an undefined state")
        reached, queue = {start}, deque([start])
        while queue:
            for target, _line in gotos.get(queue.popleft(), ()):
                if target in value and target not in reached:
                    reached.add(target)
                    queue.append(target)
        for name in value:
            if name not in reached:
                self.problems.add(value.line_of(name), f"state '{name}' cannot be reached from '{start}'")
        if not any(ends.get(name) for name in reached):
            self.problems.add(self.line("states"), f"no end (resolved or escalated) can be reached from '{start}'")
        return states, start

    def read_expect(self, item, line, state) -> Expect | None:
        if not isinstance(item, dict) or not isinstance(item.get("move"), str):
            self.problems.add(line, f"each entry of '{state}.expect' must be like {{move: ..., goto: ...}}")
            return None
        _unknown_keys(item, {"move", "when", "set", "say", "goto", "end"}, self.problems, f"'{state}.expect'")
        move = item["move"]
        if move not in self.moves:
            self.problems.add(line, f"move '{move}' is not defined (add it to 'uses' or 'moves')")
        end = item.get("end")
        if end is not None and end not in ENDS:
            self.problems.add(line, f"unknown end '{end}' (use one of {', '.join(ENDS)})")
            end = None
        goto = item.get("goto")
        if goto is not None and not isinstance(goto, str):
            self.problems.add(line, "'goto' must name a state")
            goto = None
        if goto and end:
            self.problems.add(line, "an entry has either 'goto' or 'end', not both")
        assignments = item.get("set") or {}
        if not isinstance(assignments, dict) or not all(
                isinstance(v, (bool, int, float, str)) for v in assignments.values()):
            self.problems.add(line, "'set' must map variable names to plain values")
            assignments = {}
        return Expect(move=move, when=self.condition(item.get("when"), line), set=dict(assignments),
                      say=self.lines_of(item.get("say"), line, f"{state}.expect.say"), goto=goto, end=end)

    def read_end_when(self) -> dict[str, Expression]:
        value = self.data.get("end_when") or {}
        if not isinstance(value, dict):
            self.problems.add(self.line("end_when"), "'end_when' must map an end to a condition")
            return {}
        result = {}
        for end, source in value.items():
            line = value.line_of(end)
            if end not in ENDS:
                self.problems.add(line, f"unknown end '{end}' (use one of {', '.join(ENDS)})")
                continue
            expression = self.condition(source, line)
            if expression:
                result[end] = expression
        return result

    def read_rubric(self) -> list[Criterion]:
        value = self.data.get("rubric")
        if not isinstance(value, list) or not value:
            if value is not None:
                self.problems.add(self.line("rubric"), "'rubric' must be a list of criteria")
            return []
        criteria, seen = [], set()
        for index, item in enumerate(value):
            line = value.line_of(index)
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                self.problems.add(line, "each criterion must be like {id: ..., weight: 10, evidence: {...}}")
                continue
            _unknown_keys(item, {"id", "label", "weight", "critical", "evidence", "fail_if", "hint", "better"},
                          self.problems, f"criterion '{item['id']}'")
            if item["id"] in seen:
                self.problems.add(line, f"criterion '{item['id']}' appears twice")
            seen.add(item["id"])
            weight = _number(item.get("weight"), f"{item['id']}.weight", line, self.problems, 0, 100, 0)
            evidence = item.get("evidence") or {}
            if not isinstance(evidence, dict):
                self.problems.add(line, f"'{item['id']}.evidence' must be a mapping")
                evidence = {}
            self.check_evidence(evidence, line, item["id"])
            if not evidence and item.get("fail_if") is None:
                self.problems.add(line, f"criterion '{item['id']}' needs 'evidence' or 'fail_if'")
            criteria.append(Criterion(
                id=item["id"], label=_text(item.get("label"), item["id"].replace("_", " ").capitalize()),
                weight=float(weight), critical=item.get("critical") is True, evidence=dict(evidence),
                fail_if=self.condition(item.get("fail_if"), line), hint=_text(item.get("hint")),
                better=_text(item.get("better"))))
        if criteria and not sum(c.weight for c in criteria):
            self.problems.add(self.line("rubric"), "the rubric's weights add up to 0")
        return criteria

    def check_evidence(self, evidence, line, criterion) -> None:
        for key, value in evidence.items():
            if key not in EVIDENCE_KEYS:
                self.problems.add(line, f"unknown evidence '{key}' in criterion '{criterion}' "
                                        f"(use {', '.join(sorted(EVIDENCE_KEYS))})")
            elif key in ("move", "before_move", "absent_move") and value not in self.moves:
                self.problems.add(line, f"criterion '{criterion}' names the undefined move '{value}'")
            elif key == "moves_all":
                for move in _strings(value) or ["(not a list)"]:
                    if move not in self.moves:
                        self.problems.add(line, f"criterion '{criterion}' names the undefined move '{move}'")
            elif key == "kb_opened":
                self.article_refs.append((value, line))
            elif key == "end" and value not in ENDS:
                self.problems.add(line, f"criterion '{criterion}' names the unknown end '{value}'")
            elif key == "action" and value not in ACTIONS:
                self.problems.add(line, f"criterion '{criterion}' names the unknown action '{value}'")


def read_scenario(path: Path, shown: str, library: dict[str, LibraryMove], course: str) -> tuple[
        ParsedScenario, list[ContentProblem]]:
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ParsedScenario(None), [ContentProblem(shown, 1, "the file is not UTF-8 text")]
    return parse_scenario(source, path.name, shown, library, course)


def parse_scenario(source: str, file_name: str, shown: str, library: dict[str, LibraryMove], course: str) -> tuple[
        ParsedScenario, list[ContentProblem]]:
    """A scenario from its text; ``file_name`` (``<id>.md`` or ``<id>.<lang>.md``) gives its id."""
    problems = _Problems(shown)
    name = _FILE_NAME.match(file_name)
    if not name:
        problems.add(1, "a scenario file is named <id>.md or <id>.<lang>.md (lower-case id)")
        return ParsedScenario(None), problems.items
    split = split_front_matter(source)
    if split is None:
        problems.add(1, "no front matter: the file must start with '---' and close it with '---'")
        return ParsedScenario(None, source=source), problems.items
    yaml_text, body, _body_line = split
    try:
        data = yamllines.load(yaml_text, first_line=2)
    except yaml.YAMLError as error:
        problems.add(yamllines.error_line(error, 2), f"broken front matter: {yamllines.error_reason(error)}")
        return ParsedScenario(None, source=source), problems.items
    if not isinstance(data, dict):
        problems.add(2, "the front matter must be 'key: value' lines")
        return ParsedScenario(None, source=source), problems.items
    reader = _ScenarioReader(data, problems, library, name["id"], name["lang"], course)
    scenario = reader.read()
    briefing, notes = _split_notes(body)
    if not briefing:
        problems.add(_body_line, "the scenario has no briefing for the trainee (Markdown after the front matter)")
    if problems.items or scenario is None:
        return ParsedScenario(None, reader.article_refs, source), problems.items
    scenario = dataclasses.replace(scenario, briefing_md=briefing, trainer_notes_md=notes, path=shown)
    return ParsedScenario(scenario, reader.article_refs, source), []


def read_all(content_dir: Path) -> tuple[list[ParsedScenario], dict[str, LibraryMove], list[ContentProblem]]:
    """The move library and every scenario under ``content_dir/courses``."""
    courses = content_dir / "courses"
    library_path = courses / LIBRARY_FILE
    problems: list[ContentProblem] = []
    library: dict[str, LibraryMove] = {}
    scenario_paths = sorted(courses.glob("*/scenarios/*.md")) if courses.is_dir() else []
    if library_path.is_file():
        library, problems = read_library(library_path, _shown(library_path, content_dir))
    elif scenario_paths:
        return [], {}, [ContentProblem(_shown(library_path, content_dir), 1, "the move library is missing")]
    parsed, seen = [], {}
    for path in scenario_paths:
        shown = _shown(path, content_dir)
        result, found = read_scenario(path, shown, library, course=path.parent.parent.name)
        problems += found
        if result.scenario:
            key = (result.scenario.id, result.scenario.lang)
            if key in seen:
                problems.append(ContentProblem(shown, 1, f"scenario '{key[0]}' in '{key[1]}' is also defined "
                                                         f"in {seen[key]} (ids are unique across courses)"))
            seen[key] = shown
            parsed.append(result)
    return parsed, library, problems


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
