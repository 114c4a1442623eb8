"""The review queue: a second person looks at the decisions the policy names
(services/review_policy.py) and at every contest.

Supervisors and admins work the queue; nobody reviews their own decision
(four-eyes). A resolution upholds or changes the decision and becomes a new
decision that supersedes it, from which the client's letter is issued again.
None of these functions commits: the caller's transaction does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from neobank_dashboard.db.models import (
    Advisor,
    Client,
    Contest,
    Decision,
    Outcome,
    Review,
    ReviewKind,
    ReviewOutcome,
    ReviewStatus,
    Score,
    id_of,
    referenced,
)
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit, decisions
from neobank_dashboard.services.auth import CurrentAdvisor, require_supervisor

PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 200


class ReviewNotFoundError(LookupError):
    """No review item with this id."""


class ReviewConflictError(RuntimeError):
    """The item's state forbids the action (already resolved, claimed by someone else)."""


class FourEyesError(PermissionError):
    """The reviewer made the decision under review: another person must review it."""

    def __init__(self) -> None:
        super().__init__("you made this decision: another staff member must review it (four-eyes principle)")


class ReviewError(ValueError):
    """The request breaks a rule of the queue; ``field`` and ``reason`` say which."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def written_text(field: str, value: str | None, *, minimum: int, maximum: int, required: str) -> str:
    """A person's written text, stripped; ``required`` says why when it is too short."""
    text = (value or "").strip()
    if len(text) < minimum:
        raise ReviewError(field, required)
    if len(text) > maximum:
        raise ReviewError(field, f"must be at most {maximum} characters")
    if "\x00" in text:  # PostgreSQL text cannot hold it
        raise ReviewError(field, "must not contain NUL characters")
    return text


@dataclass(frozen=True)
class ReviewFilter:
    kind: ReviewKind | None = None
    status: ReviewStatus | None = ReviewStatus.open
    overdue: bool = False
    page: int = 1
    page_size: int = PAGE_SIZE_DEFAULT


@dataclass(frozen=True)
class QueueItem:
    """A review item with what the reviewer needs beside it: the decision and who
    took it, the score it rested on and, for a contest, the score after correction."""

    review: Review
    decision: Decision
    decided_by: str
    score_before: Score
    contest: Contest | None = None
    score_after: Score | None = None


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    count: int
    count_by_kind: dict[str, int]


def overdue_condition(today: date):
    """Overdue: still open after its due date (SQL; :func:`is_overdue` for one item)."""
    return sa.and_(col(Review.status) == ReviewStatus.open, col(Review.due_on) < today)


def is_overdue(review: Review, today: date) -> bool:
    return review.status == ReviewStatus.open and review.due_on < today


def list_reviews(
    session: Session, reviewer: CurrentAdvisor, f: ReviewFilter, today: date | None = None
) -> QueuePage:
    """One page of the queue, oldest due first, and the counts by kind under the other
    filters. A reviewer's own decisions are left out: they may not review them."""
    require_supervisor(reviewer)
    today = today or utcnow().date()
    conditions = [Decision.advisor_id != reviewer.id]
    if f.status is not None:
        conditions.append(Review.status == f.status)
    if f.overdue:
        conditions.append(overdue_condition(today))
    joined = select(col(Review.kind), func.count()).join(
        Decision, col(Decision.id) == col(Review.decision_id)
    )
    by_kind = dict(session.exec(joined.where(*conditions).group_by(Review.kind)).all())
    if f.kind is not None:
        conditions.append(Review.kind == f.kind)
    count = by_kind.get(f.kind, 0) if f.kind is not None else sum(by_kind.values())
    page_size = max(1, min(f.page_size, PAGE_SIZE_MAX))
    items = _items(session, conditions, offset=(max(1, f.page) - 1) * page_size, limit=page_size)
    return QueuePage(items, count, {kind.value: by_kind.get(kind, 0) for kind in ReviewKind})


def queue_item(session: Session, review_id: int) -> QueueItem:
    """One item as the queue shows it (the caller has checked who may see it)."""
    items = _items(session, [Review.id == review_id], offset=0, limit=1)
    if not items:
        raise ReviewNotFoundError(str(review_id))
    return items[0]


def _items(session: Session, conditions: list, *, offset: int, limit: int) -> list[QueueItem]:
    rows = session.exec(
        select(Review, Decision, Advisor.full_name, Score)
        .join(Decision, col(Decision.id) == col(Review.decision_id))
        .join(Advisor, col(Advisor.id) == col(Decision.advisor_id))
        .join(Score, col(Score.id) == col(Decision.score_id))
        .where(*conditions)
        .order_by(col(Review.due_on), col(Review.id))
        .offset(offset)
        .limit(limit)
    ).all()
    contests = _contests(session, [review.contest_id for review, *_ in rows if review.contest_id])
    items = []
    for review, decision, decided_by, score in rows:
        contest, after = contests[review.contest_id] if review.contest_id else (None, None)
        items.append(QueueItem(review, decision, decided_by, score, contest, after))
    return items


