"""Browser tests: a real app (`reflex run --env prod`, see tests/support/live_app.py)
driven by Playwright in Debian's chromium. A screenshot of each test's last screen is kept
in test-artifacts/.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from neobank_dashboard.settings import DEV_DEMO_PASSWORD as DEMO_PASSWORD
from tests.conftest import REPO_ROOT
from tests.support.live_app import live_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"
E2E_CLIENTS = 400


# Package scope: the browser's event loop (Playwright's sync API) and the app stop when the
# browser tests end, so no later test runs inside a foreign event loop.
@pytest.fixture(scope="package")
def app_url():
    """Base URL of a running production-mode app with demo data and a trained model."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    with live_app(E2E_CLIENTS) as base:
        yield base


@contextmanager
def launch_browser():
    """Debian's chromium through Playwright (it cannot download its own here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def browser():
    with launch_browser() as browser:
        yield browser


@pytest.fixture
def page(browser, app_url, request):
    """A fresh browser context per test; a screenshot of the last screen is kept."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=app_url, locale="fr-FR")
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    finally:
        context.close()


def login(page, email: str = "advisor@example.com", password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url("**/clients*")
    page.locator("#clients-table tbody tr, #clients-empty").first.wait_for()
