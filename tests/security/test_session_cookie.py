"""Issue 13, item 4: the session cookie is HttpOnly, and no state store holds its value.

The login form posts to ``/auth/session``, which sets the cookie; the Reflex websocket
only ever sees the cookie's SHA-256, so ``.states/`` files (and Redis) keep the hash.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from neobank_dashboard.api.routes.browser_session import SESSION_PATH, router, safe_next
from neobank_dashboard.api.session_cookie import SESSION_COOKIE, HashSessionCookie
from neobank_dashboard.services.auth import session_token_hash
from neobank_dashboard.settings import DEV_DEMO_PASSWORD
from tests.conftest import REPO_ROOT
from tests.e2e.conftest import login

STATES_DIR = REPO_ROOT / ".states"


def _session_cookie(page) -> dict:
    [cookie] = [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    return cookie


@pytest.mark.e2e
def test_scripts_cannot_read_the_session_cookie(page):
    login(page)
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert SESSION_COOKIE not in page.evaluate("document.cookie")


@pytest.mark.e2e
def test_state_files_hold_the_session_hash_never_the_token(page):
    login(page)
    token = _session_cookie(page)["value"]
    digest = session_token_hash(token).encode()
    deadline = time.monotonic() + 15  # the disk manager writes states in the background
    while time.monotonic() < deadline:
        states = [path.read_bytes() for path in STATES_DIR.glob("*.pkl")]
        if any(digest in state for state in states):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"no state file of this session in {STATES_DIR}: nothing was checked")
    assert not any(token.encode() in state for state in states)


@pytest.mark.e2e
def test_a_login_posted_from_another_site_is_refused(page, app_url):
    response = page.request.post(
        app_url + SESSION_PATH,
        form={"email": "advisor@example.com", "password": DEV_DEMO_PASSWORD},
        headers={"Origin": "https://attacker.example"},
        max_redirects=0,
    )
    assert response.status == 403
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},  # a form on another site
        {"Origin": "https://bank.example.attacker.example"},
        {},  # neither: not a browser's form post
    ],
)
def test_a_login_form_from_elsewhere_never_reaches_the_password_check(headers):
    app = FastAPI()
    app.include_router(router)
    response = TestClient(app).post(
        SESSION_PATH, data={"email": "advisor@example.com", "password": DEV_DEMO_PASSWORD}, headers=headers
    )
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


@pytest.mark.e2e
def test_login_returns_to_the_page_asked_for(page):
    page.goto("/login?next=/model")
    page.fill("#email", "advisor@example.com")
    page.fill("#password", DEV_DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/model")


@pytest.mark.parametrize(
    ("asked", "returned"),
    [
        ("/clients/abc?tab=history", "/clients/abc?tab=history"),
        ("https://attacker.example/", "/clients"),
        ("//attacker.example/", "/clients"),
        ("/\\attacker.example", "/clients"),
        ("/login", "/clients"),
        ("", "/clients"),
    ],
)
def test_after_login_only_pages_of_this_app_are_returned_to(asked, returned):
    assert safe_next(asked) == returned


def test_the_websocket_sees_the_hash_of_the_session_cookie():
    seen = {}

    async def reflex(scope, receive, send):
        seen.update(dict(scope["headers"]))

    cookie = f"neobank_lang=en; {SESSION_COOKIE}=raw-token".encode()
    scope = {"type": "websocket", "path": "/_event/", "headers": [(b"cookie", cookie)]}
    # In a thread: the browser tests' Playwright loop may be running in this one.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, HashSessionCookie(reflex)(scope, None, None)).result()
    assert seen[b"cookie"].decode() == f"neobank_lang=en; {SESSION_COOKIE}={session_token_hash('raw-token')}"
