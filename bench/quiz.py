"""Quiz benchmark: parsing a large GIFT file, importing it into the bank, grading attempts.

    .venv/bin/python bench/quiz.py [--questions 10000] [--attempts 10000] [--seed 7]

Generates a GIFT file of ``--questions`` questions covering every question type (one-answer and
several-answer multiple choice, true/false, short answer with wildcards, numerical with
tolerances and ranges, matching with a distractor, essay, description), their texts assembled
from a few help-desk templates and the words of ``/usr/share/dict/words`` or, where that does
not exist, of the repository's ``articles/*.md``. Then times, in one run:

1. ``gift.parse`` of the whole file;
2. the import of every parsed question into a scratch SQLite database (in a temporary
   directory, upgraded with ``academy.schema.upgrade``) through
   ``academy.quizzes.services.import_questions``, in one transaction, commit included;
3. grading ``--attempts`` attempts of 10 questions each through ``grading.grade`` and
   ``grading.score``, the responses (random, seeded, raw as a form sends them: right, wrong,
   blank and a few unreadable ones) generated before the clock starts.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy.orm import Session  # noqa: E402

from academy.db import make_engine  # noqa: E402
from academy.quizzes import gift, grading, services  # noqa: E402
from academy.schema import upgrade  # noqa: E402

TARGETS = {"import_s": 10.0, "attempts_per_s": 1000.0}
QUESTIONS_PER_ATTEMPT = 10
KINDS = ("single", "several", "truefalse", "shortanswer", "numerical", "matching", "essay", "description")
TEAMS = ("Billing", "Technical support", "Identity desk", "Privacy office", "Sales", "Field service",
         "Tier 2", "Supervisor on duty")


def vocabulary() -> tuple[list[str], str]:
    """Plain lowercase words, and where they came from."""
    dictionary = Path("/usr/share/dict/words")
    if dictionary.exists():
        words = {w for w in dictionary.read_text(errors="ignore").split() if re.fullmatch(r"[a-z]{4,12}", w)}
        return sorted(words), str(dictionary)
    words = set()
    files = sorted((ROOT / "articles").glob("*.md"))
    for path in files:
        words.update(w.lower() for w in re.findall(r"\b[A-Za-z]{4,12}\b", path.read_text(encoding="utf-8")))
    return sorted(words), f"{len(files)} files in articles/"


class Writer:
    """Writes one GIFT question of each kind from templates and random words."""

    def __init__(self, words: list[str], rng: random.Random):
        self.words, self.rng = words, rng

    def phrase(self, low: int = 2, high: int = 5) -> str:
        return " ".join(self.rng.choices(self.words, k=self.rng.randint(low, high)))

    def question(self, number: int, kind: str) -> str:
        r, p = self.rng, self.phrase
        title = f"::Q{number:05d} {p(1, 3)}::"
        if kind == "single":
            return (f"{title}A customer reports '{p(3, 8)}'. What do you do first? {{\n"
                    f"\t={p()}#Right: {p(3, 6)}.\n\t~{p()}#{p(3, 6)}.\n"
                    f"\t~%-50%{p()}#Never: {p(3, 6)}.\n\t~%50%{p()}\n}}\n")
        if kind == "several":
            return (f"{title}Which of these belong in a ticket about {p(2, 3)}? {{\n"
                    f"\t~%50%{p()}#Yes: {p(2, 4)}.\n\t~%50%{p()}\n\t~%-100%{p()}#Never record that.\n"
                    f"\t~%-50%{p()}\n\t~{p()}\n}}\n")
        if kind == "truefalse":
            return f"{title}An agent may {p(3, 7)} without asking. {{{r.choice('TF')}#{p(2, 5)}#{p(2, 5)}}}\n"
        if kind == "shortanswer":
            first, second = r.sample(self.words, 2)
            return (f"{title}Which queue takes '{p(2, 4)}'? {{\n\t={first} {second}#Right.\n"
                    f"\t=%50%{first}*#Nearly.\n\t=%0%{p(1, 2)}#{p(2, 4)}.\n}}\n")
        if kind == "numerical":
            value = r.randint(1, 500)
            if r.random() < 0.3:
                return f"{title}Within how many hours must {p(2, 4)} be answered? {{#{value}..{value + 4}}}\n"
            return (f"{title}How many {p(1, 2)} does a {p(1, 2)} cost, in EUR? {{#\n"
                    f"\t={value}:0.5#Right.\n\t=%50%{value}:{r.randint(2, 9)}#Close.\n}}\n")
        if kind == "matching":
            teams = r.sample(TEAMS, 5)
            lines = "".join(f"\t={p(2, 4)} -> {team}\n" for team in teams[:4])
            return f"{title}Match each request to the team that handles it. {{\n{lines}\t= -> {teams[4]}\n}}\n"
        if kind == "essay":
            return f"{title}Describe how you would handle '{p(4, 9)}'. {{}}\n"
        return f"{title}The next questions are about {p(3, 8)}.\n"

    def file(self, count: int) -> str:
        chunks, per_category = [], max(1, count // 50)
        for number in range(count):
            if number % per_category == 0:
                chunks.append(f"$CATEGORY: $course$/Bench/Topic {number // per_category:02d}\n")
            chunks.append(self.question(number + 1, KINDS[number % len(KINDS)]))
        return "\n".join(chunks)


def raw_response(question: dict, rng: random.Random):
    """A response as a form would send it: mostly plausible, sometimes blank, rarely unreadable."""
    roll, qtype = rng.random(), question["type"]
    if roll < 0.05:
        return ""
    if roll < 0.07:
        return "not a number" if qtype == "numerical" else {"bogus": True}
    if qtype == "multichoice":
        count = len(question["answers"])
        if question["single"]:
            return str(rng.randrange(count))
        return [str(index) for index in rng.sample(range(count), rng.randint(1, 3))]
    if qtype == "truefalse":
        return rng.choice(["true", "false"])
    if qtype == "shortanswer":
        right = question["answers"][0]["text"]
        return rng.choice([right.upper(), right.split()[0] + " x", "  " + right + " ", "wrong answer"])
    if qtype == "numerical":
        answer = question["numerical"][0]
        value = answer["value"] + rng.uniform(-2, 2) * max(answer["tolerance"], 1)
        text = f"{value:.2f}"
        return text.replace(".", ",") if rng.random() < 0.3 else text
    if qtype == "matching":
        answers = [pair["answer"] for pair in question["pairs"]]
        return {str(index): rng.choice(answers) for index, pair in enumerate(question["pairs"]) if pair["question"]}
    if qtype == "essay":
        return "Listen, acknowledge, act, and record the contact."
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=10000)
    parser.add_argument("--attempts", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    words, source = vocabulary()
    text = Writer(words, rng).file(args.questions)
    print(f"file: {args.questions} questions, {len(text) / 1e6:.1f} M characters, "
          f"{len(words)} words from {source}")

    started = time.perf_counter()
    result = gift.parse(text, "bench.gift")
    parse_s = time.perf_counter() - started
    if result.problems:
        sys.exit(f"the generated file has problems, e.g. {result.problems[0]}")
    questions = result.questions
    counts: dict[str, int] = {}
    for question in questions:
        kind = question["type"] + ("" if question["type"] != "multichoice" else
                                   " (one)" if question["single"] else " (several)")
        counts[kind] = counts.get(kind, 0) + 1
    print("types: " + ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items())))

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/bench.sqlite")
        upgrade(engine)
        with Session(engine) as session:
            started = time.perf_counter()
            report = services.import_questions(session, questions, source="bench.gift")
            session.commit()
            import_s = time.perf_counter() - started
        engine.dispose()
    if len(report.created) != len(questions):
        sys.exit(f"imported {len(report.created)} of {len(questions)} questions")

    attempts = []
    for _ in range(args.attempts):
        chosen = rng.sample(questions, QUESTIONS_PER_ATTEMPT)
        attempts.append([(question, raw_response(question, rng), rng.choice((1, 1, 2, 5))) for question in chosen])
    states: dict[str, int] = {}
    unreadable = 0
    started = time.perf_counter()
    for attempt in attempts:
        grades, points = [], []
        for question, response, value in attempt:
            try:
                grade = grading.grade(question, response)
            except grading.ResponseError:
                unreadable += 1
                grade = grading.not_answered(question)
            grades.append(grade)
            points.append(value)
            states[grade.state] = states.get(grade.state, 0) + 1
        grading.score(grades, points)
    grade_s = time.perf_counter() - started
    per_second = args.attempts / grade_s if grade_s else float("inf")
    print(f"responses: {args.attempts * QUESTIONS_PER_ATTEMPT} graded, "
          + ", ".join(f"{state} {count}" for state, count in sorted(states.items()))
          + f" ({unreadable} unreadable, counted not answered)")
    print()
    print(f"{'step':<44}{'time':>10}{'throughput':>22}   target")
    print(f"{'gift.parse':<44}{parse_s:>9.2f}s{len(questions) / parse_s:>13,.0f} quest./s")
    verdict = "ok" if import_s <= TARGETS["import_s"] else "MISSED"
    print(f"{'import_questions (1 transaction, commit)':<44}{import_s:>9.2f}s"
          f"{len(questions) / import_s:>13,.0f} quest./s   <= {TARGETS['import_s']:g} s ({verdict})")
    verdict = "ok" if per_second >= TARGETS["attempts_per_s"] else "MISSED"
    print(f"{f'grading ({args.attempts} attempts x {QUESTIONS_PER_ATTEMPT})':<44}{grade_s:>9.2f}s"
          f"{per_second:>10,.0f} attempts/s   >= {TARGETS['attempts_per_s']:,.0f}/s ({verdict})")


if __name__ == "__main__":
    main()
