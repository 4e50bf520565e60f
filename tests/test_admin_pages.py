"""The admin's user and cohort pages, the cohort lists and the supervisors' team roster."""
from __future__ import annotations

import sqlalchemy as sa

from academy.accounts.models import Cohort, Role, User
from tests import factories


def _user(db, email):
    return db.scalar(sa.select(User).where(User.email == email))


def test_admin_creates_a_user_who_can_then_sign_in(client, login, db, users):
    login(users[Role.ADMIN])
    cohort = factories.CohortFactory(name="Winter intake")
    response = client.post("/admin/users/new", data={
        "email": "Eva.Horakova@Lumen.example", "name": "Eva Horáková", "role": "specialist",
        "language": "cs", "cohort_id": str(cohort.id), "hired_at": "2026-11-02", "password": "welcome to lumen"})
    assert response.status_code == 302
    created = _user(db, "eva.horakova@lumen.example")
    assert (created.name, created.language, created.cohort_id) == ("Eva Horáková", "cs", cohort.id)
    client.post("/logout")
    response = client.post("/login", data={"email": "eva.horakova@lumen.example", "password": "welcome to lumen"})
    assert response.headers["Location"] == "/"


def test_creating_a_user_with_a_taken_email_names_the_field_and_adds_nobody(client, login, db, users):
    login(users[Role.ADMIN])
    before = db.scalar(sa.select(sa.func.count()).select_from(User))
    response = client.post("/admin/users/new", data={
        "email": users[Role.TRAINER].email, "name": "Copy", "role": "trainer", "language": "en",
        "cohort_id": "0", "password": "long enough secret"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page and "already exists" in page
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == before


def test_a_short_password_is_refused_on_its_field(client, login, users):
    login(users[Role.ADMIN])
    response = client.post("/admin/users/new", data={
        "email": "new@lumen.example", "name": "New", "role": "trainer", "language": "en",
        "cohort_id": "0", "password": "short"})
    assert response.status_code == 400
    assert 'id="password-error"' in response.get_data(as_text=True)


def test_an_unknown_role_in_a_forged_form_is_refused(client, login, db, users):
    login(users[Role.ADMIN])
    target = users[Role.SPECIALIST]
    response = client.post(f"/admin/users/{target.id}", data={
        "name": target.name, "role": "superuser", "language": "en", "cohort_id": "0", "is_active": "y"})
    assert response.status_code == 400
    db.refresh(target)
    assert target.role == "specialist"


def test_admin_changes_a_role_and_deactivates_a_user(client, login, db, users):
    login(users[Role.ADMIN])
    target = users[Role.SPECIALIST]
    response = client.post(f"/admin/users/{target.id}", data={
        "name": "Sam S.", "role": "trainer", "language": "de", "cohort_id": "0"})
    assert response.status_code == 302
    db.refresh(target)
    assert (target.name, target.role, target.language, target.is_active) == ("Sam S.", "trainer", "de", False)


def test_admin_cannot_demote_or_deactivate_themselves(client, login, db, users):
    admin = login(users[Role.ADMIN])
    response = client.post(f"/admin/users/{admin.id}", data={
        "name": admin.name, "role": "trainer", "language": "en", "cohort_id": "0", "is_active": "y"})
    assert response.status_code == 400
    assert "your own admin role" in response.get_data(as_text=True)
    db.refresh(admin)
    assert admin.role == "admin"


def test_admin_sets_a_password_and_revokes_a_token(client, login, db, users):
    from academy.accounts import services

    login(users[Role.ADMIN])
    target = users[Role.TRAINER]
    token, _secret = services.issue_token(db, target, "laptop")
    version = target.session_version
    assert client.post(f"/admin/users/{target.id}/password", data={"password": "another long one"}).status_code == 302
    assert client.post(f"/admin/users/{target.id}/tokens/{token.id}/revoke").status_code == 302
    db.refresh(target)
    db.refresh(token)
    assert target.session_version == version + 1 and not token.is_active


def test_user_list_filters_by_role_and_text(client, login, users):
    login(users[Role.ADMIN])
    page = client.get("/admin/users?role=specialist&q=olga").get_data(as_text=True)
    assert "Olga Other" in page and "Sam Specialist" not in page


def test_admin_creates_renames_and_deletes_a_cohort(client, login, db, users):
    login(users[Role.ADMIN])
    response = client.post("/cohorts/new", data={"name": "January 2027 intake", "starts_on": "2027-01-11"})
    assert response.status_code == 302
    cohort = db.scalar(sa.select(Cohort).where(Cohort.name == "January 2027 intake"))
    member = users[Role.SPECIALIST]
    member.cohort = cohort
    db.flush()
    assert client.post(f"/cohorts/{cohort.id}/edit", data={"name": "Jan 2027", "starts_on": "2027-01-12"}).status_code == 302
    db.refresh(cohort)
    assert cohort.name == "Jan 2027"
    cohort_id = cohort.id
    assert client.post(f"/cohorts/{cohort_id}/delete").status_code == 302
    db.expire_all()
    assert db.get(Cohort, cohort_id) is None
    assert db.get(User, member.id).cohort_id is None


def test_a_duplicate_cohort_name_is_refused(client, login, users):
    login(users[Role.ADMIN])
    factories.CohortFactory(name="Spring intake")
    response = client.post("/cohorts/new", data={"name": "spring INTAKE", "starts_on": "2027-03-01"})
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)


def test_a_missing_date_names_the_field(client, login, users):
    login(users[Role.ADMIN])
    response = client.post("/cohorts/new", data={"name": "No date", "starts_on": "31/02/2027"})
    assert response.status_code == 400
    assert 'id="starts_on-error"' in response.get_data(as_text=True)


def test_trainer_reads_cohorts_without_edit_buttons(client, login, users):
    login(users[Role.TRAINER])
    cohort = factories.CohortFactory(name="Readable intake")
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Readable intake" in page and f"/cohorts/{cohort.id}/edit" not in page


def test_team_page_lists_specialists_and_their_first_contact(client, login, db, users):
    import datetime as dt

    login(users[Role.SUPERVISOR])
    veteran = factories.SpecialistFactory(name="Vera Veteran",
                                          first_contact_at=dt.datetime(2026, 4, 1, 9, tzinfo=dt.timezone.utc))
    page = client.get("/team").get_data(as_text=True)
    assert "Sam Specialist" in page and "Vera Veteran" in page
    assert users[Role.TRAINER].name not in page
    assert veteran.first_contact_at.year == 2026 and "Apr 1, 2026" in page


def test_unknown_user_and_cohort_ids_get_404(client, login, users):
    login(users[Role.ADMIN])
    assert client.get("/admin/users/999999").status_code == 404
    assert client.get("/cohorts/999999").status_code == 404
