"""Scoring a finished conversation like a QA scorecard.

Each rubric criterion is met when all of its evidence holds and its ``fail_if`` does not;
the score is the met share of the weights (0-100). A critical criterion that is not met
fails the session whatever the score. Every result quotes the agent's turn that earned it,
or says what was missed with a hint and a better phrasing.

Evidence (all optional, combined with "and"):
``move`` made (``by_turn`` N at the latest; ``before_move`` Y: before Y was first made),
``kb_opened`` slug (``before_move`` Y: opened before Y was stated), ``absent_move`` never
made, ``end`` the conversation's outcome, ``record_matches`` the wrap-up record agrees with
the expected one, ``max_minutes`` handling time (``true``: the scenario's target),
``action`` a button used (escalate, hold, record, open_article, search), ``moves_all``
every one of these moves made (a complete written answer).

The evidence and hints are written in the scenario's language (the trainee practised in it
and the transcript quoted beside them is in it), whatever the reader's interface language.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from academy.practice.definitions import Criterion, Scenario
from academy.practice.display import OUTCOME_LABELS, quoted
from academy.practice.engine import AGENT, Conversation, Engine
from academy.practice.matcher import sentences

_MOVES_IN_CONDITION = re.compile(r"\b(?:moves|made)\.(\w+)")
_VARS_IN_CONDITION = re.compile(r"\bvars\.(\w+)")
QUOTE_WHOLE_UP_TO = 200   # characters; a longer turn is quoted by the sentence that made the move


@dataclass(frozen=True)
class CriterionResult:
    id: str
    label: str
    weight: float
    critical: bool
    met: bool
    evidence: str
    hint: str
    better: str = ""     # a model phrasing for a missed criterion, in the scenario's language

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Score:
    score: int
    passed: bool
    criteria: tuple[CriterionResult, ...]

    @property
    def failed_critical(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.critical and not c.met]


def _first_turn_text(conv: Conversation, move: str) -> str | None:
    for turn in conv.turns:
        if turn.speaker == AGENT and any(name == move for name, _confidence in turn.moves):
            return turn.text
    return None


def _record_matches(conv: Conversation, expected: dict) -> bool:
    if not conv.record or not expected:
        return False
    for key, want in expected.items():
        got = conv.record.get(key)
        if isinstance(want, bool):
            if bool(got) is not want and str(got).lower() not in (("true", "yes", "1") if want else ("false", "no", "0")):
                return False
        elif str(got or "").strip().lower() != str(want).strip().lower():
            return False
    return True


class _Judge:
    def __init__(self, scenario: Scenario, conv: Conversation, engine: Engine):
        self.scenario, self.conv, self.matcher = scenario, conv, engine.matcher
        self.scope = engine.scope(conv)

    def turn_text(self, move: str) -> str | None:
        """The agent's first turn that made the move; of a long turn (a letter) only the
        sentence that made it, when one sentence does on its own."""
        text = _first_turn_text(self.conv, move)
        if text is None or len(text) <= QUOTE_WHOLE_UP_TO:
            return text
        for sentence in sentences(text):
            if any(match.move == move for match in self.matcher.match(sentence)):
                return " ".join(sentence.split()).rstrip(";,")
        return text

    def made(self, move: str) -> bool:
        return self.conv.made.get(move, 0) > 0

    def check(self, criterion: Criterion) -> tuple[bool, str, str]:
        """(met, evidence, what was missed)."""
        evidence, conv, scenario = criterion.evidence, self.conv, self.scenario
        quotes, missed = [], []
        move = evidence.get("move")
        before = evidence.get("before_move")
        if move:
            if not self.made(move):
                missed.append(self.move_hint(move))
            else:
                quotes.append(self.turn_text(move) or move)
                by_turn = evidence.get("by_turn")
                if by_turn and conv.first_made[move] > by_turn:
                    missed.append(_("%(move)s: not by turn %(turn)s", move=scenario.moves[move].label, turn=by_turn))
                if before and self.made(before) and conv.first_made[before] < conv.first_made[move]:
                    missed.append(_("%(move)s came after %(other)s", move=scenario.moves[move].label,
                                    other=scenario.moves[before].label))
        slug = evidence.get("kb_opened")
        if slug:
            if slug not in conv.kb_opened:
                missed.append(_("open the article '%(slug)s'", slug=slug))
            elif before and self.made(before) and conv.kb_opened[slug] >= conv.first_made[before]:
                missed.append(_("the article '%(slug)s' was opened only after: %(text)s",
                                slug=slug, text=quoted(self.turn_text(before) or "", scenario.lang)))
            else:
                quotes.append(_("opened '%(slug)s'", slug=slug))
        absent = evidence.get("absent_move")
        if absent:
            if self.made(absent):
                missed.append(self.quote_move(absent))
            else:
                quotes.append(_("never: %(move)s", move=self.in_sentence(scenario.moves[absent].label)))
        end = evidence.get("end")
        if end:
            outcome = OUTCOME_LABELS.get(conv.outcome, conv.outcome) if conv.outcome else _("still open")
            (quotes if conv.outcome == end else missed).append(_("outcome: %(outcome)s", outcome=outcome))
        if evidence.get("record_matches"):
            if _record_matches(conv, scenario.record):
                fields = ", ".join(f"{k} {v}" for k, v in conv.record.items() if v not in (None, ""))
                quotes.append(_("record: %(fields)s", fields=fields))
            else:
                missed.append(_("the wrap-up record does not match the case") if conv.record
                              else _("no wrap-up record"))
        limit = evidence.get("max_minutes")
        if limit:
            minutes = scenario.target_minutes if limit is True else float(limit)
            if minutes is not None:
                taken = conv.elapsed / 60
                (quotes if taken <= minutes else missed).append(
                    _("%(taken)s of %(limit)s minutes", taken=f"{taken:.1f}", limit=f"{minutes:g}"))
        action = evidence.get("action")
        if action:
            used = any(e["action"] == action for e in conv.events) or (action in scenario.moves and self.made(action))
            (quotes if used else missed).append(action if used else _("use '%(action)s'", action=action))
        for needed in evidence.get("moves_all") or ():
            if not self.made(needed):
                missed.append(self.move_hint(needed))
        if evidence.get("moves_all") and not any(not self.made(m) for m in evidence["moves_all"]):
            quotes.append(_("all parts answered"))
        if criterion.fail_if is not None and criterion.fail_if(self.scope):
            missed.append(self.failed(criterion))
        return not missed, "; ".join(quotes), "; ".join(missed)

    def quote_move(self, move_id: str) -> str:
        """The agent's first turn that made the move, quoted, with the move's name."""
        text = quoted(self.turn_text(move_id) or "", self.scenario.lang)
        return f"{text} ({self.scenario.moves[move_id].label})"

    def in_sentence(self, label: str) -> str:
        """A move's label inside a sentence: lower case, except German nouns."""
        return label if self.scenario.lang == "de" else label[:1].lower() + label[1:]

    def failed(self, criterion: Criterion) -> str:
        """Why a ``fail_if`` condition failed the criterion: the turns that made the moves it
        names or that set the variables it reads, or, for a condition about something else,
        the condition itself."""
        source = criterion.fail_if.source
        named = [m for m in dict.fromkeys(_MOVES_IN_CONDITION.findall(source))
                 if m in self.scenario.moves and self.made(m)]
        quotes = [self.quote_move(m) for m in named]
        for name in dict.fromkeys(_VARS_IN_CONDITION.findall(source)):
            quote = self.quote_setter(name)
            if quote and quote not in quotes:
                quotes.append(quote)
        if quotes:
            return "; ".join(quotes)
        return _("failing condition met: %(condition)s", condition=source)

    def quote_setter(self, var: str) -> str | None:
        """The turn whose move first set a scenario variable, quoted, with the move's name."""
        n, move_id = self.conv.set_by.get(var) or (None, None)
        turn = next((t for t in self.conv.turns if t.n == n), None)
        if turn is None:
            return None
        move = self.scenario.moves.get(move_id)
        label = move.label if move else move_id
        if turn.speaker != AGENT:      # an action button: its move is all there is to show
            return label
        return f"{quoted(turn.text, self.scenario.lang)} ({label})"

    def move_hint(self, move_id: str) -> str:
        move = self.scenario.moves.get(move_id)
        return move.label if move else move_id


