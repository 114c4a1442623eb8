"""The review queue (supervisors and admins) and clients' contests (advisors).

Thin: the rules (four-eyes, service levels, rectification first) live in
services/reviews.py, services/review_policy.py and services/contests.py.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status
from pydantic import Field

from neobank_dashboard.api.client_schemas import DecisionPublic
from neobank_dashboard.api.deps import AdvisorCaller, SessionDep, SupervisorCaller
from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.errors import ApiError, responses
from neobank_dashboard.api.review_schemas import (
    ContestCreate,
    ContestOut,
    ResolutionCreate,
    ReviewOut,
    ReviewsPage,
    ScoreBrief,
)
from neobank_dashboard.api.schemas import Strict
from neobank_dashboard.db.models import ReviewKind, ReviewStatus, Score, id_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit, contests, reviews

router = APIRouter(tags=["reviews"])
# Row ids are 32-bit integers in PostgreSQL: a larger one is a 422, not a database error.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class ReviewQuery(Strict):
    kind: ReviewKind | None = None
    status: ReviewStatus = ReviewStatus.open
    overdue: bool = Field(False, description="Only open items past their due date")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(reviews.PAGE_SIZE_DEFAULT, ge=1, le=reviews.PAGE_SIZE_MAX)


def _score_brief(score: Score) -> ScoreBrief:
    return ScoreBrief(
        score_id=score.id,
        probability=score.probability,
        recommendation=score.recommendation,
        risk_band=score.risk_band,
        scored_at=score.created_at,
        superseded=score.superseded,
    )


def _review_out(item: reviews.QueueItem) -> ReviewOut:
    review, decision, contest = item.review, item.decision, item.contest
    now = utcnow()
    return ReviewOut(
        id=review.id,
        kind=review.kind,
        status=review.status,
        client_id=review.client_id,
        decision_id=decision.id,
        decision_outcome=decision.outcome,
        decided_by=decision.advisor_id,
        decided_by_name=item.decided_by,
        decided_at=decision.created_at,
        score_before=_score_brief(item.score_before),
        contest=None
        if contest is None
        else ContestOut(
            id=contest.id,
            statement=contest.statement,
            corrections=contest.corrections,
            received_by=contest.received_by,
            received_at=contest.created_at,
            score_after=_score_brief(item.score_after) if item.score_after else None,
        ),
        due_on=review.due_on,
        overdue=reviews.is_overdue(review, now.date()),
        age_days=(now - review.created_at).days,
        assignee_id=review.assignee_id,
        opened_at=review.created_at,
        resolution=review.resolution,
        justification=review.justification,
        resolved_by=review.resolved_by,
        resolved_at=review.resolved_at,
        resolution_decision_id=review.resolution_decision_id,
    )


@router.get(
    "/reviews",
    response_model=ReviewsPage,
    responses=responses(401, 403, 422, 429),
    summary="The review queue",
    description=(
        "Supervisors and admins. Every case a second person must look at (overrides, "
        "grey-zone and stale-data decisions unless the bank's policy exempts them, every "
        "contest), oldest due first; the caller's own decisions are left out (four-eyes). "
        "`{data, count, count_by_kind}`."
    ),
)
def review_queue(
    query: Annotated[ReviewQuery, Query()], caller: SupervisorCaller, session: SessionDep
) -> ReviewsPage:
    page = reviews.list_reviews(session, caller.advisor, reviews.ReviewFilter(**query.model_dump()))
    audit.record(
        session,
        actor=caller.actor,
        action="review_list",
        object_type="review",
        request_id=caller.request_id,
        details={"returned": len(page.items), "count": page.count},
    )
    session.commit()
    return ReviewsPage(
        data=[_review_out(item) for item in page.items], count=page.count, count_by_kind=page.count_by_kind
    )


@router.post(
    "/reviews/{review_id}/claim",
    response_model=ReviewOut,
    responses=responses(401, 403, 404, 409, 422, 429),
    summary="Claim a review item",
    description="Assigns the open item to the caller. 403 for the decider; 409 when resolved or claimed.",
)
def claim(review_id: RowId, caller: SupervisorCaller, session: SessionDep) -> ReviewOut:
    reviews.claim(session, caller.advisor, review_id, request_id=caller.request_id)
    session.commit()
    return _review_out(reviews.queue_item(session, review_id))


@router.post(
    "/reviews/{review_id}/resolution",
    response_model=DecisionPublic,
    status_code=status.HTTP_201_CREATED,
    responses=responses(401, 403, 404, 409, 413, 415, 422, 429),
    summary="Resolve a review item",
    description=(
        "Upholds or changes the decision; the answer is the new decision, linked to the "
        "reviewed one (`supersedes_id`), from which the client's letter is issued again. "
        "The person who made the decision gets 403 (four-eyes); an item already resolved "
        "answers 409; `changed` needs `new_outcome`."
    ),
)
def resolve(
    review_id: RowId, body: ResolutionCreate, caller: SupervisorCaller, session: SessionDep
) -> DecisionPublic:
    decision = reviews.resolve(
        session,
        caller.advisor,
        review_id,
        body.outcome,
        body.justification,
        body.new_outcome,
        request_id=caller.request_id,
    )
    session.commit()
    return DecisionPublic.model_validate(decision, from_attributes=True)


@router.post(
    "/decisions/{decision_id}/contests",
    response_model=ReviewOut,
    status_code=status.HTTP_201_CREATED,
    responses=responses(401, 403, 404, 409, 413, 415, 422, 429),
    summary="Record a client's contest of a decision",
    description=(
        "Advisors, on the client's behalf. The statement is required; corrected values go "
        "through rectification first (a new score supersedes the old one), then a review "
        "is queued for someone other than the decider. 404 outside the caller's portfolio; "
        "409 while a contest of the decision waits for its review."
    ),
)
def contest(decision_id: RowId, body: ContestCreate, caller: AdvisorCaller, session: SessionDep) -> ReviewOut:
    submitted: dict[str, Any] = body.corrections.model_dump() if body.corrections else {}
    corrections = {
        name: (value["value"], value["as_of"]) for name, value in submitted.items() if value is not None
    }
    try:
        review = contests.open_contest(
            session, caller.advisor, decision_id, body.statement, corrections, request_id=caller.request_id
        )
    except contests.DecisionNotFoundError as error:
        raise ApiError(ErrorCode.not_found, "decision not found") from error
    session.commit()
    return _review_out(reviews.queue_item(session, id_of(review)))
