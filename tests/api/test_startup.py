"""Start-up: the model is loaded once, unscored clients are scored in the
background, a missing model means 503 (never a crash, never a default score);
the Reflex app registers the same lifespan; the CLI and the demo partner."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from neobank_dashboard.api.deps import account_cache
from neobank_dashboard.api.lifespan import scoring_lifespan
from neobank_dashboard.db import Client, Score, get_engine, session_scope
from neobank_dashboard.services import scoring
from neobank_dashboard.services.demo import client_rows
from neobank_dashboard.settings import get_settings
from tests.api.conftest import score_body
from tests.conftest import REPO_ROOT, _empty_all_tables


@pytest.fixture
def fresh_db(sqlite_url, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", sqlite_url)
    monkeypatch.delenv("SCORING_MODE", raising=False)
    get_settings.cache_clear()
    account_cache.clear()
    _empty_all_tables(sqlite_url)
    yield sqlite_url
    get_settings.cache_clear()


def _seed(n: int) -> None:
    with session_scope() as session:
        session.add_all(
            Client(
                **{k: v for k, v in row.items() if k not in ("id", "advisor_id")},
                id=uuid.UUID(str(row["id"])),
            )
            for row in client_rows(n, [0], seed=3, today=date.today())
        )


def _scored() -> int:
    with Session(get_engine()) as session:
        return session.exec(select(func.count()).select_from(Score)).one()


def test_startup_loads_the_model_and_scores_unscored_clients(fresh_db, scoring_model_dir, monkeypatch):
    from neobank_dashboard.api.main import app

    monkeypatch.setenv("NEOBANK_MODEL_DIR", str(scoring_model_dir))
    get_settings.cache_clear()
    scoring.get_service().use(None)
    _seed(1500)
    with TestClient(app) as client:
        assert client.get("/api/v1/health").json()["model_loaded"] is True
        deadline = time.monotonic() + 30
        while _scored() < 1500 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert _scored() == 1500
    with Session(get_engine()) as session:
        assert (
            session.exec(
                select(func.count()).select_from(Client).where(Client.latest_scored_at.is_(None))
            ).one()
            == 0
        )


def test_startup_without_a_model_serves_503(fresh_db, tmp_path, monkeypatch):
    from neobank_dashboard.api.main import app
    from neobank_dashboard.services.tokens import Principal, Scope, issue_token

    monkeypatch.setenv("NEOBANK_MODEL_DIR", str(tmp_path))
    get_settings.cache_clear()
    with session_scope() as session:
        from neobank_dashboard.services.api_clients import create_api_client

        create_api_client(session, name="P", scopes="score:write", client_id="p-app", secret="s" * 32)
    token = issue_token(Principal.partner("p-app", {Scope.score_write})).access_token
    with TestClient(app) as client:
        health = client.get("/api/v1/health")
        assert health.status_code == 503 and health.json()["model_loaded"] is False
        response = client.post(
            "/api/v1/score", json=score_body(), headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 503
        assert response.json()["detail"].startswith("manual assessment required")
        assert str(tmp_path) not in response.text
    assert _scored() == 0


def test_reflex_app_registers_the_scoring_lifespan():
    import neobank_dashboard.neobank_dashboard as reflex_app

    assert scoring_lifespan in reflex_app.app.get_lifespan_tasks()


def test_cli_creates_a_partner_and_prints_the_secret_once(fresh_db, capsys):
    from neobank_dashboard.cli import main
    from neobank_dashboard.db import ApiClient

    assert (
        main(
            [
                "api-clients",
                "create",
                "--name",
                "Broker X",
                "--scopes",
                "score:write,clients:read",
                "--client-id",
                "broker-x",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    secret = next(line.split()[-1] for line in out.splitlines() if "client_secret" in line)
    with Session(get_engine()) as session:
        stored = session.exec(select(ApiClient).where(ApiClient.client_id == "broker-x")).one()
    assert secret not in stored.secret_hash and stored.secret_hash.startswith("$argon2id$")
    assert main(["api-clients", "create", "--name", "Bad", "--scopes", "admin"]) == 2
    assert main(["api-clients", "deactivate", "--client-id", "broker-x"]) == 0
    assert main(["api-clients", "deactivate", "--client-id", "nobody"]) == 2


def test_demo_seed_creates_the_demo_partner_and_scores_the_clients(fresh_db, scoring_model_dir, monkeypatch):
    from neobank_dashboard.cli import main
    from neobank_dashboard.services.api_clients import DEMO_PARTNER_ID, authenticate_client

    monkeypatch.setenv("NEOBANK_MODEL_DIR", str(scoring_model_dir))
    get_settings.cache_clear()
    assert main(["seed", "--clients", "300"]) == 0
    assert _scored() == 300
    with session_scope() as session:
        assert authenticate_client(session, DEMO_PARTNER_ID, get_settings().demo_partner_secret) is not None
    assert main(["seed", "--rescore"]) == 0
    with Session(get_engine()) as session:
        assert (
            session.exec(select(func.count()).select_from(Score).where(Score.superseded.is_(False))).one()
            == 300
        )
    assert _scored() == 600


def test_the_standalone_api_refuses_insecure_production_settings(monkeypatch):
    from neobank_dashboard.api.main import create_app
    from neobank_dashboard.settings import InsecureSettingsError

    monkeypatch.setenv("NEOBANK_ENV", "prod")
    get_settings.cache_clear()
    try:
        with pytest.raises(InsecureSettingsError, match="NEOBANK_SECRET_KEY"):
            create_app()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


@pytest.mark.parametrize(
    "command",
    [
        ("-m", "uvicorn", "neobank_dashboard.api.main:app", "--port", "1"),  # exits before binding
        ("-c", "import neobank_dashboard.neobank_dashboard"),  # what Reflex's workers import
    ],
    ids=["uvicorn", "reflex-app"],
)
def test_an_app_started_with_insecure_settings_lists_them_without_a_traceback(command, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REFLEX_", "NEOBANK_", "PYTEST"))}
    env |= {
        "NEOBANK_ENV": "prod",
        "NEOBANK_DATA_DIR": str(tmp_path),
        "NEOBANK_SECRET_KEY": "",
        "NEOBANK_PUBLIC_URL": "http://advisors.bank.example",
        "REFLEX_DB_URL": "postgresql+psycopg://neobank:pw-never-printed@127.0.0.1:9/neobank",
        "REFLEX_CORS_ALLOWED_ORIGINS": "https://advisors.bank.example",
    }
    result = subprocess.run(
        [sys.executable, *command], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "Refusing to start in production (NEOBANK_ENV=prod):",
        "  - NEOBANK_SECRET_KEY is empty: set at least 32 random bytes, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`",
        "  - NEOBANK_PUBLIC_URL is 'http://advisors.bank.example': production is served over TLS "
        "only; set the https:// origin of the TLS proxy, e.g. https://advisors.bank.example",
    ]
