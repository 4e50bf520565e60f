"""The question editor: every type's form saves the question a trainer means (the parsed
shape every format writes), the edited question keeps its id and exports to GIFT that reads
back the same, and bad input names the field and changes nothing."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.accounts.models import Role
from academy.quizzes import gift, services
from academy.quizzes.models import Question, QuestionCategory

BILLING = "$course$/Onboarding/Billing"


def stored(db, title: str, category: str | None = BILLING) -> Question:
    path = category or "Default"
    return db.scalar(sa.select(Question).join(QuestionCategory)
                     .where(Question.title == title, QuestionCategory.path == path))


def add(db, **parsed) -> Question:
    question = {"category": BILLING, "format": "moodle", "general_feedback": "", **parsed}
    services.import_questions(db, [question], source="billing.gift")
    db.commit()
    return stored(db, question["title"], question["category"])


def common(title: str, text: str, **extra) -> dict:
    return {"title": title, "category": BILLING, "text": text, "format": "moodle", "general_feedback": "",
            "tags": "", **extra}


def rows(name: str, items: list[dict]) -> dict:
    return {f"{name}-{index}-{key}": value for index, item in enumerate(items) for key, value in item.items()}


def gift_round_trip(parsed: dict) -> dict:
    result = gift.parse(gift.dump([parsed]))
    assert result.ok, result.problems
    (back,) = result.questions
    back.pop("line")
    return back


@pytest.fixture
def trainer(login, users):
    return login(users[Role.TRAINER])


# Each case: the form as posted, and the parsed question it must save.
CASES = {
    "multichoice": (
        {**common("Refund window", "How many days?\r\nPick one.", general_feedback="See the policy.",
                  tags="billing, refunds, billing"),
         **rows("answers", [{"text": "14 days", "fraction": "1.0", "feedback": "Right."},
                            {"text": "30 days", "fraction": "-0.3333333", "feedback": "Another provider."},
                            {"text": "", "fraction": "0.0", "feedback": ""}])},
        {"title": "Refund window", "category": BILLING, "type": "multichoice", "format": "moodle",
         "text": "How many days?\nPick one.", "general_feedback": "See the policy.", "tags": ["billing", "refunds"],
         "single": True, "answers": [{"text": "14 days", "fraction": 1.0, "feedback": "Right."},
                                     {"text": "30 days", "fraction": -0.3333333, "feedback": "Another provider."}]}),
    "multichoice-several": (
        {**common("Tiers", "Which tiers exist?"), "several": "y",
         **rows("answers", [{"text": "Tier 1", "fraction": "0.5", "feedback": ""},
                            {"text": "Tier 2", "fraction": "0.5", "feedback": ""},
                            {"text": "Tier 9", "fraction": "-1.0", "feedback": "No such tier."}])},
        {"title": "Tiers", "category": BILLING, "type": "multichoice", "format": "moodle", "text": "Which tiers exist?",
         "general_feedback": "", "single": False,
         "answers": [{"text": "Tier 1", "fraction": 0.5, "feedback": ""},
                     {"text": "Tier 2", "fraction": 0.5, "feedback": ""},
                     {"text": "Tier 9", "fraction": -1.0, "feedback": "No such tier."}]}),
    "truefalse": (
        {**common("Double charge", "Refunded within 5 days."), "correct": "false",
         "feedback_true": "It takes 10.", "feedback_false": "Right, 10 days."},
        {"title": "Double charge", "category": BILLING, "type": "truefalse", "format": "moodle",
         "text": "Refunded within 5 days.", "general_feedback": "", "correct": False,
         "feedback_true": "It takes 10.", "feedback_false": "Right, 10 days."}),
    "shortanswer": (
        {**common("Fax", "Which device sends faxes? _____ is the answer.", format="plain"), "missing_word": "y",
         **rows("answers", [{"text": "fax machine", "fraction": "1.0", "feedback": "Yes."},
                            {"text": "printer*", "fraction": "0.5", "feedback": "Close."}])},
        {"title": "Fax", "category": BILLING, "type": "shortanswer", "format": "plain",
         "text": "Which device sends faxes? _____ is the answer.", "general_feedback": "", "missing_word": True,
         "answers": [{"text": "fax machine", "fraction": 1.0, "feedback": "Yes."},
                     {"text": "printer*", "fraction": 0.5, "feedback": "Close."}]}),
    "matching": (
        {**common("Channels", "Match the channel."),
         **rows("pairs", [{"question": "Fax", "answer": "4 hours"}, {"question": "Post", "answer": "2 days"},
                          {"question": "", "answer": "1 week"}, {"question": "", "answer": ""}])},
        {"title": "Channels", "category": BILLING, "type": "matching", "format": "moodle", "text": "Match the channel.",
         "general_feedback": "", "pairs": [{"question": "Fax", "answer": "4 hours"},
                                          {"question": "Post", "answer": "2 days"},
                                          {"question": "", "answer": "1 week"}]}),
    "numerical": (
        {**common("Goodwill limit", "Up to how many EUR?", category="Default"),
         **rows("numerical", [{"value": "20", "tolerance": "", "fraction": "1.0", "feedback": "Yes."},
                              {"value": "1,5e1", "tolerance": "5", "fraction": "0.5", "feedback": "Near."}])},
        {"title": "Goodwill limit", "category": None, "type": "numerical", "format": "moodle",
         "text": "Up to how many EUR?", "general_feedback": "",
         "numerical": [{"value": 20.0, "tolerance": 0.0, "fraction": 1.0, "feedback": "Yes."},
                       {"value": 15.0, "tolerance": 5.0, "fraction": 0.5, "feedback": "Near."}]}),
    "essay": (
        {**common("Angry caller", "Write your reply.", format="markdown", general_feedback="Stay calm.")},
        {"title": "Angry caller", "category": BILLING, "type": "essay", "format": "markdown",
         "text": "Write your reply.", "general_feedback": "Stay calm."}),
    "description": (
        {**common("Intro", "The next questions are about billing.")},
        {"title": "Intro", "category": BILLING, "type": "description", "format": "moodle",
         "text": "The next questions are about billing.", "general_feedback": ""}),
}


@pytest.mark.parametrize("case", CASES)
def test_a_new_question_of_each_type_saves_what_the_form_says_and_exports_to_gift_that_reads_back_equal(
        client, db, trainer, case):
    form, expected = CASES[case]
    response = client.post(f"/quizzes/bank/new?type={expected['type']}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    question = stored(db, expected["title"], expected["category"] or "Default")
    assert response.headers["Location"].endswith(f"/quizzes/bank/{question.id}")
    assert services.as_parsed(question) == expected
    assert question.source_file is None
    assert gift_round_trip(services.as_parsed(question)) == expected


@pytest.mark.parametrize("case", CASES)
def test_editing_a_question_shows_its_values_and_saving_them_unchanged_keeps_it_equal(client, db, trainer, case):
    form, expected = CASES[case]
    client.post(f"/quizzes/bank/new?type={expected['type']}", data=form)
    question = stored(db, expected["title"], expected["category"] or "Default")
    page = client.get(f"/quizzes/bank/{question.id}/edit").get_data(as_text=True)
    assert f'value="{expected["title"]}"' in page
    refilled = _form_from_page(page)
    assert client.post(f"/quizzes/bank/{question.id}/edit", data=refilled).status_code == 302
    db.expire_all()
    assert services.as_parsed(db.get(Question, question.id)) == expected


def _form_from_page(page: str) -> dict:
    """The values the edit page's form would post unchanged (inputs, checked boxes, selected
    options, textareas), read from its HTML."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.select, self.textarea = {}, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox", "radio"):
                self.data[name] = attrs.get("value", "")
            elif tag == "input" and name and "checked" in attrs:
                self.data[name] = attrs.get("value", "y")
            elif tag == "select":
                self.select = name
            elif tag == "option" and self.select and "selected" in attrs:
                self.data[self.select] = attrs["value"]
            elif tag == "textarea":
                self.textarea = name
                self.data[name] = ""

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":  # browsers drop the line break that starts a textarea
                self.data[self.textarea] = self.data[self.textarea].removeprefix("\r\n").removeprefix("\n")
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea] += data

    reader = Reader()
    reader.feed(page)
    reader.data.pop("q", None)  # the header's search box
    reader.data.pop("confirm", None)
    return reader.data


