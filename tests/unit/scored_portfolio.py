"""A scored synthetic portfolio written in bulk, for monitoring tests and benchmarks.

Scores carry the real model's probabilities, bands and recommendations (the
service's own rules), with a chosen creation time; outcomes are drawn from
a chosen default probability per score.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import numpy as np
from sqlmodel import Session

from modeling.explain import feature_matrix
from modeling.features import FEATURE_NAMES
from modeling.synthetic import generate_portfolio
from neobank_dashboard.db import Client, OutcomeSource, RepaymentOutcome, Score
from neobank_dashboard.db.bulk import bulk_insert
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.recommendation import recommendations, risk_bands


def write_portfolio(
    db: Session, model, n: int, *, seed: int, scored_at: datetime, drift: dict | None = None
) -> tuple[list[int], np.ndarray]:
    """``n`` clients and their scores made at ``scored_at``; ``drift`` maps a
    feature to a function applied to its values first. Returns the score ids
    and their probabilities (n,)."""
    frame = generate_portfolio(n, seed=seed, as_of=scored_at.date())
    for name, change in (drift or {}).items():
        frame[name] = change(frame[name])
    X = feature_matrix(frame)
    probability = model.predict_proba_array(X)
    recommendation = recommendations(probability, model.threshold, model.grey_zone)
    band = risk_bands(probability, model.threshold, model.grey_zone)
    ids = [uuid.UUID(text) for text in frame["client_id"]]
    now = utcnow()
    clients = []
    for i, client_id in enumerate(ids):
        values = {name: frame[name].iloc[i].item() for name in FEATURE_NAMES}
        as_of = {f"{name}_as_of": frame[f"{name}_as_of"].iloc[i] for name in FEATURE_NAMES}
        clients.append(
            {"id": client_id, **values, **as_of, "oldest_as_of": min(as_of.values())}
            | {"status": "active", "objection": False, "created_at": now, "updated_at": now}
        )
    bulk_insert(db, Client.__table__, clients)
    scores = [
        {
            "client_id": client_id,
            "model_version": model.version,
            "features": {"values": {name: clients[i][name] for name in FEATURE_NAMES}, "as_of": {}},
            "probability": float(probability[i]),
            "recommendation": recommendation[i],
            "risk_band": band[i],
            "threshold": model.threshold,
            "base_value": 0.0,
            "contributions": {},
            "reasons": [],
            "freshness": {},
            "channel": "batch",
            "actor": "test",
            "superseded": False,
            "created_at": scored_at,
        }
        for i, client_id in enumerate(ids)
    ]
    bulk_insert(db, Score.__table__, scores)
    db.commit()
    table = Score.__table__
    order = {row.client_id: row.id for row in db.execute(table.select().where(table.c.client_id.in_(ids)))}
    score_ids = [order[client_id] for client_id in ids]
    return score_ids, probability


def write_outcomes(db: Session, score_ids: list[int], default_probability: np.ndarray, *, seed: int) -> None:
    """One outcome per score, defaulted with the given probability (n,)."""
    table = Score.__table__
    clients = dict(db.execute(table.select().with_only_columns(table.c.id, table.c.client_id)).all())
    defaulted = np.random.default_rng(seed).random(len(score_ids)) < default_probability
    now = utcnow()
    bulk_insert(
        db,
        RepaymentOutcome.__table__,
        [
            {
                "client_id": clients[score_id],
                "score_id": score_id,
                "defaulted": bool(flag),
                "observed_on": now.date(),
                "source": OutcomeSource.demo.value,
                "recorded_by": "test",
                "created_at": now,
            }
            for score_id, flag in zip(score_ids, defaulted)
        ],
    )
    db.commit()
