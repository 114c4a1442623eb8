"""The one scoring service: the dashboard and the API call these functions, so they
can never disagree on a number.

- The champion model is loaded once per process (:func:`load_model`, from the
  Reflex lifespan task or the standalone API's lifespan) after its artefact
  hash is verified. Without a valid model, or with ``SCORING_MODE=manual``
  (the kill switch), every scoring call raises :class:`ScoringUnavailableError`:
  never a default score.
- :func:`score_features` scores five features with no persistence (the
  dashboard's what-if); :func:`score_client`, :func:`submit_client` and
  :func:`submit_clients` persist a :class:`Score` (feature snapshot with as-of
  dates, model version, probability, recommendation, threshold, contributions,
  reasons, freshness, channel, actor), supersede the client's previous score,
  update ``Client.latest_*`` and audit, in the caller's transaction.
- One code path for one row and for many: the model, the explanations and the
  recommendation rules run vectorised over arrays (:func:`score_arrays`);
  :func:`rescore_all` scores a whole portfolio in batches.

These functions are synchronous and CPU-bound: async callers run them in a
thread (``asyncio.to_thread``), never on the event loop.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from modeling import (
    FEATURE_NAMES,
    FEATURES,
    FEATURES_BY_NAME,
    ArtefactIntegrityError,
    NoChampionError,
    Reason,
    ScoringModel,
    load_champion,
    validate_features,
)

# Not ``from modeling import reasons``: once the ``modeling.reasons`` submodule is
# imported, that name on the package is the module, not the function.
from modeling.reasons import reasons as ranked_reasons
from neobank_dashboard.db.engine import get_engine
from neobank_dashboard.db.models import Channel, Client, ClientStatus, Recommendation, Score
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit
from neobank_dashboard.services.clients import batch_scorable
from neobank_dashboard.services.freshness import stale_before
from neobank_dashboard.services.recommendation import (
    RecommendationNote,
    RiskBand,
    notes,
    recommendations,
    risk_bands,
)
from neobank_dashboard.settings import get_settings

logger = logging.getLogger(__name__)

CRITICAL = np.array([feature.critical for feature in FEATURES])
AS_OF_COLUMNS = tuple(f"{name}_as_of" for name in FEATURE_NAMES)
RESCORE_BATCH_SIZE = 5_000


class Purpose(StrEnum):
    """Why a score is computed (GDPR purpose limitation): declared on every API call."""

    credit_application = "credit_application"
    credit_limit_review = "credit_limit_review"
    portfolio_review = "portfolio_review"
    advisor_review = "advisor_review"


class ScoringUnavailableError(RuntimeError):
    """No automatic score can be given now: the advisor assesses manually."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class FeatureValidationError(ValueError):
    """The inputs break the feature spec; ``problems`` lists ``(field, reason)``."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{field} {reason}" for field, reason in problems))
        self.problems = problems


class ClientNotScorableError(RuntimeError):
    """The client's data may not be processed for scoring (objection, restriction)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


MANUAL_MODE_MESSAGE = "manual assessment required: automatic scoring is switched off (kill switch)"
NO_MODEL_MESSAGE = "manual assessment required: no valid scoring model is loaded"


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class ScoringStatus:
    """What the dashboard and ``/health`` show about automatic scoring."""

    mode: str
    model_loaded: bool
    model_version: str | None
    model_name: str | None
    problem: str | None

    @property
    def available(self) -> bool:
        return self.mode == "auto" and self.model_loaded

    @property
    def message(self) -> str | None:
        """Why scoring is unavailable, for people; None when it is available."""
        if self.mode != "auto":
            return MANUAL_MODE_MESSAGE
        if not self.model_loaded:
            return NO_MODEL_MESSAGE
        return None


