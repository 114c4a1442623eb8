"""Human-oversight figures for supervisors (services/oversight.py)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from pydantic import AwareDatetime

from neobank_dashboard.api.deps import SessionDep, SupervisorCaller
from neobank_dashboard.api.errors import responses
from neobank_dashboard.api.review_schemas import OversightOut
from neobank_dashboard.services import audit, oversight

router = APIRouter(tags=["reviews"])


@router.get(
    "/oversight",
    response_model=OversightOut,
    responses=responses(401, 403, 422, 429),
    summary="Human-oversight figures per advisor and in total",
    description=(
        "Supervisors and admins. Decisions taken in `[since, until)` (timezone-aware "
        "ISO 8601; all when omitted): override rate, agreement with the model, median "
        "seconds from opening the client to deciding, share decided without the reasons "
        "on screen, and rubber-stamping flags."
    ),
)
def oversight_figures(
    caller: SupervisorCaller,
    session: SessionDep,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
) -> OversightOut:
    report = oversight.oversight_report(session, caller.advisor, since=since, until=until)
    audit.record(
        session,
        actor=caller.actor,
        action="oversight_view",
        object_type="advisor",
        request_id=caller.request_id,
        details={"advisors": len(report.advisors)},
    )
    session.commit()
    return OversightOut.model_validate(asdict(report))