def test_editing_keeps_the_id_source_file_and_gift_id_and_moves_the_question_to_a_new_category(client, db, trainer):
    question = add(db, title="Refund window", type="multichoice", text="How many days?", single=True, id="q-17",
                   answers=[{"text": "14 days", "fraction": 1.0, "feedback": ""},
                            {"text": "30 days", "fraction": 0.0, "feedback": ""}])
    before = question.updated_at
    form = {**common("Refund window (EU)", "How many days in the EU?", category="EU/Billing"),
            **rows("answers", [{"text": "14 days", "fraction": "1.0", "feedback": ""},
                               {"text": "30 days", "fraction": "0.0", "feedback": ""}])}
    assert client.post(f"/quizzes/bank/{question.id}/edit", data=form).status_code == 302
    db.expire_all()
    edited = db.get(Question, question.id)
    assert edited.title == "Refund window (EU)" and edited.category.path == "EU/Billing"
    assert edited.data["id"] == "q-17" and edited.source_file == "billing.gift"
    assert edited.updated_at > before
    assert stored(db, "Refund window") is None


def test_an_imported_grade_outside_moodles_list_is_offered_and_kept(client, db, trainer):
    question = add(db, title="Thirds", type="multichoice", text="Pick all.", single=False,
                   answers=[{"text": "a", "fraction": 0.33333, "feedback": ""}, {"text": "b", "fraction": 0.33333,
                            "feedback": ""}, {"text": "c", "fraction": 0.33334, "feedback": ""}])
    page = client.get(f"/quizzes/bank/{question.id}/edit").get_data(as_text=True)
    assert '<option selected value="0.33333">33.333 %</option>' in page
    assert client.post(f"/quizzes/bank/{question.id}/edit", data=_form_from_page(page)).status_code == 302
    db.expire_all()
    assert [a["fraction"] for a in db.get(Question, question.id).data["answers"]] == [0.33333, 0.33333, 0.33334]