class ScoringService:
    """The champion model of this process, loaded once and verified."""

    def __init__(self) -> None:
        self._model: ScoringModel | None = None
        self._problem: str | None = "not loaded yet"
        self._lock = threading.Lock()

    def load(self, registry_dir: Path | None = None) -> ScoringModel | None:
        """Load and verify the champion; on failure keep no model and remember why.

        The reason is logged with its details (paths included) but only a
        generic problem code is ever shown to callers.
        """
        registry_dir = Path(registry_dir or get_settings().model_dir)
        try:
            model = load_champion(registry_dir)
        except NoChampionError as error:
            self._set(None, "no_champion")
            logger.warning("scoring disabled: %s", error)
        except ArtefactIntegrityError as error:
            self._set(None, "integrity_check_failed")
            logger.error("scoring disabled, model artefact refused: %s", error)
        except Exception:  # any unreadable artefact means no model
            self._set(None, "unreadable_artefact")
            logger.exception("scoring disabled, model artefact unreadable")
        else:
            configure_for_serving(model)
            self._set(model, None)
            logger.info("scoring model %s (%s) loaded", model.version[:12], model.name)
        return self._model

    def _set(self, model: ScoringModel | None, problem: str | None) -> None:
        with self._lock:
            self._model, self._problem = model, problem

    def use(self, model: ScoringModel | None) -> None:
        """Serve ``model`` (tests, or a model loaded elsewhere); None unloads."""
        self._set(model, None if model is not None else "unloaded")

    @property
    def loaded_model(self) -> ScoringModel | None:
        return self._model

    def status(self) -> ScoringStatus:
        model, mode = self._model, get_settings().scoring_mode
        return ScoringStatus(
            mode=mode,
            model_loaded=model is not None,
            model_version=model.version if model else None,
            model_name=model.name if model else None,
            problem=self._problem,
        )

    def model(self) -> ScoringModel:
        """The model to score with now, or :class:`ScoringUnavailableError`."""
        if get_settings().scoring_mode != "auto":
            raise ScoringUnavailableError("manual_mode", MANUAL_MODE_MESSAGE)
        model = self._model
        if model is None:
            raise ScoringUnavailableError("no_model", NO_MODEL_MESSAGE)
        return model


def configure_for_serving(model: ScoringModel) -> ScoringModel:
    """One CPU thread per model call in a web process.

    A request scores one row: a second OpenMP thread brings nothing there, and
    on a busy machine (several workers, other processes) a parallel region
    waits for its descheduled thread, turning a 0.5 ms prediction into tens of
    milliseconds. Parallelism comes from the workers instead.
    """
    booster = getattr(model.explainer, "booster", None)
    if booster is not None and hasattr(booster, "set_param"):
        booster.set_param({"nthread": 1})
    return model


_service = ScoringService()


def get_service() -> ScoringService:
    return _service


def load_model(registry_dir: Path | None = None) -> ScoringStatus:
    """Load the champion into this process (start-up); never raises, see the status."""
    _service.load(registry_dir)
    return _service.status()


def scoring_status() -> ScoringStatus:
    """Is automatic scoring available? The dashboard shows the same state as the API."""
    return _service.status()


def current_model() -> ScoringModel:
    """The loaded model, or :class:`ScoringUnavailableError` (manual mode, no model)."""
    return _service.model()


# --------------------------------------------------------------------- results


@dataclass(frozen=True)
class Freshness:
    """When one feature was observed and whether that is too old."""

    as_of: date
    age_days: int
    stale: bool
    critical: bool


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
            grey_zone=_grey_zone(self.model),
            base_value=float(self.base_value),
            base_probability=float(self.base_probability),
            contributions_log_odds=dict(zip(FEATURE_NAMES, self.contributions_log_odds[i].tolist())),
            contributions_points=dict(zip(FEATURE_NAMES, self.contributions_points[i].tolist())),
            reasons=tuple(self.reasons[i]),
            notes=tuple(notes(probability, self.model.threshold, self.model.grey_zone, stale_critical)),
            freshness=_freshness(self.as_of[i], self.age_days[i], self.stale[i]),
            features=_typed(self.values[i]),
            model_version=self.model.version,
            model_name=self.model.name,
            scored_at=self.scored_at,
        )

    def storage_rows(
        self,
        client_ids: Sequence[uuid.UUID],
        *,
        actor: str,
        channel: str,
        purposes: Sequence[str | None],
        request_ids: Sequence[str | None],
    ) -> list[dict]:
        """Score table rows for every scored row, built from the arrays (the batch
        path; the same content as :func:`_score_row` gives for one result)."""
        names, n_features = FEATURE_NAMES, len(FEATURE_NAMES)
        integer = [f.kind is int for f in FEATURES]
        critical = [bool(f.critical) for f in FEATURES]
        values = self.values.tolist()
        as_of = np.datetime_as_string(self.as_of, unit="D").tolist()
        age_days, stale = self.age_days.tolist(), self.stale.tolist()
        log_odds, points = self.contributions_log_odds.tolist(), self.contributions_points.tolist()
        probability = self.probability.tolist()
        recommendation, risk_band = self.recommendation.tolist(), self.risk_band.tolist()
        threshold, grey_zone = float(self.model.threshold), list(_grey_zone(self.model))
        base_value, base_probability = float(self.base_value), float(self.base_probability)
        version, channel = self.model.version, str(channel)
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
                    "reasons": [_reason_json(reason) for reason in self.reasons[i]],
                    "freshness": {
                        names[j]: {
                            "as_of": row_as_of[j],
                            "age_days": age_days[i][j],
                            "stale": stale[i][j],
                            "critical": critical[j],
                        }
                        for j in range(n_features)
                    },
                    "channel": channel,
                    "actor": actor,
                    "purpose": purposes[i],
                    "request_id": request_ids[i],
                    "superseded": False,
                    "created_at": self.scored_at,
                }
            )
        return rows

    def latest_rows(self, client_ids: Sequence[uuid.UUID]) -> list[dict]:
        """``Client.latest_*`` values per client, for a bulk update by primary key."""
        probability = self.probability.tolist()
        recommendation, risk_band = self.recommendation.tolist(), self.risk_band.tolist()
        return [
            {
                "id": client_id,
                "latest_probability": probability[i],
                "latest_recommendation": recommendation[i],
                "latest_risk_band": risk_band[i],
                "latest_scored_at": self.scored_at,
            }
            for i, client_id in enumerate(client_ids)
        ]


