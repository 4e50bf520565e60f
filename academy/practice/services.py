"""Practice sessions: start one, pass the agent's messages and actions to the engine, and
score it when the agent ends it. The engine's state travels as JSON in
``PracticeSession.conversation``; every call loads it, changes it and stores it in the
caller's transaction, so concurrent requests on one session are serialised by a row lock.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session, object_session

from academy import signals
from academy.accounts.models import User
from academy.accounts.phase import phase_of
from academy.db import utcnow
from academy.domain_errors import DomainError, NotFound
from academy.practice import sync
from academy.practice.definitions import Scenario as Definition
from academy.practice.embeddings import Embedder
from academy.practice.engine import Conversation, Engine, PracticeError
from academy.practice.llm import LLMClient
from academy.practice.models import PracticeSession, Scenario, ScenarioVersion
from academy.practice.scoring import score as score_conversation

log = logging.getLogger(__name__)

ACTIONS = ("search", "open_article", "escalate", "hold", "record", "end")
MAX_MESSAGE = 5000
RECORD_NATURES = ("inquiry", "complaint", "request", "order", "cancellation", "other")
RECORD_RESOLUTIONS = ("resolved", "escalated", "unresolved", "callback")


_ENGINES: dict[tuple, Engine] = {}


def _llm() -> LLMClient | None:
    """The optional LLM client of the running app (``ACADEMY_LLM_URL``); None without one."""
    return current_app.extensions.get("academy.practice.llm") if has_app_context() else None


def _embedder() -> Embedder | None:
    """The optional embedder of the running app (``ACADEMY_PRACTICE_EMBEDDINGS``); None without one."""
    return current_app.extensions.get("academy.practice.embedder") if has_app_context() else None


def _engine(version: ScenarioVersion, definition: Definition) -> Engine:
    """One engine per scenario version and process (building the matcher is the costly part).
    Keyed by the text's hash too: an id alone may name another text in another database (tests)."""
    llm, embedder = _llm(), _embedder()
    key = (version.id, version.source_hash, llm, embedder)
    engine = _ENGINES.get(key)
    if engine is None:
        if len(_ENGINES) >= 64:
            _ENGINES.clear()
        engine = _ENGINES[key] = Engine(definition, llm=llm, embedder=embedder)
    return engine


def engine_for(practice: PracticeSession) -> Engine:
    version = practice.version
    scenario = version_scenario(practice)
    return _engine(version, sync.definition_of(scenario, version))


def version_scenario(practice: PracticeSession) -> Scenario:
    return object_session(practice).get(Scenario, practice.version.scenario_id)


def definition(scenario: Scenario) -> Definition:
    return sync.definition_of(scenario, scenario.current_version)


def list_scenarios(session: Session, lang: str | None = None) -> list[Scenario]:
    query = sa.select(Scenario).where(Scenario.is_active.is_(True)).order_by(Scenario.course, Scenario.key, Scenario.lang)
    if lang:
        query = query.where(Scenario.lang == lang)
    return list(session.scalars(query))


def find_scenario(session: Session, key: str, lang: str | None = None, prefer: str | None = None) -> Scenario:
    """The active scenario ``key`` in ``lang``; without a language, the ``prefer``-red one,
    else English, else any."""
    rows = list(session.scalars(sa.select(Scenario).where(Scenario.key == key, Scenario.is_active.is_(True))))
    if lang:
        rows = [row for row in rows if row.lang == lang]
    if not rows:
        raise NotFound(f"no scenario '{key}'" + (f" in '{lang}'" if lang else ""), field="scenario")
    by_lang = {row.lang: row for row in rows}
    return by_lang.get(prefer) or by_lang.get("en") or rows[0]


def start_session(session: Session, user: User, scenario: Scenario, seed: int | None = None,
                  now: dt.datetime | None = None) -> tuple[PracticeSession, Engine]:
    now = now or utcnow()
    version = scenario.current_version
    engine = _engine(version, sync.definition_of(scenario, version))
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    conv = engine.start(seed)
    practice = PracticeSession(user_id=user.id, scenario_version_id=version.id, seed=seed, phase=phase_of(user, now),
                               conversation=conv.to_dict(), mood=conv.mood, patience=conv.patience, started_at=now)
    session.add(practice)
    session.flush()
    return practice, engine


def get_session_for(session: Session, session_id: int, user: User, lock: bool = False) -> PracticeSession:
    """The practice session ``session_id`` if ``user`` may see it: their own, or any for
    trainers, supervisors and admins. Others get NotFound, never a hint it exists."""
    query = sa.select(PracticeSession).where(PracticeSession.id == session_id)
    if lock:
        query = query.with_for_update()
    practice = session.scalar(query)
    if practice is None or (practice.user_id != user.id and user.role == "specialist"):
        raise NotFound("no such practice session")
    return practice


