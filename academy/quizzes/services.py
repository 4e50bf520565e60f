"""Question-bank operations: importing parsed questions (all or nothing, idempotent),
exporting them back to the shape the formats write, and the trainer's edits (save, delete)."""
from __future__ import annotations


import sqlalchemy as sa
from flask_babel import gettext, ngettext
from sqlalchemy.orm import Session

from academy.db import utcnow
from academy.domain_errors import Conflict, DomainError
from academy.quizzes.models import DEFAULT_CATEGORY, Question, QuestionCategory, QuizResponse
from academy.quizzes.questions import Problem, validate
from academy.content_errors import SyncReport

COMMON = ("title", "category", "type", "format", "text", "general_feedback", "line", "tags")


ImportReport = SyncReport  # an import reports like a sync: questions added, updated, unchanged


def category_for(session: Session, path: str | None) -> QuestionCategory:
    path = (path or DEFAULT_CATEGORY).strip() or DEFAULT_CATEGORY
    category = session.scalar(sa.select(QuestionCategory).where(QuestionCategory.path == path))
    if category is None:
        category = QuestionCategory(path=path)
        session.add(category)
        session.flush()
    return category


def _specific(question: dict) -> dict:
    """The type-specific part of a parsed question, as stored in Question.data."""
    return {key: value for key, value in question.items() if key not in COMMON}


def import_questions(session: Session, questions: list[dict], *, source: str) -> ImportReport:
    """Add or update questions; a question is the same one when category and title match.
    The caller has already refused files with problems; this flushes, the caller commits.
    Categories and existing questions are looked up once per category, not per question."""
    report = ImportReport()
    categories: dict[str, QuestionCategory] = {}
    existing: dict[tuple[int, str], Question] = {}
    for parsed in questions:
        path = (parsed.get("category") or DEFAULT_CATEGORY).strip() or DEFAULT_CATEGORY
        if path not in categories:
            categories[path] = category_for(session, path)
            existing.update(((q.category_id, q.title), q) for q in session.scalars(
                sa.select(Question).where(Question.category_id == categories[path].id)))
        category = categories[path]
        values = {
            "type": parsed["type"], "text": parsed["text"], "format": parsed.get("format") or "moodle",
            "general_feedback": parsed.get("general_feedback") or "", "data": _specific(parsed),
            "tags": list(parsed.get("tags") or []),
        }
        question = existing.get((category.id, parsed["title"]))
        if question is None:
            question = Question(category=category, title=parsed["title"], source_file=source,
                                source_line=parsed.get("line"), **values)
            session.add(question)
            existing[(category.id, parsed["title"])] = question
            report.created.append(parsed["title"])
        elif any(getattr(question, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(question, key, value)
            question.source_file, question.source_line, question.updated_at = source, parsed.get("line"), utcnow()
            report.updated.append(parsed["title"])
        else:
            report.unchanged += 1
    session.flush()
    return report


def as_parsed(question: Question) -> dict:
    """A stored question in the shape the parsers produce and the writers take."""
    category = question.category.path
    parsed = {
        "title": question.title, "category": None if category == DEFAULT_CATEGORY else category,
        "type": question.type, "format": question.format, "text": question.text,
        "general_feedback": question.general_feedback, **question.data,
    }
    if question.tags:
        parsed["tags"] = list(question.tags)
    return parsed


def export_questions(session: Session, category: str | None = None) -> list[dict]:
    """Every question (or those in ``category`` and its subcategories), by category and title."""
    stmt = sa.select(Question).join(QuestionCategory).order_by(QuestionCategory.path, Question.title)
    if category:
        stmt = stmt.where(sa.or_(QuestionCategory.path == category, QuestionCategory.path.startswith(category + "/")))
    return [as_parsed(q) for q in session.scalars(stmt)]


def duplicate_titles(questions: list[dict], path: str) -> list[Problem]:
    """Problems for questions sharing a title within a category (the bank keys on both)."""
    seen: dict[tuple, int] = {}
    problems = []
    for question in questions:
        key = (question.get("category") or DEFAULT_CATEGORY, question["title"])
        if key in seen:
            problems.append(Problem(path, question.get("line") or 1,
                                    f"another question in this category is already called '{question['title']}' "
                                    f"(line {seen[key]}); give each question its own ::title::"))
        else:
            seen[key] = question.get("line") or 1
    return problems


def save_question(session: Session, parsed: dict, question: Question | None = None) -> Question:
    """Store an edited (or, without ``question``, a new) question from its parsed form. The
    question keeps its id, so attempts that refer to it still do; their snapshots keep the
    wording they were taken with. Raises DomainError for an invalid question or a title
    another question in the category already has; flushes, the caller commits. (Messages
    naming a title are translated at once, not lazily: a lazy string reaches templates as
    markup, unescaped.)"""
    messages = validate(parsed)
    if messages:
        raise DomainError("; ".join(messages))
    path = (parsed.get("category") or DEFAULT_CATEGORY).strip() or DEFAULT_CATEGORY
    clash = session.scalar(sa.select(Question.id).join(QuestionCategory).where(
        QuestionCategory.path == path, Question.title == parsed["title"],
        Question.id != (question.id if question is not None else -1)))
    if clash is not None:
        raise DomainError(gettext("Another question in the category “%(category)s” is already called “%(title)s”; "
                                  "give this one its own title.", category=path, title=parsed["title"]),
                          field="title")
    category = category_for(session, path)
    if question is None:
        question = Question(category=category, source_file=None, source_line=None)
        session.add(question)
    question.category = category
    question.title, question.type, question.text = parsed["title"], parsed["type"], parsed["text"]
    question.format = parsed.get("format") or "moodle"
    question.general_feedback = parsed.get("general_feedback") or ""
    question.data, question.tags = _specific(parsed), list(parsed.get("tags") or [])
    question.updated_at = utcnow()
    session.flush()
    return question


def responses_to(session: Session, question: Question) -> int:
    """How many answers in quiz attempts refer to ``question``."""
    return session.scalar(sa.select(sa.func.count()).select_from(QuizResponse)
                          .where(QuizResponse.question_id == question.id)) or 0


def delete_question(session: Session, question: Question) -> None:
    """Remove a question nobody has answered yet; one that attempts refer to stays (its
    statistics and the attempts' reviews need it). Flushes, the caller commits."""
    used = responses_to(session, question)
    if used:
        raise Conflict(ngettext("“%(title)s” was answered %(num)d time in quiz attempts, so it cannot be deleted.",
                                "“%(title)s” was answered %(num)d times in quiz attempts, so it cannot be deleted.",
                                used, title=question.title))
    session.delete(question)
    session.flush()
