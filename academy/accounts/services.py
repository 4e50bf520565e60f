"""Account operations. They take a session and plain values, enforce the rules, flush,
and raise a DomainError on a violation; the caller commits."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from academy import signals
from academy.accounts.models import ApiToken, Cohort, Role, User
from academy.config import LANGUAGES
from academy.db import utcnow
from academy.domain_errors import Conflict, DomainError, NotFound

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "acd_"
# A real hash to compare against when the e-mail is unknown, so a wrong e-mail and a
# wrong password take the same time and give the same answer.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def normalise_email(email: str) -> str:
    """Check an address's syntax (no DNS lookup) and return it lower-cased."""
    try:
        result = validate_email(email.strip(), check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise DomainError(_l("Not a valid e-mail address: %(reason)s", reason=str(exc)), field="email") from None
    return result.normalized.lower()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field="password")
    return generate_password_hash(password, method="scrypt")


def _check_role(role: str) -> str:
    if role not in {r.value for r in Role}:
        raise DomainError(_l("Unknown role “%(role)s”; use one of %(roles)s.", role=role, roles=", ".join(Role)),
                          field="role")
    return role


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise DomainError(_l("Unknown language “%(language)s”; use one of %(languages)s.", language=language,
                              languages=", ".join(LANGUAGES)), field="language")
    return language


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such user."))
    return user


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def create_user(
    session: Session,
    *,
    email: str,
    role: str,
    name: str | None = None,
    password: str | None = None,
    language: str = "en",
    cohort: Cohort | None = None,
    hired_at: dt.date | None = None,
) -> User:
    """Create an account. Without a password the person cannot sign in until one is set."""
    email = normalise_email(email)
    if find_user_by_email(session, email) is not None:
        raise Conflict(_l("A user with the e-mail %(email)s already exists.", email=email), field="email")
    user = User(
        email=email,
        name=(name or "").strip() or email.split("@")[0],
        role=_check_role(role),
        language=_check_language(language),
        password_hash=hash_password(password) if password else None,
        cohort=cohort,
        hired_at=hired_at,
    )
    session.add(user)
    session.flush()
    if cohort is not None:
        signals.cohort_joined.send(user, session=session, cohort=cohort)
    return user


def update_user(
    session: Session,
    user: User,
    *,
    acting: User,
    name: str,
    role: str,
    language: str,
    cohort: Cohort | None,
    hired_at: dt.date | None,
    is_active: bool,
) -> User:
    """Change a user's profile. An admin cannot demote or deactivate themselves, so the
    instance always keeps someone who can manage it."""
    _check_role(role)
    if user.id == acting.id and (role != Role.ADMIN or not is_active):
        raise DomainError(_l("You cannot remove your own admin role or deactivate yourself."), field="role")
    if not name.strip():
        raise DomainError(_l("The name cannot be empty."), field="name")
    if user.is_active and not is_active:
        user.session_version += 1  # signs the person out everywhere
    user.name = name.strip()
    user.role = role
    user.language = _check_language(language)
    joined = cohort is not None and user.cohort_id != cohort.id
    user.cohort = cohort
    user.hired_at = hired_at
    user.is_active = is_active
    session.flush()
    if joined:
        signals.cohort_joined.send(user, session=session, cohort=cohort)
    return user


def set_language(session: Session, user: User, language: str) -> None:
    user.language = _check_language(language)
    session.flush()


def set_password(session: Session, user: User, password: str) -> None:
    """Set a new password and sign out the user's other sessions."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    session.flush()


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise DomainError(_l("The current password is not correct."), field="current_password")
    set_password(session, user, new)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the active user with this e-mail and password, or None. The caller shows
    one message for every failure, so the answer never tells which part was wrong."""
    user = find_user_by_email(session, email)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    session.flush()
    return user


def load_session_user(session: Session, session_id: str) -> User | None:
    """Resolve the Flask-Login id ``"<user id>:<session version>"`` to an active user."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


# --- cohorts ---------------------------------------------------------------------------

def list_cohorts(session: Session) -> list[Cohort]:
    return list(session.scalars(sa.select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.name)))


def get_cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(_l("No such cohort."))
    return cohort


def find_cohort(session: Session, cohort_id: int | None) -> Cohort | None:
    """The cohort with this id, or None for no id (0 or None) or an unknown one."""
    return session.get(Cohort, cohort_id) if cohort_id else None


def save_cohort(session: Session, *, name: str, starts_on: dt.date, cohort: Cohort | None = None) -> Cohort:
    """Create a cohort, or rename / re-date an existing one; names are unique."""
    name = name.strip()
    if not name:
        raise DomainError(_l("The cohort needs a name."), field="name")
    clash = session.scalar(sa.select(Cohort).where(sa.func.lower(Cohort.name) == name.lower()))
    if clash is not None and clash is not cohort:
        raise Conflict(_l("A cohort called “%(name)s” already exists.", name=name), field="name")
    if cohort is None:
        cohort = Cohort(name=name, starts_on=starts_on)
        session.add(cohort)
    else:
        cohort.name, cohort.starts_on = name, starts_on
    session.flush()
    return cohort


def delete_cohort(session: Session, cohort: Cohort) -> None:
    """Delete a cohort; its members stay, without a cohort."""
    for member in cohort.members:
        member.cohort = None
    session.delete(cohort)
    session.flush()


# --- API tokens --------------------------------------------------------------------------

def _digest(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, label: str = "") -> tuple[ApiToken, str]:
    """Create an API token; return the row and the token, which is never stored."""
    if not user.is_active:
        raise DomainError(_l("%(email)s is deactivated; no token can be issued.", email=user.email), field="email")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=user, label=label.strip()[:120], token_hash=_digest(token))
    session.add(row)
    session.flush()
    return row, token


def revoke_token(session: Session, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a bearer token belongs to, recording when it was last used."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    row.last_used_at = utcnow()
    session.flush()
    return row.user


# --- lists -------------------------------------------------------------------------------

def list_users(
    session: Session, *, role: str | None = None, cohort_id: int | None = None, query: str = ""
) -> list[User]:
    stmt = sa.select(User).order_by(User.name)
    if role:
        stmt = stmt.where(User.role == role)
    if cohort_id:
        stmt = stmt.where(User.cohort_id == cohort_id)
    if query.strip():
        pattern = f"%{query.strip().lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(User.name).like(pattern), User.email.like(pattern)))
    return list(session.scalars(stmt))


def count_users_by_role(session: Session) -> dict[str, int]:
    rows = session.execute(
        sa.select(User.role, sa.func.count()).where(User.is_active.is_(True)).group_by(User.role)
    )
    counts = {role.value: 0 for role in Role}
    counts.update(dict(rows.all()))
    return counts
