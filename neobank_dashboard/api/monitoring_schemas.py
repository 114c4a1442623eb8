"""Request and response models of the outcomes and monitoring endpoints.

Report sections carry ``status`` (``ok`` or ``no_data``) and, without data, a
``reason``, their numbers null. Fields the issue's contract names are typed;
the sections carry more detail (counts, p-values, calibration) as extra keys.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool

from neobank_dashboard.api.schemas import Strict
from neobank_dashboard.services.monitoring_history import HISTORY_MONTHS, MAX_MONTHS
from neobank_dashboard.services.outcomes import BATCH_MAX, ItemStatus


class OutcomeIn(Strict):
    client_id: str = Field(max_length=64, description="The client's pseudonymous id (UUID)")
    defaulted: StrictBool = Field(description="true: the client defaulted; false: repaid")
    observed_on: date = Field(description="Day the outcome was observed (not in the future)")


class OutcomesIn(Strict):
    items: list[OutcomeIn] = Field(min_length=1, max_length=BATCH_MAX)

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "client_id": "0b6f1c2e-8d1a-4a43-9a55-3f1f8f2d9c10",
                            "defaulted": False,
                            "observed_on": "2026-11-30",
                        }
                    ]
                }
            ]
        },
    )


class ItemError(BaseModel):
    field: str
    reason: str


class OutcomeResult(BaseModel):
    index: int = Field(description="Position of the item in the request")
    client_id: str
    observed_on: date
    status: ItemStatus = Field(description="stored, unchanged (already recorded) or rejected")
    errors: list[ItemError]


class OutcomesOut(BaseModel):
    data: list[OutcomeResult]
    stored: int
    unchanged: int
    rejected: int


class WindowQuery(Strict):
    since: AwareDatetime | None = Field(None, description="Start (inclusive), ISO 8601 with offset")
    until: AwareDatetime | None = Field(None, description="End (exclusive), ISO 8601 with offset")


class _Section(BaseModel):
    model_config = ConfigDict(extra="allow")

    status: Literal["ok", "no_data"]
    reason: str | None = None


class Stability(_Section):
    psi: float | None
    level: Literal["ok", "watch", "alert"] | None


class FeatureStability(Stability):
    name: str


class BandBacktest(BaseModel):
    model_config = ConfigDict(extra="allow")

    band: str
    n: int
    predicted: float
    observed: float
    level: Literal["green", "amber", "red"]


class Backtest(_Section):
    bands: list[BandBacktest]
    auc: float | None


class AgeBand(BaseModel):
    model_config = ConfigDict(extra="allow")

    band: str
    n: int
    approval_rate: float
    mean_probability: float


class Fairness(_Section):
    age_bands: list[AgeBand]
    adverse_impact_ratio: float | None


class MonitoringOut(BaseModel):
    window: dict[str, str]
    model_version: str | None
    computed_at: str
    population: Stability
    features: list[FeatureStability]
    backtest: Backtest
    fairness: Fairness
    challenger: dict[str, Any]
    alerts: list[str] = Field(description="Stability alerts and red backtest bands, for the staff banner")


class HistoryQuery(Strict):
    months: int = Field(HISTORY_MONTHS, ge=1, le=MAX_MONTHS, description="How many latest months")


class MonthOut(BaseModel):
    month: str = Field(description="YYYY-MM (UTC)")
    source: Literal["report", "demo"] = Field(description="report: from the stored scores; demo: the seed's")
    model_version: str | None
    n: int = Field(description="Scores made in the month")
    psi: float | None = Field(description="PSI of the champion's scores against its training reference")
    csi: dict[str, float | None] = Field(description="CSI of each feature")
    outcomes: int = Field(description="The month's scores with an outcome")
    predicted: float | None = Field(description="Mean predicted probability of the scores with an outcome")
    observed: float | None = Field(description="Their observed default rate")
    approval_rate: dict[str, float] = Field(description="Approval rate per age band")
    age_alone_share: float | None = Field(description="Share of the champion's refusals age alone decides")


class HistoryOut(BaseModel):
    data: list[MonthOut] = Field(description="Oldest month first")
    watch_at: float = Field(description="Stability index from which a level is watch")
    alert_at: float = Field(description="Stability index from which a level is alert")
