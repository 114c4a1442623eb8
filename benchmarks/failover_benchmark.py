"""Database failover under load: what the partner sees, and what is stored.

    .venv/bin/python benchmarks/failover_benchmark.py [--duration 20] [--kills 4]

The standalone API (one uvicorn worker) on a fresh PostgreSQL database takes
``POST /api/v1/score`` from ``wrk`` (16 keep-alive connections, a unique
``request_id`` per request) while every connection of the app's database is killed
``--kills`` times (``pg_terminate_backend``, as a failover or a restart would). The
answers per status come from the app's JSON access log; then the database is read:

- lost: answered 200 but not stored (must be 0);
- doubled: a request id stored twice (must be 0: the unique constraint);
- unaudited: a stored score without its audit event (must be 0);
- 500s (must be 0: a lost connection is retried once, else 503 with Retry-After);
- the audit hash chains verified intact.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_benchmark import SINGLE, champion_dir, prepare_database, token  # noqa: E402
from throughput_benchmark import Uvicorn, database, postgres_reachable  # noqa: E402


def lua_script(headers: dict[str, str]) -> str:
    """A wrk script: POST one score a request, each with its own request id."""
    body = json.dumps(SINGLE)[:-1]  # the object without its closing brace
    lines = ['wrk.method = "POST"']
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    lines += [
        "local threads, counter = 0, 0",
        "function setup(thread) threads = threads + 1; thread:set('tid', threads) end",
        "request = function()",
        "  counter = counter + 1",
        "  local id = 'chaos-' .. tid .. '-' .. counter",
        f"  return wrk.format(nil, nil, nil, '{body}, \"request_id\": \"' .. id .. '\"}}')",
        "end",
    ]
    return "\n".join(lines) + "\n"


def _killer(db_url: str, kills: int, duration: float, done: list[int]) -> None:
    name = sa.engine.make_url(db_url).database
    admin = sa.create_engine(db_url.rsplit("/", 1)[0] + "/test", isolation_level="AUTOCOMMIT")
    for _ in range(kills):
        time.sleep(duration / (kills + 1))
        with admin.connect() as connection:
            ended = connection.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :db AND pid <> pg_backend_pid()"
                ),
                {"db": name},
            ).scalar_one()
        done.append(int(ended))
    admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk") or not postgres_reachable():
        print("needs wrk (apt-get install wrk) and PostgreSQL on 127.0.0.1:5432")
        return 2
    work = Path(tempfile.mkdtemp(prefix="neobank-failover-"))
    try:
        models = champion_dir(None, work)
        with database("postgres", work) as db_url:
            env = {
                **os.environ,
                "REFLEX_DB_URL": db_url,
                "NEOBANK_DATA_DIR": str(work / "data"),
                "NEOBANK_MODEL_DIR": str(models),
                "NEOBANK_API_RATE_PER_SECOND": "100000",
                "NEOBANK_API_RATE_BURST": "100000",
            }
            partner, secret, _ = prepare_database(env)
            server = Uvicorn("neobank_dashboard.api.main:app", env, work / "app.log")
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
                script = work / "chaos.lua"
                script.write_text(lua_script({**auth, "Content-Type": "application/json"}))
                kills: list[int] = []
                killer = threading.Thread(target=_killer, args=(db_url, args.kills, args.duration, kills))
                killer.start()
                subprocess.run(
                    [
                        "wrk",
                        "-t2",
                        f"-c{args.connections}",
                        f"-d{args.duration}s",
                        "-s",
                        str(script),
                        f"{server.url}/api/v1/score",
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                killer.join()
            finally:
                server.stop()
            statuses = collections.Counter()
            for line in (work / "app.log").read_text().splitlines():
                if line.startswith("{") and '"route":"/api/v1/score"' in line:
                    statuses[json.loads(line)["status"]] += 1
            engine = sa.create_engine(db_url)
            with engine.connect() as connection:
                stored = connection.execute(sa.text("SELECT count(*) FROM score")).scalar_one()
                doubled = connection.execute(
                    sa.text(
                        "SELECT count(*) FROM (SELECT request_id FROM score GROUP BY actor, request_id "
                        "HAVING count(*) > 1) d"
                    )
                ).scalar_one()
                unaudited = connection.execute(
                    sa.text(
                        "SELECT count(*) FROM score s WHERE NOT EXISTS (SELECT 1 FROM auditevent e "
                        "WHERE e.action = 'score' AND (e.details->>'score_id')::int = s.id)"
                    )
                ).scalar_one()
            engine.dispose()
            verify = subprocess.run(
                [sys.executable, "-m", "neobank_dashboard.cli", "audit", "verify"],
                env=env,
                capture_output=True,
                text=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    answered = sum(statuses.values())
    lost = max(0, statuses[200] - stored)
    print(
        f"requests answered {answered}: " + ", ".join(f"{n} x {code}" for code, n in sorted(statuses.items()))
    )
    print(
        f"kills {len(kills)} (backends ended: {kills}); stored {stored}; lost {lost}; doubled {doubled}; "
        f"unaudited {unaudited}; 500s {statuses[500]}"
    )
    print(f"audit verify: {(verify.stdout or verify.stderr).strip()}")
    ok = lost == doubled == unaudited == statuses[500] == 0 and verify.returncode == 0
    print("Targets: " + ("all met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    from tests.support.scratch import interrupt_on_sigterm

    with interrupt_on_sigterm():  # SIGTERM runs the clean-up as Ctrl-C does
        sys.exit(main())
