"""The monitoring history: one row per calendar month, the month's report condensed.

A month's figures are those of :func:`~neobank_dashboard.services.monitoring.build_report`
over the scores made in it (UTC): the score's PSI and each feature's CSI, the
mean predicted probability and the observed default rate of its scores with
an outcome, the approval rate per age band, and the share of refusals that
age alone decides. The nightly job refreshes the month its window ends in, so
a month's row is final once the month is over.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from sqlmodel import Session

from neobank_dashboard.db import MonitoringMonth
from neobank_dashboard.db.models import table_of
from neobank_dashboard.db.types import utcnow

HISTORY_MONTHS = 12
"""Months the history shows by default (and the API's maximum is :data:`MAX_MONTHS`)."""
MAX_MONTHS = 120
REPORT_SOURCE, DEMO_SOURCE = "report", "demo"


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """``[first day 00:00, first day of the next month 00:00)`` UTC."""
    return (
        datetime.combine(month, time.min, tzinfo=UTC),
        datetime.combine(next_month(month), time.min, tzinfo=UTC),
    )


def month_figures(report: dict) -> dict:
    """A report's headline figures (None where its section has no data)."""
    backtest, fairness = report["backtest"], report["fairness"]
    calibration = backtest.get("calibration") or {}
    return {
        "n": max([report["population"].get("n") or 0, *(f.get("n") or 0 for f in report["features"])]),
        "psi": report["population"].get("psi"),
        "csi": {feature["name"]: feature.get("psi") for feature in report["features"]},
        "outcomes": backtest.get("n") or 0,
        "predicted": calibration.get("mean_predicted"),
        "observed": calibration.get("observed_default_rate"),
        "approval_rate": {band["band"]: band["approval_rate"] for band in fairness.get("age_bands", [])},
        "age_alone_share": (fairness.get("age_alone") or {}).get("share"),
    }


def store_month(session: Session, month: date, report: dict, *, source: str = REPORT_SOURCE) -> None:
    """Write (or replace) the row of ``month`` from its ``report``. Not committed."""
    table = table_of(MonitoringMonth)
    session.execute(sa.delete(table).where(table.c.month == month))
    session.add(
        MonitoringMonth(
            month=month,
            source=source,
            model_version=report["model_version"],
            figures=month_figures(report),
            computed_at=utcnow(),
        )
    )
    session.flush()


def months_stored(session: Session) -> set[date]:
    table = table_of(MonitoringMonth)
    return set(session.execute(sa.select(table.c.month)).scalars())


def history(session: Session, months: int = HISTORY_MONTHS) -> list[dict]:
    """The latest ``months`` rows, oldest first: ``{"month": "YYYY-MM", "source",
    "model_version", **figures}``."""
    table = table_of(MonitoringMonth)
    rows = session.execute(
        sa.select(table.c.month, table.c.source, table.c.model_version, table.c.figures)
        .order_by(table.c.month.desc())
        .limit(months)
    ).all()
    return [
        {"month": month.strftime("%Y-%m"), "source": source, "model_version": version, **figures}
        for month, source, version, figures in reversed(rows)
    ]
