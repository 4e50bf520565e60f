"""Practice scenarios as synced from files, the sessions trainees play, and trainer review."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.db import Base, utcnow


class ScenarioVersion(Base):
    """One synced text of a scenario, kept unchanged forever: a session is always scored
    against the version it was played on. ``library_source`` is the move library as it was,
    since the scenario's moves come partly from it."""

    __tablename__ = "scenario_version"
    __table_args__ = (sa.UniqueConstraint("scenario_id", "revision", name="uq_scenario_version_scenario_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenario.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int]
    source: Mapped[str] = mapped_column(sa.Text)
    library_source: Mapped[str] = mapped_column(sa.Text)
    source_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Scenario(Base):
    """A practice scenario in one language (``key`` is the file's id; ids are unique
    across courses). The columns mirror the current version for lists."""

    __tablename__ = "scenario"
    __table_args__ = (
        sa.UniqueConstraint("key", "lang", name="uq_scenario_key_lang"),
        sa.CheckConstraint("channel IN ('phone', 'chat', 'email', 'post', 'fax', 'in_person')", name="channel_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(120), index=True)
    lang: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(300))
    channel: Mapped[str] = mapped_column(sa.String(16))
    course: Mapped[str] = mapped_column(sa.String(120))
    difficulty: Mapped[int] = mapped_column(default=1, server_default="1")
    path: Mapped[str] = mapped_column(sa.String(500))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    current_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("scenario_version.id", use_alter=True, ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    current_version: Mapped[ScenarioVersion | None] = relationship(foreign_keys=[current_version_id],
                                                                   post_update=True)
    versions: Mapped[list[ScenarioVersion]] = relationship(
        foreign_keys=[ScenarioVersion.scenario_id], order_by=ScenarioVersion.revision, cascade="all, delete-orphan")


class PracticeSession(Base):
    """One conversation with a simulated customer. ``conversation`` is the engine's state
    (``engine.Conversation.to_dict``): turns with matched moves and confidences, mood and
    patience after each, knowledge-base events with their times, the wrap-up record."""

    __tablename__ = "practice_session"
    __table_args__ = (
        sa.CheckConstraint("phase IN ('before_first_contact', 'after_first_contact')", name="phase_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    scenario_version_id: Mapped[int] = mapped_column(sa.ForeignKey("scenario_version.id", ondelete="CASCADE"),
                                                     index=True)
    seed: Mapped[int]
    phase: Mapped[str] = mapped_column(sa.String(24))
    conversation: Mapped[dict] = mapped_column(sa.JSON)
    mood: Mapped[float]
    patience: Mapped[float]
    outcome: Mapped[str | None] = mapped_column(sa.String(24))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]
    score: Mapped[int | None]             # after trainer overrides, when there are any
    passed: Mapped[bool | None]
    rubric: Mapped[list | None] = mapped_column(sa.JSON)   # scoring.CriterionResult dicts as scored
    reviewed_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()
    version: Mapped[ScenarioVersion] = relationship()


class ReviewNote(Base):
    """A trainer's review of a finished session: a criterion overridden with a reason, or a
    comment on a turn."""

    __tablename__ = "practice_review_note"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('override', 'comment')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("practice_session.id", ondelete="CASCADE"), index=True)
    trainer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    criterion: Mapped[str | None] = mapped_column(sa.String(120))
    met: Mapped[bool | None]
    turn: Mapped[int | None]
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    trainer: Mapped[User | None] = relationship()


class LabelledReply(Base):
    """An agent reply with the moves it really makes, marked by a trainer on a mis-matched
    turn: the evaluation set grows from real sessions."""

    __tablename__ = "labelled_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text)
    lang: Mapped[str] = mapped_column(sa.String(8))
    moves: Mapped[list[str]] = mapped_column(sa.JSON)
    matched: Mapped[list[str]] = mapped_column(sa.JSON, default=list)   # what the matcher had said
    scenario_key: Mapped[str | None] = mapped_column(sa.String(120))
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("practice_session.id", ondelete="SET NULL"))
    turn: Mapped[int | None]
    labelled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
