import pytest

from academy.practice import scenario_files
from tests.practice.conftest import SCENARIO, write_scenario


def read(content):
    parsed, library, problems = scenario_files.read_all(content)
    return parsed, library, [str(p) for p in problems]


def test_a_valid_scenario_reads_with_library_moves_and_its_own(content):
    parsed, library, problems = read(content)
    assert problems == []
    assert set(library) == {"greet", "empathize", "ask_identification", "close", "blame"}
    scenario = parsed[0].scenario
    assert (scenario.id, scenario.lang, scenario.channel, scenario.course) == ("lost-router", "en", "chat", "basics")
    assert scenario.moves["greet"].examples[0].startswith("Good morning")
    assert scenario.moves["suggest_restart"].requires_kb == "router-setup"
    assert scenario.moves["close"].negatable is True
    assert scenario.start == "opening"
    assert scenario.briefing_md == "A customer's router stopped working."
    assert scenario.trainer_notes_md == "Restart after reading the article."
    assert ("router-setup", 10) in parsed[0].article_refs


def broken(content, old, new):
    assert old in SCENARIO
    write_scenario(content, SCENARIO.replace(old, new))
    return read(content)[2]


@pytest.mark.parametrize("old, new, expected", [
    ("channel: chat", "channel: pigeon", "basics/scenarios/lost-router.md:6: unknown channel 'pigeon'"),
    ("lang: en", "lang: fr", "lost-router.md:5: unknown language 'fr'"),
    ("id: lost-router", "id: other", "lost-router.md:2: id 'other' does not match the file name"),
    ("uses: [greet,", "uses: [wave, greet,", "lost-router.md:11: 'wave' is not in the move library"),
    ("goto: fixed}", "goto: fixd}", "'goto: fixd' names an undefined state"),
    ("{move: suggest_restart, goto: fixed}", "{move: suggest_restart}", "state 'fixed' cannot be reached from 'opening'"),
    ("[{move: close, end: resolved}]", "[{move: close, end: happy}]", "unknown end 'happy'"),
    ('when: "mood >= 70"', 'when: "mood >="', "condition 'mood >=': expected a value"),
    ('when: "mood >= 70"', 'when: "temper > 3"', "reads 'temper'; conditions can read"),
    ("{move: close, end: resolved}", "{move: wave, end: resolved}", "move 'wave' is not defined"),
    ("evidence: {absent_move: blame}", "evidence: {absent_move: shout}", "names the undefined move 'shout'"),
    ("evidence: {move: close}", "evidence: {moved: close}", "unknown evidence 'moved'"),
    ("persona: {name: \"Eva Test\", mood: 60", "persona: {name: \"Eva Test\", mood: 160", "'persona.mood' must be between 0 and 100"),
    ("title: Router does not work", "title: Router does not work\ntitel: typo", "unknown key 'titel' in the scenario"),
    ("reveal: {ask_identification: [customer_number]}", "reveal: {ask_identification: [pin]}", "names the unknown fact 'pin'"),
])
def test_each_problem_is_reported_with_its_line(content, old, new, expected):
    problems = broken(content, old, new)
    assert any(expected in p for p in problems), problems


def test_a_move_without_examples_in_the_scenarios_language_is_refused(content):
    write_scenario(content, SCENARIO.replace("lang: en", "lang: cs").replace(
        'examples: ["Please switch the router off and on again.", "Restart the router, please."]',
        'examples: {en: ["Please switch the router off and on again."]}'))
    problems = read(content)[2]
    assert any("move 'suggest_restart' has no examples in the scenario's language 'cs'" in p for p in problems)


def test_no_reachable_end_is_refused(content):
    problems = broken(content, "[{move: close, end: resolved}]", "[{move: close, goto: opening}]")
    assert any("no end (resolved or escalated) can be reached" in p for p in problems)


def test_broken_yaml_names_the_line(content):
    problems = broken(content, "facts: {customer_number: \"C-1\"}", "facts: {customer_number: \"C-1\"")
    assert len(problems) == 1 and problems[0].startswith("courses/basics/scenarios/lost-router.md:")
    assert "broken front matter" in problems[0]


def test_every_problem_is_listed_not_only_the_first(content):
    text = SCENARIO.replace("channel: chat", "channel: pigeon").replace("goto: fixed}", "goto: fixd}")
    write_scenario(content, text)
    problems = read(content)[2]
    assert len([p for p in problems if "pigeon" in p or "fixd" in p]) == 2


def test_the_library_needs_examples_in_every_language(content):
    library = content / "courses" / "moves.yaml"
    library.write_text(library.read_text().replace('    et: ["Tere, Lumeni klienditeenindus, Petra kuuleb."]\n', ""))
    problems = read(content)[2]
    assert any(p.startswith("courses/moves.yaml:") and "move 'greet' has no examples in 'et'" in p for p in problems)


