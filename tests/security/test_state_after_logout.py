"""Issue 13, item 3: a tab's page state dies with its session.

Reflex keeps each tab's state under the tab's client token (sessionStorage ``token``)
and sends it whole to whoever reconnects with that token. After logout, or from a
browser without the session cookie, the reconnection must bring back no page data.
"""

from __future__ import annotations

import json
import logging
import time
import uuid

import pytest

from tests.e2e.conftest import login
from tests.e2e.test_dashboard import open_first_client


def _frames_received_with(browser, app_url: str, tab_token: str) -> str:
    """Everything the server sends a fresh browser (no cookies) that reuses ``tab_token``
    of a tab now closed (a token still connected is not handed to a second socket)."""
    context = browser.new_context(base_url=app_url)
    context.add_init_script(f"window.sessionStorage.setItem('token', {json.dumps(tab_token)})")
    frames: list[str] = []
    page = context.new_page()
    page.on(
        "websocket", lambda socket: socket.on("framereceived", lambda payload: frames.append(str(payload)))
    )
    try:
        page.goto("/login")
        deadline = time.monotonic() + 15
        while "is_hydrated" not in "".join(frames) and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        page.wait_for_timeout(500)  # any later delta of the same reconnection
    finally:
        context.close()
    received = "".join(frames)
    assert "is_hydrated" in received, "the reconnection was never hydrated: nothing was checked"
    return received


def _tab_showing_a_client(page) -> tuple[str, str]:
    """(tab token, client id) of a signed-in tab that displayed a client and the portfolio."""
    login(page)
    client_id = open_first_client(page)
    return page.evaluate("window.sessionStorage.getItem('token')"), client_id


def _leave(page) -> None:
    """Close the tab's websocket, as closing the tab would, and let the server see it."""
    page.goto("about:blank")
    page.wait_for_timeout(1_000)


@pytest.mark.e2e
def test_after_logout_the_tab_token_brings_back_no_client_data(page, browser, app_url):
    tab_token, client_id = _tab_showing_a_client(page)
    page.click("#logout")
    page.wait_for_url("**/login")
    _leave(page)
    received = _frames_received_with(browser, app_url, tab_token)
    assert client_id not in received
    assert "Camille Durand" not in received  # the advisor's name, shown in the shell


@pytest.mark.e2e
def test_a_tab_token_without_the_session_cookie_brings_back_no_client_data(page, browser, app_url):
    """The owner is still signed in; someone who copied the tab token has no cookie (the
    same check runs for a session that expired or was closed elsewhere)."""
    tab_token, client_id = _tab_showing_a_client(page)
    _leave(page)
    received = _frames_received_with(browser, app_url, tab_token)
    assert client_id not in received


def test_the_log_does_not_print_client_tokens(caplog):
    import neobank_dashboard.neobank_dashboard  # noqa: F401 - installs the log filter

    token = str(uuid.uuid4())
    with caplog.at_level(logging.WARNING):
        # Exactly what reflex/app.py's App.emit_update logs for a tab without a socket.
        logging.getLogger("reflex.app").warning(f"Attempting to send delta to disconnected client {token!r}")
    assert "disconnected client" in caplog.text
    assert token not in caplog.text
