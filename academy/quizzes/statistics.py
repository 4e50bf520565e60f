"""Quiz statistics as Moodle's quiz statistics report computes them, over the finished attempts
of one quiz: how the scores spread, and for each question how easy it was (facility index), how
well it tells stronger learners from weaker ones (discrimination index), how much its scores vary
(standard deviation) and what learners answered.

By default only each learner's first attempt counts (later ones are practised, as Moodle's
default), optionally only attempts of one phase (before or after first customer contact). The
computations (``choose``, ``summarise``, ``question_statistics``) are pure and take plain facts;
``load_facts`` is the one query. Every response carries the snapshot of the question it answered,
so a question edited since is read the way it was asked.
"""
from __future__ import annotations

import csv
import io
import math
import statistics as stats
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from academy.quizzes import grading
from academy.quizzes.models import Attempt, AttemptState

BINS = 10
# Below this many attempts a correlation says nothing (with 2 it is always +100 % or -100 %).
MIN_ATTEMPTS_FOR_DISCRIMINATION = 3
TOP_ANSWERS = 5
_RIGHT = 1 - 1e-7
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ResponseFacts:
    """One answered slot: the question snapshot, the raw answer, the fraction earned (after
    penalties, 0..1; None counts as 0) and the points the slot was worth."""

    slot: int
    question_id: int | None
    question: dict
    answer: Any
    fraction: float | None
    max_points: float = 1.0

    @property
    def points(self) -> float:
        return (self.fraction or 0.0) * self.max_points


@dataclass(frozen=True)
class AttemptFacts:
    id: int
    user_id: int
    number: int
    phase: str
    score: float  # 0..1
    responses: tuple[ResponseFacts, ...] = ()

    @property
    def points(self) -> float:
        return sum(response.points for response in self.responses)


@dataclass(frozen=True)
class ScoreSummary:
    count: int
    mean: float | None        # 0..1
    median: float | None
    histogram: tuple[int, ...]  # attempts per band: 0-10 %, 10-20 %, ... 90-100 % (100 % in the last)

    @property
    def tallest(self) -> int:
        return max(self.histogram, default=0)


@dataclass(frozen=True)
class AnswerShare:
    """One line of a question's answer distribution: an answer (or a matching item) and how
    many of the responses chose it (or matched it right). ``fraction`` is the credit the
    answer earns, when it has one; ``detail`` is a matching item's right answer."""

    label: str
    count: int
    share: float
    fraction: float | None = None
    is_right: bool = False
    detail: str = ""


@dataclass(frozen=True)
class QuestionStatistics:
    question_id: int | None
    title: str
    type: str
    text: str
    attempts: int
    facility: float | None          # mean fraction, 0..1
    sd: float | None                # sample standard deviation of the fraction, 0..1
    discrimination: float | None    # percent, -100..100
    why_no_discrimination: str | None  # "too_few" or "no_spread" when it is None
    answers_kind: str               # "choices", "truefalse", "given", "items" or "none"
    answers: tuple[AnswerShare, ...] = ()
    unanswered: int = 0
    other_answers: int = 0          # given answers beyond the TOP_ANSWERS listed


def choose(attempts: list[AttemptFacts], *, all_attempts: bool = False, phase: str | None = None) -> list[AttemptFacts]:
    """The attempts the report covers: those in ``phase`` (any when None), and of those only
    each learner's first unless ``all_attempts``."""
    chosen = [attempt for attempt in attempts if phase is None or attempt.phase == phase]
    if all_attempts:
        return chosen
    first: dict[int, AttemptFacts] = {}
    for attempt in sorted(chosen, key=lambda a: (a.number, a.id)):
        first.setdefault(attempt.user_id, attempt)
    return sorted(first.values(), key=lambda a: a.id)