def _grey_zone(model: ScoringModel) -> tuple[float, float]:
    return float(model.grey_zone[0]), float(model.grey_zone[1])


def _typed(row: np.ndarray) -> dict[str, int | float]:
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


# ---------------------------------------------------------------- validation


def _as_of_problems(as_of: Mapping[str, object] | None, today: date) -> list[tuple[str, str]]:
    problems = []
    for name, value in (as_of or {}).items():
        field = f"as_of.{name}"
        if name not in FEATURES_BY_NAME:
            problems.append((field, "is not a known feature"))
        elif isinstance(value, datetime) or not isinstance(value, date):
            problems.append((field, "must be a date (YYYY-MM-DD)"))
        elif value > today:
            problems.append((field, "must not be in the future"))
    return problems


def check_inputs(
    values: Mapping[str, object], as_of: Mapping[str, object] | None, today: date
) -> list[tuple[str, str]]:
    """Every problem with one client's inputs, as ``(field, reason)`` (empty: valid).
    Feature rules come from the feature spec (``validate_features``)."""
    return validate_features(values) + _as_of_problems(as_of, today)


def _row(values: Mapping[str, object], as_of: Mapping[str, date] | None, today: date):
    as_of = as_of or {}
    return (
        [float(values[name]) for name in FEATURE_NAMES],
        [as_of.get(name, today) for name in FEATURE_NAMES],
    )


def score_features(
    values: Mapping[str, object],
    as_of: Mapping[str, date] | None = None,
    *,
    today: date | None = None,
    model: ScoringModel | None = None,
) -> ScoreResult:
    """Score one client's five features, with its explanation; nothing is stored.

    ``as_of``: observation date per feature (missing ones: today). Raises
    :class:`ScoringUnavailableError` (manual mode or no model) and
    :class:`FeatureValidationError` (field, reason) for invalid inputs.
    """
    model = model or current_model()
    today = today or date.today()
    problems = check_inputs(values, as_of, today)
    if problems:
        raise FeatureValidationError(problems)
    row, dates = _row(values, as_of, today)
    return score_arrays(model, np.array([row]), np.array([dates], dtype="datetime64[D]"), today).result(0)


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
        row, row_dates = _row(values, as_of, today)
        rows.append(row)
        dates.append(row_dates)
        positions.append(i)
    if rows:
        scored = score_arrays(model, np.array(rows), np.array(dates, dtype="datetime64[D]"), today)
        for k, i in enumerate(positions):
            out[i] = scored.result(k)
    return out  # type: ignore[return-value]


# --------------------------------------------------------------- persistence


def _snapshot(result: ScoreResult) -> dict:
    return {
        "values": result.features,
        "as_of": {name: f.as_of.isoformat() for name, f in result.freshness.items()},
    }


def _contributions(result: ScoreResult) -> dict:
    return {
        "log_odds": result.contributions_log_odds,
        "points": result.contributions_points,
        "base_probability": result.base_probability,
        "grey_zone": list(result.grey_zone),
    }


