"""POST /api/v1/outcomes: realised outcomes of scored clients, item by item."""

from __future__ import annotations

from fastapi import APIRouter

from neobank_dashboard.api.deps import OutcomeWriter, SessionDep
from neobank_dashboard.api.errors import responses
from neobank_dashboard.api.monitoring_schemas import ItemError, OutcomeResult, OutcomesIn, OutcomesOut
from neobank_dashboard.db import OutcomeSource
from neobank_dashboard.services.outcomes import ItemStatus, OutcomeItem, record_outcomes

router = APIRouter(tags=["monitoring"])


@router.post(
    "/outcomes",
    response_model=OutcomesOut,
    responses=responses(401, 403, 413, 415, 422, 429),
    summary="Record realised outcomes",
    description="A batch of up to 1,000 outcomes (defaulted or repaid, the day observed). Each "
    "item is checked on its own: an unknown client, a day in the future or before the client's "
    "first score rejects that item, the others are stored. Idempotent on client and day: the same "
    "item again is `unchanged`. Supervisors and admins with the staff scope `outcomes:write`.",
)
def post_outcomes(body: OutcomesIn, caller: OutcomeWriter, session: SessionDep) -> OutcomesOut:
    items = [OutcomeItem(i.client_id, i.defaulted, i.observed_on) for i in body.items]
    results = record_outcomes(
        session, items, actor=caller.actor, source=OutcomeSource.api, request_id=caller.request_id
    )
    session.commit()
    return OutcomesOut(
        data=[
            OutcomeResult(
                index=r.index,
                client_id=r.item.client_id,
                observed_on=r.item.observed_on,
                status=r.status,
                errors=[ItemError(field=f, reason=why) for f, why in r.errors],
            )
            for r in results
        ],
        **{status.value: sum(r.status == status for r in results) for status in ItemStatus},
    )
