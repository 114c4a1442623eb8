"""The stored form of a score: a ``Score`` table row (with its client's
``latest_*`` copy) written from :class:`ScoredArrays`, and read back as a
:class:`ScoreResult`.

One writer for one client and for a portfolio: the single path stores a
:class:`ScoredArrays` of one row, so both store the same content by
construction. It builds plain dicts from lists for speed (a rescoring writes
thousands of rows per batch).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from operator import attrgetter

import numpy as np

from modeling import FEATURE_NAMES, FEATURES, Reason
from neobank_dashboard.db.models import ClientStatus, Recommendation, Score
from neobank_dashboard.services.recommendation import RiskBand, notes
from neobank_dashboard.services.scoring.results import (
    FRESHNESS_FIELDS,
    REASON_FIELDS,
    Freshness,
    ScoredArrays,
    ScoreResult,
    model_grey_zone,
    typed_features,
)

_reason_values = attrgetter(*REASON_FIELDS)  # results.reason_fields, at a portfolio's scale


def score_rows(
    arrays: ScoredArrays,
    client_ids: Sequence[uuid.UUID],
    *,
    actor: str,
    channel: str,
    purposes: Sequence[str | None],
    request_ids: Sequence[str | None],
) -> list[dict]:
    """The Score table row of every scored row of ``arrays``, for ``client_ids``."""
    names, n_features = FEATURE_NAMES, len(FEATURE_NAMES)
    integer = [f.kind is int for f in FEATURES]
    critical = [bool(f.critical) for f in FEATURES]
    values = arrays.values.tolist()
    as_of = np.datetime_as_string(arrays.as_of, unit="D").tolist()
    age_days, stale = arrays.age_days.tolist(), arrays.stale.tolist()
    log_odds, points = arrays.contributions_log_odds.tolist(), arrays.contributions_points.tolist()
    probability = arrays.probability.tolist()
    recommendation, risk_band = arrays.recommendation.tolist(), arrays.risk_band.tolist()
    threshold, grey_zone = float(arrays.model.threshold), list(model_grey_zone(arrays.model))
    base_value, base_probability = float(arrays.base_value), float(arrays.base_probability)
    version, channel = arrays.model.version, str(channel)
    rows = []
    for i, client_id in enumerate(client_ids):
        row_values, row_as_of = values[i], as_of[i]
        rows.append(
            {
                "client_id": client_id,
                "model_version": version,
                "features": {
                    "values": {
                        names[j]: int(row_values[j]) if integer[j] else row_values[j]
                        for j in range(n_features)
                    },
                    "as_of": dict(zip(names, row_as_of)),
                },
                "probability": probability[i],
                "recommendation": recommendation[i],
                "risk_band": risk_band[i],
                "threshold": threshold,
                "base_value": base_value,
                "contributions": {
                    "log_odds": dict(zip(names, log_odds[i])),
                    "points": dict(zip(names, points[i])),
                    "base_probability": base_probability,
                    "grey_zone": grey_zone,
                },
                "reasons": [dict(zip(REASON_FIELDS, _reason_values(r))) for r in arrays.reasons[i]],
                "freshness": {
                    names[j]: dict(
                        zip(FRESHNESS_FIELDS, (row_as_of[j], age_days[i][j], stale[i][j], critical[j]))
                    )
                    for j in range(n_features)
                },
                "channel": channel,
                "actor": actor,
                "purpose": purposes[i],
                "request_id": request_ids[i],
                "superseded": False,
                "created_at": arrays.scored_at,
            }
        )
    return rows


def latest_rows(arrays: ScoredArrays, client_ids: Sequence[uuid.UUID]) -> list[dict]:
    """``Client.latest_*`` values per client (with its ``id``): the current score's copy."""
    probability = arrays.probability.tolist()
    recommendation, risk_band = arrays.recommendation.tolist(), arrays.risk_band.tolist()
    return [
        {
            "id": client_id,
            "latest_probability": probability[i],
            "latest_recommendation": recommendation[i],
            "latest_risk_band": risk_band[i],
            "latest_scored_at": arrays.scored_at,
        }
        for i, client_id in enumerate(client_ids)
    ]


def new_client_rows(
    arrays: ScoredArrays,
    client_ids: Sequence[uuid.UUID],
    *,
    advisor_id: int | None,
    submitted_by: str | None,
    now: datetime,
) -> list[dict]:
    """New clients' table rows from their scores (features, as-of dates, latest score)."""
    as_of_dates = arrays.as_of.tolist()
    return [
        {
            **typed_features(arrays.values[k]),
            **{f"{name}_as_of": as_of_dates[k][j] for j, name in enumerate(FEATURE_NAMES)},
            "oldest_as_of": min(as_of_dates[k]),
            "advisor_id": advisor_id,
            "submitted_by": submitted_by,
            "status": ClientStatus.active.value,
            "objection": False,
            "created_at": now,
            "updated_at": now,
            **latest,
        }
        for k, latest in enumerate(latest_rows(arrays, client_ids))
    ]


def result_of(score: Score) -> ScoreResult:
    """A stored score as a :class:`ScoreResult` (same numbers as when it was made)."""
    contributions = score.contributions
    freshness = {
        name: Freshness(
            date.fromisoformat(f["as_of"]), int(f["age_days"]), bool(f["stale"]), bool(f["critical"])
        )
        for name, f in score.freshness.items()
    }
    grey_zone = tuple(contributions["grey_zone"])
    stale_critical = tuple(n for n, f in freshness.items() if f.stale and f.critical)
    return ScoreResult(
        probability=score.probability,
        recommendation=Recommendation(score.recommendation),
        risk_band=RiskBand(score.risk_band),
        threshold=score.threshold,
        grey_zone=grey_zone,
        base_value=score.base_value,
        base_probability=contributions["base_probability"],
        contributions_log_odds=dict(contributions["log_odds"]),
        contributions_points=dict(contributions["points"]),
        reasons=tuple(Reason(**r) for r in score.reasons),
        notes=tuple(notes(score.probability, score.threshold, grey_zone, stale_critical)),
        freshness=freshness,
        features=dict(score.features["values"]),
        model_version=score.model_version,
        model_name="",
        scored_at=score.created_at,
    )
