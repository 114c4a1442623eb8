"""End to end on the production stack: TLS proxy, two workers, PostgreSQL and Redis."""

from __future__ import annotations

import base64
import http.client
import json
import os
import ssl
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.conftest import ARTIFACTS, launch_browser, login

pytestmark = pytest.mark.e2e
FRESH_PAGE_LOADS = 6


def _get(url: str, ca_file, headers: dict | None = None):
    """One request on a new connection (so the proxy may pick another worker)."""
    request = urllib.request.Request(url, headers=headers or {})
    context = ssl.create_default_context(cafile=str(ca_file)) if url.startswith("https") else None
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as browser:
        yield browser


def _context(browser, stack, cookies=None):
    context = browser.new_context(
        base_url=stack.base, ignore_https_errors=True, viewport={"width": 1366, "height": 768}, locale="fr-FR"
    )
    context.set_default_timeout(30_000)
    if cookies:
        context.add_cookies(cookies)
    return context


def test_plain_http_is_redirected_to_https(prod_stack):
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(prod_stack.http_base + "/clients", timeout=10)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"].startswith("https://127.0.0.1")


def test_tls_proxy_serves_the_app_and_hides_its_version(prod_stack):
    status, headers, body = _get(prod_stack.base + "/api/v1/health", prod_stack.ca_file)
    assert status == 200
    assert json.loads(body)["model_loaded"] is True
    assert headers.get("Server") == "nginx"  # server_tokens off: no version
    assert "Strict-Transport-Security" in headers


def test_redirects_keep_the_public_https_origin(prod_stack):
    # The app trusts X-Forwarded-Proto from the proxy: its own redirects stay on https.
    opener = urllib.request.build_opener(
        _NoRedirect,
        urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=str(prod_stack.ca_file))),
    )
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(prod_stack.base + "/login", timeout=10)
    assert redirect.value.headers["Location"].startswith(prod_stack.base + "/")


def test_new_connections_are_spread_over_several_workers(prod_stack):
    # Straight to the app: the proxy reuses its kept-alive upstream connections, while each
    # browser websocket is a new connection that any worker may accept.
    def worker(_):
        return json.loads(_get(prod_stack.app_base + "/api/v1/health", None)[2])["worker"]

    with ThreadPoolExecutor(max_workers=8) as pool:  # concurrent, as advisors are
        workers = set(pool.map(worker, range(40)))
    assert len(workers) >= 2, "every connection reached the same worker"


def test_a_session_survives_being_served_by_different_workers(browser, prod_stack):
    context = _context(browser, prod_stack)
    page = context.new_page()
    login(page, prod_stack.email, prod_stack.password)
    first_client = page.locator("#clients-table tbody tr a").first
    first_client.wait_for()
    client_path = first_client.get_attribute("href")
    cookies = context.cookies()
    assert any(c["name"] == "neobank_session" and c["secure"] for c in cookies)
    context.close()

    # Each load is a new browser with the same cookie: new connections, a new websocket,
    # whichever worker the proxy picks. Every one must see the logged-in advisor's data.
    for attempt in range(FRESH_PAGE_LOADS):
        context = _context(browser, prod_stack, cookies)
        page = context.new_page()
        page.goto(client_path if attempt % 2 else "/clients")
        if attempt % 2:
            page.get_by_role("meter").first.wait_for()
        else:
            page.locator("#clients-table tbody tr").first.wait_for()
        assert "/login" not in page.url
        if attempt == FRESH_PAGE_LOADS - 1:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "prod_stack_client.png"), full_page=True)
        context.close()


def test_logout_ends_the_session_on_every_worker(browser, prod_stack):
    context = _context(browser, prod_stack)
    page = context.new_page()
    login(page, prod_stack.email, prod_stack.password)
    cookies = context.cookies()
    page.locator("#logout").click()
    page.wait_for_url("**/login*")
    context.close()
    for _ in range(3):
        context = _context(browser, prod_stack, cookies)
        page = context.new_page()
        page.goto("/clients")
        page.wait_for_url("**/login*")
        context.close()


def _websocket_handshake(stack, origin: str) -> int:
    """Status of a websocket upgrade on /_event through the proxy, from ``origin``."""
    host, port = stack.base.removeprefix("https://").split(":")
    context = ssl.create_default_context(cafile=str(stack.ca_file))
    connection = http.client.HTTPSConnection(host, int(port), context=context, timeout=10)
    connection.request(
        "GET",
        "/_event/?EIO=4&transport=websocket",
        headers={
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Origin": origin,
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
        },
    )
    status = connection.getresponse().status
    connection.close()
    return status


def test_the_websocket_refuses_a_foreign_origin(prod_stack):
    assert _websocket_handshake(prod_stack, prod_stack.base) == 101
    assert _websocket_handshake(prod_stack, "https://evil.example") in (400, 403)
