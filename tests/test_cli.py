"""The command line: init, serve's checks, users create / token."""
from __future__ import annotations

import re

import sqlalchemy as sa

from academy import demo, schema
from academy.accounts.models import ApiToken, User
from tests.conftest import make_test_app
from tests.databases import scratch_database

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"


def test_init_creates_the_schema_and_demo_logins_then_a_second_run_changes_nothing(tmp_path):
    with scratch_database(tmp_path, "init") as url:
        app = make_test_app(tmp_path, url)
        runner = app.test_cli_runner()
        first = runner.invoke(args=["init", "--demo"])
        assert first.exit_code == 0, first.output
        assert "Database created" in first.output and "Demo data added." in first.output
        assert re.search(r"Articles: \d+ added", first.output)
        found = runner.invoke(args=["search", "vraceni penez", "--limit", "1"])
        assert found.exit_code == 0 and "(refunds.cs)" in found.output  # the index was built by init
        for role, email, password in demo.LOGINS:
            assert email in first.output and password in first.output
        engine = app.extensions["academy.engine"]
        with engine.connect() as conn:
            users_before = conn.execute(sa.select(sa.func.count()).select_from(User)).scalar()
        second = runner.invoke(args=["init", "--demo"])
        assert second.exit_code == 0, second.output
        assert "Nothing to do" in second.output and "Demo data already present." in second.output
        with engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(User)).scalar() == users_before
        assert schema.current_revision(engine) == schema.head_revision(engine)
        engine.dispose()


def test_init_against_an_unreachable_database_prints_one_line_and_fails(tmp_path):
    result = make_test_app(tmp_path, UNREACHABLE).test_cli_runner().invoke(args=["init"])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "cannot reach the database" in lines[0] and "127.0.0.1:1" in lines[0]


def test_serve_refuses_an_unreachable_database(tmp_path):
    result = make_test_app(tmp_path, UNREACHABLE).test_cli_runner().invoke(args=["serve"])
    assert result.exit_code != 0 and "cannot reach the database" in result.output


def test_serve_refuses_a_database_that_was_never_initialised(tmp_path):
    result = make_test_app(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}").test_cli_runner().invoke(args=["serve"])
    assert result.exit_code != 0 and "run 'academy init'" in result.output


def test_users_create_then_sign_in(runner, client, db):
    result = runner.invoke(args=["users", "create", "Mia@Lumen.example", "--role", "trainer", "--name", "Mia Müller",
                                 "--password", "mia's long password"])
    assert result.exit_code == 0, result.output
    assert "Created trainer mia@lumen.example" in result.output
    response = client.post("/login", data={"email": "mia@lumen.example", "password": "mia's long password"})
    assert response.headers["Location"] == "/"


def test_users_create_asks_for_the_password_when_none_is_given(runner, db):
    result = runner.invoke(args=["users", "create", "ask@lumen.example", "--role", "specialist"],
                           input="typed in secret\ntyped in secret\n")
    assert result.exit_code == 0, result.output
    assert db.scalar(sa.select(User).where(User.email == "ask@lumen.example")).password_hash.startswith("scrypt:")


def test_users_create_with_a_taken_email_fails_and_adds_nobody(runner, db, users):
    count = db.scalar(sa.select(sa.func.count()).select_from(User))
    from academy.accounts.models import Role

    result = runner.invoke(args=["users", "create", users[Role.TRAINER].email, "--role", "trainer",
                                 "--password", "long enough pw"])
    assert result.exit_code != 0 and "email: A user with the e-mail" in result.output
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == count


def test_users_create_refuses_a_bad_email_and_an_unknown_role(runner, db):
    bad_email = runner.invoke(args=["users", "create", "not-an-email", "--role", "trainer", "--password", "long enough pw"])
    assert bad_email.exit_code != 0 and "email: Not a valid e-mail address" in bad_email.output
    bad_role = runner.invoke(args=["users", "create", "x@lumen.example", "--role", "wizard", "--password", "long enough pw"])
    assert bad_role.exit_code != 0 and "wizard" in bad_role.output


def test_users_token_prints_a_token_once_and_stores_only_its_hash(runner, client, db, users):
    from academy.accounts.models import Role

    user = users[Role.SUPERVISOR]
    result = runner.invoke(args=["users", "token", user.email])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    stored = db.scalars(sa.select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.json["email"] == user.email


def test_users_token_for_an_unknown_email_fails(runner, db):
    result = runner.invoke(args=["users", "token", "ghost@lumen.example"])
    assert result.exit_code != 0 and "no user with the e-mail ghost@lumen.example" in result.output
