"""The simulated customer: a state machine with a mood and a patience.

``start`` opens a conversation; ``agent_says`` takes the agent's message, reads its moves
with the matcher, lets each move change the customer's mood and patience (a repeated move
counts less each time by its ``decay``; blaming, asking again for something already given,
or wrong information make it worse), follows the scenario's transitions and answers with a
line chosen by the conditions and, where several fit, by the seeded random generator, so
the same seed and the same messages always give the same conversation. ``act`` handles the
practice screen's buttons (open an article, escalate, hold, record, end).

A ``Conversation`` is plain data (``to_dict``/``from_dict``) so it is stored as JSON
between requests; nothing here reads the clock: callers pass the elapsed seconds.
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any

from academy.practice.definitions import Line, Scenario
from academy.practice.embeddings import Embedder, EmbeddingStage, StagedMatcher
from academy.practice.expressions import compile_expression
from academy.practice.llm import LLMClient
from academy.practice.matcher import Match, Matcher

AGENT, CUSTOMER, SYSTEM = "agent", "customer", "system"
ENDED_BY_AGENT = "ended_by_agent"
_DEFAULT_LEAVE = compile_expression("patience <= 0 or mood >= 100")
_ASKED_AGAIN = {"en": "I already told you: {facts}.", "cs": "Už jsem vám to říkal: {facts}.",
                "de": "Das habe ich Ihnen doch schon gesagt: {facts}.", "lt": "Aš jau sakiau: {facts}.",
                "et": "Ma juba ütlesin: {facts}."}
_HOLD = {"en": "[on hold]", "cs": "[čeká na lince]", "de": "[in der Warteschleife]", "lt": "[laukia]",
         "et": "[ootel]"}


class PracticeError(ValueError):
    """Something the conversation cannot do now (say after the end, an unknown action)."""


@dataclass
class Turn:
    n: int
    speaker: str
    text: str
    at: float
    moves: list[list] = field(default_factory=list)   # [[move, confidence], ...] for agent turns
    read_by: str = ""                                 # agent turns: "matcher", "llm" or "" (unknown)
    mood: float = 0.0
    patience: float = 0.0
    state: str = ""


@dataclass
class Conversation:
    scenario_id: str
    lang: str
    seed: int
    state: str
    mood: float
    patience: float
    vars: dict[str, Any] = field(default_factory=dict)
    made: dict[str, int] = field(default_factory=dict)          # move -> times made
    first_made: dict[str, int] = field(default_factory=dict)    # move -> agent turn it was first made
    set_by: dict[str, list] = field(default_factory=dict)       # var -> [turn n, move] that first set it
    facts_given: list[str] = field(default_factory=list)
    kb_opened: dict[str, int] = field(default_factory=dict)     # slug -> agent turns before it was opened
    events: list[dict] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    outcome: str | None = None       # resolved, escalated, customer_left, ended_by_agent
    finished: bool = False           # the agent ended the session: it can be scored
    record: dict[str, Any] | None = None
    unknown: list[str] = field(default_factory=list)           # agent messages that matched no move
    elapsed: float = 0.0

    @property
    def agent_turns(self) -> int:
        return sum(1 for turn in self.turns if turn.speaker == AGENT)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Conversation:
        data = dict(data)
        data["turns"] = [Turn(**turn) for turn in data.get("turns", [])]
        return cls(**data)


def matcher_for(scenario: Scenario, embedder: Embedder | None = None) -> Matcher | StagedMatcher:
    """The scenario's matcher, with the optional embedding stage behind it."""
    matcher = Matcher(scenario.lang, [m.spec() for m in scenario.moves.values()])
    if embedder is None:
        return matcher
    return StagedMatcher(matcher, EmbeddingStage(embedder, {m.id: m.examples for m in scenario.moves.values()}))


