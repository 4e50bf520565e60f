"""Browser fixtures: a live Academy server on a scratch database loaded with the demo
data, Debian's Chromium driven by Playwright (never ``playwright install``), and one fresh
browser context per test so cookies never leak from one test into the next.

Without /usr/bin/chromium the browser tests are skipped, except in CI (CI=true or 1),
where a missing browser is a failure. Set ACADEMY_SCREENSHOTS to a directory to keep a
PNG of the pages the tests visit."""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from academy import content, demo, schema
from tests import databases
from tests.conftest import IN_CI, make_test_app

CHROMIUM = Path("/usr/bin/chromium")
REPOSITORY = Path(__file__).resolve().parents[2]  # the shipped articles/ are the demo content
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def screenshot(page, name: str) -> Path | None:
    """Save a full-page PNG as ``$ACADEMY_SCREENSHOTS/<name>.png``; nothing when unset."""
    directory = os.environ.get("ACADEMY_SCREENSHOTS")
    if not directory:
        return None
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    path = target / (re.sub(r"[^A-Za-z0-9._-]+", "_", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def live_server(live_app):
    """The base URL of the live app (see ``live_app``)."""
    return live_app.config["LIVE_URL"]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """Academy served from a thread, with the shipped content and the demo data loaded (as
    `academy init --demo` does). Tests that need rows the demo lacks add them through
    ``app.app_context()`` and ``app.extensions["academy.sessionmaker"]``; the server's base
    URL is ``app.config["LIVE_URL"]``."""
    tmp_dir = tmp_path_factory.mktemp("live")
    with databases.scratch_database(tmp_dir, "live") as url:
        app = make_test_app(tmp_dir / "instance", url, WTF_CSRF_ENABLED=True)
        engine = app.extensions["academy.engine"]
        try:
            with app.app_context():
                schema.upgrade(engine)
                session = app.extensions["academy.sessionmaker"]()
                try:
                    content.sync_content(session, REPOSITORY)
                    demo.load(session)
                    session.commit()
                finally:
                    session.close()
            server = make_server("127.0.0.1", 0, app, threaded=True)
            thread = threading.Thread(target=server.serve_forever, name="academy-live-server", daemon=True)
            thread.start()
            try:
                app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
                yield app
            finally:
                server.shutdown()
                thread.join(timeout=10)
                server.server_close()
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"CI needs Debian's Chromium for the browser tests: {message}", pytrace=False)
        pytest.skip(f"browser tests skipped: {message}")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def server_errors():
    """Every 5xx answer the live server gives during the test, as "STATUS METHOD URL"."""
    return []


@pytest.fixture
def page(browser, live_server, server_errors):
    """A page in a fresh context (own cookies), English UI for anonymous pages. A test
    during which the server answered 5xx fails at teardown, naming the request."""
    from academy.extensions import limiter

    limiter.reset()  # the login form is rate limited per address; every test starts clean
    context = browser.new_context(base_url=live_server, locale="en-US")
    context.set_default_timeout(10_000)
    context.on("response", lambda response: server_errors.append(
        f"{response.status} {response.request.method} {response.url}") if response.status >= 500 else None)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not server_errors, f"the live server failed (see the captured log): {server_errors}"


@pytest.fixture
def sign_in(page, server_errors):
    """Sign in through the real login form and wait for the page it leads to."""

    def sign_in_as(email: str, password: str):
        page.goto("/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if server_errors:
            failed = list(server_errors)
            server_errors.clear()  # reported here, not again at teardown
            pytest.fail(f"signing in as {email}: the live server failed: {failed}", pytrace=False)
        return page

    return sign_in_as
