"""A score as each audience sees it, as plain data: staff (the full explanation),
partner applications (minimised: a rounded probability, the top reasons, no
contribution vector) and the dashboard page. The API's response models and
the page's state are built from these, so the field sets live here only.
"""

from __future__ import annotations

from neobank_dashboard.db.models import Score
from neobank_dashboard.services.recommendation import RecommendationNote
from neobank_dashboard.services.scoring.record import result_of
from neobank_dashboard.services.scoring.results import (
    FRESHNESS_FIELDS,
    REASON_FIELDS,
    ScoreResult,
    reason_fields,
)

PARTNER_DECIMALS = 2
PARTNER_TOP_REASONS = 3
PARTNER_REASON_FIELDS = tuple(name for name in REASON_FIELDS if name != "points")
"""A partner learns what moved the score, not by how much (no model inversion)."""


def partner_probability(probability: float) -> float:
    return round(probability, PARTNER_DECIMALS)


def _note(note: RecommendationNote) -> dict:
    return {
        "code": note.code,
        "text_fr": note.text_fr,
        "text_en": note.text_en,
        "features": list(note.features),
    }


def _freshness(result: ScoreResult) -> dict[str, dict]:
    return {
        name: {field: getattr(f, field) for field in FRESHNESS_FIELDS} for name, f in result.freshness.items()
    }


def staff_view(score: Score) -> dict:
    """Everything about a stored score: reasons with their points, the contribution
    of every feature in log-odds and probability points, the request's context."""
    result = result_of(score)
    return {
        "score_id": score.id,
        "client_id": score.client_id,
        "probability": result.probability,
        "recommendation": result.recommendation,
        "risk_band": result.risk_band,
        "threshold": result.threshold,
        "grey_zone": {"low": result.grey_zone[0], "high": result.grey_zone[1]},
        "notes": [_note(n) for n in result.notes],
        "reasons": [reason_fields(r) for r in result.reasons],
        "base_value": result.base_value,
        "base_probability": result.base_probability,
        "contributions": [
            {
                "feature": name,
                "value": result.features[name],
                "log_odds": result.contributions_log_odds[name],
                "points": result.contributions_points[name],
            }
            for name in result.contributions_log_odds
        ],
        "freshness": _freshness(result),
        "model_version": result.model_version,
        "scored_at": result.scored_at,
        "channel": score.channel,
        "purpose": score.purpose,
        "request_id": score.request_id,
        "superseded": score.superseded,
    }


def partner_view(score: Score) -> dict:
    """A stored score for a partner application: minimised."""
    result = result_of(score)
    return {
        "client_id": score.client_id,
        "probability": partner_probability(result.probability),
        "recommendation": result.recommendation,
        "risk_band": result.risk_band,
        "notes": [_note(n) for n in result.notes],
        "reasons": [reason_fields(r, PARTNER_REASON_FIELDS) for r in result.top_reasons(PARTNER_TOP_REASONS)],
        "freshness": _freshness(result),
        "model_version": result.model_version,
        "scored_at": result.scored_at,
        "request_id": score.request_id,
    }


def _texts_by_language(fields: dict) -> dict:
    """``text_fr``/``text_en`` keyed ``fr``/``en``: the page picks ``item[lang]``."""
    fields["fr"], fields["en"] = fields.pop("text_fr"), fields.pop("text_en")
    return fields


def ui_view(result: ScoreResult) -> dict:
    """A score (stored, or a what-if) as the dashboard's client page shows it."""
    return {
        "probability": result.probability,
        "recommendation": result.recommendation.value,
        "risk_band": result.risk_band.value,
        "threshold": result.threshold,
        "grey_zone": list(result.grey_zone),
        "base_probability": result.base_probability,
        "points": dict(result.contributions_points),
        "reasons": [_texts_by_language(reason_fields(r)) for r in result.reasons],
        "notes": [_texts_by_language(_note(n)) for n in result.notes],
        "freshness": _freshness(result),
        "model_version": result.model_version,
        "scored_at": result.scored_at,
    }
