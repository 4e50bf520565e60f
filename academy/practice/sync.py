"""Scenario files into the database, as part of ``academy content sync``.

A scenario whose text (and the move library it uses) is unchanged creates nothing; a changed
one gets a new ``ScenarioVersion`` and becomes current, so sessions already played keep the
version they were scored on. A scenario whose file is gone is deactivated, not deleted.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.content_errors import ContentError, ContentProblem, SyncReport
from academy.db import utcnow
from academy.knowledge.models import Article
from academy.practice import scenario_files
from academy.practice.definitions import Scenario as Definition
from academy.practice.models import Scenario, ScenarioVersion


@dataclass
class ParsedPractice:
    scenarios: list[scenario_files.ParsedScenario] = field(default_factory=list)
    library_source: str = ""

    def keys(self) -> set[str]:
        return {p.scenario.id for p in self.scenarios}


def read_directory(content_dir: Path) -> ParsedPractice:
    """Every scenario under ``content_dir/courses``; raises ContentError listing all problems."""
    parsed, _library, problems = scenario_files.read_all(content_dir)
    if problems:
        raise ContentError(problems)
    library_path = content_dir / "courses" / scenario_files.LIBRARY_FILE
    library_source = library_path.read_text(encoding="utf-8") if library_path.is_file() else ""
    return ParsedPractice(parsed, library_source)


def check(session: Session, parsed: ParsedPractice, article_slugs: set[str]) -> None:
    """Every article a scenario names exists, among the files being synced or in the database."""
    known = set(article_slugs) | set(session.scalars(sa.select(Article.slug).distinct()))
    problems = [ContentProblem(p.scenario.path, line, f"unknown article '{slug}'")
                for p in parsed.scenarios for slug, line in p.article_refs if slug not in known]
    if problems:
        raise ContentError(problems)


def _hash(source: str, library_source: str) -> str:
    return hashlib.sha256(f"{source}\0{library_source}".encode()).hexdigest()


def sync_scenarios(session: Session, parsed: ParsedPractice) -> SyncReport:
    report = SyncReport()
    existing = {(s.key, s.lang): s for s in session.scalars(sa.select(Scenario))}
    seen = set()
    for item in parsed.scenarios:
        definition = item.scenario
        key = (definition.id, definition.lang)
        seen.add(key)
        digest = _hash(item.source, parsed.library_source)
        row = existing.get(key)
        if row is not None and row.current_version is not None and row.current_version.source_hash == digest \
                and row.is_active:
            report.unchanged += 1
            continue
        if row is None:
            row = Scenario(key=definition.id, lang=definition.lang)
            session.add(row)
            report.created.append(definition.path)
        else:
            report.updated.append(definition.path)
        row.title, row.channel, row.course = definition.title, definition.channel, definition.course
        row.difficulty, row.path, row.is_active, row.updated_at = definition.difficulty, definition.path, True, utcnow()
        if row.current_version is None or row.current_version.source_hash != digest:
            revision = (row.current_version.revision + 1) if row.current_version else 1
            version = ScenarioVersion(revision=revision, source=item.source, library_source=parsed.library_source,
                                      source_hash=digest)
            row.versions.append(version)
            session.flush()
            row.current_version = version
    for key, row in existing.items():
        if key not in seen and row.is_active:
            row.is_active = False
            report.updated.append(row.path)
    session.flush()
    return report


@lru_cache(maxsize=64)
def _definition(version_id: int, source: str, library_source: str, file_name: str, path: str,
                course: str) -> Definition:
    # Keyed by the stored texts (a version never changes), so the cache cannot go stale.
    library, problems = scenario_files.parse_library(library_source)
    parsed, more = scenario_files.parse_scenario(source, file_name, path, library, course)
    if problems or more or parsed.scenario is None:
        raise ContentError(problems + more)
    return parsed.scenario


def definition_of(scenario: Scenario, version: ScenarioVersion) -> Definition:
    """The parsed scenario of a stored version (parsed once per process and version)."""
    file_name = Path(scenario.path).name
    return _definition(version.id, version.source, version.library_source, file_name, scenario.path, scenario.course)