def test_add_more_answers_re_renders_the_form_with_three_more_blank_rows_and_saves_nothing(client, db, trainer):
    form = {**common("Tiers", "Which?"), **rows("answers", [{"text": "Tier 1", "fraction": "1.0", "feedback": ""}]),
            "add_rows": "1"}
    response = client.post("/quizzes/bank/new?type=multichoice", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="answers-3-text"' in page and 'name="answers-4-text"' not in page
    assert "Tier 1</textarea>" in page
    assert db.scalar(sa.select(sa.func.count()).select_from(Question)) == 0


INVALID = [
    ("multichoice", {**common("", "Text"), **rows("answers", [{"text": "a", "fraction": "1.0"},
                                                                {"text": "b", "fraction": "0.0"}])},
     'id="title-error"', "This field is required."),
    ("multichoice", {**common("T", " "), **rows("answers", [{"text": "a", "fraction": "1.0"},
                                                             {"text": "b", "fraction": "0.0"}])},
     'id="text-error"', "This field is required."),
    ("multichoice", {**common("T", "Text"), **rows("answers", [{"text": "a", "fraction": "0.5"},
                                                                {"text": "b", "fraction": "0.0"}])},
     'id="rows-error"', "One answer must be worth 100 %"),
    ("multichoice", {**common("T", "Text"), "several": "y",
                     **rows("answers", [{"text": "a", "fraction": "0.5"}, {"text": "b", "fraction": "0.3333333"}])},
     'id="rows-error"', "add up to 83.33333 %; they must add up to 100 %"),
    ("multichoice", {**common("T", "Text"), **rows("answers", [{"text": "a", "fraction": "1.0"}])},
     'id="rows-error"', "Give at least 2 answers."),
    ("multichoice", {**common("T", "Text"), **rows("answers", [{"text": "a", "fraction": "1.0"},
                                                                {"text": "", "fraction": "0.0", "feedback": "x"}])},
     'id="answers-1-text-error"', "Give this answer a text"),
    ("multichoice", {**common("T", "Text"), **rows("answers", [{"text": "a", "fraction": "2.0"},
                                                                {"text": "b", "fraction": "0.0"}])},
     'id="answers-0-fraction-error"', "Not a valid choice"),
    ("multichoice", {**common("T", "Text", category="a//b"), **rows("answers", [{"text": "a", "fraction": "1.0"},
                                                                                 {"text": "b", "fraction": "0.0"}])},
     'id="category-error"', "no empty parts"),
    ("truefalse", common("T", "Text"), 'id="correct-error"', "Choose whether the statement is true or false."),
    ("truefalse", {**common("T", "No blank here"), "correct": "true", "missing_word": "y"},
     'id="text-error"', "Put _____ where the answer goes"),
    ("shortanswer", {**common("T", "Text"), **rows("answers", [{"text": "a", "fraction": "0.5"}])},
     'id="rows-error"', "One answer must be worth 100 %"),
    ("shortanswer", {**common("T", "Text"), **rows("answers", [{"text": "a", "fraction": "-0.5"}])},
     'id="answers-0-fraction-error"', "Not a valid choice"),
    ("matching", {**common("T", "Text"), **rows("pairs", [{"question": "a", "answer": "1"},
                                                           {"question": "b", "answer": "2"}])},
     'id="rows-error"', "at least 2 items with their answers, and at least 3 answers"),
    ("matching", {**common("T", "Text"), **rows("pairs", [{"question": "a", "answer": "1"},
                                                           {"question": "b", "answer": ""},
                                                           {"question": "", "answer": "3"}])},
     'id="pairs-1-answer-error"', "Give the answer that matches this item."),
    ("matching", {**common("T", "Text"), **rows("pairs", [{"question": "a -> b", "answer": "1"},
                                                           {"question": "b", "answer": "2"},
                                                           {"question": "", "answer": "3"}])},
     'id="pairs-0-question-error"', "cannot contain “-&gt;”"),
    ("numerical", {**common("T", "Text"), **rows("numerical", [{"value": "twenty", "fraction": "1.0"}])},
     'id="numerical-0-value-error"', "“twenty” is not a number"),
    ("numerical", {**common("T", "Text"), **rows("numerical", [{"value": "20", "tolerance": "-1", "fraction": "1.0"}])},
     'id="numerical-0-tolerance-error"', "cannot be below 0"),
    ("numerical", {**common("T", "Text"), **rows("numerical", [{"value": "20", "fraction": "0.5"}])},
     'id="rows-error"', "One answer must be worth 100 %"),
]


@pytest.mark.parametrize(("qtype", "form", "where", "message"), INVALID)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(client, db, trainer, qtype, form, where, message):
    response = client.post(f"/quizzes/bank/new?type={qtype}", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert where in page
    error = page[page.index(where):]
    assert message in error[:error.index("</")+400]
    assert db.scalar(sa.select(sa.func.count()).select_from(Question)) == 0


def test_a_title_already_used_in_the_category_is_refused_with_a_clear_message(client, db, trainer):
    add(db, title="Hotline hours", type="truefalse", text="Open 24/7.", correct=True, feedback_true="",
        feedback_false="")
    other = add(db, title="Fax hours", type="truefalse", text="Faxes at night.", correct=False, feedback_true="",
                feedback_false="")
    form = {**common("Hotline hours", "Faxes at night."), "correct": "false"}
    response = client.post(f"/quizzes/bank/{other.id}/edit", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="title-error"' in page and "is already called “Hotline hours”" in page
    db.expire_all()
    assert db.get(Question, other.id).title == "Fax hours"
    new = client.post("/quizzes/bank/new?type=truefalse", data=form)
    assert new.status_code == 400 and "already called" in new.get_data(as_text=True)
    elsewhere = client.post("/quizzes/bank/new?type=truefalse", data={**form, "category": "Other"})
    assert elsewhere.status_code == 302


def test_the_new_question_page_offers_every_type_in_the_chosen_category(client, db, trainer):
    page = client.get("/quizzes/bank/new?category=EU/Billing").get_data(as_text=True)
    for qtype in ("multichoice", "truefalse", "shortanswer", "matching", "numerical", "essay", "description"):
        assert f"/quizzes/bank/new?type={qtype}&amp;category=EU/Billing" in page
    form = client.get("/quizzes/bank/new?type=numerical&category=EU/Billing").get_data(as_text=True)
    assert 'value="EU/Billing"' in form and '<option selected value="1.0">100 %</option>' in form


def test_a_question_nobody_answered_is_deleted_after_confirming(client, db, trainer):
    question_id = add(db, title="Hotline hours", type="truefalse", text="Open 24/7.", correct=True,
                      feedback_true="", feedback_false="").id
    unconfirmed = client.post(f"/quizzes/bank/{question_id}/delete", follow_redirects=True)
    assert "Tick the box" in unconfirmed.get_data(as_text=True)
    assert db.get(Question, question_id) is not None
    response = client.post(f"/quizzes/bank/{question_id}/delete", data={"confirm": "yes"}, follow_redirects=True)
    assert "Question “Hotline hours” deleted." in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Question, question_id) is None
    assert client.get(f"/quizzes/bank/{question_id}/edit").status_code == 404


def test_a_question_that_attempts_refer_to_cannot_be_deleted(client, db, trainer, users):
    from tests.quizzes.test_statistics import answered

    question = add(db, title="Hotline hours", type="truefalse", text="Open 24/7.", correct=True,
                   feedback_true="", feedback_false="")
    answered(db, users[Role.SPECIALIST], question, "true")
    page = client.get(f"/quizzes/bank/{question.id}/edit").get_data(as_text=True)
    assert "It cannot be deleted: learners answered it 1 time" in page and 'name="confirm"' not in page
    response = client.post(f"/quizzes/bank/{question.id}/delete", data={"confirm": "yes"}, follow_redirects=True)
    assert "was answered 1 time in quiz attempts, so it cannot be deleted" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Question, question.id) is not None


def test_the_bank_and_the_preview_link_to_the_editor(client, db, trainer):
    question = add(db, title="Hotline hours", type="truefalse", text="Open 24/7.", correct=True,
                   feedback_true="", feedback_false="")
    bank = client.get(f"/quizzes/bank?category={question.category_id}").get_data(as_text=True)
    assert "/quizzes/bank/new?category=$course$/Onboarding/Billing" in bank
    preview = client.get(f"/quizzes/bank/{question.id}").get_data(as_text=True)
    assert f"/quizzes/bank/{question.id}/edit" in preview
    edit = client.get(f"/quizzes/bank/{question.id}/edit").get_data(as_text=True)
    assert f'href="/quizzes/bank/{question.id}"' in edit and "billing.gift" in edit


def test_editing_an_answered_question_leaves_the_attempts_snapshot_as_it_was(client, db, trainer, users):
    from academy.quizzes.models import QuizResponse
    from tests.quizzes.test_statistics import answered

    question = add(db, title="Hotline hours", type="truefalse", text="Open 24/7.", correct=True,
                   feedback_true="", feedback_false="")
    attempt = answered(db, users[Role.SPECIALIST], question, "true")
    page = client.get(f"/quizzes/bank/{question.id}/edit").get_data(as_text=True)
    assert "Learners answered this question 1 time." in page
    form = {**common("Hotline hours", "Open on weekdays only."), "correct": "false"}
    assert client.post(f"/quizzes/bank/{question.id}/edit", data=form).status_code == 302
    db.expire_all()
    response = db.scalar(sa.select(QuizResponse).where(QuizResponse.attempt_id == attempt.id))
    assert response.question_id == question.id
    assert response.question["text"] == "Open 24/7." and response.question["correct"] is True
    assert db.get(Question, question.id).text == "Open on weekdays only."


def test_what_a_trainer_typed_is_escaped_in_messages_naming_it(client, db, trainer):
    add(db, title="<b>Bold</b>", type="essay", text="Write.")
    taken = client.post("/quizzes/bank/new?type=essay", data=common("<b>Bold</b>", "Write again."))
    assert "already called “&lt;b&gt;Bold&lt;/b&gt;”" in taken.get_data(as_text=True)
    number = client.post("/quizzes/bank/new?type=numerical",
                         data={**common("N", "How many?"), **rows("numerical", [{"value": "<i>1</i>", "fraction": "1.0"}])})
    assert "“&lt;i&gt;1&lt;/i&gt;” is not a number" in number.get_data(as_text=True)


def test_a_form_with_fields_missing_is_refused_not_a_server_error(client, db, trainer):
    for qtype in ("multichoice", "truefalse", "shortanswer", "matching", "numerical", "essay", "description"):
        sparse = client.post(f"/quizzes/bank/new?type={qtype}", data={"pairs-0-answer": "x", "answers-0-text": "y",
                                                                       "numerical-0-feedback": "z"})
        assert sparse.status_code == 400, qtype
    assert db.scalar(sa.select(sa.func.count()).select_from(Question)) == 0
