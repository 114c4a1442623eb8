"""Security headers on the real app: every page carries the strict Content-Security-Policy
and still renders (gauge, charts) with zero CSP violation; the API carries them too.

The refusal of foreign origins (CORS, the ``/_event`` socket) needs a production origin
list; the fixture app runs with the development "*", so tests/api/test_security_headers.py
checks it on the same Reflex-composed app in-process.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e

SAME_ON_EVERY_RESPONSE = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.reportCspViolation({
    directive: event.effectiveDirective, blocked: event.blockedURI,
    sample: event.sample, source: `${event.sourceFile}:${event.lineNumber}`,
}));
"""


@pytest.fixture
def csp_violations(page):
    """Every CSP violation the browser reports, as a DOM event or a console message."""
    violations: list = []
    page.expose_function("reportCspViolation", lambda report: violations.append(report))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    return violations


def lowered(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def assert_security_headers(headers: dict[str, str], *, document: bool) -> None:
    for name, value in SAME_ON_EVERY_RESPONSE.items():
        assert headers.get(name) == value, name
    assert headers["cache-control"] == "no-store"
    assert "camera=()" in headers["permissions-policy"]
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    if document:
        script_src = next(d for d in csp.split("; ") if d.startswith("script-src "))
        assert "'sha256-" in script_src
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    else:
        assert csp.startswith("default-src 'none'")


def test_every_page_has_a_strict_csp_and_renders_without_violation(page, csp_violations):
    assets: list = []
    page.on("response", lambda response: "/assets/" in response.url and assets.append(response.all_headers()))

    response = page.goto("/login")
    assert_security_headers(response.all_headers(), document=True)
    expect(page.locator("#email")).to_be_visible()
    login(page, "admin@example.com")
    client_path = page.locator("#clients-table tbody tr a").first.get_attribute("href")

    for path, rendered in [
        ("/clients", "#clients-table tbody tr"),
        (client_path, "[role=meter]"),
        ("/model", "#model-card"),
        ("/rgpd", "#retention-table"),
        ("/admin", "#accounts-table tbody tr"),
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_security_headers(response.all_headers(), document=True)
        expect(page.locator(rendered).first).to_be_visible()
        if path == "/model":
            expect(page.locator(".recharts-surface").first).to_be_visible()
            assert page.locator(".recharts-surface").count() >= 3
        if path == client_path:
            expect(page.locator("#reasons li").first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "security-client-page.png"), full_page=True)
        if path == "/rgpd":  # the export is a data: URL download, under the same policy
            page.fill("#rgpd-target_id", client_path.rsplit("/", 1)[-1])
            with page.expect_download() as download:
                page.click("#rgpd-export")
            assert download.value.suggested_filename.endswith(".json")
        if path == "/clients":
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "security-clients-page.png"), full_page=True)

    assert csp_violations == []
    # The policy bites, and the collector sees it: an injected inline script is refused.
    page.evaluate("""() => { const script = document.createElement("script");
        script.textContent = "window.injected = true"; document.body.append(script); }""")
    page.wait_for_function("() => window.injected === undefined")
    for _ in range(50):
        if csp_violations:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("() => window.injected") is None
    assert any(isinstance(v, dict) and v["directive"] == "script-src-elem" for v in csp_violations), (
        csp_violations
    )
    assert assets and all(h["x-content-type-options"] == "nosniff" for h in assets)
    assert all(h.get("cache-control") == "public, max-age=31536000, immutable" for h in assets)


def test_api_responses_carry_the_headers(app_url):
    with urllib.request.urlopen(f"{app_url}/api/v1/health") as response:
        assert_security_headers(lowered(response.headers), document=False)
        assert json.load(response)["status"] == "ok"
    with pytest.raises(urllib.error.HTTPError) as refused:  # personal data: a token is needed
        urllib.request.urlopen(f"{app_url}/api/v1/clients")
    assert refused.value.code == 401
    assert_security_headers(lowered(refused.value.headers), document=False)