def score(scenario: Scenario, conv: Conversation, engine: Engine) -> Score:
    with force_locale(scenario.lang):
        return _score(scenario, conv, engine)


def _score(scenario: Scenario, conv: Conversation, engine: Engine) -> Score:
    judge = _Judge(scenario, conv, engine)
    results = []
    for criterion in scenario.rubric:
        met, shown, missed = judge.check(criterion)
        hint = better = ""
        if not met:
            parts = [criterion.hint or missed]
            if criterion.hint and missed:
                parts.append(f"({missed})")
            hint = " ".join(parts)
            better = criterion.better or _better_phrasing(scenario, criterion)
        results.append(CriterionResult(criterion.id, criterion.label, criterion.weight, criterion.critical, met,
                                       shown if met else missed, hint, better))
    total = sum(r.weight for r in results) or 1.0
    value = round(100 * sum(r.weight for r in results if r.met) / total)
    passed = value >= scenario.pass_mark and not any(r.critical and not r.met for r in results)
    return Score(value, passed, tuple(results))


def _better_phrasing(scenario: Scenario, criterion: Criterion) -> str:
    move = criterion.evidence.get("move")
    if move and move in scenario.moves:
        spec = scenario.moves[move]
        return spec.better or (spec.examples[0] if spec.examples else "")
    return ""