def test_a_file_name_with_a_language_must_match(content):
    write_scenario(content, SCENARIO, name="lost-router.de.md")
    problems = read(content)[2]
    assert any("lang 'en' does not match the file name ('.de.md')" in p for p in problems)


def test_the_same_id_and_language_twice_is_refused(content):
    other = content / "courses" / "other" / "scenarios"
    other.mkdir(parents=True)
    (other / "lost-router.md").write_text(SCENARIO, encoding="utf-8")
    problems = read(content)[2]
    assert any("is also defined in" in p for p in problems)


def test_scenarios_without_a_library_are_refused(content):
    (content / "courses" / "moves.yaml").unlink()
    assert read(content)[2] == ["courses/moves.yaml:1: the move library is missing"]


def test_a_broken_unless_pattern_in_the_library_is_reported_with_its_line(content):
    library = content / "courses" / "moves.yaml"
    library.write_text(library.read_text().replace(
        "ask_identification:\n  label: Identification\n",
        "ask_identification:\n  label: Identification\n  unless:\n    en: ['(unclosed']\n"))
    problems = read(content)[2]
    assert any(p.startswith("courses/moves.yaml:") and "ask_identification.unless.en" in p and "broken" in p
               for p in problems), problems


def test_hints_and_model_phrasings_may_be_given_per_language(content):
    library = content / "courses" / "moves.yaml"
    library.write_text(library.read_text().replace(
        "  hint: Greet the customer.\n  better: \"Good morning, Lumen, Petra speaking.\"\n",
        "  hint: {en: Greet the customer., cs: Pozdravte zákazníka.}\n"
        "  better: {en: \"Good morning, Lumen, Petra speaking.\", cs: \"Dobrý den, Lumen, u telefonu Petra.\"}\n"))
    _parsed, moves, problems = read(content)
    assert problems == []
    greet = moves["greet"]
    assert (greet.move_in("cs").hint, greet.move_in("cs").better) == (
        "Pozdravte zákazníka.", "Dobrý den, Lumen, u telefonu Petra.")
    # no German text: the hint falls back to English, the model phrasing to nothing (the first example is shown)
    assert (greet.move_in("de").hint, greet.move_in("de").better) == ("Greet the customer.", "")


def test_a_hint_in_an_unknown_language_is_reported(content):
    library = content / "courses" / "moves.yaml"
    library.write_text(library.read_text().replace("  hint: Greet the customer.\n", "  hint: {xx: Hallo}\n"))
    assert any("unknown language 'xx' in 'greet.hint'" in p for p in read(content)[2])


def test_the_librarys_small_talk_reaches_topical_moves_only(content):
    library = content / "courses" / "moves.yaml"
    library.write_text(library.read_text().replace(
        "ask_identification:\n  label: Identification\n", "ask_identification:\n  topical: anchored\n  label: Identification\n")
        + "small_talk:\n  topics:\n    en: ['\\bfootball\\b']\n  case:\n    en: ['\\brouter\\b']\n"
          "  anchors:\n    en: ['\\bit\\b']\n")
    _parsed, moves, problems = read(content)
    assert problems == []
    identification = moves["ask_identification"].move_in("en")
    assert (identification.off_topic, identification.on_topic, identification.anchors) == (
        (r"\bfootball\b",), (r"\brouter\b",), (r"\bit\b",))
    assert moves["greet"].move_in("en").off_topic == ()
    assert "small_talk" not in moves


@pytest.mark.parametrize(("addition", "expected"), [
    ("small_talk:\n  topics:\n    en: ['(unclosed']\n", "'small_talk.topics.en': the regular expression"),
    ("small_talk:\n  weather: {en: ['rain']}\n", "unknown key 'weather' in 'small_talk'"),
    ("small_talk: [rain]\n", "'small_talk' must map"),
])
def test_a_broken_small_talk_section_is_reported_with_its_line(content, addition, expected):
    library = content / "courses" / "moves.yaml"
    library.write_text(library.read_text() + addition)
    problems = read(content)[2]
    assert any(p.startswith("courses/moves.yaml:") and expected in p for p in problems), problems


def test_topical_must_be_true_false_or_anchored(content):
    library = content / "courses" / "moves.yaml"
    library.write_text(library.read_text().replace(
        "ask_identification:\n  label: Identification\n", "ask_identification:\n  topical: sometimes\n  label: Identification\n"))
    assert any("'ask_identification.topical' must be true, false or 'anchored'" in p for p in read(content)[2])
