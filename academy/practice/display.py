"""What the practice screen, the report and the review page show of a conversation: turns
with the moves the matcher read in them, the customer's mood in words, knowledge-base
events with their times, the mood after each step, and the transcript the API returns.
Reads the stored conversation only; no database, no request."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from academy.practice.definitions import Scenario as Definition
from academy.practice.engine import AGENT, CUSTOMER, SYSTEM, Conversation

CHANNEL_LABELS = {"phone": _l("Phone call"), "chat": _l("Chat"), "email": _l("E-mail"), "post": _l("Letter"),
                  "fax": _l("Fax"), "in_person": _l("In person")}
_LOW_OPENING_QUOTES = {"cs", "de", "lt", "et"}   # „…“ in these languages, “…” in English


def quoted(text: str, lang: str) -> str:
    """``text`` in the quotation marks of ``lang``."""
    return f"\u201e{text}\u201c" if lang in _LOW_OPENING_QUOTES else f"\u201c{text}\u201d"


OUTCOME_LABELS = {"resolved": _l("Resolved"), "escalated": _l("Escalated"), "customer_left": _l("The customer left"),
                  "ended_by_agent": _l("Ended by you")}
NATURE_LABELS = {"inquiry": _l("Inquiry"), "complaint": _l("Complaint"), "request": _l("Request"),
                 "order": _l("Order"), "cancellation": _l("Cancellation"), "other": _l("Other")}
RESOLUTION_LABELS = {"resolved": _l("Resolved"), "escalated": _l("Escalated"), "unresolved": _l("Unresolved"),
                     "callback": _l("Call-back arranged")}
ESCALATION_TARGETS = {"supervisor": _l("Shift supervisor"), "second_line": _l("Second-line support"),
                      "billing": _l("Billing team")}
# Mood runs from 0 (calm) to 100 (furious; the customer hangs up). Lower bounds of each word.
MOOD_LEVELS = ((85, "furious", _l("furious")), (60, "angry", _l("angry")), (35, "annoyed", _l("annoyed")),
               (0, "calm", _l("calm")))
MOOD_LOW, MOOD_HIGH = 35, 60   # the <meter>'s low and high marks


def mood_level(mood: float) -> str:
    return next(name for bound, name, _word in MOOD_LEVELS if mood >= bound)


def mood_word(mood: float):
    return next(word for bound, _name, word in MOOD_LEVELS if mood >= bound)


@dataclass(frozen=True)
class MoveView:
    id: str
    label: str
    confidence: float


@dataclass(frozen=True)
class TurnView:
    n: int
    speaker: str          # agent, customer or system
    text: str
    at: float             # seconds from the start
    moves: tuple[MoveView, ...] = ()
    mood: float | None = None

    @property
    def is_agent(self) -> bool:
        return self.speaker == AGENT

    @property
    def system_label(self):
        return {"escalate": _l("You escalated the case."), "hold": _l("You put the customer on hold.")}.get(
            self.text, self.text)


def turns_of(conv: Conversation, definition: Definition) -> list[TurnView]:
    views = []
    for turn in conv.turns:
        moves = tuple(MoveView(name, definition.moves[name].label if name in definition.moves else name,
                               float(confidence)) for name, confidence in turn.moves)
        views.append(TurnView(turn.n, turn.speaker, turn.text, turn.at, moves,
                              turn.mood if turn.speaker == CUSTOMER else None))
    return views


def latest_customer_lines(conv: Conversation) -> list[str]:
    """What the customer said since the agent's last message or action."""
    lines: list[str] = []
    for turn in reversed(conv.turns):
        if turn.speaker != CUSTOMER:
            break
        lines.append(turn.text)
    return lines[::-1]


def starting_patience(conv: Conversation) -> float:
    return max(conv.turns[0].patience if conv.turns else 0.0, conv.patience, 1.0)


@dataclass(frozen=True)
class MoodPoint:
    step: int            # 0: the opening; then each agent message or action, in order
    turn: int            # the turn number the step was (0 for the opening)
    mood: float
    label: str           # what the step was, for the data table
    speaker: str = ""    # agent (a message) or system (an action: escalate, hold)


def mood_curve(conv: Conversation) -> list[MoodPoint]:
    """The customer's mood at the start and after each agent message or action."""
    if not conv.turns:
        return []
    points = [MoodPoint(0, 0, conv.turns[0].mood, "")]
    turns = conv.turns
    for index, turn in enumerate(turns):
        if turn.speaker not in (AGENT, SYSTEM):
            continue
        following = turns[index + 1] if index + 1 < len(turns) else None
        last_step = not any(t.speaker in (AGENT, SYSTEM) for t in turns[index + 1:])
        if following is not None and following.speaker == CUSTOMER:
            mood = following.mood
        else:
            mood = conv.mood if last_step else points[-1].mood
        points.append(MoodPoint(len(points), turn.n, mood, turn.text, turn.speaker))
    return points


@dataclass(frozen=True)
class KbEvent:
    action: str          # search or open_article
    at: float
    query: str = ""
    results: int = 0
    slug: str = ""
    lang: str = ""


def kb_events(conv: Conversation) -> list[KbEvent]:
    return [KbEvent(event["action"], float(event.get("at") or 0), str(event.get("query") or ""),
                    int(event.get("results") or 0), str(event.get("slug") or ""), str(event.get("lang") or ""))
            for event in conv.events if event.get("action") in ("search", "open_article")]


def transcript(conv: Conversation) -> list[dict]:
    """The conversation as the API returns it."""
    return [{"n": turn.n, "speaker": turn.speaker, "text": turn.text, "at": round(turn.at, 1),
             "moves": [{"move": name, "confidence": round(float(confidence), 3)} for name, confidence in turn.moves],
             **({"mood": turn.mood} if turn.speaker == CUSTOMER else {})}
            for turn in conv.turns]