def _freshness_json(result: ScoreResult) -> dict:
    return {
        name: {"as_of": f.as_of.isoformat(), "age_days": f.age_days, "stale": f.stale, "critical": f.critical}
        for name, f in result.freshness.items()
    }


def _reason_json(reason: Reason) -> dict:
    return {
        "code": reason.code,
        "feature": reason.feature,
        "direction": reason.direction,
        "points": reason.points,
        "actionable": reason.actionable,
        "text_fr": reason.text_fr,
        "text_en": reason.text_en,
    }


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


def _score_row(
    result: ScoreResult,
    client_id: uuid.UUID,
    *,
    actor: str,
    channel: str,
    purpose: str | None,
    request_id: str | None,
) -> dict:
    return {
        "client_id": client_id,
        "model_version": result.model_version,
        "features": _snapshot(result),
        "probability": result.probability,
        "recommendation": result.recommendation.value,
        "risk_band": result.risk_band.value,
        "threshold": result.threshold,
        "base_value": result.base_value,
        "contributions": _contributions(result),
        "reasons": [_reason_json(r) for r in result.reasons],
        "freshness": _freshness_json(result),
        "channel": str(channel),
        "actor": actor,
        "purpose": purpose,
        "request_id": request_id,
        "superseded": False,
        "created_at": result.scored_at,
    }


def _latest_columns(result: ScoreResult) -> dict:
    return {
        "latest_probability": result.probability,
        "latest_recommendation": result.recommendation.value,
        "latest_risk_band": result.risk_band.value,
        "latest_scored_at": result.scored_at,
    }


def find_score(session: Session, actor: str, request_id: str) -> Score | None:
    """The score an actor already obtained with this request id (idempotency)."""
    return session.exec(select(Score).where(Score.actor == actor, Score.request_id == request_id)).first()


def latest_score(session: Session, client_id: uuid.UUID) -> Score | None:
    """The client's current (non-superseded) score."""
    return session.exec(
        select(Score)
        .where(Score.client_id == client_id, Score.superseded == sa.false())
        .order_by(Score.created_at.desc(), Score.id.desc())
        .limit(1)
    ).first()


def _check_purpose(purpose: str | None) -> str | None:
    if purpose is None:
        return None
    try:
        return Purpose(purpose).value
    except ValueError:
        raise FeatureValidationError([("purpose", f"must be one of {[p.value for p in Purpose]}")]) from None


def _check_scorable(client: Client) -> None:
    if client.status != ClientStatus.active:
        raise ClientNotScorableError("restricted", "the client's data is restricted: no scoring")
    if client.objection:
        raise ClientNotScorableError(
            "objection", "the client objected to automated scoring: manual assessment required"
        )


def client_inputs(client: Client) -> tuple[dict[str, int | float], dict[str, date]]:
    """A client's five stored features and their as-of dates."""
    return (
        {name: getattr(client, name) for name in FEATURE_NAMES},
        {name: getattr(client, f"{name}_as_of") for name in FEATURE_NAMES},
    )


def _audit_score(session: Session, score: Score, *, actor: str, request_id: str | None) -> None:
    audit.record(
        session,
        actor=actor,
        action="score",
        object_type="client",
        object_id=str(score.client_id),
        request_id=request_id,
        details={
            "score_id": score.id,
            "model_version": score.model_version,
            "channel": score.channel,
            "purpose": score.purpose,
        },
    )


def _idempotent(session: Session, actor: str, request_id: str | None, write: Callable[[], Score]) -> Score:
    """Run ``write`` for a request id the caller found unused; a concurrent duplicate
    that wins the unique constraint meanwhile gets its answer returned instead."""
    if request_id is None:
        return write()
    try:
        with session.begin_nested():
            return write()
    except IntegrityError:
        existing = find_score(session, actor, request_id)
        if existing is None:
            raise
        return existing


_DIALECT_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _insert_score(session: Session, row: dict, *, unless_replayed: bool = False) -> Score | None:
    """Insert one score row (Core: no ORM unit of work on the hot path) and audit it.

    ``unless_replayed``: insert nothing and return None when this actor already has a
    score with this request id (committed, or committed meanwhile by a concurrent
    duplicate, which the unique constraint makes this statement wait for).
    """
    table = Score.__table__
    statement = sa.insert(table)
    if unless_replayed and row["request_id"] is not None:
        statement = _DIALECT_INSERT[session.get_bind().dialect.name](table).on_conflict_do_nothing(
            index_elements=["actor", "request_id"]
        )
    score_id = session.execute(statement.returning(table.c.id), row).scalar()
    if score_id is None:
        return None
    score = Score(id=score_id, **row)
    make_transient_to_detached(score)  # the row exists: the object joins the session as is
    session.add(score)
    _audit_score(session, score, actor=row["actor"], request_id=row["request_id"])
    return score


