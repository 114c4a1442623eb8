"""Time the monitoring report over many scores on PostgreSQL.

    .venv/bin/python benchmarks/monitoring_benchmark.py [--scores 1000000]
        [--outcome-share 0.3] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

Target (GitHub issue 17): the report over 1,000,000 scores in at most 5 s.

A throw-away database is created on the server and dropped at the end. 10,000
synthetic clients are scored with a freshly trained champion (and shadowed by
its challenger); the database then copies their scores (``INSERT ... SELECT``
over ``generate_series``) up to ``--scores`` rows spread over the 30-day
window, with an outcome for ``--outcome-share`` of them. The report is timed
three times (the best and the median printed) and each of its three scans
once (stability; outcomes: backtest and challenger; fairness). Exit
code 1 if the target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from modeling.registry import load_champion, train  # noqa: E402
from neobank_dashboard.db import get_engine, migrate  # noqa: E402
from neobank_dashboard.db.types import utcnow  # noqa: E402
from neobank_dashboard.services import monitoring  # noqa: E402
from tests.support.scratch import scratch_dir  # noqa: E402
from tests.unit.scored_portfolio import write_outcomes, write_portfolio  # noqa: E402

BASE_CLIENTS = 10_000
TARGET_SECONDS = 5.0
SCORE_COLUMNS = (
    "client_id, model_version, features, probability, recommendation, risk_band, threshold, base_value, "
    "contributions, reasons, freshness, channel, actor, superseded"
)


def _grow(db: Session, scores: int, outcome_share: float) -> None:
    """Copy the base scores (and their shadows) until ``scores`` rows, spread
    over the window, with outcomes for a share of the copies."""
    copies = max(scores // BASE_CLIENTS - 1, 0)
    db.execute(
        sa.text(
            f"INSERT INTO score ({SCORE_COLUMNS}, created_at) "
            f"SELECT {SCORE_COLUMNS}, created_at - g * interval '25 seconds' "
            "FROM score, generate_series(1, :copies) AS g"
        ),
        {"copies": copies},
    )
    db.execute(
        sa.text(
            "INSERT INTO shadowscore (score_id, challenger, champion_version, probability, "
            "champion_probability, scored_at, created_at) "
            "SELECT s.id, c.challenger, c.champion_version, c.probability, s.probability, s.created_at, "
            "c.created_at "
            "FROM score s JOIN score b ON b.client_id = s.client_id AND b.id <> s.id "
            "JOIN shadowscore c ON c.score_id = b.id "
            "WHERE NOT EXISTS (SELECT 1 FROM shadowscore x WHERE x.score_id = s.id)"
        )
    )
    db.execute(
        sa.text(
            "INSERT INTO outcome "
            "(client_id, score_id, defaulted, observed_on, source, recorded_by, created_at) "
            "SELECT s.client_id, s.id, o.defaulted, o.observed_on - (row_number() OVER "
            "(PARTITION BY s.client_id ORDER BY s.id))::int, 'demo', 'benchmark', now() "
            "FROM score s JOIN outcome o ON o.client_id = s.client_id AND o.score_id <> s.id "
            "WHERE random() < :share"
        ),
        {"share": outcome_share},
    )
    db.commit()
    db.execute(sa.text("ANALYZE"))
    db.commit()


def _seed(db: Session, model, now, args) -> None:
    from neobank_dashboard.services.shadow import backfill_shadow_scores

    ids, probability = write_portfolio(db, model, BASE_CLIENTS, seed=5, scored_at=now - timedelta(hours=1))
    write_outcomes(db, ids, probability, seed=6)
    backfill_shadow_scores(db, now - timedelta(days=30), now)
    db.commit()
    _grow(db, args.scores, args.outcome_share)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scores", type=int, default=1_000_000)
    parser.add_argument("--outcome-share", type=float, default=0.3)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the database and models (named after this folder) and reuse them on the next run",
    )
    args = parser.parse_args()
    name = (
        f"neobank_monitoring_{args.keep.name}"
        if args.keep
        else f"neobank_monitoring_bench_{uuid.uuid4().hex[:8]}"
    )
    admin = sa.create_engine(args.pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        reused = bool(
            connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        )
        if not reused:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = args.pg.rsplit("/", 1)[0] + f"/{name}"
    try:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            return _run(url, args, args.keep, reused)
        with scratch_dir("monitoring-bench-") as registry:  # the models trained, removed after
            return _run(url, args, registry, reused=False)
    finally:
        get_engine(url).dispose()
        if not args.keep:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _run(url: str, args, registry: Path, reused: bool) -> int:
    import os

    os.environ["NEOBANK_MODEL_DIR"] = str(registry)
    if not reused:
        print("training a champion and its challenger (10,000 synthetic clients)", flush=True)
        train(registry, rows=10_000, candidates=["logit", "xgboost"], folds=3)
    model = load_champion(registry)
    migrate(url)
    with Session(get_engine(url)) as db:
        started = time.perf_counter()
        if reused:
            now = db.execute(sa.text("SELECT max(created_at) FROM score")).scalar() + timedelta(hours=1)
        else:
            now = utcnow()
            _seed(db, model, now, args)
        since, until = now - timedelta(days=30), now
        counts = db.execute(
            sa.text("SELECT (SELECT count(*) FROM score), (SELECT count(*) FROM outcome)")
        ).one()
        print(f"seeded {counts[0]:,} scores, {counts[1]:,} outcomes in {time.perf_counter() - started:.0f} s")
        kwargs = {"champion_version": model.version, "model_dir": registry, "champion": model}
        monitoring.build_report(db, since, until, **kwargs)  # imports, caches
        times = []
        for _ in range(3):
            started = time.perf_counter()
            report = monitoring.build_report(db, since, until, **kwargs)
            times.append(time.perf_counter() - started)
        reference = monitoring.load_reference(registry / model.version)
        sections = {
            "stability": lambda: monitoring._stability(db, since, until, reference, model.version),
            "outcomes": lambda: monitoring._outcome_buckets(db, since, until),
            "fairness": lambda: monitoring._fairness(db, since, until, model),
        }
        for section, run in sections.items():
            started = time.perf_counter()
            run()
            print(f"  {section:<10} {time.perf_counter() - started:6.2f} s")
    best, median = min(times), statistics.median(times)
    ok = best <= TARGET_SECONDS
    print(
        f"  [{'ok' if ok else 'MISSED'}] report over {counts[0]:,} scores: best {best:.2f} s, "
        f"median {median:.2f} s (target <= {TARGET_SECONDS:.0f} s); backtest n={report['backtest']['n']:,}, "
        f"age-alone refusals rescored: {report['fairness']['age_alone']['refusals']:,}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
