"""`make run-prod` checks everything before a worker starts, and the first admin is
created from the command line (production has no demo accounts)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess

import pytest
from sqlmodel import select

from neobank_dashboard import cli
from neobank_dashboard.cli import accounts, prod
from neobank_dashboard.db import AuditEvent, get_engine, session_scope
from neobank_dashboard.db.models import Advisor
from neobank_dashboard.services.auth import authenticate
from neobank_dashboard.services.retention import DEFAULT_POLICIES, policies
from neobank_dashboard.settings import PROD_WEB_DIR, get_settings
from neobank_dashboard.state.session import backend_exception_handler
from tests.conftest import PG_ADMIN_URL, REPO_ROOT, postgres_reachable
from tests.support.live_app import postgres_database
from tests.unit.test_settings import SAFE_PROD


@pytest.fixture
def prod_env(monkeypatch, tmp_path):
    """Safe production settings; each test breaks one thing."""
    for key, value in SAFE_PROD.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("REFLEX_DB_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("REFLEX_REDIS_URL", "redis://127.0.0.1:6379/9")
    monkeypatch.setenv("NEOBANK_MODEL_DIR", str(tmp_path / "no-model-here"))
    monkeypatch.delenv("NEOBANK_DEMO_ACCOUNTS", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def _launch(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(["prod", "--check", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("NEOBANK_ENV", "dev", "NEOBANK_ENV"),
        ("NEOBANK_SECRET_KEY", "too-short", "NEOBANK_SECRET_KEY"),
        ("REFLEX_DB_URL", "sqlite:///var/prod.db", "REFLEX_DB_URL"),
        ("REFLEX_CORS_ALLOWED_ORIGINS", "*", "REFLEX_CORS_ALLOWED_ORIGINS"),
        ("REFLEX_REDIS_URL", "", "REFLEX_REDIS_URL"),
        ("REFLEX_REDIS_URL", "redis://127.0.0.1:1/0", "REFLEX_REDIS_URL"),
        ("REFLEX_DB_URL", "postgresql+psycopg://nobody:secret-pw@127.0.0.1:1/neobank", "REFLEX_DB_URL"),
    ],
)
def test_production_refuses_to_start_and_names_the_setting(prod_env, capsys, variable, value, named):
    prod_env.setenv(variable, value)
    get_settings.cache_clear()
    code, output = _launch(capsys)
    assert code == 2
    assert named in output
    assert "secret-pw" not in output  # a password in a URL is never printed


@pytest.mark.skipif(not postgres_reachable(), reason="PostgreSQL is not reachable")
def test_a_new_production_database_is_migrated_with_the_retention_periods(prod_env, capsys):
    with postgres_database(PG_ADMIN_URL, prefix="neobank_launch") as url:
        prod_env.setenv("REFLEX_DB_URL", url)
        get_settings.cache_clear()
        code, output = _launch(capsys)
        assert code == 0, output
        assert "no model registered" in output  # a warning: scoring answers 503
        with session_scope(url) as session:
            assert set(policies(session)) == {p["category"] for p in DEFAULT_POLICIES}
        get_engine(url).dispose()


def test_a_server_error_shows_a_banner_without_evaluating_javascript():
    # The CSP forbids eval: the handler answers with a state event, never a script.
    event = backend_exception_handler(RuntimeError("boom"))
    assert event.handler.fn.__name__ == "show_backend_error"


def test_the_workers_get_the_public_origin_and_their_count(prod_env):
    prod_env.setenv("NEOBANK_PUBLIC_URL", "https://advisors.bank.example")
    get_settings.cache_clear()
    env = prod.reflex_environment(workers=3)
    assert env["GRANIAN_WORKERS"] == "3"
    assert env["REFLEX_API_URL"] == "https://advisors.bank.example"
    prod_env.delenv("REFLEX_WEB_WORKDIR", raising=False)
    # Never the checkout's .web, which a running `make run` serves and hot-reloads.
    assert prod.reflex_environment(workers=3)["REFLEX_WEB_WORKDIR"] == str(PROD_WEB_DIR)
    command = prod.reflex_command("127.0.0.1", 8123)
    assert command[1:5] == ["run", "--env", "prod", "--single-port"]
    assert "8123" in command and "127.0.0.1" in command


def test_the_first_admin_is_created_from_the_command_line(cli_database, monkeypatch, capsys):
    monkeypatch.setenv(accounts.PASSWORD_ENV, "a-long-admin-password")
    code = cli.main(
        ["accounts", "create", "--email", "Root@Bank.example", "--name", "Jeanne Admin", "--role", "admin"]
    )
    assert code == 0, capsys.readouterr().err
    with session_scope() as session:
        advisor = session.exec(select(Advisor).where(Advisor.email == "root@bank.example")).one()
        assert advisor.role == "admin"
        assert advisor.password_hash.startswith("$argon2id$")
        assert authenticate(session, "root@bank.example", "a-long-admin-password").advisor
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "advisor_created")).one()
        assert event.actor == "cli"


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--email", "not-an-email"], "a-long-admin-password", "invalid email"),
        (["--email", "x@bank.example"], "short", "too short"),
        (["--email", "x@bank.example"], None, "NEOBANK_NEW_PASSWORD"),
    ],
)
def test_a_refused_account_changes_nothing(cli_database, monkeypatch, capsys, args, password, message):
    if password is None:
        monkeypatch.delenv(accounts.PASSWORD_ENV, raising=False)
        monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    else:
        monkeypatch.setenv(accounts.PASSWORD_ENV, password)
    code = cli.main(["accounts", "create", *args, "--name", "X", "--role", "advisor"])
    assert code == 2
    assert message in capsys.readouterr().err
    with session_scope() as session:
        assert session.exec(select(Advisor)).all() == []
        assert session.exec(select(AuditEvent)).all() == []


def test_a_missing_database_is_told_apart_from_a_server_down(prod_env, capsys):
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable")
    name = f"neobank_absent_{secrets.token_hex(6)}"
    prod_env.setenv("REFLEX_DB_URL", f"postgresql+psycopg://postgres:pw-never-printed@127.0.0.1:5432/{name}")
    get_settings.cache_clear()
    code, output = _launch(capsys)
    assert code == 2
    assert f'the database "{name}" does not exist on the PostgreSQL server 127.0.0.1:5432' in output
    assert f"createdb -h 127.0.0.1 -p 5432 -U postgres {name}" in output  # how to fix it
    assert "unreachable" not in output
    assert "pw-never-printed" not in output


def test_a_closed_port_is_reported_as_an_unreachable_server(prod_env, capsys):
    prod_env.setenv("REFLEX_DB_URL", "postgresql+psycopg://neobank:pw-never-printed@127.0.0.1:1/neobank")
    get_settings.cache_clear()
    code, output = _launch(capsys)
    assert code == 2
    server = "the PostgreSQL server 127.0.0.1:1 named in REFLEX_DB_URL"
    assert f"{server} is unreachable (connection refused)" in output
    assert "does not exist" not in output
    assert "pw-never-printed" not in output


def test_bad_settings_are_refused_before_any_model_is_trained(prod_env, capsys, tmp_path, monkeypatch):
    trained = []
    monkeypatch.setattr(prod, "_train", trained.append)
    prod_env.setenv("NEOBANK_SECRET_KEY", "")
    get_settings.cache_clear()
    code, output = _launch(capsys, "--train-if-missing")
    assert code == 2
    assert "NEOBANK_SECRET_KEY is empty" in output
    assert trained == []
    assert not (tmp_path / "no-model-here").exists()


@pytest.mark.skipif(not postgres_reachable(), reason="PostgreSQL is not reachable")
def test_the_model_is_trained_after_the_checks_and_the_migrations(prod_env, capsys, tmp_path, monkeypatch):
    trained = []

    def train(model_dir):
        with session_scope() as session:  # the migrations ran first: the tables exist
            trained.append((model_dir, len(policies(session))))

    monkeypatch.setattr(prod, "_train", train)
    with postgres_database(PG_ADMIN_URL, prefix="neobank_train") as url:
        prod_env.setenv("REFLEX_DB_URL", url)
        get_settings.cache_clear()
        code, output = _launch(capsys, "--train-if-missing")
        get_engine(url).dispose()
    assert code == 0, output
    assert trained == [(tmp_path / "no-model-here", len(DEFAULT_POLICIES))]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_prod_refuses_bad_settings_before_creating_the_model_folder(tmp_path):
    models = tmp_path / "srv" / "models"
    env_file = tmp_path / "prod.env"
    env_file.write_text(
        "\n".join(
            [
                "NEOBANK_SECRET_KEY=",
                "REFLEX_DB_URL=postgresql+psycopg://neobank@127.0.0.1:1/neobank",
                "REFLEX_REDIS_URL=redis://127.0.0.1:6379/9",
                "REFLEX_CORS_ALLOWED_ORIGINS=https://advisors.bank.example",
                "NEOBANK_PUBLIC_URL=https://advisors.bank.example",
                f"NEOBANK_MODEL_DIR={models}",
            ]
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REFLEX_", "NEOBANK_", "PYTEST"))}
    # -o setup: the virtualenv is used as it is, never reinstalled by a test.
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", "setup", "run-prod", f"PROD_ENV={env_file}"],
        cwd=REPO_ROOT,
        env=env | {"NEOBANK_DATA_DIR": str(tmp_path / "var")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "NEOBANK_SECRET_KEY is empty" in result.stderr
    assert "training" not in result.stdout
    assert not models.exists() and not models.parent.exists()