def save_score(
    session: Session,
    client: Client,
    result: ScoreResult,
    *,
    actor: str,
    channel: str,
    purpose: str | None = None,
    request_id: str | None = None,
) -> Score:
    """Persist ``result`` as the current score of an existing client: update
    ``Client.latest_*`` (which locks the client row, so concurrent rescorings
    serialise), supersede the previous score, insert, audit. Not committed."""
    latest = _latest_columns(result)
    session.execute(sa.update(Client.__table__).where(Client.__table__.c.id == client.id).values(**latest))
    for column, value in latest.items():  # keep the caller's object in step, not dirty
        set_committed_value(client, column, value)
    session.execute(
        sa.update(Score.__table__)
        .where(Score.__table__.c.client_id == client.id, Score.__table__.c.superseded == sa.false())
        .values(superseded=True)
    )
    return _insert_score(
        session,
        _score_row(result, client.id, actor=actor, channel=channel, purpose=purpose, request_id=request_id),
    )


def score_client(
    session: Session,
    client: Client,
    *,
    actor: str,
    channel: Channel | str,
    purpose: str | None = None,
    request_id: str | None = None,
    today: date | None = None,
    model: ScoringModel | None = None,
) -> Score:
    """Score an existing client from its stored features and persist the score.

    A repeated ``request_id`` from the same actor returns the first score and
    stores nothing. Raises :class:`ScoringUnavailableError`,
    :class:`ClientNotScorableError` (objection, restriction).
    """
    _check_scorable(client)
    purpose = _check_purpose(purpose)
    if request_id is not None and (existing := find_score(session, actor, request_id)):
        return existing
    values, as_of = client_inputs(client)
    result = score_features(values, as_of, today=today, model=model)
    return _idempotent(
        session,
        actor,
        request_id,
        lambda: save_score(
            session, client, result, actor=actor, channel=channel, purpose=purpose, request_id=request_id
        ),
    )


def _client_row(
    result: ScoreResult,
    client_id: uuid.UUID,
    *,
    advisor_id: int | None,
    submitted_by: str | None,
    now: datetime,
) -> dict:
    """A new client's table row from its score (features, as-of dates, latest score)."""
    as_of = {f"{name}_as_of": f.as_of for name, f in result.freshness.items()}
    return {
        "id": client_id,
        **result.features,
        **as_of,
        "oldest_as_of": min(as_of.values()),
        "advisor_id": advisor_id,
        "submitted_by": submitted_by,
        "status": ClientStatus.active.value,
        "objection": False,
        "created_at": now,
        "updated_at": now,
        **_latest_columns(result),
    }


def submit_client(
    session: Session,
    values: Mapping[str, object],
    as_of: Mapping[str, date] | None = None,
    *,
    actor: str,
    channel: Channel | str,
    purpose: str | None,
    request_id: str | None = None,
    advisor_id: int | None = None,
    submitted_by: str | None = None,
    today: date | None = None,
    model: ScoringModel | None = None,
) -> Score:
    """Register a new pseudonymous client from five features and score it.

    Invalid inputs raise :class:`FeatureValidationError` before anything is
    written. A repeated ``request_id`` from the same actor returns the first
    score and stores nothing.
    """
    purpose = _check_purpose(purpose)
    result = score_features(values, as_of, today=today, model=model)
    # No look-up first: the score insert itself detects a replay (the partner API's hot
    # path, where a replay is rare), and the client row it would have scored is removed.
    client_id = uuid.uuid4()
    session.execute(
        sa.insert(Client.__table__),
        _client_row(result, client_id, advisor_id=advisor_id, submitted_by=submitted_by, now=utcnow()),
    )
    score = _insert_score(
        session,
        _score_row(result, client_id, actor=actor, channel=channel, purpose=purpose, request_id=request_id),
        unless_replayed=True,
    )
    if score is None:
        session.execute(sa.delete(Client.__table__).where(Client.__table__.c.id == client_id))
        score = find_score(session, actor, request_id)
    return score


@dataclass(frozen=True)
class BatchItem:
    values: Mapping[str, object]
    as_of: Mapping[str, date] | None = None
    purpose: str | None = None
    request_id: str | None = None


