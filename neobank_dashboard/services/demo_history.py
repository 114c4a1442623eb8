"""A few months of monitoring history for the demo (development mode only).

The demo portfolio is scored today, so the monitoring history would start
this month. For each of the :data:`DEMO_MONTHS` months before, a synthetic
population of applicants of that month (the generator's slow drift at work)
is scored with the champion and given outcomes drawn from the generator's
true default probabilities, in a scratch SQLite database; the month's row is
the real report over it (:func:`~neobank_dashboard.services.monitoring.build_report`),
stored with source ``demo``. The application's database gets the month rows
only: no client, score or outcome.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session

from modeling.explain import feature_matrix
from modeling.features import FEATURE_NAMES
from modeling.scoring import ScoringModel
from modeling.synthetic import generate_portfolio, true_log_odds
from neobank_dashboard.db import get_engine, migrate
from neobank_dashboard.db.bulk import bulk_insert
from neobank_dashboard.db.models import Client, Score, table_of
from neobank_dashboard.db.monitoring_models import OutcomeSource, RepaymentOutcome
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.monitoring import build_report
from neobank_dashboard.services.monitoring_history import (
    DEMO_SOURCE,
    first_of_month,
    month_bounds,
    months_stored,
    previous_month,
    store_month,
)
from neobank_dashboard.services.outcomes import DEMO_ACTOR
from neobank_dashboard.services.recommendation import recommendations, risk_bands

DEMO_MONTHS = 5
DEMO_MONTH_APPLICANTS = 2_000


def _write_month(scratch: Session, model: ScoringModel, month: date, n: int, seed: int, today: date) -> None:
    """``n`` applicants scored mid-``month``, each with an outcome observed ``today``."""
    scored_at = month_bounds(month)[0] + timedelta(days=14, hours=10)
    frame = generate_portfolio(n, seed=seed, as_of=scored_at.date())
    probability = model.predict_proba_array(feature_matrix(frame))
    recommendation = recommendations(probability, model.threshold, model.grey_zone)
    band = risk_bands(probability, model.threshold, model.grey_zone)
    frame["application_date"] = scored_at.date()
    defaulted = np.random.default_rng(seed).random(n) < 1 / (1 + np.exp(-true_log_odds(frame, today)))
    now = utcnow()
    ids = [uuid.UUID(text) for text in frame["client_id"]]
    values = [{name: frame[name].iloc[i].item() for name in FEATURE_NAMES} for i in range(n)]
    as_of = [{f"{name}_as_of": frame[f"{name}_as_of"].iloc[i] for name in FEATURE_NAMES} for i in range(n)]
    bulk_insert(
        scratch,
        table_of(Client),
        [
            {"id": ids[i], **values[i], **as_of[i], "oldest_as_of": min(as_of[i].values())}
            | {"status": "active", "objection": False, "created_at": now, "updated_at": now}
            for i in range(n)
        ],
    )
    bulk_insert(
        scratch,
        table_of(Score),
        [
            {
                "client_id": ids[i],
                "model_version": model.version,
                "features": {"values": values[i], "as_of": {}},
                "probability": float(probability[i]),
                "recommendation": recommendation[i],
                "risk_band": band[i],
                "threshold": model.threshold,
                "base_value": 0.0,
                "contributions": {},
                "reasons": [],
                "freshness": {},
                "channel": "batch",
                "actor": DEMO_ACTOR,
                "superseded": False,
                "created_at": scored_at,
            }
            for i in range(n)
        ],
    )
    score = table_of(Score)
    score_of = dict(scratch.execute(sa.select(score.c.client_id, score.c.id)).all())
    bulk_insert(
        scratch,
        table_of(RepaymentOutcome),
        [
            {
                "client_id": ids[i],
                "score_id": score_of[ids[i]],
                "defaulted": bool(defaulted[i]),
                "observed_on": today,
                "source": OutcomeSource.demo.value,
                "recorded_by": DEMO_ACTOR,
                "created_at": now,
            }
            for i in range(n)
        ],
    )


@contextmanager
def scratch_database() -> Iterator[Session]:
    """A migrated SQLite database in a temporary folder, deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="neobank-demo-history-") as folder:
        url = f"sqlite:///{Path(folder) / 'history.db'}"
        migrate(url)
        try:
            with Session(get_engine(url)) as scratch:
                yield scratch
        finally:
            get_engine(url).dispose()


def seed_demo_history(
    session: Session,
    model: ScoringModel,
    model_dir: Path,
    *,
    months: int = DEMO_MONTHS,
    applicants: int = DEMO_MONTH_APPLICANTS,
    seed: int = 2026,
    today: date | None = None,
) -> list[date]:
    """Rows for the ``months`` months before this one that have none; returns them.
    One scratch database holds every month (each report reads its own month's scores).
    Not committed."""
    today = today or utcnow().date()
    present, month, missing = months_stored(session), first_of_month(today), []
    for _ in range(months):
        month = previous_month(month)
        if month not in present:
            missing.append(month)
    if not missing:
        return []
    with scratch_database() as scratch:
        for offset, month in enumerate(sorted(missing)):
            _write_month(scratch, model, month, applicants, seed + 1 + offset, today)
            scratch.commit()
            since, until = month_bounds(month)
            report = build_report(
                scratch, since, until, champion_version=model.version, model_dir=model_dir, champion=model
            )
            store_month(session, month, report, source=DEMO_SOURCE)
    return sorted(missing)
