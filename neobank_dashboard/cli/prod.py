"""Production launcher: ``neobank prod`` (``make run-prod``).

Checks before anything listens, in this order: the production settings (no default
or empty secret, PostgreSQL, exact CORS origins, an https public URL, no demo
accounts), a reachable Redis and PostgreSQL database, then applies the migrations
once, here, before any worker starts. ``--train-if-missing`` (what ``make run-prod``
passes) then trains the default model when none is registered, so nothing is written
to the model folder before the settings are known to be right; without a model,
scoring answers 503. Finally it replaces itself with
``reflex run --env prod --single-port``: Reflex keeps its state in Redis, so
Granian's workers (``--workers``) serve any request of any session.

The app listens on loopback by default: TLS terminates at the reverse proxy
(docs/deployment.md), whose public origin is ``NEOBANK_PUBLIC_URL``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from neobank_dashboard import metrics
from neobank_dashboard.cli.options import command, fail
from neobank_dashboard.db.connection import connection_problem
from neobank_dashboard.settings import (
    PROD_WEB_DIR,
    PROJECT_ROOT,
    REFLEX_OFFLINE_ENV,
    InsecureSettingsError,
    get_settings,
)

DEFAULT_PORT = 8000
DEFAULT_WORKERS = max(2, os.cpu_count() or 1)
"""Granian advises one worker per core; two at least, so a session never depends on one."""


class PreflightError(RuntimeError):
    """The platform is not ready for production; the message says what to fix."""


def preflight(*, train_if_missing: bool = False) -> list[str]:
    """Refuse unsafe or unreachable set-ups; return warnings that do not stop the start."""
    settings = get_settings()
    if not settings.is_prod:
        raise PreflightError("NEOBANK_ENV is not 'prod'; the laptop default is `make run`")
    settings.check_safe_for_environment()
    if not settings.redis_url:
        raise PreflightError(
            "REFLEX_REDIS_URL is unset; several workers share sessions and rate limits through Redis"
        )
    _check_redis(settings.redis_url)
    _check_database(settings.database_url)
    from neobank_dashboard.db import migrate, session_scope
    from neobank_dashboard.services.retention import ensure_default_policies

    migrate()
    with session_scope() as session:  # an empty database gets the default retention periods
        ensure_default_policies(session)
    if train_if_missing and not (settings.model_dir / "CHAMPION").exists():
        _train(settings.model_dir)
    warnings = []
    if not (settings.model_dir / "CHAMPION").exists():
        warnings.append(
            f"no model registered in {settings.model_dir}: scoring answers 503 "
            "(manual assessment) until one is trained and the app restarts"
        )
    return warnings


def _check_redis(url: str) -> None:
    import redis

    try:
        redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as error:
        raise PreflightError(f"Redis at REFLEX_REDIS_URL is unreachable ({type(error).__name__})") from None


def _check_database(url: str) -> None:
    engine = sa.create_engine(url, pool_pre_ping=True)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        # A missing database is not a server down; the URL's password is never printed.
        raise PreflightError(connection_problem(url, error)) from None
    finally:
        engine.dispose()


def _train(model_dir: Path) -> None:
    """Train and register the default champion (``python -m modeling train``)."""
    print(f"No model registered in {model_dir}: training the default model.", flush=True)
    command = [sys.executable, "-m", "modeling", "train", "--out", str(model_dir)]
    if subprocess.run(command, check=False).returncode != 0:
        raise PreflightError(
            f"training the model into {model_dir} (NEOBANK_MODEL_DIR) failed: see the lines above"
        )


def reflex_command(host: str, port: int) -> list[str]:
    reflex = Path(sys.executable).with_name("reflex")
    return [
        str(reflex),
        "run",
        "--env",
        "prod",
        "--single-port",
        "--backend-host",
        host,
        "--frontend-port",
        str(port),
        "--backend-port",
        str(port),
    ]


def reflex_environment(workers: int) -> dict[str, str]:
    env = dict(os.environ)
    env["GRANIAN_WORKERS"] = str(workers)
    # Every worker writes its metrics there; GET /metrics adds them up.
    env[metrics.MULTIPROC_ENV] = str(metrics.fresh_multiprocess_dir(get_settings().data_dir))
    for name, value in REFLEX_OFFLINE_ENV.items():
        env.setdefault(name, value)
    env.setdefault("REFLEX_WEB_WORKDIR", str(PROD_WEB_DIR))
    if public_url := get_settings().public_url:
        # Baked into the compiled frontend: where the browser opens the websocket.
        env["REFLEX_API_URL"] = public_url
    return env


def register(commands: argparse._SubParsersAction) -> None:
    parser = command(
        commands,
        "prod",
        "start production: checks, migrations, workers",
        doc=__doc__,
        run=run,
        database="checked-by-command",  # SQLite is listed with every other insecure setting
    )
    parser.add_argument("--host", help="interface to listen on (default: NEOBANK_HOST, 127.0.0.1)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("NEOBANK_PORT", DEFAULT_PORT)))
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("NEOBANK_WORKERS", DEFAULT_WORKERS))
    )
    parser.add_argument("--check", action="store_true", help="run the checks and the migrations, then exit")
    parser.add_argument(
        "--train-if-missing",
        action="store_true",
        help="after the checks, train the default model when none is registered (make run-prod)",
    )


def run(args: argparse.Namespace) -> int:
    if args.workers < 1:
        args.parser.error("--workers must be at least 1")
    try:
        warnings = preflight(train_if_missing=args.train_if_missing)
    except (InsecureSettingsError, PreflightError) as error:
        return fail(str(error))
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.check:
        print("Production checks passed; migrations applied.")
        return 0
    host = args.host or get_settings().host
    command = reflex_command(host, args.port)
    print(f"Starting {args.workers} workers on http://{host}:{args.port}", flush=True)
    os.chdir(PROJECT_ROOT)
    os.execve(command[0], command, reflex_environment(args.workers))
    return 0  # not reached
