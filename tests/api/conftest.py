"""API fixtures: the app on a migrated database (SQLite, and PostgreSQL when it
answers), the test champion model, accounts created once per module, tokens.

``api`` is parametrised like ``db_url``: every API test module runs on both
databases. Accounts are created once per module (argon2 costs ~30 ms each).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from neobank_dashboard.api.deps import account_cache
from neobank_dashboard.api.ratelimit import reset_limiter
from neobank_dashboard.db import Role, get_engine, session_scope
from neobank_dashboard.services.api_clients import create_api_client
from neobank_dashboard.services.auth import create_advisor
from neobank_dashboard.services.tokens import Principal, Scope, issue_token
from neobank_dashboard.settings import get_settings
from tests.conftest import _empty_all_tables
from tests.support.factories import valid_features

PASSWORD = "correct horse battery staple"


@dataclass
class Accounts:
    advisor_id: int
    advisor2_id: int
    supervisor_id: int
    partner_id: str
    partner_secret: str
    reader_id: str
    reader_secret: str


def make_accounts() -> Accounts:
    with session_scope() as session:
        advisor = create_advisor(
            session, email="camille@bank.example", full_name="Camille", password=PASSWORD
        )
        advisor2 = create_advisor(session, email="julien@bank.example", full_name="Julien", password=PASSWORD)
        supervisor = create_advisor(
            session, email="sophie@bank.example", full_name="Sophie", password=PASSWORD, role=Role.supervisor
        )
        partner, partner_secret = create_api_client(
            session, name="Partner A", scopes="score:write,clients:read", client_id="partner-a"
        )
        reader, reader_secret = create_api_client(
            session, name="Reader B", scopes="clients:read", client_id="reader-b"
        )
        return Accounts(
            advisor.id,
            advisor2.id,
            supervisor.id,
            partner.client_id,
            partner_secret,
            reader.client_id,
            reader_secret,
        )


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def api_db_url(request):
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(scope="module")
def api(api_db_url, scoring_model_dir):
    """A TestClient on the app (lifespan run: the model is loaded) and the accounts."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REFLEX_DB_URL", api_db_url)
        patch.setenv("NEOBANK_MODEL_DIR", str(scoring_model_dir))
        patch.setenv("NEOBANK_API_RATE_PER_SECOND", "10000")
        patch.setenv("NEOBANK_API_RATE_BURST", "10000")
        patch.setenv("NEOBANK_LOGIN_BURST", "10000")
        patch.delenv("SCORING_MODE", raising=False)
        get_settings.cache_clear()
        reset_limiter()
        account_cache.clear()
        _empty_all_tables(api_db_url)
        accounts = make_accounts()
        from neobank_dashboard.api.main import app

        with TestClient(app) as client:
            client.accounts = accounts
            yield client
        get_engine(api_db_url).dispose()
    get_settings.cache_clear()
    reset_limiter()
    account_cache.clear()


def token_for(principal: Principal) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(principal).access_token}"}


@pytest.fixture(scope="module")
def headers(api):
    a = api.accounts
    return {
        "advisor": token_for(Principal.advisor(a.advisor_id, Role.advisor)),
        "advisor2": token_for(Principal.advisor(a.advisor2_id, Role.advisor)),
        "supervisor": token_for(Principal.advisor(a.supervisor_id, Role.supervisor)),
        "partner": token_for(Principal.partner(a.partner_id, {Scope.score_write, Scope.clients_read})),
        "reader": token_for(Principal.partner(a.reader_id, {Scope.clients_read})),
    }


def score_body(**changes) -> dict:
    return {**valid_features(), "purpose": "credit_application", **changes}
