import json

import pytest


@pytest.fixture
def content_app(app, content, monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_DIR", content)
    return app


def test_play_runs_a_conversation_from_standard_input_and_prints_the_scorecard(content_app, runner):
    script = "\n".join([
        "Good morning, Lumen customer care, Petra speaking.",
        "/open router-setup",
        "Please restart the router.",
        "Is there anything else I can help you with? Have a nice day.",
        "/record inquiry resolved no",
        "/end",
    ]) + "\n"
    result = runner.invoke(args=["practice", "play", "lost-router", "--seed", "3"], input=script)
    assert result.exit_code == 0, result.output
    assert "Eva Test [mood 60]: My router does not work." in result.output
    assert "(moves: greet 1.00)" in result.output
    assert "It works now, thanks." in result.output
    assert "Score 100/100: passed (outcome: resolved)" in result.output
    assert " + Kb (30): opened 'router-setup'" in result.output


def test_play_names_an_unknown_scenario(content_app, runner):
    result = runner.invoke(args=["practice", "play", "nope"], input="")
    assert result.exit_code != 0 and "no scenario 'nope'" in result.output


def test_play_refuses_broken_content_with_path_and_line(content_app, content, runner):
    path = content / "courses" / "basics" / "scenarios" / "lost-router.md"
    path.write_text(path.read_text().replace("channel: chat", "channel: pigeon"))
    result = runner.invoke(args=["practice", "play", "lost-router"], input="")
    assert result.exit_code == 1
    assert "courses/basics/scenarios/lost-router.md:6: unknown channel 'pigeon'" in result.output


def test_eval_prints_figures_per_move(content_app, tmp_path, runner):
    labelled = tmp_path / "en.yaml"
    labelled.write_text(
        "lang: en\nreplies:\n"
        "  - {text: 'Good morning, this is Lumen.', moves: [greet]}\n"
        "  - {text: 'What is your customer number?', moves: [ask_identification]}\n"
        "  - {text: 'I really get how annoying this is.', moves: [empathize]}\n"
        "  - {text: 'The weather in Brno is lovely.', moves: []}\n", encoding="utf-8")
    result = runner.invoke(args=["practice", "eval", str(labelled), "--json"])
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.output)
    assert report["lang"] == "en" and report["replies"] == 4 and report["off_topic"] == 1
    assert report["moves"]["greet"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["off_topic_accepted"] == 0


def test_eval_reports_bad_labels_with_their_line(content_app, tmp_path, runner):
    labelled = tmp_path / "en.yaml"
    labelled.write_text("lang: en\nreplies:\n  - {text: 'Hi', moves: [greet]}\n  - {text: 'Yo', moves: [wave]}\n",
                        encoding="utf-8")
    result = runner.invoke(args=["practice", "eval", str(labelled)])
    assert result.exit_code == 1
    assert f"{labelled}:4: unknown move(s) wave" in result.output
