"""Fixtures for the security tests: the API's (app, accounts created once per module,
tokens) and the browser's (a live app, Debian's chromium) for those that need them."""

from tests.api.conftest import api, api_db_url, headers  # noqa: F401 - pytest fixtures
from tests.e2e.conftest import app_url, browser, page  # noqa: F401 - pytest fixtures