def submit_clients(
    session: Session,
    items: Sequence[BatchItem],
    *,
    actor: str,
    channel: Channel | str,
    advisor_id: int | None = None,
    submitted_by: str | None = None,
    today: date | None = None,
    model: ScoringModel | None = None,
    batch_request_id: str | None = None,
) -> list[Score | FeatureValidationError]:
    """Register and score many new clients at once (the batch API).

    Per item: its :class:`Score` (a replayed ``request_id`` gives the first
    score) or its :class:`FeatureValidationError`; one bad item never fails the
    others. Scoring is one vectorised call; the writes are bulk statements and
    one audit event for the batch, in the caller's transaction.
    """
    model = model or current_model()
    today = today or date.today()
    out: list[Score | FeatureValidationError | None] = [None] * len(items)
    ids = [item.request_id for item in items if item.request_id is not None]
    known = {}
    if ids:
        known = {
            s.request_id: s
            for s in session.exec(select(Score).where(Score.actor == actor, Score.request_id.in_(ids)))
        }
    pending, seen = [], set()
    for i, item in enumerate(items):
        if item.request_id is not None:
            if item.request_id in known:
                out[i] = known[item.request_id]
                continue
            if item.request_id in seen:
                out[i] = FeatureValidationError([("request_id", "is repeated within this batch")])
                continue
            seen.add(item.request_id)
        pending.append(i)
    rows, dates, valid = [], [], []
    for i in pending:
        problems = check_inputs(items[i].values, items[i].as_of, today)
        if not problems and items[i].purpose is not None:
            try:
                _check_purpose(items[i].purpose)
            except FeatureValidationError as error:
                problems = error.problems
        if problems:
            out[i] = FeatureValidationError(problems)
            continue
        row, row_dates = _row(items[i].values, items[i].as_of, today)
        rows.append(row)
        dates.append(row_dates)
        valid.append(i)
    if valid:
        arrays = score_arrays(model, np.array(rows), np.array(dates, dtype="datetime64[D]"), today)
        client_ids = [uuid.uuid4() for _ in valid]
        as_of_dates = arrays.as_of.tolist()
        now = utcnow()
        client_rows = [
            {
                "id": client_id,
                **_typed(arrays.values[k]),
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
            for k, (client_id, latest) in enumerate(zip(client_ids, arrays.latest_rows(client_ids)))
        ]
        score_rows = arrays.storage_rows(
            client_ids,
            actor=actor,
            channel=channel,
            purposes=[items[i].purpose for i in valid],
            request_ids=[items[i].request_id for i in valid],
        )
        session.execute(sa.insert(Client.__table__), client_rows)
        table = Score.__table__
        score_ids = (
            session.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), score_rows)
            .scalars()
            .all()
        )
        for i, row, score_id in zip(valid, score_rows, score_ids):
            out[i] = Score(id=score_id, **row)
        audit.record(
            session,
            actor=actor,
            action="score_batch",
            object_type="score",
            request_id=batch_request_id,
            details={
                "scored": len(score_rows),
                "model_version": model.version,
                "channel": str(channel),
                "first_score_id": score_ids[0],
                "last_score_id": score_ids[-1],
            },
        )
    return out  # type: ignore[return-value]


# ------------------------------------------------------------ whole portfolio


def rescore_all(
    session: Session,
    model: ScoringModel,
    batch_size: int = RESCORE_BATCH_SIZE,
    *,
    only_unscored: bool = False,
    actor: str = "system",
    today: date | None = None,
    on_progress: Callable[[int], None] | None = None,
    resume_since: datetime | None = None,
) -> int:
    """Score every batch-scorable client (active, no objection) with ``model``,
    ``batch_size`` at a time, in client-id order. ``only_unscored`` skips clients
    that have a score; ``resume_since`` skips clients scored at or after that
    instant (finishing an interrupted run of the same model that started then).

    Each batch is one transaction: a vectorised model call, then bulk writes
    (see :func:`_write_batch`) and one audit event, committed; an error rolls
    back the batch in progress only, so the data always holds whole batches.
    The next batch is scored in a worker thread while this one is written, so
    the model and the database work at the same time. ``on_progress`` gets the
    number of clients scored so far after each commit. Returns that number.
    """
    today = today or date.today()
    conditions = _rescore_conditions(only_unscored, resume_since)
    score = functools.partial(_score_batch, model, today=today, actor=actor)
    scored = 0
    try:
        for batch in compute_ahead(score, _scorable_batches(session, batch_size, conditions)):
            scored += _write_batch(session, batch, conditions, actor=actor, supersede=not only_unscored)
            session.commit()
            if on_progress:
                on_progress(scored)
    except BaseException:
        session.rollback()
        raise
    record_batch_skips(session, actor=actor)
    session.commit()
    return scored


