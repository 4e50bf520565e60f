"""The trainers' question bank pages: upload with every problem listed, browse, preview, export."""
from __future__ import annotations

import io

import sqlalchemy as sa

from academy.accounts.models import Role
from academy.quizzes.models import Question
from tests.quizzes.test_bank_cli import BROKEN, GIFT


def upload(client, name, text, **extra):
    data = {"file": (io.BytesIO(text.encode("utf-8")), name), **extra}
    return client.post("/quizzes/bank/upload", data=data, content_type="multipart/form-data")


def test_uploading_a_file_with_errors_lists_every_problem_and_imports_nothing(client, login, db, users):
    login(users[Role.TRAINER])
    response = upload(client, "broken.gift", BROKEN)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<code>broken.gift:1</code>" in page and "<code>broken.gift:7</code>" in page
    assert "was not imported" in page
    assert db.scalar(sa.select(sa.func.count()).select_from(Question)) == 0


def test_uploading_a_good_file_imports_it_and_the_bank_lists_and_previews_it(client, login, db, users):
    login(users[Role.TRAINER])
    response = upload(client, "billing.gift", GIFT)
    assert response.status_code == 302
    assert "3 added" in client.get("/quizzes/bank").get_data(as_text=True)
    page = client.get("/quizzes/bank?q=refund").get_data(as_text=True)
    assert "Refund window" in page and "Goodwill limit" not in page
    question = db.scalar(sa.select(Question).where(Question.title == "Refund window"))
    preview = client.get(f"/quizzes/bank/{question.id}").get_data(as_text=True)
    assert "14 days" in preview and "100 %" in preview and "That is another provider" in preview


def test_the_bank_exports_gift_and_xml(client, login, db, users):
    login(users[Role.TRAINER])
    upload(client, "billing.gift", GIFT)
    gift = client.get("/quizzes/bank/export?format=gift")
    assert gift.status_code == 200 and "::Refund window::" in gift.get_data(as_text=True)
    xml = client.get("/quizzes/bank/export?format=xml")
    assert xml.status_code == 200 and "<quiz>" in xml.get_data(as_text=True)
    assert client.get("/quizzes/bank/export?format=pdf").status_code == 400


def test_an_upload_without_a_file_names_the_field(client, login, users):
    login(users[Role.TRAINER])
    response = client.post("/quizzes/bank/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and 'id="file-error"' in response.get_data(as_text=True)


def test_question_text_in_html_is_sanitized_in_the_preview(client, login, db, users):
    login(users[Role.TRAINER])
    upload(client, "x.gift", "::Evil:: [html]<b>Bold</b><script>x()</script> question {T}\n")
    question = db.scalar(sa.select(Question))
    page = client.get(f"/quizzes/bank/{question.id}").get_data(as_text=True)
    assert "<b>Bold</b>" in page and "<script>x()" not in page


def _question(db, title):
    return db.scalar(sa.select(Question).where(Question.title == title))


def test_a_trainer_tries_questions_as_a_learner_and_the_server_grades_them(client, login, db, users):
    login(users[Role.TRAINER])
    upload(client, "billing.gift", GIFT + "\n::Match:: Match the channel. {\n=Fax -> 4 working hours\n"
                                          "=Post -> 2 working days\n=E-mail -> 1 working day\n}\n")
    refund = _question(db, "Refund window")
    right = client.post(f"/quizzes/bank/{refund.id}", data={"answer": "0"}).get_data(as_text=True)
    assert "Correct" in right and "100 %" in right and "Correct: 14 days from the contract." in right
    wrong = client.post(f"/quizzes/bank/{refund.id}", data={"answer": "1"}).get_data(as_text=True)
    assert "Incorrect" in wrong and "another provider" in wrong
    limit = _question(db, "Goodwill limit")
    assert "Correct" in client.post(f"/quizzes/bank/{limit.id}", data={"answer": "20"}).get_data(as_text=True)
    unreadable = client.post(f"/quizzes/bank/{limit.id}", data={"answer": "twenty"})
    assert unreadable.status_code == 400
    match = _question(db, "Match")
    partial = client.post(f"/quizzes/bank/{match.id}", data={
        "pair-0": "4 working hours", "pair-1": "1 working day", "pair-2": "1 working day"}).get_data(as_text=True)
    assert "Partly correct" in partial and "· 66.7 %" in partial
