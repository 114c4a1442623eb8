"""The browser fixtures (a live app, Debian's chromium) for the security tests that need them."""

from tests.e2e.conftest import app_url, browser, page  # noqa: F401 - pytest fixtures
