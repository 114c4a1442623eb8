"""Throughput of ``POST /api/v1/score`` against the usual public scoring API, from one run.

    .venv/bin/python benchmarks/throughput_benchmark.py [--duration 15] [--connections 8]

For SQLite and, when it answers on 127.0.0.1:5432, PostgreSQL: the standalone API
(one uvicorn worker: token check, validation, a durable score row and audit event
per call) and the peer of ``benchmarks/peer_api.py`` (one uvicorn worker: XGBoost from
joblib, ``shap.TreeExplainer`` per call, no authentication, nothing stored) are loaded
in turn by ``wrk`` with keep-alive connections. Printed: requests/s, p50 and p99 of
each, ours / peer as ratios, and whether every answered score was stored and audited.
Targets (issue 18): at least the peer's throughput and p99 <= 100 ms per worker, on
both databases. Everything lives in a temporary folder removed at the end.
Exit code 1 if a target is missed. Needs ``wrk`` (Debian package).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_benchmark import SINGLE, champion_dir, free_port, prepare_database, token  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
P99_TARGET_MS = 100.0


class Uvicorn:
    """One uvicorn worker on loopback; its logs go to a file (the access log is on, as
    in production, and must not slow a terminal)."""

    def __init__(self, app: str, env: dict[str, str], log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, "--port", str(self.port), "--no-access-log"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
        )

    def wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}{path}", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.url} did not start: see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def wrk(url: str, headers: dict[str, str], duration: int, connections: int, work: Path) -> dict:
    script = work / "post.lua"
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(json.dumps(SINGLE))}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    script.write_text("\n".join(lines) + "\n")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency_ms(quantile: str) -> float:
        value, unit = re.search(rf"^\s+{quantile}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]

    total = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency_ms("50"),
        "p99": latency_ms("99"),
        "requests": total,
        "ok": total - (int(non_2xx.group(1)) if non_2xx else 0),
        "socket_errors": errors.group(1) if errors else "none",
    }


@contextmanager
def database(kind: str, work: Path):
    if kind == "sqlite":
        yield f"sqlite:///{work / 'bench.db'}"
        return
    name = f"neobank_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        from neobank_dashboard.db import get_engine

        get_engine().dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_reachable() -> bool:
    try:
        with sa.create_engine(PG_ADMIN).connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.OperationalError:
        return False


def stored_and_audited(db_url: str) -> tuple[int, int]:
    engine = sa.create_engine(db_url)
    with engine.connect() as connection:
        scores = connection.execute(sa.text("SELECT count(*) FROM score")).scalar_one()
        audited = connection.execute(
            sa.text("SELECT count(*) FROM auditevent WHERE action = 'score'")
        ).scalar_one()
    engine.dispose()
    return scores, audited


def ours(kind: str, models: Path, args, work: Path) -> dict:
    with database(kind, work) as db_url:
        env = {
            **os.environ,
            "REFLEX_DB_URL": db_url,
            "NEOBANK_DATA_DIR": str(work / "data"),
            "NEOBANK_MODEL_DIR": str(models),
            "NEOBANK_API_RATE_PER_SECOND": "100000",
            "NEOBANK_API_RATE_BURST": "100000",
        }
        partner, secret, _ = prepare_database(env)
        server = Uvicorn("neobank_dashboard.api.main:app", env, work / f"ours-{kind}.log")
        try:
            server.wait_ready("/api/v1/health")
            auth = token(
                server.url,
                {
                    "grant_type": "client_credentials",
                    "client_id": partner,
                    "client_secret": secret,
                    "scope": "score:write",
                },
            )
            headers = {**auth, "Content-Type": "application/json"}
            result = wrk(f"{server.url}/api/v1/score", headers, args.duration, args.connections, work)
        finally:
            server.stop()
        result["stored"], result["audited"] = stored_and_audited(db_url)
        return result


def peer(args, work: Path) -> dict:
    model = work / "peer.joblib"
    if not model.exists():
        subprocess.run([sys.executable, "benchmarks/peer_api.py", "train", str(model)], cwd=ROOT, check=True)
    env = {**os.environ, "PEER_MODEL": str(model)}
    server = Uvicorn("benchmarks.peer_api:app", env, work / "peer.log")
    try:
        server.wait_ready("/docs")
        headers = {"Content-Type": "application/json"}
        return wrk(f"{server.url}/predict", headers, args.duration, args.connections, work)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite,postgres (both)")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk")
        return 2
    missed = []
    work = Path(tempfile.mkdtemp(prefix="neobank-throughput-"))
    try:
        models = champion_dir(args.model_dir, work)
        wanted = args.databases.split(",")
        kinds = [k for k in ("sqlite", "postgres") if k in wanted]
        if "postgres" in kinds and not postgres_reachable():
            kinds.remove("postgres")
        print(f"wrk, {args.connections} keep-alive connections, {args.duration} s, one worker each\n")
        print(
            "| database | ours req/s | ours p50 | ours p99 | peer req/s | peer p50 | peer p99 | req/s ratio |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for kind in kinds:
            mine, theirs = ours(kind, models, args, work), peer(args, work)
            ratio = mine["rps"] / theirs["rps"]
            print(
                f"| {kind} | {mine['rps']:.0f} | {mine['p50']:.1f} ms | {mine['p99']:.1f} ms "
                f"| {theirs['rps']:.0f} | {theirs['p50']:.1f} ms | {theirs['p99']:.1f} ms | {ratio:.2f}x |"
            )
            durable = mine["stored"] >= mine["ok"] and mine["audited"] == mine["stored"]
            print(
                f"  {kind}: {mine['ok']} answered 200 of {mine['requests']}, {mine['stored']} stored, "
                f"{mine['audited']} audited, socket errors {mine['socket_errors']}"
                f" -> every 200 stored and audited: {'yes' if durable else 'NO'}"
            )
            if ratio < 1.0:
                missed.append(f"{kind}: throughput {ratio:.2f}x the peer's")
            if mine["p99"] > P99_TARGET_MS:
                missed.append(f"{kind}: p99 {mine['p99']:.0f} ms > {P99_TARGET_MS:.0f} ms")
            if not durable:
                missed.append(f"{kind}: an answered score was not stored and audited")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\nTargets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    from tests.support.scratch import interrupt_on_sigterm

    with interrupt_on_sigterm():  # SIGTERM runs the clean-up as Ctrl-C does
        sys.exit(main())