def summarise(scores: list[float]) -> ScoreSummary:
    """Count, mean, median and a 10-band histogram of scores given as fractions 0..1."""
    histogram = [0] * BINS
    for score in scores:
        band = int(round(score * 100, 6) // (100 / BINS))
        histogram[min(max(band, 0), BINS - 1)] += 1
    if not scores:
        return ScoreSummary(0, None, None, tuple(histogram))
    return ScoreSummary(len(scores), stats.fmean(scores), stats.median(scores), tuple(histogram))


def correlation(xs: list[float], ys: list[float]) -> tuple[float | None, str | None]:
    """Pearson's r between ``xs`` and ``ys`` in percent, or None and why: "too_few" pairs, or
    "no_spread" when either side is the same for everybody."""
    if len(xs) < MIN_ATTEMPTS_FOR_DISCRIMINATION:
        return None, "too_few"
    mean_x, mean_y = stats.fmean(xs), stats.fmean(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    spread = math.sqrt(sum((x - mean_x) ** 2 for x in xs) * sum((y - mean_y) ** 2 for y in ys))
    if spread < 1e-12:
        return None, "no_spread"
    return 100 * covariance / spread, None


def question_statistics(attempts: list[AttemptFacts]) -> list[QuestionStatistics]:
    """Per question (by id), over the given attempts, in the order the questions first appear.
    The discrimination index is Moodle's: the correlation between the question's points and
    the points of the rest of the attempt. Descriptions, worth nothing, are left out."""
    groups: dict[Any, list[tuple[AttemptFacts, ResponseFacts]]] = defaultdict(list)
    for attempt in attempts:
        for response in attempt.responses:
            if response.question.get("type") != "description":
                key = response.question_id if response.question_id is not None else response.question.get("title")
                groups[key].append((attempt, response))
    results = []
    for items in sorted(groups.values(), key=lambda items: min(response.slot for _, response in items)):
        fractions = [response.fraction or 0.0 for _, response in items]
        discrimination, why = correlation([response.points for _, response in items],
                                          [attempt.points - response.points for attempt, response in items])
        latest = items[-1][1]
        snapshot = latest.question
        results.append(QuestionStatistics(
            question_id=latest.question_id, title=snapshot.get("title", ""), type=snapshot.get("type", ""),
            text=snapshot.get("text", ""), attempts=len(items), facility=stats.fmean(fractions),
            sd=stats.stdev(fractions) if len(fractions) > 1 else None, discrimination=discrimination,
            why_no_discrimination=why, **_distribution([response for _, response in items])))
    return results


def _normalised(response: ResponseFacts):
    """The canonical answer (None when blank or unreadable: it counts as not answered)."""
    try:
        return grading.normalise_response(response.question, response.answer)
    except (grading.ResponseError, grading.UnknownQuestionType, KeyError, IndexError, TypeError):
        return None


def _distribution(responses: list[ResponseFacts]) -> dict:
    kind = responses[-1].question.get("type")
    total = len(responses)
    given = [(response, _normalised(response)) for response in responses]
    unanswered = sum(1 for _, answer in given if answer is None)
    given = [(response, answer) for response, answer in given if answer is not None]
    if kind == "multichoice":
        return {"answers_kind": "choices", "unanswered": unanswered, "answers": _choices(responses, given, total)}
    if kind == "truefalse":
        counts = Counter(answer for _, answer in given)
        correct = responses[-1].question.get("correct")
        return {"answers_kind": "truefalse", "unanswered": unanswered, "answers": tuple(
            AnswerShare(str(value).lower(), counts[value], counts[value] / total, 1.0 if value == correct else 0.0,
                        value == correct) for value in (True, False))}
    if kind in ("shortanswer", "numerical"):
        return {"answers_kind": "given", "unanswered": unanswered, **_given(given, total, kind)}
    if kind == "matching":
        return {"answers_kind": "items", "unanswered": unanswered, "answers": _items(given, total)}
    return {"answers_kind": "none", "unanswered": unanswered}


def _choices(responses: list[ResponseFacts], given: list, total: int) -> tuple[AnswerShare, ...]:
    """Each answer text offered (newest wording first), how many chose it, and its credit."""
    credit: dict[str, float] = {}
    for response in responses:  # oldest first, so the newest snapshot's credit wins
        for answer in response.question.get("answers", []):
            credit[answer["text"]] = answer["fraction"]
    order = [answer["text"] for answer in responses[-1].question.get("answers", [])]
    order += [text for text in credit if text not in order]
    counts: Counter = Counter()
    for response, answer in given:
        for index in (answer if isinstance(answer, list) else [answer]):
            counts[response.question["answers"][index]["text"]] += 1
    single = responses[-1].question.get("single", True)
    return tuple(AnswerShare(text, counts[text], counts[text] / total, credit[text],
                             credit[text] >= _RIGHT if single else credit[text] > 0) for text in order)


def _given(given: list, total: int, kind: str) -> dict:
    """The most frequent typed answers (same text ignoring case and spacing, or same number)."""
    counts: Counter = Counter()
    shown: dict[Any, str] = {}
    credit: dict[Any, float] = {}
    for response, answer in given:
        key = answer if kind == "numerical" else answer.casefold()  # already NFC, spacing collapsed
        counts[key] += 1
        shown.setdefault(key, f"{answer:g}" if kind == "numerical" else answer)
        credit[key] = grading.grade(response.question, answer).fraction
    top = sorted(counts, key=lambda key: (-counts[key], shown[key]))[:TOP_ANSWERS]
    return {"answers": tuple(AnswerShare(shown[key], counts[key], counts[key] / total, credit[key],
                                         credit[key] >= _RIGHT) for key in top),
            "other_answers": sum(counts.values()) - sum(counts[key] for key in top)}


def _items(given: list, total: int) -> tuple[AnswerShare, ...]:
    """Each matching item and how many matched it right."""
    right: Counter = Counter()
    items: dict[str, str] = {}
    for response, answer in given:
        for index, pair in enumerate(response.question["pairs"]):
            if pair["question"].strip():
                items.setdefault(pair["question"], pair["answer"])
                right[pair["question"]] += answer.get(index) == pair["answer"].strip()
    return tuple(AnswerShare(item, right[item], right[item] / total, detail=answer) for item, answer in items.items())


# --- the query and the export ---------------------------------------------------------------

def load_facts(session: Session, quiz_id: int) -> list[AttemptFacts]:
    """Every finished attempt of the quiz with its responses, oldest first."""
    attempts = session.scalars(
        sa.select(Attempt).where(Attempt.quiz_id == quiz_id, Attempt.state == AttemptState.FINISHED)
        .order_by(Attempt.id).options(selectinload(Attempt.responses)))
    facts = []
    for attempt in attempts:
        responses = tuple(ResponseFacts(r.slot, r.question_id, r.question, r.answer, r.fraction, r.max_points)
                          for r in attempt.responses)
        score = attempt.score
        if score is None:
            possible = sum(r.max_points for r in responses if r.question.get("type") != "description")
            score = sum(r.points for r in responses) / possible if possible else 0.0
        facts.append(AttemptFacts(attempt.id, attempt.user_id, attempt.number, attempt.phase, score, responses))
    return facts


@dataclass(frozen=True)
class QuizReport:
    finished: int                   # finished attempts of the quiz, before choosing
    summary: ScoreSummary
    questions: list[QuestionStatistics]


def quiz_report(session: Session, quiz_id: int, *, all_attempts: bool = False, phase: str | None = None) -> QuizReport:
    facts = load_facts(session, quiz_id)
    chosen = choose(facts, all_attempts=all_attempts, phase=phase)
    return QuizReport(len(facts), summarise([attempt.score for attempt in chosen]), question_statistics(chosen))


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.2f}"


def export_csv(questions: list[QuestionStatistics]) -> str:
    """The per-question table as CSV; a title a spreadsheet would run as a formula gets an
    apostrophe in front."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["position", "question_id", "title", "type", "attempts", "facility_percent", "sd_percent",
                     "discrimination_percent"])
    for position, question in enumerate(questions, 1):
        title = "'" + question.title if question.title.startswith(_FORMULA_START) else question.title
        writer.writerow([position, question.question_id or "", title, question.type, question.attempts,
                         _percent(question.facility), _percent(question.sd),
                         "" if question.discrimination is None else f"{question.discrimination:.2f}"])
    return buffer.getvalue()


def discrimination_rating(value: float | None) -> str | None:
    """Moodle's reading of a discrimination index: "invalid" (negative: the stronger learners
    did worse; check the question), "very_weak" (below 20), "weak" (20-29), "adequate" (30-49),
    "very_good" (50 and above)."""
    if value is None:
        return None
    if value < 0:
        return "invalid"
    for limit, rating in ((20, "very_weak"), (30, "weak"), (50, "adequate")):
        if value < limit:
            return rating
    return "very_good"
