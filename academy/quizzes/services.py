"""Question-bank operations: importing parsed questions (all or nothing, idempotent) and
exporting them back to the shape the formats write."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.db import utcnow
from academy.quizzes.models import DEFAULT_CATEGORY, Question, QuestionCategory
from academy.quizzes.questions import Problem

COMMON = ("title", "category", "type", "format", "text", "general_feedback", "line", "tags")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


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