def count_to_rescore(
    session: Session, *, only_unscored: bool = False, resume_since: datetime | None = None
) -> int:
    """How many clients :func:`rescore_all` would score now (for a progress total)."""
    conditions = _rescore_conditions(only_unscored, resume_since)
    return session.execute(sa.select(sa.func.count()).select_from(Client).where(*conditions)).scalar_one()


def can_resume(session: Session, model: ScoringModel, since: datetime) -> bool:
    """Whether a rescoring that started at ``since`` can be finished with ``model``:
    no score made since then comes from another model."""
    return (
        session.execute(
            sa.select(Score.id)
            .where(Score.created_at >= since, Score.model_version != model.version)
            .limit(1)
        ).first()
        is None
    )


def record_batch_skips(session: Session, *, actor: str, request_id: str | None = None) -> int:
    """Log how many active clients a batch rescoring leaves out because they objected."""
    skipped = session.exec(
        select(sa.func.count())
        .select_from(Client)
        .where(Client.status == ClientStatus.active, ~batch_scorable())
    ).one()
    audit.record(
        session,
        actor=actor,
        action="batch_scoring_skipped",
        object_type="client",
        outcome="skipped",
        request_id=request_id,
        details={"count": skipped, "reason": "objection"},
    )
    return skipped


def _rescore_conditions(only_unscored: bool, resume_since: datetime | None) -> list:
    """The SQL conditions on Client for the clients a rescoring scores."""
    conditions = [batch_scorable()]
    if only_unscored:
        conditions.append(Client.latest_scored_at.is_(None))
    if resume_since is not None:  # the client's own column: no join on the score history
        conditions.append(sa.or_(Client.latest_scored_at.is_(None), Client.latest_scored_at < resume_since))
    return conditions


@dataclass(frozen=True)
class _ClientBatch:
    """Clients read for scoring: ids in ascending order, values (n, 5), as-of dates (n, 5)."""

    client_ids: list[uuid.UUID]
    values: np.ndarray
    as_of: np.ndarray


@dataclass(frozen=True)
class _ScoredBatch:
    """A batch's Score table rows, ready to write, in client-id order."""

    rows: list[dict]
    scored_at: datetime
    model_version: str


def _scorable_batches(session: Session, batch_size: int, conditions: list):
    """The clients matching ``conditions`` as :class:`_ClientBatch`, in id order
    (keyset pagination: each read starts after the last id of the previous one)."""
    columns = [
        Client.id,
        *(getattr(Client, n) for n in FEATURE_NAMES),
        *(getattr(Client, c) for c in AS_OF_COLUMNS),
    ]
    n_features, last_id = len(FEATURE_NAMES), None
    while True:
        query = sa.select(*columns).where(*conditions).order_by(Client.id).limit(batch_size)
        if last_id is not None:
            query = query.where(Client.id > last_id)
        rows = session.execute(query).all()
        if not rows:
            return
        last_id = rows[-1][0]
        yield _ClientBatch(
            [row[0] for row in rows],
            np.array([row[1 : 1 + n_features] for row in rows], dtype=np.float64),
            np.array([row[1 + n_features :] for row in rows], dtype="datetime64[D]"),
        )


def _score_batch(model: ScoringModel, batch: _ClientBatch, *, today: date, actor: str) -> _ScoredBatch:
    """Score one batch and build its Score rows (pure computation: no database)."""
    arrays = score_arrays(model, batch.values, batch.as_of, today)
    n = len(batch.client_ids)
    rows = arrays.storage_rows(
        batch.client_ids,
        actor=actor,
        channel=Channel.batch,
        purposes=[Purpose.portfolio_review.value] * n,
        request_ids=[None] * n,
    )
    return _ScoredBatch(rows, arrays.scored_at, model.version)


