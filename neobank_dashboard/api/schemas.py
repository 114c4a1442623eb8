"""Request and response models of the API. Tables never leak to responses.

Two audiences: ``XPublic`` models are for staff (advisors, supervisors) and
carry the full explanation; ``XPartner`` models are for partner applications:
probability rounded to two decimals, the top reasons without their points, no
contribution vector, threshold or internal identifiers.

The five feature fields are generated from the feature spec (names, types,
ranges, descriptions): nothing here restates a range. The service validates
the values with ``modeling.features.validate_features``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    WithJsonSchema,
    create_model,
)

from modeling.features import FEATURES
from neobank_dashboard.db.models import Recommendation
from neobank_dashboard.services.recommendation import NoteCode, RiskBand
from neobank_dashboard.services.scoring import Purpose
from neobank_dashboard.services.scoring.shaping import PARTNER_TOP_REASONS

REQUEST_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,80}$"

EXAMPLE_FEATURES = {
    "age": 41,
    "income": 38500.0,
    "seniority": 6.5,
    "payment_incidents": 0,
    "credit_score": 712,
}
EXAMPLE_CLIENT_ID = "0b6f1c2e-8d1a-4a43-9a55-3f1f8f2d9c10"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _feature_type(feature) -> Any:
    schema = {
        "type": "integer" if feature.kind is int else "number",
        "minimum": feature.minimum,
        "maximum": feature.maximum,
        "description": f"{feature.description_en} Unit: {feature.unit_en}.",
        "title": feature.label_en,
    }
    # Strict JSON numbers (no "35" strings, no booleans); ranges, integrality,
    # NaN/infinity and seniority <= age - 14 are checked by validate_features.
    return Annotated[StrictInt | StrictFloat, WithJsonSchema(schema)]


def _as_of_model() -> type[BaseModel]:
    fields: dict[str, Any] = {
        f.name: (date | None, Field(None, description=f"When {f.label_en.lower()} was observed"))
        for f in FEATURES
    }
    return create_model("AsOfDates", __base__=Strict, **fields)


AsOfDates = _as_of_model()


def _score_request_model() -> type[BaseModel]:
    fields: dict[str, Any] = {f.name: (_feature_type(f), ...) for f in FEATURES}
    fields["as_of"] = (
        AsOfDates | None,
        Field(
            None,
            description="Observation date of each feature (default: today). Data older than "
            "six months on a critical feature turns the recommendation into review.",
        ),
    )
    fields["purpose"] = (Purpose, Field(description="Why the score is requested (GDPR purpose)"))
    fields["request_id"] = (
        str | None,
        Field(
            None,
            pattern=REQUEST_ID_PATTERN,
            description="Idempotency key: a repeated id returns the first answer, stores nothing",
        ),
    )
    model = create_model(
        "ScoreRequest",
        __base__=Strict,
        **fields,
        __doc__="Five features of one client, the purpose and an optional idempotency key.",
    )
    model.model_config["json_schema_extra"] = {
        "examples": [
            {
                **EXAMPLE_FEATURES,
                "as_of": {"income": "2026-09-30"},
                "purpose": "credit_application",
                "request_id": "loan-2026-000123",
            }
        ]
    }
    model.model_rebuild(force=True)
    return model


ScoreRequest = _score_request_model()


def feature_values(request: BaseModel) -> dict[str, Any]:
    return {f.name: getattr(request, f.name) for f in FEATURES}


def as_of_dates(request: BaseModel) -> dict[str, date]:
    as_of = getattr(request, "as_of", None)
    if as_of is None:
        return {}
    return {name: value for name, value in as_of.model_dump().items() if value is not None}


class BatchScoreRequest(Strict):
    """Up to 1,000 clients. Each item has the shape of a single ``ScoreRequest`` and is
    validated on its own: a bad item gets its errors, the others are scored."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {**EXAMPLE_FEATURES, "purpose": "credit_application", "request_id": "batch-1-0"},
                        {**EXAMPLE_FEATURES, "age": 17, "purpose": "credit_application"},
                    ]
                }
            ]
        },
    )

    items: Annotated[
        list[Any],
        WithJsonSchema(
            {
                "type": "array",
                "maxItems": 1000,
                "items": {"$ref": "#/components/schemas/ScoreRequest"},
                "description": "ScoreRequest objects; at most 1,000 (413 above)",
            }
        ),
    ]


# ------------------------------------------------------------------ responses


class ReasonPublic(Strict):
    code: str = Field(description="Stable reason code")
    feature: str
    direction: Literal["raises", "lowers"] = Field(description="Effect on the risk of default")
    points: float = Field(description="Contribution in probability points (0-1 scale)")
    actionable: bool = Field(description="Can the client change this feature?")
    text_fr: str
    text_en: str


class ReasonPartner(Strict):
    code: str
    feature: str
    direction: Literal["raises", "lowers"]
    actionable: bool
    text_fr: str
    text_en: str


class Note(Strict):
    code: NoteCode
    text_fr: str
    text_en: str
    features: list[str] = Field(default_factory=list)