def _elapsed(practice: PracticeSession, now: dt.datetime) -> float:
    return max(0.0, (now - practice.started_at).total_seconds())


def _store(practice: PracticeSession, conv: Conversation, engine: Engine, now: dt.datetime) -> None:
    practice.conversation = conv.to_dict()
    practice.mood, practice.patience, practice.outcome = conv.mood, conv.patience, conv.outcome
    if conv.finished and practice.ended_at is None:
        result = score_conversation(engine.scenario, conv, engine)
        practice.ended_at = now
        practice.score, practice.passed = result.score, result.passed
        practice.rubric = [criterion.to_dict() for criterion in result.criteria]
        signals.practice_finished.send(practice, session=object_session(practice))


def say(session: Session, practice: PracticeSession, text: str, now: dt.datetime | None = None) -> list[str]:
    if not isinstance(text, str) or not text.strip():
        raise DomainError("Write something to the customer first.", field="text")
    if len(text) > MAX_MESSAGE:
        raise DomainError(f"A message can be at most {MAX_MESSAGE} characters.", field="text")
    now = now or utcnow()
    engine = engine_for(practice)
    conv = Conversation.from_dict(practice.conversation)
    try:
        replies = engine.agent_says(conv, text, _elapsed(practice, now))
    except PracticeError as error:
        raise DomainError(str(error).capitalize() + ".", field="text") from None
    if not conv.turns[-1 - len(replies)].moves:
        log.info("practice: unmatched reply in %s/%s: %r", engine.scenario.id, engine.scenario.lang, text)
    _store(practice, conv, engine, now)
    return replies


def act(session: Session, practice: PracticeSession, action: str, data: dict,
        now: dt.datetime | None = None) -> tuple[list[str], dict]:
    """Run one action; returns (customer lines, extra reply data such as search results)."""
    if action not in ACTIONS:
        raise DomainError(f"Unknown action '{action}' (use one of {', '.join(ACTIONS)}).", field="action")
    now = now or utcnow()
    engine = engine_for(practice)
    conv = Conversation.from_dict(practice.conversation)
    extra: dict = {}
    fields: dict = {}
    if action == "search":
        query = str(data.get("query") or "").strip()
        if not query:
            raise DomainError("Type what to search for.", field="query")
        from academy.search import searcher
        result = searcher.search(session, query[:200], lang=engine.scenario.lang, limit=8)
        extra["results"] = result.as_dict()
        fields = {"query": query[:200], "results": result.total}
    elif action == "open_article":
        slug = str(data.get("slug") or "").strip()
        if not slug:
            raise DomainError("Say which article to open.", field="slug")
        fields = {"slug": slug, "lang": data.get("lang") or engine.scenario.lang}
    elif action == "escalate":
        fields = {"to": str(data.get("to") or "supervisor")[:60], "note": str(data.get("note") or "")[:1000]}
    elif action == "record":
        fields = _record_fields(data)
    try:
        replies = engine.act(conv, action, _elapsed(practice, now), **fields)
    except PracticeError as error:
        raise DomainError(str(error).capitalize() + ".", field="action") from None
    _store(practice, conv, engine, now)
    return replies, extra


def _record_fields(data: dict) -> dict:
    nature = str(data.get("nature") or "").strip().lower()
    resolution = str(data.get("resolution") or "").strip().lower()
    if nature not in RECORD_NATURES:
        raise DomainError(f"Choose the nature of the inquiry ({', '.join(RECORD_NATURES)}).", field="nature")
    if resolution not in RECORD_RESOLUTIONS:
        raise DomainError(f"Choose the resolution ({', '.join(RECORD_RESOLUTIONS)}).", field="resolution")
    escalated = data.get("escalated")
    if isinstance(escalated, str):
        escalated = escalated.strip().lower() in ("1", "true", "yes", "on")
    return {"nature": nature, "resolution": resolution, "escalated": bool(escalated),
            "summary": str(data.get("summary") or "")[:2000]}


def conversation_of(practice: PracticeSession) -> Conversation:
    return Conversation.from_dict(practice.conversation)


def sessions_of(session: Session, user: User, limit: int = 20) -> list[PracticeSession]:
    return list(session.scalars(sa.select(PracticeSession).where(PracticeSession.user_id == user.id)
                                .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc()).limit(limit)))


def best_score(session: Session, user_id: int, scenario_key: str) -> int | None:
    """The best finished score of a user on any language version of a scenario (course
    modules with a practice requirement read this)."""
    return session.scalar(
        sa.select(sa.func.max(PracticeSession.score))
        .join(ScenarioVersion, ScenarioVersion.id == PracticeSession.scenario_version_id)
        .join(Scenario, Scenario.id == ScenarioVersion.scenario_id)
        .where(PracticeSession.user_id == user_id, Scenario.key == scenario_key, PracticeSession.ended_at.is_not(None)))
