"""Logging in through the real browser."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_protected_page_redirects_to_login_when_logged_out(page):
    page.goto("/clients")
    page.wait_for_url("**/login?next=*")
    expect(page.locator("#email")).to_be_visible()


def test_wrong_password_shows_an_inline_error(page):
    page.goto("/login")
    page.fill("#email", "advisor@example.com")
    page.fill("#password", "not-the-password")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_contain_text("incorrect")
    assert "/login" in page.url


def test_advisor_logs_in_and_sees_their_clients_then_logs_out(page):
    login(page)
    expect(page.locator("#clients-table tbody tr").first).to_be_visible()
    expect(page.locator("#clients-total")).to_contain_text("200")
    page.click("#logout")
    page.wait_for_url("**/login")
    page.goto("/clients")
    page.wait_for_url("**/login?next=*")
