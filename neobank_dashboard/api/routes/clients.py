"""The portfolio: list, view, latest score (or rescoring), decisions.

Advisors see their own clients, supervisors and admins all, a partner
application only the clients it submitted; anything else answers 404.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.exceptions import RequestValidationError
from sqlmodel import Session

from neobank_dashboard.api.client_schemas import ClientOut, ClientsPage, DecisionCreate, DecisionPublic
from neobank_dashboard.api.deps import AdvisorCaller, Caller, ReadingCaller, SessionDep, forbid
from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.errors import ApiError, responses
from neobank_dashboard.api.schemas import ScoreOut
from neobank_dashboard.api.shaping import client_for, score_for
from neobank_dashboard.db import Channel, Score, session_scope
from neobank_dashboard.services import audit, scoring
from neobank_dashboard.services.clients import (
    ClientFilter,
    ClientView,
    get_client,
    list_clients,
    quick_counts,
    reported_count,
    view_client,
)
from neobank_dashboard.services.decisions import ClientNotVisibleError, record_decision
from neobank_dashboard.services.tokens import Scope
from neobank_dashboard.services.worklist import decision_statuses

router = APIRouter(tags=["clients"])
NOT_FOUND = "client not found"
NO_SCORE = "the client has no score yet"


@router.get(
    "/clients",
    response_model=ClientsPage,
    responses=responses(401, 403, 422, 429),
    summary="List the clients the caller may see",
    description="Filtered, sorted and paginated in SQL; `{data, count}`. Needs `clients:read`.",
)
def clients(
    query: Annotated[ClientFilter, Query()], caller: ReadingCaller, session: SessionDep
) -> ClientsPage:
    if not caller.is_advisor:
        if query.decision_status or query.quick:
            # Partners never see the bank's decisions, so they may not filter on them.
            field = "decision_status" if query.decision_status else "quick"
            raise RequestValidationError(
                [{"loc": ("query", field), "msg": "is for staff only", "type": "value_error"}]
            )
        query = query.model_copy(update={"mine_only": False})
    page, total = list_clients(session, caller.viewer, query)
    count, capped = reported_count(total)
    audit.record(
        session,
        actor=caller.actor,
        action="client_list",
        object_type="client",
        request_id=caller.request_id,
        details={"returned": len(page), "count": count, "capped": capped, "page": query.page},
    )
    statuses = decision_statuses(session, [c.id for c in page]) if caller.is_advisor else {}
    counts = None
    if caller.is_advisor:
        counts = {q: reported_count(n)[0] for q, n in quick_counts(session, caller.viewer, query).items()}
    session.commit()
    return ClientsPage(
        data=[client_for(caller.is_advisor, c, statuses.get(c.id)) for c in page],
        count=count,
        count_capped=capped,
        quick_counts=counts,
    )


@router.get(
    "/clients/{client_id}",
    response_model=ClientOut,
    responses=responses(401, 403, 404, 422, 429),
    summary="One client",
    description="Staff see the features and their dates; partners a minimised view.",
)
def client(client_id: uuid.UUID, caller: ReadingCaller, session: SessionDep):
    found = view_client(
        session, caller.viewer, str(client_id), request_id=caller.request_id, view=ClientView.record
    )
    session.commit()
    if found is None:
        raise ApiError(ErrorCode.not_found, NOT_FOUND)
    return client_for(caller.is_advisor, found)


def _client_score(caller: Caller, client_id: uuid.UUID, refresh: bool):
    with session_scope() as session:
        found = get_client(session, caller.viewer, str(client_id))
        if found is None:
            audit.record(
                session,
                actor=caller.actor,
                action="client_view",
                object_type="client",
                object_id=str(client_id),
                outcome="not_found",
                request_id=caller.request_id,
                details={"view": ClientView.score.value},
            )
            return None
        score: Score | None
        if refresh:
            score = scoring.score_client(
                session,
                found,
                actor=caller.actor,
                channel=Channel.api,
                purpose=scoring.Purpose.portfolio_review.value,
            )
        else:
            score = scoring.latest_score(session, found.id)
            audit.record(
                session,
                actor=caller.actor,
                action="client_view",
                object_type="client",
                object_id=str(client_id),
                outcome="success" if score else "not_found",
                request_id=caller.request_id,
                details={"view": ClientView.score.value},
            )
        return score_for(caller.is_advisor, score) if score else False


@router.get(
    "/clients/{client_id}/score",
    response_model=ScoreOut,
    responses=responses(401, 403, 404, 409, 422, 429, 503),
    summary="The client's current score",
    description=(
        "The latest score; `refresh=true` rescores the client from its stored features "
        "(needs `score:write` as well). 404 when the client has no score yet."
    ),
)
async def client_score(request: Request, client_id: uuid.UUID, caller: ReadingCaller, refresh: bool = False):
    if refresh and not caller.principal.has_scope(Scope.score_write):
        raise await forbid(
            request,
            caller,
            ErrorCode.missing_scope,
            f"rescoring needs the scope {Scope.score_write}",
            scope=Scope.score_write,
        )
    scoring.current_model()  # the kill switch applies to every scoring route
    result = await asyncio.to_thread(_client_score, caller, client_id, refresh)
    if result is None:
        raise ApiError(ErrorCode.not_found, NOT_FOUND)
    if result is False:
        raise ApiError(ErrorCode.no_score, NO_SCORE)
    return result


def _outside_portfolio(session: Session, caller: Caller, client_id: uuid.UUID) -> ApiError:
    """The 404 for a decision on a client the advisor may not see, once audited."""
    audit.record_refusal(
        session,
        actor=caller.actor,
        action="decision",
        reason="outside_portfolio",
        object_type="client",
        object_id=str(client_id),
        request_id=caller.request_id,
    )
    session.commit()
    return ApiError(ErrorCode.not_found, NOT_FOUND)


@router.post(
    "/clients/{client_id}/decisions",
    response_model=DecisionPublic,
    status_code=status.HTTP_201_CREATED,
    responses=responses(401, 403, 404, 413, 415, 422, 429),
    summary="Record the advisor's decision",
    description=(
        "Advisors only. The decision applies to the client's current score. A "
        "justification is required on a refusal, on any decision against the "
        "recommendation and for a client in review."
    ),
)
def decide(
    client_id: uuid.UUID, body: DecisionCreate, caller: AdvisorCaller, session: SessionDep
) -> DecisionPublic:
    found = get_client(session, caller.viewer, str(client_id))
    if found is None:
        raise _outside_portfolio(session, caller, client_id)
    try:
        decision = record_decision(
            session, caller.advisor, found, body.outcome, body.justification, request_id=caller.request_id
        )
    except ClientNotVisibleError as error:
        session.rollback()
        raise _outside_portfolio(session, caller, client_id) from error
    session.commit()  # a DecisionError (422, field and reason) leaves nothing behind
    return DecisionPublic.model_validate(decision, from_attributes=True)
