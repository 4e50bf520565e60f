"""``academy practice play SCENARIO`` (talk to a simulated customer in the terminal, for
scenario authors) and ``academy practice eval FILE`` (matcher accuracy on a labelled file)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from academy.content_errors import ContentError
from academy.practice import evaluation, scenario_files
from academy.practice.engine import Engine, PracticeError
from academy.practice.script import HELP, run_line
from academy.practice.scoring import score



@click.group("practice")
def practice_group() -> None:
    """Practice with simulated customers."""


def _load(content_dir: Path):
    parsed, library, problems = scenario_files.read_all(content_dir)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1)
    return parsed, library


@practice_group.command("play")
@click.argument("scenario_id")
@click.option("--lang", help="The scenario's language version (default: the first one found).")
@click.option("--seed", default=0, show_default=True, type=int, help="Same seed, same conversation.")
@with_appcontext
def play_command(scenario_id: str, lang: str | None, seed: int) -> None:
    """Talk to the customer of SCENARIO_ID in the terminal; prints the scorecard at the end."""
    parsed, _library = _load(Path(current_app.config["CONTENT_DIR"]))
    found = [p.scenario for p in parsed if p.scenario.id == scenario_id and (lang is None or p.scenario.lang == lang)]
    if not found:
        raise click.ClickException(f"no scenario '{scenario_id}'" + (f" in '{lang}'" if lang else ""))
    scenario = found[0]
    engine = Engine(scenario, llm=current_app.extensions.get("academy.practice.llm"),
                    embedder=current_app.extensions.get("academy.practice.embedder"))
    conv = engine.start(seed)
    click.echo(f"{scenario.title} ({scenario.channel}, {scenario.lang}). {HELP}")
    click.echo(f"{scenario.persona.name} [mood {conv.mood:.0f}]: {conv.turns[0].text}")
    started = time.monotonic()
    for raw in sys.stdin if not sys.stdin.isatty() else iter(lambda: click.prompt("you", prompt_suffix="> "), None):
        line = raw.strip()
        if not line:
            continue
        at = time.monotonic() - started
        outcome_before = conv.outcome
        try:
            replies = run_line(engine, conv, line, at)
        except PracticeError as error:
            click.echo(f"! {error}")
            continue
        if not line.startswith("/"):
            moves = ", ".join(f"{name} {confidence:.2f}" for name, confidence in conv.turns[-1 - len(replies)].moves)
            click.echo(f"  (moves: {moves or 'none recognised'})")
        for reply in replies:
            click.echo(f"{scenario.persona.name} [mood {conv.mood:.0f}, patience {conv.patience:.0f}]: {reply}")
        if conv.outcome and conv.outcome != outcome_before and not conv.finished:
            click.echo(f"-- the customer has finished ({conv.outcome}); /record and /end to get your score")
        if conv.finished:
            break
    if not conv.finished:
        engine.act(conv, "end", time.monotonic() - started)
    result = score(scenario, conv, engine)
    click.echo(f"\nScore {result.score}/100: {'passed' if result.passed else 'not passed'} (outcome: {conv.outcome})")
    for criterion in result.criteria:
        mark = "+" if criterion.met else ("!" if criterion.critical else "-")
        click.echo(f" {mark} {criterion.label} ({criterion.weight:g}): {criterion.evidence}")
        if criterion.hint:
            click.echo(f"     {criterion.hint}")
        if criterion.better:
            click.echo(f"     Try: \u201c{criterion.better}\u201d")


@practice_group.command("eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--mistakes", is_flag=True, help="List the replies the matcher got wrong.")
@with_appcontext
def eval_command(files: tuple[Path, ...], as_json: bool, mistakes: bool) -> None:
    """Per-move precision, recall and F1, macro-F1 and off-topic false accepts, per language,
    of the shared move library's matcher on labelled FILES (bench/practice-eval/*.yaml), with
    the embedding stage when ACADEMY_PRACTICE_EMBEDDINGS turns it on."""
    _parsed, library = _load(Path(current_app.config["CONTENT_DIR"]))
    embedder = current_app.extensions.get("academy.practice.embedder")
    reports = []
    for path in files:
        try:
            lang, replies = evaluation.read_labelled(path, set(library))
        except ContentError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            raise SystemExit(1) from None
        reports.append(evaluation.evaluate(evaluation.library_matcher(library, lang, embedder), replies, library))
    if as_json:
        click.echo(json.dumps([_report_json(r) for r in reports], indent=2))
        return
    for report in reports:
        click.echo(f"{report.lang}: {report.replies} replies, macro-F1 {report.macro_f1:.3f}, off-topic false "
                   f"accepts {report.off_topic_accepted}/{report.off_topic} ({report.false_accept_rate:.1%})")
        for figures in report.moves.values():
            click.echo(f"  {figures.move:20} P {figures.precision:.2f}  R {figures.recall:.2f}  F1 {figures.f1:.2f}")
        if mistakes:
            for reply, found in report.mistakes:
                click.echo(f"  line {reply.line}: {reply.text!r} wanted {sorted(reply.moves)} got {sorted(found)}")


def _report_json(report: evaluation.Report) -> dict:
    return {"lang": report.lang, "replies": report.replies, "macro_f1": round(report.macro_f1, 4),
            "off_topic": report.off_topic, "off_topic_accepted": report.off_topic_accepted,
            "false_accept_rate": round(report.false_accept_rate, 4),
            "moves": {m.move: {"precision": round(m.precision, 4), "recall": round(m.recall, 4),
                               "f1": round(m.f1, 4)} for m in report.moves.values()}}
