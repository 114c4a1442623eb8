"""The nightly monitoring report: computed once a night across all workers.

Every production worker runs the nightly task (``api/lifespan.py``); the first to
wake takes a PostgreSQL advisory lock (SQLite: the write lock its first
statement takes), finds no report for the night's window, shadows the
window's scores that have no challenger probability yet, stores the report,
refreshes the history's row of the month the window ends in and writes an
audit event. The others then find the stored report and do
nothing; the unique window constraint backs this up.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from neobank_dashboard.db import MonitoringReport, session_scope
from neobank_dashboard.db.models import table_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit
from neobank_dashboard.services.monitoring import build_report, latest_report
from neobank_dashboard.services.monitoring_history import first_of_month, month_bounds, store_month
from neobank_dashboard.services.scoring import get_service
from neobank_dashboard.services.shadow import backfill_shadow_scores
from neobank_dashboard.settings import get_settings

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "system:monitoring"
REPORT_ACTION = "monitoring_report"  # the nightly job stored a report
VIEW_ACTION = "monitoring_report_viewed"  # a supervisor read one (page or API)
REPORT_OBJECT = "monitoring_report"
NIGHTLY_REPORT_AT = time(3, 45, tzinfo=UTC)  # after the retention purge (03:15)
REPORT_WINDOW = timedelta(days=30)
_REPORT_LOCK_ID = 0x4D4F4E  # PostgreSQL advisory lock: one nightly report across workers


def days_window(first: date, last: date) -> tuple[datetime, datetime]:
    """The days ``first`` to ``last`` included, as ``[first 00:00, last+1 00:00)`` UTC."""
    return (
        datetime.combine(first, time.min, tzinfo=UTC),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC),
    )


def recent_days(today: date) -> tuple[date, date]:
    """The days /monitoring opens on without a stored report: the last
    :data:`REPORT_WINDOW`, today included."""
    return today - REPORT_WINDOW + timedelta(days=1), today


def nightly_window(now: datetime) -> tuple[datetime, datetime]:
    """The trailing :data:`REPORT_WINDOW` of scores, ending at today's UTC midnight."""
    until = datetime.combine(now.astimezone(UTC).date(), time.min, tzinfo=UTC)
    return until - REPORT_WINDOW, until


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _REPORT_LOCK_ID})


def store_report(
    session: Session, since: datetime, until: datetime, *, actor: str = SYSTEM_ACTOR
) -> MonitoringReport | None:
    """Compute and store the report of ``[since, until)`` unless one is stored;
    audited. Not committed. None when the window already has its report."""
    _lock(session)
    table = table_of(MonitoringReport)
    done = session.execute(
        sa.select(table.c.id).where(table.c.since == since, table.c.until == until)
    ).scalar()
    if done is not None:
        return None
    backfill_shadow_scores(session, since, until)
    sections = champion_report(session, since, until)
    report = MonitoringReport(
        since=since, until=until, model_version=sections["model_version"], sections=sections
    )
    session.add(report)
    session.flush()
    refresh_month(session, first_of_month((until - timedelta(microseconds=1)).date()))
    audit.record(
        session,
        actor=actor,
        action=REPORT_ACTION,
        object_type=REPORT_OBJECT,
        object_id=str(report.id),
        details={"since": since.isoformat(), "until": until.isoformat(), "alerts": sections["alerts"]},
    )
    return report


def champion_report(session: Session, since: datetime, until: datetime) -> dict:
    """The report over ``[since, until)`` for the champion the scoring service has loaded."""
    model = get_service().loaded_model
    return build_report(
        session,
        since,
        until,
        champion_version=model.version if model else None,
        model_dir=get_settings().model_dir,
        champion=model,
    )


def refresh_month(session: Session, month: date) -> None:
    """Recompute the history's row of ``month`` from the scores made in it. Not committed."""
    since, until = month_bounds(month)
    report = champion_report(session, since, until)
    store_month(session, month, report)


def run_nightly_report(url: str | None = None, now: datetime | None = None) -> MonitoringReport | None:
    """Tonight's report, unless a worker already stored it."""
    since, until = nightly_window(now or utcnow())
    with session_scope(url) as session:
        return store_report(session, since, until)


def viewed_report(
    session: Session, since: datetime, until: datetime, *, actor: str, request_id: str | None = None
) -> dict:
    """The champion's report of ``[since, until)`` as a supervisor reads it, the reading
    audited (not committed): the /monitoring page and ``GET /api/v1/monitoring`` alike."""
    report = champion_report(session, since, until)
    audit.record(
        session,
        actor=actor,
        action=VIEW_ACTION,
        object_type=REPORT_OBJECT,
        request_id=request_id,
        details={"since": since.isoformat(), "until": until.isoformat()},
    )
    return report


def opening_report(session: Session, *, actor: str) -> tuple[dict, bool]:
    """What /monitoring opens with, its reading audited (not committed), and whether it
    was stored: the latest stored report (the nightly job's, or the demo seed's), read
    in one indexed row so the page holds its 1 s target; computed over
    :func:`recent_days` only while none is stored yet (seconds over a large window)."""
    stored = latest_report(session)
    if stored is None:
        since, until = days_window(*recent_days(utcnow().date()))
        return viewed_report(session, since, until, actor=actor), False
    audit.record(
        session,
        actor=actor,
        action=VIEW_ACTION,
        object_type=REPORT_OBJECT,
        object_id=str(stored.id),
        details={"since": stored.since.isoformat(), "until": stored.until.isoformat()},
    )
    return stored.sections, True
