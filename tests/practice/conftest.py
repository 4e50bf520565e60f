"""A small move library and scenario for tests that must not depend on the shipped
content; the golden tests use the shipped files."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

LIBRARY = """\
greet:
  label: Greeting
  hint: Greet the customer.
  better: "Good morning, Lumen, Petra speaking."
  effects: {mood: -2}
  examples:
    en: ["Good morning, Lumen customer care, Petra speaking.", "Hello, thanks for calling Lumen."]
    cs: ["Dobrý den, zákaznická linka Lumen, u telefonu Petra."]
    de: ["Guten Tag, Lumen Kundenservice, Petra am Apparat."]
    lt: ["Laba diena, Lumen klientų aptarnavimas, kalba Petra."]
    et: ["Tere, Lumeni klienditeenindus, Petra kuuleb."]
  keywords:
    en: ["good morning"]
empathize:
  label: Empathy
  effects: {mood: -10, decay: 0.5}
  examples:
    en: ["I understand how frustrating that must be.", "I can imagine how annoying that is."]
    cs: ["Chápu, jak je to nepříjemné."]
    de: ["Ich verstehe, wie ärgerlich das ist."]
    lt: ["Suprantu, kaip tai nemalonu."]
    et: ["Saan aru, kui ebameeldiv see on."]
ask_identification:
  label: Identification
  examples:
    en: ["Could you give me your customer number, please?", "May I have your account number?"]
    cs: ["Můžete mi prosím sdělit číslo zákazníka?"]
    de: ["Können Sie mir bitte Ihre Kundennummer nennen?"]
    lt: ["Gal galite pasakyti savo kliento numerį?"]
    et: ["Kas saaksite öelda oma kliendinumbri?"]
close:
  label: Closing
  negatable: true
  examples:
    en: ["Is there anything else I can help you with? Have a nice day.", "Thank you for calling, goodbye."]
    cs: ["Mohu vám ještě s něčím pomoci? Hezký den."]
    de: ["Kann ich sonst noch etwas für Sie tun? Schönen Tag noch."]
    lt: ["Ar galiu dar kuo nors padėti? Geros dienos."]
    et: ["Kas saan veel millegagi aidata? Head päeva."]
blame:
  label: Blaming the customer
  effects: {mood: 25, patience: -1}
  examples:
    en: ["That is your own fault.", "You should have read the contract."]
    cs: ["To je vaše chyba."]
    de: ["Das ist Ihre eigene Schuld."]
    lt: ["Tai jūsų pačių kaltė."]
    et: ["See on teie enda süü."]
"""

SCENARIO = """\
---
id: lost-router
version: 1
title: Router does not work
lang: en
channel: chat
persona: {name: "Eva Test", mood: 60, patience: 4}
facts: {customer_number: "C-1"}
reveal: {ask_identification: [customer_number]}
kb: {required: [router-setup]}
uses: [greet, empathize, ask_identification, close, blame]
moves:
  suggest_restart:
    requires_kb: router-setup
    examples: ["Please switch the router off and on again.", "Restart the router, please."]
states:
  opening:
    customer:
      - {when: "mood >= 70", say: "My router is dead and I am furious."}
      - "My router does not work."
    expect:
      - {move: ask_identification, say: "It's C-1."}
      - {move: suggest_restart, goto: fixed}
    fallback: ["Can you help or not?"]
  fixed:
    customer: ["It works now, thanks."]
    expect: [{move: close, end: resolved}]
    fallback: ["Anything else?"]
record: {nature: inquiry, resolution: resolved, escalated: false}
rubric:
  - {id: greeting, weight: 10, evidence: {move: greet, by_turn: 1}}
  - {id: kb, weight: 30, evidence: {kb_opened: router-setup, before_move: suggest_restart}}
  - {id: fix, weight: 30, critical: true, evidence: {move: suggest_restart}}
  - {id: tone, weight: 10, evidence: {absent_move: blame}}
  - {id: closing, weight: 10, evidence: {move: close}}
  - {id: record, weight: 10, evidence: {record_matches: true}}
---
A customer's router stopped working.

## Trainer notes
Restart after reading the article.
"""


@pytest.fixture
def content(tmp_path) -> Path:
    """A content directory with the test library and one scenario."""
    (tmp_path / "courses" / "basics" / "scenarios").mkdir(parents=True)
    (tmp_path / "courses" / "moves.yaml").write_text(LIBRARY, encoding="utf-8")
    (tmp_path / "courses" / "basics" / "scenarios" / "lost-router.md").write_text(SCENARIO, encoding="utf-8")
    return tmp_path


def load_test_scenario(db, directory: Path):
    """The test library and scenario written under ``directory`` and synced into the
    database with the article the scenario names (for page, API and access tests)."""
    import sqlalchemy as sa

    from academy.practice import sync
    from academy.practice.models import Scenario
    from tests.factories import published_article

    (directory / "courses" / "basics" / "scenarios").mkdir(parents=True, exist_ok=True)
    (directory / "courses" / "moves.yaml").write_text(LIBRARY, encoding="utf-8")
    (directory / "courses" / "basics" / "scenarios" / "lost-router.md").write_text(SCENARIO, encoding="utf-8")
    published_article(db, "router-setup", title="Router setup",
                      body="Switch the router off, wait ten seconds and switch it on again.")
    parsed = sync.read_directory(directory)
    sync.check(db, parsed, article_slugs=set())
    sync.sync_scenarios(db, parsed)
    return db.scalar(sa.select(Scenario).where(Scenario.key == "lost-router", Scenario.lang == "en"))


def write_scenario(content: Path, text: str, name: str = "lost-router.md") -> Path:
    path = content / "courses" / "basics" / "scenarios" / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
