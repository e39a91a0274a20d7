"""Browser tests: the real app served over HTTP to a real headless Chromium.

One browser per session, a new context (cookies, storage) per test, and a fresh database and
live server per test. Data goes in through the real services, as the editor or an import would
put it there. Debian's chromium is used (`executable_path`); Playwright's browser downloads are
never needed. Without /usr/bin/chromium every test here is skipped at collection time, with the
reason; CI installs chromium.
"""

import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from registry import create_app
from registry.extensions import db
from registry.projects import content
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, DEMO_CONTENT, seed
from tests.conftest import make_config

HERE = Path(__file__).resolve().parent
# Generous for a loaded 2-core CI machine, short enough that a broken page fails quickly.
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    """Skip (never silently drop) this folder's tests when the browser is not installed."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium, or set "
        "REGISTRY_TEST_CHROMIUM to its path (CI installs it)"
    )
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(skip)


@dataclass
class LiveServer:
    url: str
    app: object


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _serve(database_url: str, tmp_path: Path, with_demo: bool):
    app = create_app(make_config(tmp_path, database_url, WTF_CSRF_ENABLED=True, SERVER_NAME=None))
    with app.app_context():
        if with_demo:
            report = content.import_files([DEMO_CONTENT])
            assert not report.failures, report.failures
        seed()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def live_server(database_url, tmp_path):
    """The app on a real port with a small, deliberate set of users and write-ups."""
    yield from _serve(database_url, tmp_path, with_demo=False)


@pytest.fixture
def demo_server(database_url, tmp_path):
    """The same plus all the demo content: full lists, pagination, popular tags."""
    yield from _serve(database_url, tmp_path, with_demo=True)


def _page(browser, server):
    # The design system scrolls smoothly unless the user prefers reduced motion; every click
    # that scrolls would otherwise wait for the animation to settle.
    context = browser.new_context(base_url=server.url, reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh browser context (no cookies) on the seeded live server."""
    yield from _page(browser, live_server)


@pytest.fixture
def demo_page(browser, demo_server):
    yield from _page(browser, demo_server)
