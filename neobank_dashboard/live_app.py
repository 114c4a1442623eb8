"""A real app in a child process, for browser tests and benchmarks.

Prepares a private data folder exactly as ``make run`` does (migrations, demo
portfolio, a trained model, scores), then serves it with
``reflex run --env prod --single-port`` on a free loopback port.
"""

from __future__ import annotations

import os
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

from neobank_dashboard.settings import DEV_DEMO_PASSWORD, PROJECT_ROOT

START_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST", "REFLEX_DB", "NEOBANK_MODEL_DIR"))}
    env.update(PATH=venv_bin + os.pathsep + env.get("PATH", ""), NEOBANK_ENV="dev",
               NEOBANK_DATA_DIR=str(data_dir), DEMO_PASSWORD=DEV_DEMO_PASSWORD,
               REFLEX_USE_NPM="1", REFLEX_TELEMETRY_ENABLED="false",
               REFLEX_CHECK_LATEST_VERSION="false", **extra)
    return env


def _python(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=env, check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def prepare(data_dir: Path, clients: int, training_rows: int = 6_000) -> dict[str, str]:
    """Migrate, seed ``clients`` demo clients, train a small model and score everyone."""
    env = app_environment(data_dir)
    _python(["-m", "neobank_dashboard.seed", "--clients", str(clients)], env)
    _python(["-m", "modeling", "train", "--rows", str(training_rows), "--folds", "3",
             "--out", str(data_dir / "models")], env)
    _python(["-m", "neobank_dashboard.seed", "--rescore"], env)
    return env


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
def serve(env: dict[str, str], log: Path) -> Iterator[str]:
    """Run the prepared app in production mode; yield its base URL; stop it."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod",
             "--single-port", "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
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
def live_app(clients: int, training_rows: int = 6_000) -> Iterator[str]:
    """A prepared, running app in a temporary data folder, removed afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix="neobank-live-"))
    try:
        env = prepare(data_dir, clients, training_rows)
        with serve(env, data_dir / "app.log") as base:
            yield base
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
