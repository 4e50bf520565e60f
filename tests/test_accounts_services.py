"""Account rules, tested at the service level."""
from __future__ import annotations

import pytest

from academy.accounts import services
from academy.accounts.models import Role
from academy.domain_errors import Conflict, DomainError
from tests import factories


def test_emails_are_stored_lower_case_and_unique_regardless_of_case(db):
    user = services.create_user(db, email="  Jana.Svoboda@LUMEN.example ", role="specialist", password="long enough pw")
    assert user.email == "jana.svoboda@lumen.example"
    with pytest.raises(Conflict) as caught:
        services.create_user(db, email="JANA.SVOBODA@lumen.example", role="trainer")
    assert caught.value.field == "email"


def test_passwords_are_hashed_with_scrypt_and_never_stored_plain(db):
    user = services.create_user(db, email="p@lumen.example", role="trainer", password="plain text secret")
    assert user.password_hash.startswith("scrypt:") and "plain text secret" not in user.password_hash


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"email": "no-at-sign", "role": "trainer"}, "email"),
    ({"email": "a@lumen.example", "role": "root"}, "role"),
    ({"email": "a@lumen.example", "role": "trainer", "language": "fr"}, "language"),
    ({"email": "a@lumen.example", "role": "trainer", "password": "short"}, "password"),
])
def test_invalid_account_data_names_the_field(db, kwargs, field):
    with pytest.raises(DomainError) as caught:
        services.create_user(db, **kwargs)
    assert caught.value.field == field


def test_a_user_without_a_password_cannot_sign_in(db):
    user = services.create_user(db, email="nopw@lumen.example", role="specialist")
    assert user.password_hash is None
    assert services.authenticate(db, "nopw@lumen.example", "") is None


def test_session_ids_stop_working_after_a_password_change(db):
    user = factories.SpecialistFactory()
    old_id = user.get_id()
    assert services.load_session_user(db, old_id) is user
    services.set_password(db, user, "a completely new one")
    assert services.load_session_user(db, old_id) is None
    assert services.load_session_user(db, user.get_id()) is user
    assert services.load_session_user(db, "garbage") is None


def test_tokens_are_looked_up_by_digest_and_revocable(db):
    user = factories.TrainerFactory()
    row, token = services.issue_token(db, user, "ci")
    assert token.startswith(services.TOKEN_PREFIX) and row.token_hash != token
    assert services.user_for_token(db, token) is user
    services.revoke_token(db, row)
    assert services.user_for_token(db, token) is None


def test_no_token_for_a_deactivated_user(db):
    user = factories.TrainerFactory(is_active=False)
    with pytest.raises(DomainError):
        services.issue_token(db, user)


def test_deleting_a_cohort_keeps_its_members(db):
    cohort = factories.CohortFactory()
    member = factories.SpecialistFactory(cohort=cohort)
    services.delete_cohort(db, cohort)
    assert member.cohort is None and member in services.list_users(db, role=Role.SPECIALIST)
