"""The API fixtures (app, accounts created once per module, tokens) for the security tests."""

from tests.api.conftest import api, api_db_url, headers  # noqa: F401 - pytest fixtures