class Engine:
    """Plays one scenario. Build it once per scenario (the matcher is the costly part) and
    use it for any number of conversations."""

    def __init__(self, scenario: Scenario, matcher: Matcher | StagedMatcher | None = None,
                 llm: LLMClient | None = None, embedder: Embedder | None = None):
        self.scenario = scenario
        self.matcher = matcher or matcher_for(scenario, embedder)
        self.llm = llm   # optional: reads messages the matcher cannot place, words the customer's lines

    # ------------------------------------------------------------------ helpers

    def scope(self, conv: Conversation) -> dict:
        moves = {move: conv.made.get(move, 0) for move in self.scenario.moves}
        return {"mood": conv.mood, "patience": conv.patience, "turn": conv.agent_turns,
                "minutes": conv.elapsed / 60, "vars": conv.vars, "moves": moves,
                "made": {move: count > 0 for move, count in moves.items()},
                "kb": {slug: True for slug in conv.kb_opened},
                "facts": {name: True for name in conv.facts_given}}

    def choose(self, conv: Conversation, lines: tuple[Line, ...], salt: str) -> str | None:
        """The line to say: those whose condition holds win over unconditional ones; among
        several, the seeded generator picks, so a replay says the same."""
        scope = self.scope(conv)
        conditional = [line for line in lines if line.when is not None and line.when(scope)]
        candidates = conditional or [line for line in lines if line.when is None]
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0].say
        picker = random.Random(f"{conv.seed}:{conv.agent_turns}:{conv.state}:{salt}")
        return picker.choice(candidates).say

    def _customer(self, conv: Conversation, text: str, at: float) -> None:
        conv.turns.append(Turn(len(conv.turns) + 1, CUSTOMER, text, at, mood=round(conv.mood, 1),
                               patience=round(conv.patience, 1), state=conv.state))

    def _shift(self, conv: Conversation, mood: float, patience: float) -> None:
        conv.mood = min(100.0, max(0.0, conv.mood + mood))
        conv.patience = max(0.0, conv.patience + patience)

    # ------------------------------------------------------------------ the conversation

    def start(self, seed: int = 0) -> Conversation:
        persona = self.scenario.persona
        conv = Conversation(self.scenario.id, self.scenario.lang, seed, self.scenario.start,
                            persona.mood, persona.patience)
        opening = self.choose(conv, self.scenario.states[conv.state].customer, "opening")
        self._customer(conv, opening or "", 0.0)
        return conv

    def agent_says(self, conv: Conversation, text: str, at: float) -> list[str]:
        """The agent's message; returns what the customer answers (one or more lines)."""
        if conv.finished or conv.outcome:
            raise PracticeError("the conversation is over")
        text = text.strip()
        if not text:
            raise PracticeError("the message is empty")
        conv.elapsed = max(conv.elapsed, at)
        matches, read_by = self.matcher.match(text), "matcher"
        if not matches and self.llm is not None:
            matches, read_by = self._llm_moves(conv, text), "llm"
        turn_no = conv.agent_turns + 1
        conv.turns.append(Turn(len(conv.turns) + 1, AGENT, text, at, [[m.move, m.confidence] for m in matches],
                               read_by=read_by if matches else "", state=conv.state))
        if not matches:
            conv.unknown.append(text)
        said = self._react(conv, [m.move for m in matches], turn_no, at)
        if self.llm is not None and said:
            persona = self.scenario.persona.name
            worded = [self.llm.customer_line(line, persona, conv.mood, self.scenario.lang, text,
                                             conv.seed + turn_no) for line in said]
            for turn, line in zip(conv.turns[-len(said):], worded):
                turn.text = line
            said = worded
        return said

    def _llm_moves(self, conv: Conversation, text: str) -> list[Match]:
        catalogue = {m.id: (m.label, m.examples[0] if m.examples else m.label) for m in self.scenario.moves.values()}
        pairs = self.llm.classify(text, catalogue, self.scenario.lang, conv.seed + conv.agent_turns)
        return [Match(move, confidence) for move, confidence in pairs if confidence >= self.matcher.threshold]

    def _react(self, conv: Conversation, moves: list[str], turn_no: int, at: float) -> list[str]:
        scenario = self.scenario
        said: list[str] = []
        repeated: list[str] = []   # asked again: answered with a complaint, not a transition
        if not moves:
            effect = scenario.effects["unknown"]
            self._shift(conv, effect.mood, effect.patience)
        for move_id in moves:
            move = scenario.moves[move_id]
            repeats = conv.made.get(move_id, 0)
            factor = move.effect.decay ** repeats
            self._shift(conv, move.effect.mood * factor, move.effect.patience * factor)
            conv.made[move_id] = repeats + 1
            conv.first_made.setdefault(move_id, turn_no)
            if move.requires_kb and move.requires_kb not in conv.kb_opened:
                conv.vars[f"unchecked_{move_id}"] = True
            wanted = scenario.reveal.get(move_id)
            if wanted:
                new = [name for name in wanted if name not in conv.facts_given]
                if new:
                    conv.facts_given += new
                else:
                    effect = scenario.effects["asked_again"]
                    self._shift(conv, effect.mood, effect.patience)
                    conv.vars["asked_again"] = conv.vars.get("asked_again", 0) + 1
                    facts = ", ".join(scenario.facts[name] for name in wanted)
                    said.append(_ASKED_AGAIN[scenario.lang].format(facts=facts))
                    repeated.append(move_id)
        said += self._transitions(conv, [move for move in moves if move not in repeated])
        leaving = self._check_end(conv)
        if leaving:
            said.append(leaving)
        elif not said and not conv.outcome:
            state = scenario.states[conv.state]
            line = self.choose(conv, state.fallback or state.customer, "fallback")
            if line:
                said.append(line)
        for line in said:
            self._customer(conv, line, at)
        return said

    def _transitions(self, conv: Conversation, moves: list[str]) -> list[str]:
        """Follow every transition the moves allow, in order; each move is used once, so a
        letter that does several things walks several states."""
        scenario, remaining, said = self.scenario, list(moves), []
        while remaining and not conv.outcome:
            state = scenario.states[conv.state]
            scope = self.scope(conv)
            taken = next((e for e in state.expect if e.move in remaining and (e.when is None or e.when(scope))),
                         None)
            if taken is None:
                break
            remaining.remove(taken.move)
            conv.vars.update(taken.set)
            for name in taken.set:
                conv.set_by.setdefault(name, [conv.turns[-1].n, taken.move])
            if taken.end:
                conv.outcome = taken.end
            elif taken.goto:
                conv.state = taken.goto
            line = self.choose(conv, taken.say, f"say:{taken.move}") if taken.say else None
            if line is None and taken.goto:
                line = self.choose(conv, scenario.states[conv.state].customer, "arrive")
            if line:
                said.append(line)
        return said

    def _check_end(self, conv: Conversation) -> str | None:
        if conv.outcome:
            return None
        scope = self.scope(conv)
        leave = self.scenario.end_when.get("customer_left", _DEFAULT_LEAVE)
        for end, condition in self.scenario.end_when.items():
            if end != "customer_left" and condition(scope):
                conv.outcome = end
                return None
        if leave(scope) or conv.agent_turns >= self.scenario.max_turns:
            conv.outcome = "customer_left"
            return self.scenario.leave_line
        return None

    # ------------------------------------------------------------------ buttons

    def act(self, conv: Conversation, action: str, at: float, **data) -> list[str]:
        """An action from the practice screen; returns what the customer says, if anything."""
        if conv.finished:
            raise PracticeError("the conversation is over")
        conv.elapsed = max(conv.elapsed, at)
        event = {"action": action, "at": at, "turn": conv.agent_turns, **data}
        if action == "search":
            conv.events.append(event)
            return []
        if action == "open_article":
            slug = data.get("slug")
            if not slug:
                raise PracticeError("open_article needs a slug")
            conv.kb_opened.setdefault(slug, conv.agent_turns)
            conv.events.append(event)
            return []
        if action == "record":
            conv.record = {key: data.get(key) for key in ("nature", "resolution", "escalated", "summary")}
            conv.events.append(event)
            return []
        if action == "end":
            conv.events.append(event)
            conv.outcome = conv.outcome or ENDED_BY_AGENT
            conv.finished = True
            return []
        if action in ("escalate", "hold"):
            if conv.outcome:
                raise PracticeError("the customer has already ended the conversation")
            conv.events.append(event)
            conv.turns.append(Turn(len(conv.turns) + 1, SYSTEM, action, at, state=conv.state))
            if action not in self.scenario.moves:
                return [] if action == "escalate" else [_HOLD[self.scenario.lang]]
            return self._react(conv, [action], conv.agent_turns + 1, at)
        raise PracticeError(f"unknown action '{action}'")
