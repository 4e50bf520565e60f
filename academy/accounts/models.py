"""Users, cohorts and API tokens."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.db import Base, utcnow


class Role(enum.StrEnum):
    """What a person does in Academy; one role per user."""

    SPECIALIST = "specialist"
    TRAINER = "trainer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Cohort(Base):
    """A group of new hires who start together."""

    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)  # unique, checked in services too
    starts_on: Mapped[dt.date]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="cohort", order_by="User.name")


class User(UserMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint(
            "role IN ('specialist', 'trainer', 'supervisor', 'admin')", name="role_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased (services normalise), so uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20))
    # One of config.LANGUAGES; drives the UI language and the default content language.
    language: Mapped[str] = mapped_column(sa.String(8), default="en", server_default="en")
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))  # None: cannot sign in with a password
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohort.id", ondelete="SET NULL"), index=True)
    hired_at: Mapped[dt.date | None]
    cleared_for_contact_at: Mapped[dt.datetime | None]
    cleared_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    clearance_override_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Null means the person has not yet served a real customer: everything they do is
    # stamped "before_first_contact" until it is set.
    first_contact_at: Mapped[dt.datetime | None]
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    # Bumped when the password changes or the account is deactivated, so existing
    # sessions stop working (it is part of the Flask-Login id).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    cohort: Mapped[Cohort | None] = relationship(back_populates="members")
    cleared_by: Mapped[User | None] = relationship(remote_side=[id])
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", order_by="ApiToken.created_at")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def is_new_hire(self) -> bool:
        return self.role == Role.SPECIALIST and self.first_contact_at is None

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(Base):
    """A bearer token for the JSON API. Only the SHA-256 of the token is stored; the
    token itself is shown once when created."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
