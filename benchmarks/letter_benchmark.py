"""Time the decision letter, from stored records to PDF bytes (target: 300 ms).

    .venv/bin/python benchmarks/letter_benchmark.py [--model-dir DIR] [--letters 40] [--out DIR]

Runs the service the API route calls (``services.decision_letter``: the
decision, score and advisor read from the database, the counterfactual
options on the score's model, the audit event, ReportLab typesetting) against
a throw-away SQLite database holding refused clients of varied risk. Prints
p50/p95 milliseconds per letter; ``--out`` also writes one letter per
language there, to look at. The model is the champion of ``--model-dir``
(default: the app's registry); without one, a small model is trained first.
Exit code 1 if the p95 misses the target.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.scratch import scratch_dir  # noqa: E402

TARGET_MS = 300.0


def _model_dir(requested: Path | None, scratch: Path) -> Path:
    from modeling import NoChampionError, load_champion, train
    from neobank_dashboard.settings import get_settings

    registry = requested or get_settings().model_dir
    try:
        load_champion(registry)
    except (NoChampionError, OSError):
        registry = scratch / "models"
        train(registry, rows=5000, candidates=["logit", "xgboost"], folds=3)
    return registry


def _refused_decisions(n: int) -> tuple[object, list[int]]:
    """n refusals by one advisor, on clients of varied (mostly high) risk."""
    from neobank_dashboard.db import Channel, session_scope
    from neobank_dashboard.db.engine import migrate
    from neobank_dashboard.services import scoring
    from neobank_dashboard.services.auth import CurrentAdvisor, create_advisor
    from neobank_dashboard.services.decisions import record_decision

    migrate()
    rng = np.random.default_rng(0)
    with session_scope() as session:
        advisor = CurrentAdvisor.of(
            create_advisor(session, email="bench@bank.example", full_name="Bench", password="x" * 16)
        )
        ids = []
        for _ in range(n):
            age = int(rng.integers(20, 70))
            values = {
                "age": age,
                "income": float(rng.integers(8, 60) * 1000),
                "seniority": float(min(rng.integers(0, 15), age - 14)),
                "payment_incidents": int(rng.integers(0, 6)),
                "credit_score": int(rng.integers(350, 720)),
            }
            score = scoring.submit_client(
                session, values, actor=advisor.actor, channel=Channel.ui, purpose=None, advisor_id=advisor.id
            )
            client = session.get(scoring.Client, score.client_id)
            decision = record_decision(
                session, advisor, client, "refused", "Capacité de remboursement insuffisante."
            )
            ids.append(decision.id)
    return advisor, ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--letters", type=int, default=40)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    with scratch_dir("letter-bench-") as workdir:  # the database and any model trained
        os.environ["REFLEX_DB_URL"] = f"sqlite:///{workdir / 'bench.db'}"
        os.environ["NEOBANK_MODEL_DIR"] = str(_model_dir(args.model_dir, workdir))
        try:
            return _run(args)
        finally:
            from neobank_dashboard.db import get_engine

            get_engine().dispose()


def _run(args: argparse.Namespace) -> int:
    from neobank_dashboard.db import session_scope
    from neobank_dashboard.services import scoring
    from neobank_dashboard.services.decision_letter import decision_letter
    from neobank_dashboard.settings import get_settings

    get_settings.cache_clear()
    status = scoring.load_model()
    if not status.model_loaded:
        print(f"no model: {status.problem}")
        return 1
    advisor, ids = _refused_decisions(args.letters)
    with session_scope() as session:  # warm-up: fonts registered, model pages touched
        decision_letter(session, advisor, ids[0], "fr")
    timings = []
    for i, decision_id in enumerate(ids):
        lang = ("fr", "en")[i % 2]
        with session_scope() as session:
            start = time.perf_counter()
            pdf = decision_letter(session, advisor, decision_id, lang)
            timings.append((time.perf_counter() - start) * 1000)
        if args.out and i < 2:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"letter-{lang}.pdf").write_bytes(pdf)
    p50, p95 = np.percentile(timings, [50, 95])
    print(f"decision letter ({len(timings)} letters, model {status.model_name})")
    print(
        f"  p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(timings):.1f} ms (target p95 <= {TARGET_MS:.0f} ms)"
    )
    return 0 if p95 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
