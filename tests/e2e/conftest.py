"""A real app for the browser tests: `reflex run --env prod` on one free port.

The app runs as a separate process against its own temporary database and
model registry (migrated, seeded with demo data, small model trained), exactly
as `make run` prepares them. Chromium is Debian's, driven by Playwright.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
ARTIFACTS = REPO_ROOT / "test-artifacts"
DEMO_PASSWORD = "demo-password-2026"
E2E_CLIENTS = 400
START_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _app_env(data_dir: Path) -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "REFLEX_DB"))}
    env.update(
        PATH=venv_bin + os.pathsep + env.get("PATH", ""),
        NEOBANK_ENV="dev",
        NEOBANK_DATA_DIR=str(data_dir),
        DEMO_PASSWORD=DEMO_PASSWORD,
        REFLEX_USE_NPM="1",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
    )
    env.pop("NEOBANK_MODEL_DIR", None)
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, *args], cwd=REPO_ROOT, env=env, check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"the app did not start in {START_TIMEOUT_S}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def app_url():
    """Base URL of a running production-mode app with demo data and a trained model."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    data_dir = Path(tempfile.mkdtemp(prefix="neobank-e2e-"))
    env = _app_env(data_dir)
    _run(["-m", "neobank_dashboard.seed", "--clients", str(E2E_CLIENTS)], env)
    _run(["-m", "modeling", "train", "--rows", "6000", "--folds", "3",
          "--out", str(data_dir / "models")], env)
    _run(["-m", "neobank_dashboard.seed", "--rescore"], env)
    port = _free_port()
    log = data_dir / "app.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod", "--single-port",
             "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/api/v1/health", process, log)
        _wait_until_up(base + "/login", process, log)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url, request):
    """A fresh browser context per test; a screenshot of the last screen is kept."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=app_url,
                                  locale="fr-FR")
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
