"""A client contests a decision (CCD 2023/2225 Art. 18, GDPR Art. 22(3)).

An advisor records it on the client's behalf: the client's statement and,
optionally, corrected values of the features with their observation dates.
The corrections go through rectification first (services/rgpd.py), so the
client is scored again and the old score superseded; the contest then opens a
review that someone other than the decider resolves (services/reviews.py),
with both scores side by side.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from neobank_dashboard.db.models import Contest, Decision, Review, ReviewKind, ReviewStatus, id_of
from neobank_dashboard.services import audit, review_policy, rgpd
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.clients import get_client
from neobank_dashboard.services.reviews import ReviewConflictError, written_text

MAX_STATEMENT_LENGTH = 4000


class DecisionNotFoundError(LookupError):
    """No such decision in the advisor's portfolio (callers answer 'not found')."""


def decision_in_force(
    session: Session, advisor: CurrentAdvisor, client_id: str
) -> tuple[Decision | None, bool]:
    """The client's latest decision, the one a contest is about, and whether a contest
    of it is already waiting for its review. (None, False) outside the portfolio."""
    client = get_client(session, advisor, client_id)
    if client is None:
        return None, False
    decision = session.exec(
        select(Decision)
        .where(col(Decision.client_id) == client.id)
        .order_by(col(Decision.created_at).desc(), col(Decision.id).desc())
        .limit(1)
    ).first()
    return decision, decision is not None and session.exec(_pending(decision)).first() is not None


def _pending(decision: Decision):
    return select(Review.id).where(
        Review.decision_id == decision.id,
        Review.kind == ReviewKind.contest,
        Review.status == ReviewStatus.open,
    )


def open_contest(
    session: Session,
    advisor: CurrentAdvisor,
    decision_id: int,
    statement: str | None,
    corrections: dict[str, tuple[float, date]] | None = None,
    *,
    request_id: str | None = None,
    today: date | None = None,
) -> Review:
    """Record the contest, apply its corrections and queue its review.

    Raises :class:`DecisionNotFoundError` outside the advisor's portfolio,
    :class:`ReviewError` for a blank statement, ``rgpd.RectificationError`` for
    invalid corrections and :class:`ReviewConflictError` when a contest of the
    decision is already waiting for its review.
    """
    decision = session.get(Decision, decision_id)
    client = get_client(session, advisor, str(decision.client_id)) if decision else None
    if decision is None or client is None:
        raise DecisionNotFoundError(str(decision_id))
    text = written_text(
        "statement",
        statement,
        minimum=1,
        maximum=MAX_STATEMENT_LENGTH,
        required="the client's statement is required",
    )
    if session.exec(_pending(decision)).first() is not None:
        raise ReviewConflictError("a contest of this decision is already waiting for its review")
    corrections = corrections or {}
    rescored = None
    if corrections:
        rescored = rgpd.apply_corrections(
            session, advisor, client, corrections, request_id=request_id, today=today
        )
    contest = Contest(
        decision_id=id_of(decision),
        client_id=client.id,
        statement=text,
        corrections={name: {"value": v, "as_of": d.isoformat()} for name, (v, d) in corrections.items()},
        score_before_id=decision.score_id,
        score_after_id=rescored.id if rescored else None,
        received_by=advisor.id,
    )
    session.add(contest)
    session.flush()
    audit.record(
        session,
        actor=advisor.actor,
        action="contest_received",
        object_type="client",
        object_id=str(client.id),
        request_id=request_id,
        details={
            "contest_id": contest.id,
            "decision_id": decision.id,
            "corrected": sorted(corrections),
            "rescored_score_id": contest.score_after_id,
        },
    )
    return review_policy.open_review(
        session, decision, ReviewKind.contest, actor=advisor.actor, contest=contest, request_id=request_id
    )
