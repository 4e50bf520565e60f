"""What a parsed scenario is: plain frozen data the engine, the matcher and the scoring read.

Nothing here touches files or the database; ``practice.scenario_files`` builds these from
``courses/<course>/scenarios/*.md`` and ``courses/moves.yaml``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from academy.practice.expressions import Expression
from academy.practice.matcher import MoveSpec

CHANNELS = ("phone", "chat", "email", "post", "fax", "in_person")
WRITTEN_CHANNELS = frozenset({"email", "post", "fax"})
ENDS = ("resolved", "escalated", "customer_left")
# Roots a condition may read; see engine.Conversation.scope.
CONDITION_ROOTS = frozenset({"mood", "patience", "turn", "minutes", "vars", "moves", "kb", "facts", "made"})


@dataclass(frozen=True)
class Effect:
    """How a move changes the customer: ``mood`` and ``patience`` deltas, and ``decay``, the
    share each repeat keeps of the previous one (0.5: the second apology counts half)."""
    mood: float = 0.0
    patience: float = 0.0
    decay: float = 1.0


# Built-in effects a scenario may override under ``effects:``.
DEFAULT_EFFECTS = {
    "unknown": Effect(mood=4, patience=-1),        # the customer did not understand the reply
    "asked_again": Effect(mood=12, patience=-1),   # asked for something the customer already gave
    "wrong": Effect(mood=15, patience=-1),         # wrong information (a move marked wrong: true)
}


@dataclass(frozen=True)
class Move:
    id: str
    label: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    negatable: bool = False
    hint: str = ""
    patterns: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    better: str = ""
    effect: Effect = Effect()
    off_topic: tuple[str, ...] = ()  # the library's small talk, for a move about the case (matcher.py)
    on_topic: tuple[str, ...] = ()   # the words of the case that keep a sentence on topic
    anchors: tuple[str, ...] = ()    # words pointing to the case, one of which a sentence needs
    requires_kb: str | None = None   # stating this is accurate only after opening that article
    wrong: bool = False              # wrong information: upsets the customer

    def spec(self) -> MoveSpec:
        """What the matcher needs of this move."""
        return MoveSpec(self.id, self.examples, self.keywords, self.negatable, self.patterns, self.unless,
                        self.off_topic, self.on_topic, self.anchors)


@dataclass(frozen=True)
class Line:
    say: str
    when: Expression | None = None


@dataclass(frozen=True)
class Expect:
    move: str
    when: Expression | None = None
    set: dict[str, Any] = field(default_factory=dict)
    say: tuple[Line, ...] = ()
    goto: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class State:
    name: str
    customer: tuple[Line, ...]
    expect: tuple[Expect, ...]
    fallback: tuple[Line, ...]


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    weight: float
    critical: bool
    evidence: dict[str, Any]
    fail_if: Expression | None = None
    hint: str = ""
    better: str = ""


@dataclass(frozen=True)
class Persona:
    name: str
    mood: float
    patience: float


@dataclass(frozen=True)
class Scenario:
    id: str
    version: int
    lang: str
    title: str
    channel: str
    course: str
    difficulty: int
    persona: Persona
    facts: dict[str, str]
    reveal: dict[str, tuple[str, ...]]       # move -> facts the customer gives when asked
    policy: dict[str, Any]
    kb_required: tuple[str, ...]
    moves: dict[str, Move]
    effects: dict[str, Effect]               # the built-in ones, after overrides
    states: dict[str, State]
    start: str
    end_when: dict[str, Expression]
    record: dict[str, Any]
    rubric: tuple[Criterion, ...]
    pass_mark: float
    max_turns: int
    target_minutes: float | None
    leave_line: str
    briefing_md: str
    trainer_notes_md: str
    path: str = ""

    @property
    def written(self) -> bool:
        return self.channel in WRITTEN_CHANNELS
