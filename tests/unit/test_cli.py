"""One command line, ``neobank``, and the old module paths operators' scripts still call."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from neobank_dashboard import cli
from neobank_dashboard.db.connection import describe_database
from neobank_dashboard.settings import get_settings
from tests.conftest import REPO_ROOT

# Old module path -> the command it runs.
ALIASES = {
    "neobank_dashboard.seed": "seed",
    "neobank_dashboard.prod": "prod",
    "neobank_dashboard.accounts": "accounts",
    "neobank_dashboard.api_clients": "api-clients",
    "neobank_dashboard.retention": "retention",
    "neobank_dashboard.audit": "audit",
    "neobank_dashboard.docs": "docs",
}


def _run(module: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def app_env(tmp_path) -> dict[str, str]:
    """A private data folder (its own SQLite database) for commands in a child process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REFLEX_DB", "PYTEST"))}
    return env | {"NEOBANK_DATA_DIR": str(tmp_path), "NEOBANK_ENV": "dev"}


@pytest.mark.parametrize(("module", "command"), ALIASES.items())
def test_each_old_module_path_runs_its_command(module, command, app_env):
    result = _run(module, "--help", env=app_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: neobank {command} ")


def test_the_dispatcher_lists_every_command(app_env):
    result = _run("neobank_dashboard.cli", "--help", env=app_env)
    assert result.returncode == 0, result.stderr
    for command in ALIASES.values():
        assert f"    {command}" in result.stdout


def test_an_account_created_through_the_old_path_is_listed_by_the_dispatcher(app_env):
    env = app_env | {"NEOBANK_NEW_PASSWORD": "a-long-admin-password"}
    created = _run(
        "neobank_dashboard.accounts",
        *("create", "--email", "root@bank.example", "--name", "Jeanne Admin", "--role", "admin"),
        env=env,
    )
    assert created.returncode == 0, created.stderr
    listed = _run("neobank_dashboard.cli", "accounts", "list", env=app_env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split("\t")[1:] == ["admin", "active", "root@bank.example\n"]


def test_a_command_runs_in_process_and_a_missing_one_is_refused(cli_database, capsys):
    assert cli.main(["audit", "verify"]) == 0
    assert "audit chain intact" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        cli.main(["accounts"])  # a command without its action
    assert refused.value.code == 2
    assert "required: ACTION" in capsys.readouterr().err


def test_a_bad_date_is_refused_with_the_option_named(capsys):
    with pytest.raises(SystemExit):
        cli.main(["retention", "purge", "--today", "yesterday"])
    assert "--today: not a date (YYYY-MM-DD): 'yesterday'" in capsys.readouterr().err


def test_every_command_names_its_database_on_stderr(cli_database, capsys):
    assert cli.main(["audit", "verify"]) == 0
    out, err = capsys.readouterr()
    expected = describe_database(cli_database)
    assert f"database: {expected}" in err.splitlines()[0]
    assert "database:" not in out  # stdout stays the command's own output, for scripts
    if cli_database.startswith("sqlite"):
        assert expected == f"SQLite file {Path(cli_database.split('///', 1)[1]).resolve()}"
        assert err.splitlines()[0].endswith("(development)")


def test_the_database_is_described_without_its_password():
    url = "postgresql+psycopg://neobank:pw-never-printed@db.internal:5433/neobank?password=pw-never-printed"
    assert describe_database(url) == "postgresql neobank@db.internal:5433/neobank"


@pytest.mark.parametrize(
    "command",
    [
        ["seed", "--clients", "10"],
        ["accounts", "create", "--email", "root@bank.example", "--name", "Root", "--role", "admin"],
        ["accounts", "list"],
        ["api-clients", "create", "--name", "Broker", "--scopes", "score:write"],
        ["retention", "purge"],
        ["audit", "verify"],
        ["outcomes", "report"],
        ["docs", "generate"],
    ],
    ids=lambda command: " ".join(command[:2]),
)
def test_production_refuses_the_development_database_before_doing_anything(
    command, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("NEOBANK_ENV", "prod")
    monkeypatch.setenv("NEOBANK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NEOBANK_NEW_PASSWORD", "a-long-admin-password")
    monkeypatch.delenv("REFLEX_DB_URL", raising=False)
    get_settings.cache_clear()
    try:
        code = cli.main(command)
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert code == 2
    database = tmp_path / "neobank.db"
    assert f"database: SQLite file {database} (development)" in err
    assert f"NEOBANK_ENV=prod but the database is the SQLite file {database}: nothing was done" in err
    assert "REFLEX_DB_URL" in err  # what to set
    assert list(tmp_path.iterdir()) == []  # not even an empty database file


def test_an_unreachable_database_is_one_sentence_not_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("REFLEX_DB_URL", "postgresql+psycopg://neobank:pw-never-printed@127.0.0.1:1/neobank")
    get_settings.cache_clear()
    try:
        code = cli.main(["accounts", "list"])
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [
        "database: postgresql neobank@127.0.0.1:1/neobank",
        "error: the PostgreSQL server 127.0.0.1:1 named in REFLEX_DB_URL is unreachable "
        "(connection refused): check the host and port, and that the server is running",
    ]
