"""The interface speaks the user's language: profile first, then the browser's."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from academy.accounts.models import Role
from tests import factories

CATALOGS = Path(__file__).resolve().parent.parent / "academy" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_the_message_template_is_up_to_date_with_the_code(tmp_path):
    root = CATALOGS.parent.parent
    fresh = tmp_path / "messages.pot"
    subprocess.run([Path(sys.executable).with_name("pybabel"), "-q", "extract", "-F", str(root / "babel.cfg"),
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(fresh), str(root / "academy")], check=True)
    with open(fresh, encoding="utf-8") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    with open(CATALOGS / "messages.pot", encoding="utf-8") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert extracted == template, "interface strings changed: run `make update-messages` and translate"


@pytest.mark.parametrize("language", ["cs", "de", "lt", "et"])
def test_every_interface_string_is_translated_with_its_placeholders(language):
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", encoding="utf-8") as handle:
        catalog = read_po(handle)
    with open(CATALOGS / "messages.pot", encoding="utf-8") as handle:
        template = read_po(handle)
    assert {m.id for m in template if m.id} == {m.id for m in catalog if m.id}, "run `make update-messages`"
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and "fuzzy" not in message.flags, f"{language}: untranslated {ids[0]!r}"
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= set(PLACEHOLDER.findall(ids[-1])), (language, ids[0], string)


def _translation(language: str, msgid: str) -> str:
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", encoding="utf-8") as handle:
        return read_po(handle)[msgid].string


@pytest.mark.parametrize("language", ["cs", "de", "lt", "et"])
def test_the_layout_follows_the_users_profile_language(client, login, db, language):
    login(factories.SupervisorFactory(language=language))
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'<html lang="{language}">' in page
    assert "Sign out" not in page and "Skip to content" not in page
    for msgid in ("Home", "Team", "Cohorts", "Sign out", "Skip to content"):
        assert _translation(language, msgid) in page


def test_the_login_page_follows_the_browser_language(client):
    page = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="de">' in page and "Sign in to Academy" not in page


def test_an_unsupported_browser_language_falls_back_to_english(client):
    page = client.get("/login", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in to Academy" in page


def test_changing_the_language_on_the_account_page(client, login, db, users):
    user = login(users[Role.SPECIALIST])
    assert client.post("/account/language", data={"language": "et"}).status_code == 302
    db.refresh(user)
    assert user.language == "et"
    assert '<html lang="et">' in client.get("/account").get_data(as_text=True)
