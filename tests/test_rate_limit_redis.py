"""With ACADEMY_RATELIMIT_STORAGE pointing at Redis, the login limit holds across nodes:
two app instances (two web nodes) share one counter."""
from __future__ import annotations

import uuid

import pytest

from academy.accounts.models import Role
from tests.conftest import make_test_app

REDIS = "redis://127.0.0.1:6379"


@pytest.fixture
def redis_url():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"no Redis at {REDIS}: {exc}")
    return REDIS


def test_failed_logins_on_two_nodes_count_together(redis_url, tmp_path, database_url, db, users):
    prefix = f"academy-test-{uuid.uuid4().hex}"
    nodes = [make_test_app(tmp_path / f"node{n}", database_url, RATELIMIT_STORAGE_URI=redis_url,
                           RATELIMIT_KEY_PREFIX=prefix) for n in (1, 2)]
    for node in nodes:
        node.extensions["academy.sessionmaker"] = lambda: db
    clients = [node.test_client() for node in nodes]
    email = users[Role.SPECIALIST].email
    for attempt in range(10):
        response = clients[attempt % 2].post("/login", data={"email": email, "password": "wrong password"})
        assert response.status_code == 200
    assert clients[0].post("/login", data={"email": email, "password": "wrong password"}).status_code == 429
    assert clients[1].post("/login", data={"email": email, "password": "wrong password"}).status_code == 429
