"""Trainer review of finished practice sessions: the queue of sessions nobody has reviewed
yet, criteria overridden with a reason (the score and pass/fail follow), comments on turns,
agent replies labelled with the moves they really make (they grow the matcher's evaluation
set), and marking a session reviewed.

Trainers and admins review; supervisors do not (they coach on the floor, trainers own the
scenarios and the scorecard), so every function that changes a review refuses other roles.
``PracticeSession.rubric`` keeps the criteria as the scorer judged them; overrides live in
``ReviewNote`` rows, the latest per criterion wins, and ``score``/``passed`` are recomputed
from both with the scorer's rules (met share of the weights; an unmet critical criterion
fails the session). No Flask here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.accounts.models import Role, User
from academy.db import utcnow
from academy.domain_errors import DomainError, Forbidden, NotFound
from academy.practice import services, sync
from academy.practice.engine import AGENT
from academy.practice.models import LabelledReply, PracticeSession, ReviewNote, Scenario, ScenarioVersion

REVIEWERS = (Role.TRAINER, Role.ADMIN)
MAX_NOTE = 2000


@dataclass(frozen=True)
class RubricLine:
    """One criterion as the trainee and the trainer see it: as scored, and after review."""
    id: str
    label: str
    weight: float
    critical: bool
    met: bool               # after overrides
    scored_met: bool        # as the scorer judged it
    evidence: str
    hint: str
    better: str = ""        # a model phrasing for a missed criterion
    override: ReviewNote | None = None

    def to_api(self) -> dict:
        return {"id": self.id, "weight": self.weight, "critical": self.critical, "met": self.met,
                "evidence": self.evidence, "hint": self.hint, "better": self.better}


@dataclass(frozen=True)
class QueueItem:
    practice: PracticeSession
    scenario: Scenario


def _check_reviewer(user: User) -> None:
    if user.role not in {str(r) for r in REVIEWERS}:
        raise Forbidden("Only trainers and admins review practice sessions.")


def _check_finished(practice: PracticeSession) -> None:
    if practice.ended_at is None or not practice.rubric:
        raise DomainError("This session is still going on; it can be reviewed once the trainee ends it.")


def notes_of(session: Session, practice: PracticeSession) -> list[ReviewNote]:
    return list(session.scalars(sa.select(ReviewNote).where(ReviewNote.session_id == practice.id)
                                .order_by(ReviewNote.created_at, ReviewNote.id)))


def overrides(notes: list[ReviewNote]) -> dict[str, ReviewNote]:
    """The override in force per criterion: the latest one."""
    latest: dict[str, ReviewNote] = {}
    for note in notes:
        if note.kind == "override" and note.criterion:
            latest[note.criterion] = note
    return latest


def comments_by_turn(notes: list[ReviewNote]) -> dict[int | None, list[ReviewNote]]:
    by_turn: dict[int | None, list[ReviewNote]] = {}
    for note in notes:
        if note.kind == "comment":
            by_turn.setdefault(note.turn, []).append(note)
    return by_turn


def rubric_lines(practice: PracticeSession, notes: list[ReviewNote]) -> list[RubricLine]:
    """The session's criteria with the overrides in force applied."""
    forced = overrides(notes)
    lines = []
    for item in practice.rubric or []:
        note = forced.get(item["id"])
        hint, better = _hint_and_better(item)
        lines.append(RubricLine(item["id"], item.get("label") or item["id"], float(item["weight"]),
                                bool(item["critical"]), bool(note.met) if note else bool(item["met"]),
                                bool(item["met"]), item.get("evidence") or "", hint, better, note))
    return lines


def _hint_and_better(item: dict) -> tuple[str, str]:
    """A stored criterion's hint and model phrasing. Sessions scored before the phrasing got
    its own field carry it in the hint after ' Try: ' (always English then)."""
    hint = item.get("hint") or ""
    if "better" in item:
        return hint, item["better"] or ""
    before, _sep, better = hint.partition(" Try: ")
    return before, better.strip("\u201c\u201d")


def recompute(lines: list[RubricLine], pass_mark: float) -> tuple[int, bool]:
    """(score, passed) as scoring.score computes them, from the criteria after review."""
    total = sum(line.weight for line in lines) or 1.0
    value = round(100 * sum(line.weight for line in lines if line.met) / total)
    passed = value >= pass_mark and not any(line.critical and not line.met for line in lines)
    return value, passed


def pass_mark_of(practice: PracticeSession) -> float:
    return sync.definition_of(services.version_scenario(practice), practice.version).pass_mark


