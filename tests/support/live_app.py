"""A real app in a child process, for browser tests and benchmarks.

Prepares a private data folder exactly as ``make run`` does (migrations, demo
portfolio, a trained model, scores), then serves it with
``reflex run --env prod --single-port`` on a free loopback port.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from neobank_dashboard.settings import DEV_DEMO_PASSWORD, PROD_WEB_DIR, PROJECT_ROOT, REFLEX_OFFLINE_ENV

START_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    # Nothing of the caller's own database, cache or model reaches the app.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "REFLEX_DB", "REFLEX_REDIS", "NEOBANK_"))
    }
    env.update(
        PATH=venv_bin + os.pathsep + env.get("PATH", ""),
        NEOBANK_ENV="dev",
        NEOBANK_DATA_DIR=str(data_dir),
        DEMO_PASSWORD=DEV_DEMO_PASSWORD,
        # Production builds never touch the .web of a `make run` that may be up.
        REFLEX_WEB_WORKDIR=str(PROD_WEB_DIR),
        # The suite signs in from one address dozens of times a minute: the per-address
        # login throttle (tested on its own) would refuse it.
        NEOBANK_LOGIN_BURST="10000",
        NEOBANK_LOGIN_RATE_PER_MINUTE="10000",
        **REFLEX_OFFLINE_ENV,
    )
    env.update(extra)
    return env


def _python(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def prepare(
    data_dir: Path, clients: int, training_rows: int = 6_000, candidates: str | None = None, **extra: str
) -> dict[str, str]:
    """Train a small model (from ``candidates``, comma-separated, or all), then migrate, seed
    ``clients`` demo clients, score everyone and record their demo outcomes (the monitoring
    report's backtest needs them)."""
    env = app_environment(data_dir, **extra)
    chosen = ["--candidates", candidates] if candidates else []
    _python(
        [
            "-m",
            "modeling",
            "train",
            "--rows",
            str(training_rows),
            "--folds",
            "3",
            *chosen,
            "--out",
            str(data_dir / "models"),
        ],
        env,
    )
    # Seeded after training: the seed scores everyone, then records their demo outcomes.
    _python(["-m", "neobank_dashboard.cli", "seed", "--clients", str(clients)], env)
    return env


def prod_environment(
    data_dir: Path, database_url: str, redis_url: str, public_url: str, **extra: str
) -> dict[str, str]:
    """Production settings for a prepared data folder: PostgreSQL, Redis, a random secret,
    CORS and the websocket limited to ``public_url``, no demo accounts."""
    return app_environment(
        data_dir,
        NEOBANK_ENV="prod",
        NEOBANK_SECRET_KEY=secrets.token_urlsafe(48),
        REFLEX_DB_URL=database_url,
        REFLEX_REDIS_URL=redis_url,
        REFLEX_CORS_ALLOWED_ORIGINS=public_url,
        NEOBANK_PUBLIC_URL=public_url,
        NEOBANK_DEMO_ACCOUNTS="false",
        NEOBANK_MODEL_DIR=str(data_dir / "models"),
        **extra,
    )


@contextmanager
def postgres_database(admin_url: str, prefix: str = "neobank_live") -> Iterator[str]:
    """A new, empty PostgreSQL database (dropped afterwards); yields its URL."""
    import sqlalchemy as sa

    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"the app did not start in {START_TIMEOUT_S}s:\n{log.read_text()[-3000:]}")


@contextmanager
def serve(
    env: dict[str, str], log: Path, *, workers: int | None = None, port: int | None = None
) -> Iterator[str]:
    """Run the prepared app in production mode; yield its base URL; stop it.

    With ``workers``, through the production launcher (``make run-prod``: checks,
    migrations, Granian workers sharing state in Redis); otherwise one process.
    """
    port = port or free_port()
    if workers is None:
        command = [
            str(Path(sys.executable).parent / "reflex"),
            "run",
            "--env",
            "prod",
            "--single-port",
            "--frontend-port",
            str(port),
            "--backend-port",
            str(port),
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "neobank_dashboard.cli",
            "prod",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/api/v1/health", process, log)
        _wait_until_up(base + "/login", process, log)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def live_app(
    clients: int, training_rows: int = 6_000, candidates: str | None = None, *, own_frontend: bool = False
) -> Iterator[str]:
    """A prepared, running app in a temporary data folder, removed afterwards.

    ``own_frontend`` builds the frontend in that folder rather than the shared
    :data:`PROD_WEB_DIR`: a production build bakes its backend's address in, so a second
    app built there while the suite's app runs would point the suite's pages at it."""
    data_dir = Path(tempfile.mkdtemp(prefix="neobank-live-"))
    try:
        web = {"REFLEX_WEB_WORKDIR": str(data_dir / "web")} if own_frontend else {}
        env = prepare(data_dir, clients, training_rows, candidates, **web)
        with serve(env, data_dir / "app.log") as base:
            yield base
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
