"""Loading ``quizzes/`` (GIFT, Aiken, Moodle XML files) into the question bank as part of
``academy content sync``: every file is checked first, and a problem anywhere stops the
whole sync with ``PATH:LINE: message``."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.content_errors import ContentError, ContentProblem
from academy.quizzes import formats, services
from academy.quizzes.models import Question


@dataclass
class QuizFile:
    path: str
    questions: list[dict]


def read_directory(directory: Path, base: Path | None = None) -> list[QuizFile]:
    """Parse every question file in ``directory``; raise ContentError listing all problems."""
    files, problems = [], []
    if not directory.is_dir():
        return files
    for path in sorted(p for p in directory.iterdir() if p.is_file() and formats.format_of(p)):
        shown = str(path.relative_to(base)) if base else str(path)
        result = formats.read(path, path.read_bytes(), shown)
        found = result.problems + services.duplicate_titles(result.questions, shown)
        problems += [ContentProblem(p.path, p.line, p.message) for p in found]
        files.append(QuizFile(shown, result.questions))
    if problems:
        raise ContentError(problems)
    return files


def sync_quizzes(session: Session, files: list[QuizFile]) -> services.ImportReport:
    """Import the parsed files into the bank; flushes, the caller commits."""
    total = services.ImportReport()
    for item in files:
        report = services.import_questions(session, item.questions, source=item.path)
        total.created += report.created
        total.updated += report.updated
        total.unchanged += report.unchanged
    return total


def export_quizzes(session: Session, directory: Path) -> list[Path]:
    """Write the bank to ``directory``, one file per source file (GIFT, or Moodle XML for
    questions that came from XML); questions with no source go to ``bank.gift``."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for question in session.scalars(sa.select(Question).order_by(Question.source_file, Question.source_line,
                                                                 Question.id)):
        source = Path(question.source_file or "bank.gift")
        kind = "xml" if formats.format_of(source) == "xml" else "gift"
        stem = source.name.removesuffix(".aiken.txt").rsplit(".", 1)[0]
        groups.setdefault((stem, kind), []).append(services.as_parsed(question))
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for (stem, kind), questions in sorted(groups.items()):
        path = directory / f"{stem}.{kind}"
        path.write_text(formats.write(questions, kind), encoding="utf-8")
        written.append(path)
    return written
