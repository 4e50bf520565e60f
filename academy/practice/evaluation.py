"""How well the matcher reads agent replies, on a labelled file.

The file (``bench/practice-eval/<lang>.yaml``) holds replies written apart from the move
examples, each with the set of moves it makes (empty: off-topic). Reported: per move
precision, recall and F1; their macro average; and the off-topic false-accept rate (the
share of off-topic replies the matcher took for some move). Time per reply is measured by
the caller (``bench/practice.py``), since this module must stay free of timing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from academy.config import LANGUAGES
from academy.content_errors import ContentError, ContentProblem
from academy.practice import yamllines
from academy.practice.embeddings import Embedder, EmbeddingStage, StagedMatcher
from academy.practice.matcher import Matcher
from academy.practice.scenario_files import LibraryMove


@dataclass(frozen=True)
class Labelled:
    text: str
    moves: frozenset[str]
    line: int


@dataclass
class MoveFigures:
    move: str
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    lang: str
    replies: int
    moves: dict[str, MoveFigures]
    off_topic: int = 0
    off_topic_accepted: int = 0
    mistakes: list[tuple[Labelled, frozenset[str]]] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        scored = [m for m in self.moves.values() if m.true_positives + m.false_negatives]
        return sum(m.f1 for m in scored) / len(scored) if scored else 0.0

    @property
    def false_accept_rate(self) -> float:
        return self.off_topic_accepted / self.off_topic if self.off_topic else 0.0


def read_labelled(path: Path, known_moves: set[str]) -> tuple[str, list[Labelled]]:
    """(language, replies); raises ContentError with PATH:LINE for every problem."""
    shown = str(path)
    try:
        data = yamllines.load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ContentError([ContentProblem(shown, 1, "the file is not UTF-8 text")]) from None
    except yaml.YAMLError as error:
        raise ContentError([ContentProblem(shown, yamllines.error_line(error),
                                           f"broken YAML: {yamllines.error_reason(error)}")]) from None
    problems = []
    if not isinstance(data, dict) or data.get("lang") not in LANGUAGES or not isinstance(data.get("replies"), list):
        raise ContentError([ContentProblem(shown, 1, "expected 'lang: <language>' and 'replies: [...]'")])
    replies = []
    for index, item in enumerate(data["replies"]):
        line = data["replies"].line_of(index)
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not isinstance(item.get("moves"), list):
            problems.append(ContentProblem(shown, line, "each reply must be like {text: ..., moves: [...]}"))
            continue
        unknown = [m for m in item["moves"] if m not in known_moves]
        if unknown:
            problems.append(ContentProblem(shown, line, f"unknown move(s) {', '.join(map(str, unknown))}"))
            continue
        replies.append(Labelled(item["text"], frozenset(item["moves"]), line))
    if problems:
        raise ContentError(problems)
    return data["lang"], replies


def library_matcher(library: dict[str, LibraryMove], lang: str,
                    embedder: Embedder | None = None) -> Matcher | StagedMatcher:
    """The shared library's matcher in ``lang``, with the embedding stage when given an embedder."""
    matcher = Matcher(lang, [m.move_in(lang).spec() for m in library.values()])
    if embedder is None:
        return matcher
    return StagedMatcher(matcher, EmbeddingStage(embedder, {m.id: m.examples.get(lang, ()) for m in library.values()}))


def evaluate(matcher: Matcher | StagedMatcher, replies: list[Labelled], move_ids) -> Report:
    report = Report(matcher.lang, len(replies), {move: MoveFigures(move) for move in move_ids})
    for reply in replies:
        found = frozenset(m.move for m in matcher.match(reply.text))
        for move, figures in report.moves.items():
            if move in found and move in reply.moves:
                figures.true_positives += 1
            elif move in found:
                figures.false_positives += 1
            elif move in reply.moves:
                figures.false_negatives += 1
        if not reply.moves:
            report.off_topic += 1
            report.off_topic_accepted += bool(found)
        if found != reply.moves:
            report.mistakes.append((reply, found))
    return report
