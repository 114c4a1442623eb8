"""GET /api/v1/monitoring: the monitoring report over a window of scores."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError

from neobank_dashboard.api.deps import SessionDep, SupervisorCaller
from neobank_dashboard.api.errors import responses
from neobank_dashboard.api.monitoring_schemas import MonitoringOut, WindowQuery
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit
from neobank_dashboard.services.monitoring import build_report
from neobank_dashboard.services.monitoring_nightly import REPORT_WINDOW
from neobank_dashboard.services.scoring import get_service
from neobank_dashboard.settings import get_settings

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
    model = get_service().loaded_model
    report = build_report(
        session,
        since,
        until,
        champion_version=model.version if model else None,
        model_dir=get_settings().model_dir,
    )
    audit.record(
        session,
        actor=caller.actor,
        action="monitoring_report_viewed",
        object_type="monitoring_report",
        request_id=caller.request_id,
        details={"since": since.isoformat(), "until": until.isoformat()},
    )
    session.commit()
    return MonitoringOut(**report)
