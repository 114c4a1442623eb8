"""GET /api/v1/monitoring: the monitoring report over a window of scores;
GET /api/v1/monitoring/history: its figures month by month."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError

from modeling.monitoring import ALERT_AT, WATCH_AT
from neobank_dashboard.api.deps import SessionDep, SupervisorCaller
from neobank_dashboard.api.errors import responses
from neobank_dashboard.api.monitoring_schemas import HistoryOut, HistoryQuery, MonitoringOut, WindowQuery
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit
from neobank_dashboard.services.monitoring_history import history
from neobank_dashboard.services.monitoring_nightly import REPORT_OBJECT, REPORT_WINDOW, viewed_report

router = APIRouter(tags=["monitoring"])


@router.get(
    "/monitoring",
    response_model=MonitoringOut,
    responses=responses(401, 403, 422, 429),
    summary="The monitoring report",
    description="Stability (PSI of the score, CSI of each feature against the champion's training "
    "reference), backtest per risk band (Jeffreys test, AUC, calibration), fairness by age band and "
    "the challenger, over scores made in `[since, until)` (default: the last 30 days). A section "
    "without data says `no_data`. Supervisors and admins.",
)
def monitoring_report(
    query: Annotated[WindowQuery, Query()], caller: SupervisorCaller, session: SessionDep
) -> MonitoringOut:
    until = query.until or utcnow()
    since = query.since or until - REPORT_WINDOW
    if since >= until:
        problem = {"loc": ("query", "since"), "msg": "must be before until", "type": "value_error"}
        raise RequestValidationError([problem])
    report = viewed_report(session, since, until, actor=caller.actor, request_id=caller.request_id)
    session.commit()
    return MonitoringOut(**report)


@router.get(
    "/monitoring/history",
    response_model=HistoryOut,
    responses=responses(401, 403, 422, 429),
    summary="The monitoring history, month by month",
    description="One row per calendar month (UTC), oldest first, the latest `months` (default 12): "
    "PSI of the score and CSI of each feature, mean predicted probability and observed default rate of "
    "the month's scores with an outcome, approval rate per age band, share of refusals age alone "
    "decides. The nightly job refreshes the current month. Supervisors and admins.",
)
def monitoring_history(
    query: Annotated[HistoryQuery, Query()], caller: SupervisorCaller, session: SessionDep
) -> HistoryOut:
    months = history(session, query.months)
    audit.record(
        session,
        actor=caller.actor,
        action="monitoring_history_viewed",
        object_type=REPORT_OBJECT,
        request_id=caller.request_id,
        details={"months": query.months},
    )
    session.commit()
    return HistoryOut(data=months, watch_at=WATCH_AT, alert_at=ALERT_AT)
