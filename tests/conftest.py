"""Test fixtures shared by every layer.

The suite never touches the developer's ``var/``: settings point to a temporary
data folder before anything reads them, removed when the run ends, passed, failed
or interrupted (Ctrl-C, SIGTERM). Data-layer tests run against SQLite always and
against PostgreSQL when 127.0.0.1:5432 answers (a fresh database is created for
the run and dropped after it).
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import signal
import socket
import tempfile
import threading
import uuid
from pathlib import Path

import pytest

DATA_DIR_PREFIX = "neobank-test-"
# One folder per process: with pytest-xdist every worker imports this module and so has,
# and removes, its own.
_DATA_DIR = Path(tempfile.mkdtemp(prefix=DATA_DIR_PREFIX))
os.environ["NEOBANK_DATA_DIR"] = str(_DATA_DIR)
os.environ.pop("REFLEX_DB_URL", None)
os.environ.pop("NEOBANK_MODEL_DIR", None)
os.environ["NEOBANK_ENV"] = "dev"
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")

import sqlalchemy as sa  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from neobank_dashboard.db import get_engine, migrate  # noqa: E402
from neobank_dashboard.settings import get_settings  # noqa: E402

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN_URL = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/test"
REPO_ROOT = Path(__file__).resolve().parent.parent
DATASETS = REPO_ROOT.parent / "shared" / "datasets"


def _remove_data_dir() -> None:
    shutil.rmtree(_DATA_DIR, ignore_errors=True)


# At the end of the session (below), and at exit for a run that never gets there.
atexit.register(_remove_data_dir)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


# SIGTERM (a CI job cancelled, `timeout`) ends the run as Ctrl-C does: fixtures torn down,
# folder and databases removed. Left alone if someone else already handles it.
if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) in (
    signal.SIG_DFL,
    None,
):
    signal.signal(signal.SIGTERM, _interrupt)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    """After every session fixture's teardown (their databases disposed, live apps stopped)."""
    _remove_data_dir()


def postgres_reachable() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            pass
        engine = sa.create_engine(PG_ADMIN_URL)
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


@pytest.fixture(scope="session")
def sqlite_url():
    url = f"sqlite:///{_DATA_DIR / f'test-{uuid.uuid4().hex[:8]}.db'}"
    migrate(url)
    yield url
    get_engine(url).dispose()  # its files are removed with the data folder


@pytest.fixture(scope="session")
def postgres_url():
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432: PostgreSQL variant skipped")
    name = f"neobank_test_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    try:  # dropped even when the migration or the run fails
        migrate(url)
        yield url
    finally:
        get_engine(url).dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_all_tables(url: str) -> None:
    with get_engine(url).begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request) -> str:
    """A migrated, empty database: SQLite, then PostgreSQL when reachable."""
    url = request.getfixturevalue(f"{request.param}_url")
    _empty_all_tables(url)
    return url


@pytest.fixture
def db(db_url):
    with Session(get_engine(db_url), expire_on_commit=False) as session:
        yield session


@pytest.fixture
def pg_db(postgres_url):
    """A migrated, empty PostgreSQL database, for behaviour only PostgreSQL has."""
    _empty_all_tables(postgres_url)
    with Session(get_engine(postgres_url), expire_on_commit=False) as session:
        yield session


OUR_PACKAGES = ("neobank_dashboard", "modeling")


class ReflexDeprecations(logging.Handler):
    """Reflex reports its deprecations as log records (``reflex.deprecation``), not as
    Python warnings: those whose call site is our code are kept here, and fail the test
    (as ``filterwarnings`` in pyproject.toml does for DeprecationWarnings from our code)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        location = Path(str(getattr(record, "location", None) or "").rsplit(":", 1)[0])
        if location.is_absolute():
            if not location.is_relative_to(REPO_ROOT):
                return
            location = location.relative_to(REPO_ROOT)
        if location.parts and location.parts[0] in OUR_PACKAGES:
            self.found.append(record.getMessage())


reflex_deprecations = ReflexDeprecations()
logging.getLogger("reflex.deprecation").addHandler(reflex_deprecations)


@pytest.fixture(autouse=True)
def no_reflex_deprecation_from_our_code():
    reflex_deprecations.found.clear()
    yield
    if reflex_deprecations.found:
        pytest.fail("Reflex deprecation called from our code: " + "; ".join(reflex_deprecations.found))


@pytest.fixture(autouse=True)
def fresh_refusal_windows(monkeypatch):
    """Refusals coalesce per actor and object for a minute: a test must not inherit
    the windows an earlier test opened (ids repeat in every fresh database)."""
    from neobank_dashboard.services import audit

    monkeypatch.setattr(audit, "refusal_windows", audit.RefusalWindows())


@pytest.fixture
def settings():
    return get_settings()


@pytest.fixture(scope="session")
def scoring_model_dir(tmp_path_factory) -> Path:
    """A registry whose champion is an XGBoost model (the production family),
    trained once per run on 5,000 synthetic clients (a few seconds)."""
    from modeling import train

    registry = tmp_path_factory.mktemp("scoring-models")
    train(registry, rows=5000, candidates=["logit", "xgboost"], folds=3)
    return registry


@pytest.fixture(scope="session")
def scoring_model(scoring_model_dir):
    """The loaded, verified champion of :func:`scoring_model_dir`."""
    from modeling import load_champion

    return load_champion(scoring_model_dir)


@pytest.fixture
def serving(scoring_model_dir, monkeypatch):
    """Settings point to the test registry and the scoring service serves its champion."""
    from neobank_dashboard.services import scoring

    monkeypatch.setenv("NEOBANK_MODEL_DIR", str(scoring_model_dir))
    monkeypatch.delenv("SCORING_MODE", raising=False)
    get_settings.cache_clear()
    status = scoring.load_model()
    assert status.model_loaded, status.problem
    yield scoring.get_service()
    get_settings.cache_clear()


@pytest.fixture
def cli_database(db_url, monkeypatch):
    """The settings' default database is ``db_url``, for code that opens its own sessions."""
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()
