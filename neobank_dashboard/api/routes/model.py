"""GET /api/v1/model: the champion model, its metrics and its model card."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter

from modeling.features import FEATURES
from neobank_dashboard.api.deps import CurrentCaller
from neobank_dashboard.api.errors import responses
from neobank_dashboard.api.schemas import FeatureInfo, GreyZone, ModelInfo, ScoringState
from neobank_dashboard.services.scoring import (
    NO_MODEL_MESSAGE,
    ScoringUnavailableError,
    get_service,
)

router = APIRouter(tags=["model"])


def _finite(value: Any) -> Any:
    """Metrics as strict JSON: NaN and infinities become null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def scoring_state() -> ScoringState:
    status = get_service().status()
    return ScoringState(
        mode=status.mode,
        available=status.available,
        model_version=status.model_version,
        message=status.message,
    )


@router.get(
    "/model",
    response_model=ModelInfo,
    responses=responses(401, 429, 503),
    summary="The scoring model",
    description="Version (artefact SHA-256), metrics, threshold, grey zone, features and "
    "model card of the model this process serves. Any valid token.",
)
def model_info(caller: CurrentCaller) -> ModelInfo:
    model = get_service().loaded_model
    if model is None:
        raise ScoringUnavailableError("no_model", NO_MODEL_MESSAGE)
    return ModelInfo(
        name=model.name,
        version=model.version,
        trained_at=model.trained_at,
        threshold=model.threshold,
        grey_zone=GreyZone(low=model.grey_zone[0], high=model.grey_zone[1]),
        metrics=_finite(model.metrics),
        features=[
            FeatureInfo(
                name=f.name,
                label_fr=f.label_fr,
                label_en=f.label_en,
                unit_en=f.unit_en,
                kind="integer" if f.kind is int else "number",
                minimum=f.minimum,
                maximum=f.maximum,
                critical=f.critical,
                actionable=f.actionable,
            )
            for f in FEATURES
        ],
        model_card=model.model_card,
        scoring=scoring_state(),
    )