def _text(value, field: str, required_message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise DomainError(required_message, field=field)
    if len(text) > MAX_NOTE:
        raise DomainError(f"At most {MAX_NOTE} characters, please.", field=field)
    return text


def override_criterion(session: Session, practice: PracticeSession, trainer: User, criterion: str, met: bool,
                       reason: str, now: dt.datetime | None = None) -> ReviewNote:
    """Set a criterion met or not met with a reason; the session's score and pass/fail follow."""
    _check_reviewer(trainer)
    _check_finished(practice)
    if criterion not in {item["id"] for item in practice.rubric}:
        raise DomainError(f"This scenario has no criterion '{criterion}'.", field="criterion")
    if not isinstance(met, bool):
        raise DomainError("Say whether the criterion is met.", field="met")
    reason = _text(reason, "reason", "Give the reason for the override: the trainee reads it.")
    note = ReviewNote(session_id=practice.id, trainer_id=trainer.id, kind="override", criterion=criterion,
                      met=met, text=reason, created_at=now or utcnow())
    session.add(note)
    session.flush()
    practice.score, practice.passed = recompute(rubric_lines(practice, notes_of(session, practice)),
                                                pass_mark_of(practice))
    session.flush()
    return note


def _turn(practice: PracticeSession, number, agent_only: bool = False):
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise DomainError("Choose a turn of the conversation.", field="turn") from None
    for turn in services.conversation_of(practice).turns:
        if turn.n == number and (turn.speaker == AGENT or not agent_only):
            return turn
    raise DomainError(f"The conversation has no {'agent ' if agent_only else ''}turn {number}.", field="turn")


def comment(session: Session, practice: PracticeSession, trainer: User, turn, text: str,
            now: dt.datetime | None = None) -> ReviewNote:
    """A comment on one turn, or on the whole session when ``turn`` is None."""
    _check_reviewer(trainer)
    _check_finished(practice)
    number = None if turn in (None, "") else _turn(practice, turn).n
    note = ReviewNote(session_id=practice.id, trainer_id=trainer.id, kind="comment", turn=number,
                      text=_text(text, "text", "Write the comment first."), created_at=now or utcnow())
    session.add(note)
    session.flush()
    return note


def labels_of(session: Session, practice: PracticeSession) -> dict[int, LabelledReply]:
    return {label.turn: label for label in session.scalars(
        sa.select(LabelledReply).where(LabelledReply.session_id == practice.id).order_by(LabelledReply.id))}


def label_reply(session: Session, practice: PracticeSession, trainer: User, turn, moves: list[str],
                now: dt.datetime | None = None) -> LabelledReply:
    """Record the moves an agent turn really makes (none: an off-topic reply). Labelling the
    same turn again replaces the earlier label."""
    _check_reviewer(trainer)
    _check_finished(practice)
    agent_turn = _turn(practice, turn, agent_only=True)
    known = set(sync.definition_of(services.version_scenario(practice), practice.version).moves)
    moves = list(dict.fromkeys(str(move) for move in moves or ()))
    unknown = [move for move in moves if move not in known]
    if unknown:
        raise DomainError(f"Unknown move: {', '.join(unknown)}.", field="moves")
    conv = services.conversation_of(practice)
    label = labels_of(session, practice).get(agent_turn.n)
    if label is None:
        label = LabelledReply(session_id=practice.id, turn=agent_turn.n)
        session.add(label)
    label.text, label.lang, label.scenario_key = agent_turn.text, conv.lang, conv.scenario_id
    label.moves, label.matched = moves, [name for name, _confidence in agent_turn.moves]
    label.labelled_by_id, label.created_at = trainer.id, now or utcnow()
    session.flush()
    return label


def mark_reviewed(session: Session, practice: PracticeSession, trainer: User, now: dt.datetime | None = None) -> None:
    _check_reviewer(trainer)
    _check_finished(practice)
    practice.reviewed_at = now or utcnow()
    session.flush()


def queue(session: Session, limit: int = 200) -> list[QueueItem]:
    """Finished sessions nobody has reviewed yet, oldest first."""
    rows = session.execute(
        sa.select(PracticeSession, Scenario)
        .join(ScenarioVersion, ScenarioVersion.id == PracticeSession.scenario_version_id)
        .join(Scenario, Scenario.id == ScenarioVersion.scenario_id)
        .where(PracticeSession.ended_at.is_not(None), PracticeSession.reviewed_at.is_(None))
        .order_by(PracticeSession.ended_at, PracticeSession.id).limit(limit))
    return [QueueItem(practice, scenario) for practice, scenario in rows]


def session_for_review(session: Session, session_id: int, trainer: User) -> PracticeSession:
    _check_reviewer(trainer)
    practice = session.get(PracticeSession, session_id)
    if practice is None:
        raise NotFound("no such practice session")
    return practice