def _contests(session: Session, ids: list[int]) -> dict[int, tuple[Contest, Score | None]]:
    if not ids:
        return {}
    rows = session.exec(
        select(Contest, Score)
        .outerjoin(Score, col(Score.id) == col(Contest.score_after_id))
        .where(col(Contest.id).in_(ids))
    ).all()
    return {id_of(contest): (contest, score) for contest, score in rows}


def _item_to_act_on(session: Session, reviewer: CurrentAdvisor, review_id: int) -> tuple[Review, Decision]:
    """The open item, locked against a concurrent reviewer; the checks every action shares."""
    require_supervisor(reviewer)
    review = session.exec(select(Review).where(Review.id == review_id).with_for_update()).first()
    if review is None:
        raise ReviewNotFoundError(str(review_id))
    decision = referenced(session, Decision, review.decision_id)
    if decision.advisor_id == reviewer.id:
        raise FourEyesError()
    if review.status == ReviewStatus.resolved:
        raise ReviewConflictError(
            f"the review was already resolved ({review.resolution}) on "
            f"{review.resolved_at:%Y-%m-%d %H:%M} UTC"
        )
    if review.assignee_id not in (None, reviewer.id):
        raise ReviewConflictError("another reviewer has claimed this item")
    return review, decision


def _audit(session: Session, reviewer: CurrentAdvisor, action: str, review: Review, request_id, **details):
    audit.record(
        session,
        actor=reviewer.actor,
        action=action,
        object_type="client",
        object_id=str(review.client_id),
        request_id=request_id,
        details={"review_id": review.id, "kind": review.kind, **details},
    )


def claim(
    session: Session, reviewer: CurrentAdvisor, review_id: int, *, request_id: str | None = None
) -> Review:
    """Assign the open item to the reviewer (claiming it again is harmless)."""
    review, _ = _item_to_act_on(session, reviewer, review_id)
    if review.assignee_id is None:
        review.assignee_id, review.claimed_at = reviewer.id, utcnow()
        session.add(review)
        _audit(session, reviewer, "review_claimed", review, request_id)
    return review


def resolve(
    session: Session,
    reviewer: CurrentAdvisor,
    review_id: int,
    outcome: ReviewOutcome | str,
    justification: str | None,
    new_outcome: Outcome | str | None = None,
    *,
    request_id: str | None = None,
) -> Decision:
    """Uphold or change the reviewed decision; the resolution is a new decision on the
    client's current score (after a contest's corrections, the new one) that supersedes it.

    Raises :class:`FourEyesError` for the decider, :class:`ReviewConflictError` for an
    item already resolved or claimed by another reviewer, :class:`ReviewError` (or the
    decision rules' ``DecisionError``) for bad input.
    """
    review, decision = _item_to_act_on(session, reviewer, review_id)
    try:
        outcome = ReviewOutcome(outcome)
    except ValueError as error:
        raise ReviewError("outcome", f"must be one of {[o.value for o in ReviewOutcome]}") from error
    text = written_text(
        "justification",
        justification,
        minimum=decisions.MIN_JUSTIFICATION_LENGTH,
        maximum=decisions.MAX_JUSTIFICATION_LENGTH,
        required=f"is required (at least {decisions.MIN_JUSTIFICATION_LENGTH} characters)",
    )
    final = _final_outcome(outcome, Outcome(decision.outcome), new_outcome)
    client = referenced(session, Client, decision.client_id)
    try:
        resolution = decisions.record_decision(
            session, reviewer, client, final, text, request_id=request_id, supersedes=decision
        )
    except decisions.ClientNotVisibleError as error:
        raise ReviewConflictError(
            "the client is restricted or erased: no new decision can be taken"
        ) from error
    review.status, review.resolution, review.justification = ReviewStatus.resolved, outcome, text
    review.resolved_by, review.resolved_at = reviewer.id, utcnow()
    review.assignee_id = review.assignee_id or reviewer.id
    review.resolution_decision_id = resolution.id
    session.add(review)
    _audit(
        session,
        reviewer,
        "review_resolved",
        review,
        request_id,
        outcome=outcome.value,
        decision_id=decision.id,
        new_decision_id=resolution.id,
    )
    return resolution


def _final_outcome(outcome: ReviewOutcome, reviewed: Outcome, new_outcome: Outcome | str | None) -> Outcome:
    if new_outcome is not None:
        try:
            new_outcome = Outcome(new_outcome)
        except ValueError as error:
            raise ReviewError("new_outcome", f"must be one of {[o.value for o in Outcome]}") from error
    if outcome == ReviewOutcome.upheld:
        if new_outcome not in (None, reviewed):
            raise ReviewError(
                "new_outcome", f"must be left out, or be '{reviewed}', when the decision is upheld"
            )
        return reviewed
    if new_outcome is None:
        raise ReviewError("new_outcome", "is required when the decision is changed")
    if new_outcome == reviewed:
        raise ReviewError("new_outcome", f"must differ from the reviewed decision '{reviewed}'")
    return new_outcome
