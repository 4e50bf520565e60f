"""``academy quiz``: import question files into the bank, export the bank."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from academy.db import get_session
from academy.quizzes import formats, services


@click.group("quiz")
def quiz_group() -> None:
    """The question bank: import GIFT, Aiken or Moodle XML files; export GIFT or XML."""


@quiz_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the parsed questions as JSON.")
@click.option("--skip-unsupported", is_flag=True,
              help="Import the rest when the only problems are question types Academy does not support.")
@with_appcontext
def import_command(file: Path, dry_run: bool, as_json: bool, skip_unsupported: bool) -> None:
    """Import FILE (.gift, .aiken.txt or .xml). Any problem stops it: nothing is imported."""
    result = formats.read(file, file.read_bytes(), str(file))
    problems = result.blocking(skip_unsupported) + services.duplicate_titles(result.questions, str(file))
    skipped = [p for p in result.problems if p.unsupported and skip_unsupported]
    for problem in sorted(problems):
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) in {file}; nothing was imported.")
    for problem in skipped:
        click.echo(f"{problem} (skipped)", err=True)
    if as_json:
        click.echo(json.dumps(result.questions, ensure_ascii=False, indent=2))
    if dry_run:
        click.echo(f"{file}: {len(result.questions)} question(s) would be imported; nothing was changed.", err=as_json)
        return
    session = get_session()
    report = services.import_questions(session, result.questions, source=str(file))
    session.commit()
    click.echo(f"{file}: {len(report.created)} added, {len(report.updated)} updated, {report.unchanged} unchanged"
               + (f", {len(skipped)} unsupported skipped." if skipped else "."), err=as_json)


@quiz_group.command("export")
@click.option("--category", default=None, help="Only this category and its subcategories.")
@click.option("--format", "kind", type=click.Choice(formats.EXPORT_FORMATS), required=True)
@with_appcontext
def export_command(category: str | None, kind: str) -> None:
    """Write the question bank to standard output as GIFT or Moodle XML."""
    questions = services.export_questions(get_session(), category)
    if not questions:
        raise click.ClickException("no questions" + (f" in category {category}" if category else "") + " to export")
    click.echo(formats.write(questions, kind), nl=False)
