"""Scores as values: one client's :class:`ScoreResult`, n clients'
:class:`ScoredArrays`, computed vectorised by :func:`score_arrays` (one model
call, array rules), so one row and a portfolio take the same code path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from modeling import FEATURE_NAMES, FEATURES, Reason, ScoringModel

# Not ``from modeling import reasons``: once the ``modeling.reasons`` submodule is
# imported, that name on the package is the module, not the function.
from modeling.reasons import reasons as ranked_reasons
from neobank_dashboard.db.models import Recommendation
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.freshness import stale_before
from neobank_dashboard.services.recommendation import (
    RecommendationNote,
    RiskBand,
    notes,
    recommendations,
    risk_bands,
)
from neobank_dashboard.services.scoring.model import current_model
from neobank_dashboard.services.scoring.validation import FeatureValidationError, check_inputs, input_row

CRITICAL = np.array([feature.critical for feature in FEATURES])


@dataclass(frozen=True)
class Freshness:
    """When one feature was observed and whether that is too old."""

    as_of: date
    age_days: int
    stale: bool
    critical: bool


REASON_FIELDS = tuple(field.name for field in dataclasses.fields(Reason))
"""What a reason says, in every stored and shown form of a score."""
FRESHNESS_FIELDS = tuple(field.name for field in dataclasses.fields(Freshness))


def reason_fields(reason: Reason, names: Sequence[str] = REASON_FIELDS) -> dict:
    return {name: getattr(reason, name) for name in names}


@dataclass(frozen=True)
class ScoreResult:
    """One score with its explanation, as the dashboard and the API show it.

    ``probability`` and ``base_probability`` are on the 0-1 scale;
    ``base_value`` and ``contributions_log_odds`` are in calibrated log-odds
    (``base_value + sum == logit(probability)``); ``contributions_points`` in
    probability points (``base_probability + sum == probability``).
    """

    probability: float
    recommendation: Recommendation
    risk_band: RiskBand
    threshold: float
    grey_zone: tuple[float, float]
    base_value: float
    base_probability: float
    contributions_log_odds: dict[str, float]
    contributions_points: dict[str, float]
    reasons: tuple[Reason, ...]
    notes: tuple[RecommendationNote, ...]
    freshness: dict[str, Freshness]
    features: dict[str, int | float]
    model_version: str
    model_name: str
    scored_at: datetime

    @property
    def stale_critical(self) -> tuple[str, ...]:
        return tuple(name for name, f in self.freshness.items() if f.stale and f.critical)

    def top_reasons(self, n: int = 3) -> tuple[Reason, ...]:
        return self.reasons[:n]


@dataclass
class ScoredArrays:
    """Vectorised scores of n rows (arrays in ``FEATURE_NAMES`` column order)."""

    values: np.ndarray
    as_of: np.ndarray
    age_days: np.ndarray
    stale: np.ndarray
    probability: np.ndarray
    recommendation: np.ndarray
    risk_band: np.ndarray
    base_value: float
    base_probability: float
    contributions_log_odds: np.ndarray
    contributions_points: np.ndarray
    reasons: list[list[Reason]]
    model: ScoringModel
    scored_at: datetime

    def __len__(self) -> int:
        return len(self.probability)

    def result(self, i: int) -> ScoreResult:
        stale_critical = tuple(FEATURE_NAMES[j] for j in np.flatnonzero(self.stale[i] & CRITICAL))
        probability = float(self.probability[i])
        return ScoreResult(
            probability=probability,
            recommendation=Recommendation(self.recommendation[i]),
            risk_band=RiskBand(self.risk_band[i]),
            threshold=float(self.model.threshold),
            grey_zone=model_grey_zone(self.model),
            base_value=float(self.base_value),
            base_probability=float(self.base_probability),
            contributions_log_odds=dict(zip(FEATURE_NAMES, self.contributions_log_odds[i].tolist())),
            contributions_points=dict(zip(FEATURE_NAMES, self.contributions_points[i].tolist())),
            reasons=tuple(self.reasons[i]),
            notes=tuple(notes(probability, self.model.threshold, self.model.grey_zone, stale_critical)),
            freshness=_freshness(self.as_of[i], self.age_days[i], self.stale[i]),
            features=typed_features(self.values[i]),
            model_version=self.model.version,
            model_name=self.model.name,
            scored_at=self.scored_at,
        )


def model_grey_zone(model: ScoringModel) -> tuple[float, float]:
    return float(model.grey_zone[0]), float(model.grey_zone[1])


def typed_features(row: np.ndarray) -> dict[str, int | float]:
    """Feature values in their spec types (integers stay integers in snapshots)."""
    return {f.name: (int(v) if f.kind is int else float(v)) for f, v in zip(FEATURES, row.tolist())}


def _freshness(as_of: np.ndarray, age_days: np.ndarray, stale: np.ndarray) -> dict[str, Freshness]:
    return {
        f.name: Freshness(as_of[j].astype(date), int(age_days[j]), bool(stale[j]), f.critical)
        for j, f in enumerate(FEATURES)
    }


class _Columns:
    """The minimal frame ``modeling.reasons`` reads (``X[names].to_numpy()``)
    over an array: building a pandas frame would cost more than the model
    on one row."""

    def __init__(self, values: np.ndarray):
        self.values = values

    def __getitem__(self, names) -> _Columns:
        order = [FEATURE_NAMES.index(name) for name in names]
        return _Columns(self.values[:, order])

    def to_numpy(self, dtype=None) -> np.ndarray:
        return self.values if dtype is None else self.values.astype(dtype, copy=False)

    def __len__(self) -> int:
        return len(self.values)


def score_arrays(
    model: ScoringModel,
    values: np.ndarray,
    as_of: np.ndarray,
    today: date,
    *,
    top: int | None = None,
) -> ScoredArrays:
    """Score n already-validated rows: ``values`` (n, 5) floats and ``as_of``
    (n, 5) ``datetime64[D]``, columns in ``FEATURE_NAMES`` order. Vectorised:
    one model call (probabilities and contributions), array rules."""
    values = np.asarray(values, dtype=np.float64).reshape(-1, len(FEATURE_NAMES))
    as_of = np.asarray(as_of, dtype="datetime64[D]").reshape(values.shape)
    explanation = model.explain_array(values)
    if tuple(explanation.feature_names) != FEATURE_NAMES:
        raise RuntimeError(f"model features {explanation.feature_names} are not {FEATURE_NAMES}")
    today64 = np.datetime64(today, "D")
    age_days = (today64 - as_of).astype(np.int64)
    stale = as_of < np.datetime64(stale_before(today), "D")
    probability = explanation.probability
    return ScoredArrays(
        values=values,
        as_of=as_of,
        age_days=age_days,
        stale=stale,
        probability=probability,
        recommendation=recommendations(
            probability, model.threshold, model.grey_zone, (stale & CRITICAL).any(axis=1)
        ),
        risk_band=risk_bands(probability, model.threshold, model.grey_zone),
        base_value=explanation.base_value,
        base_probability=explanation.base_probability,
        contributions_log_odds=explanation.contributions_log_odds,
        contributions_points=explanation.contributions_points,
        reasons=ranked_reasons(explanation, _Columns(values), top=top),
        model=model,
        scored_at=utcnow(),
    )


def score_one(
    values: Mapping[str, object],
    as_of: Mapping[str, date] | None = None,
    *,
    today: date | None = None,
    model: ScoringModel | None = None,
) -> ScoredArrays:
    """One client's inputs, validated and scored: :class:`ScoredArrays` of one row.

    ``as_of``: observation date per feature (missing ones: today). Raises
    :class:`ScoringUnavailableError` (manual mode or no model) and
    :class:`FeatureValidationError` (field, reason) for invalid inputs.
    """
    model = model or current_model()
    today = today or date.today()
    problems = check_inputs(values, as_of, today)
    if problems:
        raise FeatureValidationError(problems)
    row, dates = input_row(values, as_of, today)
    return score_arrays(model, np.array([row]), np.array([dates], dtype="datetime64[D]"), today)


def score_features(
    values: Mapping[str, object],
    as_of: Mapping[str, date] | None = None,
    *,
    today: date | None = None,
    model: ScoringModel | None = None,
) -> ScoreResult:
    """Score one client's five features, with its explanation; nothing is stored
    (the dashboard's what-if). Raises as :func:`score_one`."""
    return score_one(values, as_of, today=today, model=model).result(0)


def score_many(
    items: Sequence[tuple[Mapping[str, object], Mapping[str, date] | None]],
    *,
    today: date | None = None,
    model: ScoringModel | None = None,
) -> list[ScoreResult | FeatureValidationError]:
    """Score many clients in one vectorised call; an invalid item gets its
    :class:`FeatureValidationError` in its place and never fails the others."""
    model = model or current_model()
    today = today or date.today()
    out: list[ScoreResult | FeatureValidationError | None] = [None] * len(items)
    rows, dates, positions = [], [], []
    for i, (values, as_of) in enumerate(items):
        problems = check_inputs(values, as_of, today)
        if problems:
            out[i] = FeatureValidationError(problems)
            continue
        row, row_dates = input_row(values, as_of, today)
        rows.append(row)
        dates.append(row_dates)
        positions.append(i)
    if rows:
        scored = score_arrays(model, np.array(rows), np.array(dates, dtype="datetime64[D]"), today)
        for k, i in enumerate(positions):
            out[i] = scored.result(k)
    return out  # type: ignore[return-value]  # every slot is filled: an error or a result
