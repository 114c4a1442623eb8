"""What would make a client eligible (``GET /clients/{id}/counterfactuals``).

The options of the client's current score, from
:mod:`neobank_dashboard.services.counterfactuals`: the same computation the
client page and the decision letter show. Partners get the probability
rounded like in their score view.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Literal

from fastapi import APIRouter
from pydantic import ConfigDict, Field

from modeling.counterfactuals import MAX_CHANGED, MAX_OPTIONS
from modeling.features import FEATURE_NAMES, FEATURES, display_number
from neobank_dashboard.api.deps import Caller, ReadingCaller
from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.errors import ApiError, responses
from neobank_dashboard.api.routes.clients import NO_SCORE, NOT_FOUND
from neobank_dashboard.api.schemas import Strict
from neobank_dashboard.db import Recommendation, session_scope
from neobank_dashboard.services import audit, scoring
from neobank_dashboard.services.clients import get_client
from neobank_dashboard.services.counterfactuals import TARGET, options_for_client
from neobank_dashboard.services.scoring.shaping import partner_probability

router = APIRouter(tags=["clients"])
STEPS = ", ".join(
    f"{f.label_en.lower()} by {display_number(f.change_step)} {f.unit_en}" for f in FEATURES if f.actionable
)


class ChangeOut(Strict):
    model_config = ConfigDict(populate_by_name=True)

    feature: Literal[FEATURE_NAMES]  # type: ignore[valid-type]  # Literal of a tuple, read at run time
    from_: float = Field(alias="from", description="the client's value, in the feature's unit")
    to: float = Field(description="the value that, with the option's other change, makes the client eligible")


class OptionOut(Strict):
    changes: list[ChangeOut] = Field(min_length=1, max_length=MAX_CHANGED)
    probability: float = Field(ge=0, le=1, description="probability of default with the changes applied")
    recommendation: Recommendation


class CounterfactualsOut(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "target": "eligible",
                    "options": [
                        {
                            "changes": [{"feature": "credit_score", "from": 612, "to": 672}],
                            "probability": 0.071,
                            "recommendation": "eligible",
                        },
                        {
                            "changes": [
                                {"feature": "income", "from": 24000, "to": 27500},
                                {"feature": "credit_score", "from": 612, "to": 642},
                            ],
                            "probability": 0.078,
                            "recommendation": "eligible",
                        },
                    ],
                }
            ]
        }
    )

    target: Literal[TARGET.value]  # type: ignore[name-defined]  # mypy cannot read a Literal built from TARGET
    options: list[OptionOut] = Field(max_length=MAX_OPTIONS)


def _options(caller: Caller, client_id: uuid.UUID) -> CounterfactualsOut | ApiError:
    with session_scope() as session:
        found = get_client(session, caller.viewer, str(client_id))
        options = options_for_client(session, found) if found is not None else None
        audit.record(
            session,
            actor=caller.actor,
            action="client_view",
            object_type="client",
            object_id=str(client_id),
            outcome="success" if options is not None else "not_found",
            request_id=caller.request_id,
            details={"view": "counterfactuals"},
        )
    if options is None:
        return (
            ApiError(ErrorCode.not_found, NOT_FOUND)
            if found is None
            else ApiError(ErrorCode.no_score, NO_SCORE)
        )
    # Partners get probabilities as the scoring API gives them: rounded (one rule).
    shown = (lambda p: p) if caller.is_advisor else partner_probability
    return CounterfactualsOut(
        target=TARGET.value,
        options=[
            OptionOut(
                changes=[ChangeOut(feature=c.feature, from_=c.before, to=c.to) for c in option.changes],
                probability=shown(option.probability),
                recommendation=option.recommendation,
            )
            for option in options
        ],
    )


@router.get(
    "/clients/{client_id}/counterfactuals",
    response_model=CounterfactualsOut,
    response_model_by_alias=True,
    responses=responses(401, 403, 404, 409, 422, 429, 503),
    summary="What would make the client eligible",
    description=(
        f"Up to {MAX_OPTIONS} options for the client's current score, smallest change first: "
        f"each changes at most {MAX_CHANGED} actionable features (never age), in plausible "
        f"directions and steps ({STEPS}), computed on the scoring model itself. An "
        "eligible client gets `options: []`. Needs `clients:read`; 404 when the client "
        "is not visible or has no score yet; 409 when the client objected to automated scoring."
    ),
)
async def client_counterfactuals(client_id: uuid.UUID, caller: ReadingCaller) -> CounterfactualsOut:
    scoring.current_model()  # the kill switch applies to every use of the model
    result = await asyncio.to_thread(_options, caller, client_id)
    if isinstance(result, ApiError):
        raise result
    return result
