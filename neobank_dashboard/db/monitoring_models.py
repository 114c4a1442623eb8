"""Monitoring tables: realised outcomes, challenger shadow scores, stored reports.

Kept apart from :mod:`neobank_dashboard.db.models` (the scoring and review
records) so each module stays short; the ``db`` package re-exports both.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from neobank_dashboard.db.models import RetentionCategory, processing_record, utc_timestamp


class OutcomeSource(StrEnum):
    api = "api"
    csv = "csv"
    demo = "demo"


class RepaymentOutcome(SQLModel, table=True):
    """What became of a scored client: defaulted or repaid, observed on a date.

    Tied to the score the decision rested on (the client's latest score made on or
    before the observation day), so the backtest compares a prediction with what
    followed it. One outcome per client and day: importing the same file twice
    stores nothing new.
    """

    __tablename__ = "outcome"
    __table_args__ = (
        sa.UniqueConstraint("client_id", "observed_on", name="uq_outcome_client_observed_on"),
        processing_record(
            "Realised outcomes: client id, the score they follow, defaulted or repaid, "
            "date observed, source.",
            RetentionCategory.client_records,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="client.id", index=True)
    score_id: int = Field(foreign_key="score.id", index=True)
    defaulted: bool
    observed_on: date
    source: str = Field(max_length=8)
    recorded_by: str = Field(max_length=80)
    created_at: datetime = utc_timestamp()


class ShadowScore(SQLModel, table=True):
    """The challenger model's probability for a stored score: for monitoring only,
    never shown to advisors or partners. Deleted with its score (cascade).

    Carries the champion's probability and the scoring time too, so the champion /
    challenger comparison reads this narrow table and the outcomes only.
    """

    __table_args__ = processing_record(
        "Challenger probabilities of stored scores (score id, challenger, probability).",
        RetentionCategory.scoring_events,
        RetentionCategory.client_records,
    )

    id: int | None = Field(default=None, primary_key=True)
    score_id: int = Field(
        sa_column=Column(
            sa.Integer, sa.ForeignKey("score.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    challenger: str = Field(max_length=48)
    champion_version: str = Field(max_length=64)
    probability: float
    champion_probability: float
    scored_at: datetime = utc_timestamp(index=True)
    created_at: datetime = utc_timestamp()


class MonitoringReport(SQLModel, table=True):
    """A stored monitoring report: stability, backtest, fairness, challenger over a window."""

    __table_args__ = (
        sa.UniqueConstraint("since", "until", name="uq_monitoringreport_window"),
        processing_record(
            "Monitoring reports: aggregates over a window of scores (no client-level data).",
            kept="with the model's technical documentation (AI Act Art. 18: 10 years)",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    since: datetime = utc_timestamp(index=True)
    until: datetime = utc_timestamp(index=True)
    model_version: str | None = Field(default=None, max_length=64)
    sections: dict = Field(sa_column=Column(JSON, nullable=False))
    computed_at: datetime = utc_timestamp()


class MonitoringMonth(SQLModel, table=True):
    """One calendar month of the monitoring history (the page's stability-over-months
    charts): the month's report condensed to its headline figures.

    The nightly job refreshes the month it ends in; ``source`` says ``report``
    (computed from the stored scores) or ``demo`` (the demo seed's synthetic past).
    """

    __table_args__ = (
        sa.UniqueConstraint("month", name="uq_monitoringmonth_month"),
        processing_record(
            "Monthly monitoring figures: aggregates over a month of scores (no client-level data).",
            kept="with the model's technical documentation (AI Act Art. 18: 10 years)",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    month: date = Field(description="First day of the month")
    source: str = Field(max_length=8)
    model_version: str | None = Field(default=None, max_length=64)
    figures: dict = Field(sa_column=Column(JSON, nullable=False))
    computed_at: datetime = utc_timestamp()
