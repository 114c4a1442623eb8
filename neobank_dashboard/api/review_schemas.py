"""Request and response models of the review queue, contests and oversight figures."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from modeling.features import FEATURES
from neobank_dashboard.api.schemas import Strict
from neobank_dashboard.db.models import Outcome, Recommendation, ReviewKind, ReviewOutcome, ReviewStatus
from neobank_dashboard.services.contests import MAX_STATEMENT_LENGTH
from neobank_dashboard.services.decisions import MAX_JUSTIFICATION_LENGTH, MIN_JUSTIFICATION_LENGTH
from neobank_dashboard.services.oversight import OversightFlag


class Correction(Strict):
    value: float = Field(description="The corrected value, in the feature's unit")
    as_of: date = Field(description="When the corrected value was observed (not in the future)")


def _corrections_model() -> type[BaseModel]:
    fields: dict[str, Any] = {
        f.name: (Correction | None, Field(None, description=f"Corrected {f.label_en.lower()}"))
        for f in FEATURES
    }
    return create_model("Corrections", __base__=Strict, **fields)


Corrections = _corrections_model()


class ContestCreate(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "statement": "My income rose in September: I now earn 52,000 EUR a year.",
                    "corrections": {"income": {"value": 52000, "as_of": "2026-11-30"}},
                }
            ]
        },
    )

    statement: str = Field(
        max_length=MAX_STATEMENT_LENGTH, description="The client's point of view, in their words"
    )
    corrections: Corrections | None = Field(  # type: ignore[valid-type]  # a create_model class
        None, description="Corrected values; applied through rectification (a new score) before the review"
    )


class ResolutionCreate(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "outcome": "changed",
                    "new_outcome": "approved",
                    "justification": "The corrected income brings the client under the threshold.",
                },
                {"outcome": "upheld", "justification": "Payslips confirm the data; the refusal stands."},
            ]
        },
    )

    outcome: ReviewOutcome
    justification: str = Field(min_length=MIN_JUSTIFICATION_LENGTH, max_length=MAX_JUSTIFICATION_LENGTH)
    new_outcome: Outcome | None = Field(None, description="The new decision: required when `changed`")


class ScoreBrief(Strict):
    score_id: int
    probability: float
    recommendation: Recommendation
    risk_band: str
    scored_at: datetime
    superseded: bool


class ContestOut(Strict):
    id: int
    statement: str
    corrections: dict[str, dict[str, Any]] = Field(description="{feature: {value, as_of}}")
    received_by: int
    received_at: datetime
    score_after: ScoreBrief | None = Field(None, description="The score after rectification, if any")


class ReviewOut(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": 12,
                    "kind": "override",
                    "status": "open",
                    "client_id": "0b6f1c2e-8d1a-4a43-9a55-3f1f8f2d9c10",
                    "decision_id": 40,
                    "decision_outcome": "approved",
                    "decided_by": 3,
                    "decided_by_name": "Camille Martin",
                    "decided_at": "2026-11-30T09:12:00Z",
                    "score_before": {
                        "score_id": 77,
                        "probability": 0.41,
                        "recommendation": "not_eligible",
                        "risk_band": "E",
                        "scored_at": "2026-11-30T09:10:00Z",
                        "superseded": False,
                    },
                    "due_on": "2026-12-02",
                    "overdue": False,
                    "age_days": 0,
                    "assignee_id": None,
                    "opened_at": "2026-11-30T09:12:00Z",
                }
            ]
        },
    )

    id: int
    kind: ReviewKind
    status: ReviewStatus
    client_id: uuid.UUID
    decision_id: int
    decision_outcome: Outcome
    decided_by: int
    decided_by_name: str
    decided_at: datetime
    score_before: ScoreBrief = Field(description="The score the decision rested on")
    contest: ContestOut | None = None
    due_on: date
    overdue: bool
    age_days: int
    assignee_id: int | None = None
    opened_at: datetime
    resolution: ReviewOutcome | None = None
    justification: str | None = None
    resolved_by: int | None = None
    resolved_at: datetime | None = None
    resolution_decision_id: int | None = Field(None, description="The decision the resolution took")


class ReviewsPage(Strict):
    data: list[ReviewOut]
    count: int = Field(description="Items matching the filters, all pages")
    count_by_kind: dict[ReviewKind, int] = Field(description="Items per kind under the other filters")


class OversightFiguresOut(Strict):
    decisions: int
    overrides: int
    override_rate: float | None = None
    agreement_rate: float | None = Field(
        None, description="Decisions following an eligible / not-eligible recommendation, among those"
    )
    median_seconds_to_decide: float | None = Field(
        None, description="From the last opening of the client before the decision"
    )
    without_reasons_share: float | None = Field(
        None, description="Decisions taken without the score's reasons having been on screen"
    )
    flags: list[OversightFlag] = Field(description="Patterns of rubber-stamping")


class AdvisorOversightOut(Strict):
    advisor_id: int
    full_name: str
    figures: OversightFiguresOut


class OversightOut(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "advisors": [
                        {
                            "advisor_id": 3,
                            "full_name": "Camille Martin",
                            "figures": {
                                "decisions": 42,
                                "overrides": 0,
                                "override_rate": 0.0,
                                "agreement_rate": 1.0,
                                "median_seconds_to_decide": 6.5,
                                "without_reasons_share": 0.71,
                                "flags": ["rubber_stamp", "reasons_unseen"],
                            },
                        }
                    ],
                    "total": {
                        "decisions": 310,
                        "overrides": 19,
                        "override_rate": 0.061,
                        "agreement_rate": 0.9,
                        "median_seconds_to_decide": 148.0,
                        "without_reasons_share": 0.12,
                        "flags": [],
                    },
                }
            ]
        },
    )

    advisors: list[AdvisorOversightOut]
    total: OversightFiguresOut