class FeatureFreshness(Strict):
    as_of: date
    age_days: int
    stale: bool = Field(description="Older than six months")
    critical: bool = Field(description="Stale critical data forces a review")


class Contribution(Strict):
    feature: str
    value: int | float = Field(description="The feature's value, in its unit")
    log_odds: float = Field(description="Contribution in calibrated log-odds")
    points: float = Field(description="Contribution in probability points (0-1 scale)")


class GreyZone(Strict):
    low: float
    high: float


class ScorePublic(Strict):
    """A score with its full explanation (staff). ``base_value + sum(log_odds) ==
    logit(probability)`` and ``base_probability + sum(points) == probability``."""

    audience: Literal["staff"] = "staff"
    score_id: int
    client_id: uuid.UUID
    probability: float = Field(ge=0, le=1, description="Calibrated probability of default")
    recommendation: Recommendation
    risk_band: RiskBand
    threshold: float
    grey_zone: GreyZone
    notes: list[Note] = Field(description="Why the recommendation is what it is")
    reasons: list[ReasonPublic] = Field(description="Every reason, largest effect first")
    base_value: float = Field(description="Log-odds of the reference client")
    base_probability: float
    contributions: list[Contribution]
    freshness: dict[str, FeatureFreshness]
    model_version: str = Field(description="SHA-256 of the model artefact")
    scored_at: datetime
    channel: str
    purpose: str | None = None
    request_id: str | None = None
    superseded: bool = False


class ScorePartner(Strict):
    """A score for a partner application: minimised."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "audience": "partner",
                    "client_id": EXAMPLE_CLIENT_ID,
                    "probability": 0.03,
                    "recommendation": "eligible",
                    "risk_band": "A",
                    "notes": [
                        {
                            "code": "below_threshold",
                            "features": [],
                            "text_fr": "Probabilité de défaut sous le seuil d'acceptation, hors zone grise.",
                            "text_en": "Probability of default below the acceptance threshold, "
                            "outside the grey zone.",
                        }
                    ],
                    "reasons": [
                        {
                            "code": "INCIDENTS_NONE",
                            "feature": "payment_incidents",
                            "direction": "lowers",
                            "actionable": True,
                            "text_fr": "Incidents de paiement : aucun. Un historique de paiement "
                            "sans incident diminue le risque estimé.",
                            "text_en": "Payment incidents: none. A clean payment record lowers "
                            "the estimated risk.",
                        }
                    ],
                    "freshness": {
                        "income": {"as_of": "2026-09-30", "age_days": 56, "stale": False, "critical": True}
                    },
                    "model_version": "4d8f59b1551a1a87242d33e06d084d77b4a1fef7df08738e81da4b2983c3c47a",
                    "scored_at": "2026-11-25T10:15:00Z",
                    "request_id": "loan-2026-000123",
                }
            ]
        },
    )

    audience: Literal["partner"] = "partner"
    client_id: uuid.UUID
    probability: float = Field(ge=0, le=1, description="Probability of default, 2 decimals")
    recommendation: Recommendation
    risk_band: RiskBand
    notes: list[Note]
    reasons: list[ReasonPartner] = Field(description=f"The top {PARTNER_TOP_REASONS} reasons")
    freshness: dict[str, FeatureFreshness]
    model_version: str
    scored_at: datetime
    request_id: str | None = None


ScoreOut = Annotated[ScorePublic | ScorePartner, Field(discriminator="audience")]


class BatchItemResult(Strict):
    index: int = Field(description="Position of the item in the request")
    status: Literal["scored", "error"]
    score: ScoreOut | None = None
    errors: list[dict[str, str]] | None = Field(
        None, description="[{field, reason}] when the item was rejected"
    )


class BatchScoreResponse(Strict):
    scored: int
    rejected: int
    results: list[BatchItemResult]


class ScoringState(Strict):
    mode: Literal["auto", "manual"]
    available: bool
    model_version: str | None = None
    message: str | None = None


class FeatureInfo(Strict):
    name: str
    label_fr: str
    label_en: str
    unit_en: str
    kind: Literal["integer", "number"]
    minimum: float
    maximum: float
    critical: bool
    actionable: bool


class ModelInfo(Strict):
    name: str
    version: str
    trained_at: datetime
    threshold: float
    grey_zone: GreyZone
    metrics: dict[str, Any]
    features: list[FeatureInfo]
    model_card: str = Field(description="Markdown")
    scoring: ScoringState


class TokenResponse(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.…",
                    "token_type": "bearer",
                    "expires_in": 900,
                    "scope": "clients:read score:write",
                }
            ]
        },
    )

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds")
    scope: str = Field(description="Granted scopes, space-separated")


class Health(Strict):
    status: Literal["ok", "degraded"]
    database: bool
    model_loaded: bool
    model_version: str | None = Field(
        None, description="the model's SHA-256: for an authenticated caller only"
    )
    scoring_mode: Literal["auto", "manual"]
    worker: str = Field(description="opaque id of the worker process that answered (load-balancing checks)")