def _write_batch(
    session: Session, batch: _ScoredBatch, conditions: list, *, actor: str, supersede: bool
) -> int:
    """Write one scored batch in the caller's transaction; returns the clients scored.

    The batch's clients are locked first (as :func:`save_score` does for one
    client) and checked again: one who objected, was restricted or was scored
    since the batch was read is left alone. Then, in bulk: the new scores are
    inserted, the clients' previous scores superseded, ``Client.latest_*``
    copied from the new rows, and one audit event recorded for the batch.
    Statements select the batch by its id range and time stamp, never by a
    list of thousands of ids.
    """
    clients, scores = Client.__table__, Score.__table__
    new = scores.alias("new_score")  # this batch's rows
    first, last = batch.rows[0]["client_id"], batch.rows[-1]["client_id"]
    locked = set(
        session.execute(
            sa.select(clients.c.id).where(clients.c.id.between(first, last), *conditions).with_for_update()
        ).scalars()
    )
    rows = [row for row in batch.rows if row["client_id"] in locked]
    if not rows:
        return 0
    bulk_insert(session, scores, rows)
    in_batch = (
        new.c.created_at == batch.scored_at,
        new.c.client_id.between(first, last),
        new.c.superseded == sa.false(),
    )
    if supersede:  # clients without a score have nothing to supersede
        session.execute(  # the id range keeps the plan on the client_id index
            sa.update(scores)
            .where(
                scores.c.client_id.between(first, last),
                scores.c.superseded == sa.false(),
                scores.c.created_at != batch.scored_at,
                scores.c.client_id.in_(sa.select(new.c.client_id).where(*in_batch)),
            )
            .values(superseded=True)
        )
    session.execute(
        sa.update(clients)
        .where(clients.c.id == new.c.client_id, *in_batch)
        .values(
            latest_probability=new.c.probability,
            latest_recommendation=new.c.recommendation,
            latest_risk_band=new.c.risk_band,
            latest_scored_at=new.c.created_at,
        )
    )
    audit.record(
        session,
        actor=actor,
        action="score_batch",
        object_type="score",
        details={"scored": len(rows), "model_version": batch.model_version, "channel": Channel.batch.value},
    )
    return len(rows)


def compute_ahead(function: Callable, items: Iterable) -> Iterator:
    """``function(item)`` for each item, in order, computed one item ahead in a
    worker thread: while the caller writes one result to the database (waiting
    on I/O, without the GIL), the next one is computed. ``items`` is consumed
    in the caller's thread, so it may read from the caller's session;
    ``function`` must not touch the session."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="compute-ahead") as worker:
        pending = None
        for item in items:
            upcoming = worker.submit(function, item)
            if pending is not None:
                yield pending.result()
            pending = upcoming
        if pending is not None:
            yield pending.result()


def bulk_insert(session: Session, table: sa.Table, rows: Sequence[Mapping]) -> None:
    """Insert ``rows`` (dicts with the same keys, in ``table``'s Python types)
    in the session's transaction, with no ORM objects and no RETURNING.

    PostgreSQL gets one ``COPY ... FROM STDIN`` (JSON columns serialised here,
    as SQLAlchemy's JSON type would); other databases (SQLite) one executemany.
    """
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(sa.insert(table), rows)
        return
    names = list(rows[0])
    plain = [name for name in names if not isinstance(table.c[name].type, sa.JSON)]
    documents = [name for name in names if name not in plain]
    quote = session.get_bind().dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(map(quote, plain + documents))}) FROM STDIN"
    dumps = json.dumps
    with session.connection().connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([*(row[name] for name in plain), *(dumps(row[name]) for name in documents)])


_catch_up_lock = threading.Lock()
_CATCH_UP_PG_LOCK = 0x4E454F + 1


def score_unscored_clients(batch_size: int = 1_000) -> int:
    """Score, with the loaded model, every scorable client that has no score yet.

    Run at start-up (off the event loop). One runner at a time: a lock in this
    process, and on PostgreSQL an advisory lock across workers. Returns the
    number of clients scored (0 when another runner holds the lock).
    """
    model = current_model()
    if not _catch_up_lock.acquire(blocking=False):
        return 0
    try:
        with Session(get_engine(), expire_on_commit=False) as session:
            postgres = session.get_bind().dialect.name == "postgresql"
            if (
                postgres
                and not session.execute(
                    sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": _CATCH_UP_PG_LOCK}
                ).scalar()
            ):
                return 0
            try:
                return rescore_all(session, model, batch_size, only_unscored=True)
            finally:
                if postgres:
                    session.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _CATCH_UP_PG_LOCK})
                    session.commit()
    finally:
        _catch_up_lock.release()
