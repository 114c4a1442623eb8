"""Time the portfolio worklist's filtered list on a large PostgreSQL portfolio.

    .venv/bin/python benchmarks/portfolio_scale_benchmark.py \
        --db postgresql+psycopg://postgres@127.0.0.1:5432/neobank_10m [--runs 20] [--explain]

Target (GitHub issue 18, item 2): at 10,000,000 clients the filtered list at most
500 ms p95. The database is one grown by hand (benchmarks/portfolio_scale.sql):
this script only reads it. For each filter the worklist offers (and a few
combinations), as a supervisor (the whole portfolio) or an advisor (their own
half), it times what the clients page and ``GET /api/v1/clients`` run for one
page: ``list`` is the page and its capped count (:func:`list_clients`), ``page``
adds the rows' decision statuses and the five quick-filter counts. p50 and p95
over ``--runs`` runs after one warm-up; ``--explain`` prints, for each case, the
plan's main nodes and the time of each statement under ``EXPLAIN (ANALYZE)``.
Exit code 1 if a ``list`` p95 misses the target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from neobank_dashboard.db.models import Advisor, Role  # noqa: E402
from neobank_dashboard.services.auth import CurrentAdvisor  # noqa: E402
from neobank_dashboard.services.clients import (  # noqa: E402
    ClientFilter,
    is_capped,
    list_clients,
    quick_counts,
)
from neobank_dashboard.services.worklist import decision_statuses  # noqa: E402

TARGET_MS = 500.0
# (name, who, filter): who is "all" (a supervisor) or "mine" (an advisor's own clients).
CASES: list[tuple[str, str, dict]] = [
    ("default order", "all", {}),
    ("advisor's own", "mine", {}),
    ("mine_only", "all", {"mine_only": True}),
    ("recommendation=review", "all", {"recommendation": "review"}),
    ("risk_band=E", "all", {"risk_band": "E"}),
    ("probability 30-35 %", "all", {"probability_min": 0.30, "probability_max": 0.35}),
    ("age 18-20", "all", {"age_min": 18, "age_max": 20}),
    ("income >= 150,000", "all", {"income_min": 150_000}),
    ("incidents >= 4", "all", {"incidents_min": 4}),
    ("stale_only", "all", {"stale_only": True}),
    ("id fragment (6 hex)", "all", {"id_prefix": "3fa85f"}),
    ("decision_status=none", "all", {"decision_status": "none"}),
    ("decision_status=approved", "all", {"decision_status": "approved"}),
    ("decision_status=refused", "all", {"decision_status": "refused"}),
    ("decision_status=referred", "all", {"decision_status": "referred"}),
    ("decision_status=contested", "all", {"decision_status": "contested"}),
    ("quick=to_do", "mine", {"quick": "to_do"}),
    ("quick=grey_zone", "mine", {"quick": "grey_zone"}),
    ("quick=stale", "mine", {"quick": "stale"}),
    ("quick=overrides", "mine", {"quick": "overrides"}),
    ("quick=contests", "mine", {"quick": "contests"}),
    ("sort income asc", "all", {"sort": "income", "descending": False}),
    ("sort age desc", "all", {"sort": "age"}),
    ("sort credit_score asc", "all", {"sort": "credit_score", "descending": False}),
    ("sort payment_incidents desc", "all", {"sort": "payment_incidents"}),
    ("sort data_as_of asc", "all", {"sort": "data_as_of", "descending": False}),
    ("last page (400 of 25)", "all", {"page": 400}),
    ("review + age 26-35", "all", {"recommendation": "review", "age_min": 26, "age_max": 35}),
    (
        "band D + income <= 25,000, by income",
        "all",
        {"risk_band": "D", "income_max": 25_000, "sort": "income"},
    ),
    ("mine, to_do, not_eligible", "mine", {"quick": "to_do", "recommendation": "not_eligible"}),
    ("probability >= 90 % + incidents 0", "all", {"probability_min": 0.9, "incidents_max": 0}),
]


def _viewers(db: Session) -> dict[str, CurrentAdvisor]:
    def first(role: Role) -> CurrentAdvisor:
        advisor = db.execute(sa.select(Advisor).where(Advisor.role == role).order_by(Advisor.id)).scalar()
        assert advisor is not None, f"no {role} in this database: seed it first"
        return CurrentAdvisor.of(advisor)

    return {"all": first(Role.supervisor), "mine": first(Role.advisor)}


def _page(
    db: Session, viewer: CurrentAdvisor, criteria: ClientFilter, today: date
) -> tuple[float, float, int]:
    """(list ms, page ms, total) for one page, as the clients page loads it."""
    started = time.perf_counter()
    rows, total = list_clients(db, viewer, criteria, today)
    listed = time.perf_counter()
    decision_statuses(db, [c.id for c in rows])
    quick_counts(db, viewer, criteria, today)
    done = time.perf_counter()
    db.rollback()
    return (listed - started) * 1000, (done - started) * 1000, total


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _explain(db: Session, viewer: CurrentAdvisor, criteria: ClientFilter, today: date) -> None:
    """Each statement of one page load under EXPLAIN (ANALYZE): main plan nodes, time."""
    statements: list[tuple[str, object]] = []
    engine = db.get_bind()

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        _page(db, viewer, criteria, today)
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    for statement, parameters in statements:
        plan = [
            row[0]
            for row in db.connection().exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        ]
        nodes = [line.strip() for line in plan if "Scan" in line or "Join" in line or "Sort" in line]
        print(f"      {plan[-1].strip()}: {statement.split()[1][:40]} ...")
        for node in nodes[:4]:
            print(f"        {node[:150]}")
    db.rollback()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL URL (postgresql+psycopg://...)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", default="", help="run the cases whose name contains this text")
    args = parser.parse_args()
    engine = sa.create_engine(args.db)
    today = date.today()
    missed = 0
    with Session(engine) as db:
        clients = db.execute(sa.text("SELECT count(*) FROM client")).scalar_one()
        viewers = _viewers(db)
        print(f"{clients:,} clients, {args.runs} runs per case; p50 / p95 in ms")
        heads = ("matches", "list p50", "list p95", "page p50", "page p95")
        print(f"  {'case':<38} " + " ".join(f"{h:>9}" for h in heads))
        for name, who, values in CASES:
            if args.only not in name:
                continue
            criteria = ClientFilter(**values)
            viewer = viewers[who]
            _page(db, viewer, criteria, today)  # warm-up: caches, plans
            runs = [_page(db, viewer, criteria, today) for _ in range(args.runs)]
            lists, pages = [r[0] for r in runs], [r[1] for r in runs]
            total = runs[0][2]
            shown = f">{total - 1:,}" if is_capped(total) else f"{total:,}"
            p95 = _percentile(lists, 0.95)
            missed += p95 > TARGET_MS
            print(
                f"  {name:<38} {shown:>9} {statistics.median(lists):9.1f} {p95:9.1f} "
                f"{statistics.median(pages):9.1f} {_percentile(pages, 0.95):9.1f}"
                + ("  MISSED" if p95 > TARGET_MS else ""),
                flush=True,
            )
            if args.explain:
                _explain(db, viewer, criteria, today)
    print(f"  [{'ok' if not missed else 'MISSED'}] list p95 <= {TARGET_MS:.0f} ms: {missed} case(s) over")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
