"""Request and response models of the client routes: the portfolio list, one client,
and the advisor's decision (the same two audiences as :mod:`api.schemas`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from neobank_dashboard.api.schemas import Strict
from neobank_dashboard.db.models import Outcome, Recommendation
from neobank_dashboard.services.recommendation import RiskBand
from neobank_dashboard.services.worklist import DecisionStatus, QuickFilter


class ClientPublic(Strict):
    audience: Literal["staff"] = "staff"
    id: uuid.UUID
    age: int
    income: float
    seniority: float
    payment_incidents: int
    credit_score: int
    age_as_of: date
    income_as_of: date
    seniority_as_of: date
    payment_incidents_as_of: date
    credit_score_as_of: date
    oldest_as_of: date
    stale: bool = Field(description="Some feature is older than six months")
    advisor_id: int | None = None
    status: str
    latest_probability: float | None = None
    latest_recommendation: Recommendation | None = None
    latest_risk_band: RiskBand | None = None
    latest_scored_at: datetime | None = None
    decision_status: DecisionStatus = DecisionStatus.none
    decision_at: datetime | None = Field(None, description="When the decision was taken or contested")


class ClientPartner(Strict):
    audience: Literal["partner"] = "partner"
    id: uuid.UUID
    created_at: datetime
    latest_probability: float | None = Field(None, description="2 decimals")
    latest_recommendation: Recommendation | None = None
    latest_risk_band: RiskBand | None = None
    latest_scored_at: datetime | None = None


ClientOut = Annotated[ClientPublic | ClientPartner, Field(discriminator="audience")]


class ClientsPage(Strict):
    data: list[ClientOut]
    count: int = Field(
        description="Clients matching the filters, all pages; at most 10,000 (see `count_capped`)"
    )
    count_capped: bool = Field(
        False, description="More clients than `count` match: the count stopped at its cap (refine the filter)"
    )
    quick_counts: dict[QuickFilter, int] | None = Field(
        None,
        description="Staff only: the clients each quick filter keeps under the other filters (capped)",
    )


class DecisionCreate(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "outcome": "approved",
                    "justification": "Stable income confirmed by the last three payslips.",
                }
            ]
        },
    )

    outcome: Outcome
    justification: str | None = Field(
        None,
        max_length=2000,
        description="Required on a refusal, against the recommendation, and for any client in review",
    )


class DecisionPublic(Strict):
    id: int
    client_id: uuid.UUID
    score_id: int
    advisor_id: int
    outcome: Outcome
    overrides_recommendation: bool
    needs_review: bool
    justification: str | None = None
    supersedes_id: int | None = Field(None, description="The decision a review's resolution replaced")
    created_at: datetime
