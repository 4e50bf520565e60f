"""The JSON API: bearer tokens only, JSON errors, an OpenAPI document covering every route."""
from __future__ import annotations

import re

from academy.accounts import services
from academy.accounts.models import Role


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_me_answers_for_the_tokens_owner(client, db, users):
    user = users[Role.SPECIALIST]
    _row, token = services.issue_token(db, user)
    body = client.get("/api/v1/me", headers=_bearer(token)).json
    assert body["email"] == user.email and body["role"] == "specialist"


def test_a_revoked_or_unknown_token_gets_401_json(client, db, users):
    row, token = services.issue_token(db, users[Role.SPECIALIST])
    services.revoke_token(db, row)
    for header in (_bearer(token), _bearer("acd_made-up"), {"Authorization": "Basic dXNlcjpwdw=="}, {}):
        response = client.get("/api/v1/me", headers=header)
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_deactivated_users_token_stops_working(client, db, users):
    user = users[Role.TRAINER]
    _row, token = services.issue_token(db, user)
    user.is_active = False
    db.flush()
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_the_api_ignores_the_browser_session_cookie(client, login, users):
    login(users[Role.ADMIN])
    assert client.get("/api/v1/me").status_code == 401


def test_token_use_is_recorded(client, db, users):
    row, token = services.issue_token(db, users[Role.SPECIALIST])
    assert row.last_used_at is None
    client.get("/api/v1/me", headers=_bearer(token))
    db.refresh(row)
    assert row.last_used_at is not None


def test_unknown_api_paths_get_json_404(client, db, users):
    _row, token = services.issue_token(db, users[Role.SPECIALIST])
    response = client.get("/api/v1/no-such-thing", headers=_bearer(token))
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_openapi_document_lists_every_api_route(app, client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")}
    assert routes == set(paths)


def test_a_token_created_on_the_account_page_is_shown_once_and_works(client, login, db, users):
    user = login(users[Role.SPECIALIST])
    page = client.post("/account/tokens", data={"label": "my script"}).get_data(as_text=True)
    token = page.split('<code class="token">')[1].split("</code>")[0]
    assert client.get("/account").get_data(as_text=True).count(token) == 0
    assert client.get("/api/v1/me", headers=_bearer(token)).json["id"] == user.id
