"""`academy quiz import` and `export`: all or nothing, every problem with its line,
idempotent, and the bank exports to files that import to the same questions."""
from __future__ import annotations

import json

import sqlalchemy as sa

from academy.quizzes.models import Question, QuestionCategory

GIFT = """$CATEGORY: $course$/Onboarding/Billing

::Refund window:: How many days does a customer have to withdraw from an online contract? {
=14 days#Correct: 14 days from the contract.
~30 days#That is another provider's rule.
~7 days
}

::Double charge:: A confirmed double charge is refunded within 5 working days. {T}

::Goodwill limit:: Up to how many EUR may a specialist credit without approval? {#20:0}
"""
BROKEN = """::Unclosed:: Which light means no fibre signal? {
=blinking red
~steady white

::Fine:: The hotline is open 24/7. {T}

::Bad weight:: Pick the escalation tiers {~%abc%tier 1 ~%50%tier 2}
"""
XML_WITH_CALCULATED = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Fax hours</text></name>
    <questiontext format="html"><text>Faxes are scanned within 4 working hours.</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="calculated">
    <name><text>Pro-rata credit</text></name>
    <questiontext format="html"><text>Compute {a} / 30.</text></questiontext>
  </question>
</quiz>
"""


def count(db):
    return db.scalar(sa.select(sa.func.count()).select_from(Question))


def test_import_adds_questions_to_their_categories_and_a_second_import_changes_nothing(runner, db, tmp_path):
    path = tmp_path / "billing.gift"
    path.write_text(GIFT, encoding="utf-8")
    first = runner.invoke(args=["quiz", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert "3 added, 0 updated, 0 unchanged" in first.output
    category = db.scalar(sa.select(QuestionCategory).where(QuestionCategory.path == "$course$/Onboarding/Billing"))
    assert sorted(q.title for q in category.questions) == ["Double charge", "Goodwill limit", "Refund window"]
    again = runner.invoke(args=["quiz", "import", str(path)])
    assert "0 added, 0 updated, 3 unchanged" in again.output and count(db) == 3


def test_a_changed_question_is_updated_in_place(runner, db, tmp_path):
    path = tmp_path / "billing.gift"
    path.write_text(GIFT, encoding="utf-8")
    runner.invoke(args=["quiz", "import", str(path)])
    path.write_text(GIFT.replace("{#20:0}", "{#25:0}"), encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(path)])
    assert "0 added, 1 updated, 2 unchanged" in result.output
    limit = db.scalar(sa.select(Question).where(Question.title == "Goodwill limit"))
    assert limit.data["numerical"][0]["value"] == 25


def test_every_problem_is_printed_with_its_line_and_nothing_is_imported(runner, db, tmp_path):
    path = tmp_path / "broken.gift"
    path.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(path)])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert len(lines) >= 2
    assert any(line.startswith(f"{path}:1:") for line in lines)
    assert any(line.startswith(f"{path}:7:") for line in lines)
    assert "nothing was imported" in result.output and count(db) == 0


def test_dry_run_with_json_prints_the_parsed_questions_and_changes_nothing(runner, db, tmp_path):
    path = tmp_path / "billing.gift"
    path.write_text(GIFT, encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(path), "--dry-run", "--json"])
    assert result.exit_code == 0
    questions = json.loads(result.stdout)
    assert [q["type"] for q in questions] == ["multichoice", "truefalse", "numerical"]
    assert questions[0]["category"] == "$course$/Onboarding/Billing" and questions[0]["line"] == 3
    assert questions[0]["answers"][0] == {"text": "14 days", "fraction": 1.0,
                                          "feedback": "Correct: 14 days from the contract."}
    assert count(db) == 0


def test_unsupported_types_stop_the_import_unless_skipping_is_asked_for(runner, db, tmp_path):
    path = tmp_path / "moodle.xml"
    path.write_text(XML_WITH_CALCULATED, encoding="utf-8")
    refused = runner.invoke(args=["quiz", "import", str(path)])
    assert refused.exit_code != 0 and "unsupported question type 'calculated'" in refused.output and count(db) == 0
    skipped = runner.invoke(args=["quiz", "import", str(path), "--skip-unsupported"])
    assert skipped.exit_code == 0 and "1 unsupported skipped" in skipped.output and count(db) == 1


def test_duplicate_titles_in_one_category_are_refused(runner, db, tmp_path):
    path = tmp_path / "dupes.gift"
    path.write_text("::Same:: One? {T}\n\n::Same:: Two? {F}\n", encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(path)])
    assert result.exit_code != 0 and f"{path}:3: another question in this category is already called 'Same'" in result.output


def test_a_file_that_is_not_utf8_is_named_as_such(runner, db, tmp_path):
    path = tmp_path / "cp1250.gift"
    path.write_bytes("::Vrácení:: Lhůta je 14 dní. {T}\n".encode("cp1250"))
    result = runner.invoke(args=["quiz", "import", str(path)])
    assert result.exit_code != 0 and "not UTF-8" in result.output and count(db) == 0


def test_export_to_gift_and_xml_imports_back_to_the_same_questions(runner, db, tmp_path):
    source = tmp_path / "billing.gift"
    source.write_text(GIFT, encoding="utf-8")
    runner.invoke(args=["quiz", "import", str(source)])
    before = {q.title: (q.type, q.text, q.data) for q in db.scalars(sa.select(Question))}
    for kind, name in (("gift", "export.gift"), ("xml", "export.xml")):
        exported = runner.invoke(args=["quiz", "export", "--format", kind])
        assert exported.exit_code == 0, exported.output
        path = tmp_path / name
        path.write_text(exported.stdout, encoding="utf-8")
        again = runner.invoke(args=["quiz", "import", str(path)])
        assert again.exit_code == 0 and "0 added, 0 updated, 3 unchanged" in again.output, (kind, again.output)
    db.expire_all()
    after = {q.title: (q.type, q.text, q.data) for q in db.scalars(sa.select(Question))}
    assert after == before


def test_export_of_an_empty_category_fails_clearly(runner, db):
    result = runner.invoke(args=["quiz", "export", "--format", "gift", "--category", "Nowhere"])
    assert result.exit_code != 0 and "no questions in category Nowhere" in result.output


def test_content_sync_loads_quizzes_with_articles_all_or_nothing(runner, db, tmp_path):
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "refunds.en.md").write_text("---\ntitle: Refunds\nkind: policy\n---\nText.\n")
    (tmp_path / "quizzes" / "billing.gift").write_text(GIFT, encoding="utf-8")
    (tmp_path / "quizzes" / "broken.gift").write_text(BROKEN, encoding="utf-8")
    refused = runner.invoke(args=["content", "sync", str(tmp_path)])
    assert refused.exit_code != 0 and "quizzes/broken.gift:1:" in refused.output
    assert count(db) == 0 and db.scalar(sa.text("SELECT count(*) FROM article")) == 0
    (tmp_path / "quizzes" / "broken.gift").unlink()
    loaded = runner.invoke(args=["content", "sync", str(tmp_path)])
    assert loaded.exit_code == 0 and "Questions: 3 added" in loaded.output and count(db) == 3
    exported = tmp_path / "out"
    assert runner.invoke(args=["content", "export", str(exported)]).exit_code == 0
    assert (exported / "quizzes" / "billing.gift").exists()
    again = runner.invoke(args=["content", "sync", str(exported)])
    assert again.exit_code == 0 and "nothing changed" in again.output


def test_the_shipped_demo_questions_load_and_cover_every_type(runner, db):
    from pathlib import Path

    shipped = Path(__file__).resolve().parents[2]
    result = runner.invoke(args=["content", "sync", str(shipped)])
    assert result.exit_code == 0, result.output
    types = set(db.scalars(sa.select(Question.type)))
    assert types == {"multichoice", "truefalse", "shortanswer", "matching", "numerical", "essay", "description"}
    assert count(db) >= 50
