"""The advisor's decision on a client's current score. The human, not the model, decides.

Rules (the dashboard and the API both call :func:`record_decision`):

- only an advisor who may see the client decides, on the client's current
  (non-superseded) score; a refusal therefore always names an advisor;
- a written justification is required on a refusal, on any decision against
  the recommendation (approving a ``not_eligible``, refusing an ``eligible``)
  and on every decision about a ``review`` (grey zone or stale data) client;
- a decision against the recommendation is flagged for supervisor review, and
  the review policy (services/review_policy.py) queues the decisions a second
  person must look at; a reviewer's resolution (``supersedes``) is that look.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from neobank_dashboard.db.models import (
    Client,
    ClientStatus,
    Decision,
    Outcome,
    Recommendation,
    Score,
)
from neobank_dashboard.services import audit, review_policy
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.scoring import latest_score

MIN_JUSTIFICATION_LENGTH = 10
MAX_JUSTIFICATION_LENGTH = 2000
HISTORY_LIMIT = 10


class DecisionError(ValueError):
    """The decision cannot be recorded as given; ``field`` and ``reason`` say why."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


class ClientNotVisibleError(LookupError):
    """The advisor may not see this client (callers answer 'not found')."""


def overrides(recommendation: str, outcome: Outcome) -> bool:
    """True when the outcome goes against the model's recommendation."""
    return (recommendation == Recommendation.eligible and outcome == Outcome.refused) or (
        recommendation == Recommendation.not_eligible and outcome == Outcome.approved
    )


def justification_required(recommendation: str, outcome: Outcome) -> bool:
    return (
        outcome == Outcome.refused
        or recommendation == Recommendation.review
        or overrides(recommendation, outcome)
    )


def _may_decide(advisor: CurrentAdvisor, client: Client) -> bool:
    if client.status != ClientStatus.active:
        return False
    return advisor.sees_all_clients or client.advisor_id == advisor.id


def record_decision(
    session: Session,
    advisor: CurrentAdvisor,
    client: Client,
    outcome: Outcome | str,
    justification: str | None,
    *,
    request_id: str | None = None,
    supersedes: Decision | None = None,
) -> Decision:
    """Record and audit the advisor's decision on the client's current score.

    ``supersedes`` is the decision a reviewer's resolution replaces.

    Raises :class:`ClientNotVisibleError` when the advisor may not see the
    client and :class:`DecisionError` (field, reason) when a rule is broken.
    The row is flushed; the caller's transaction commits it.
    """
    if not _may_decide(advisor, client):
        raise ClientNotVisibleError(str(client.id))
    try:
        outcome = Outcome(outcome)
    except ValueError as error:
        raise DecisionError("outcome", f"must be one of {[o.value for o in Outcome]}") from error
    score = latest_score(session, client.id)
    if score is None:
        raise DecisionError("score", "the client has no score yet: score the client first")
    text = (justification or "").strip() or None
    against = overrides(score.recommendation, outcome)
    too_short = text is None or len(text) < MIN_JUSTIFICATION_LENGTH
    if too_short and justification_required(score.recommendation, outcome):
        raise DecisionError("justification", _why_required(score.recommendation, outcome))
    if text is not None and len(text) > MAX_JUSTIFICATION_LENGTH:
        raise DecisionError("justification", f"must be at most {MAX_JUSTIFICATION_LENGTH} characters")
    decision = Decision(
        score_id=score.id,
        client_id=client.id,
        advisor_id=advisor.id,
        outcome=outcome,
        overrides_recommendation=against,
        justification=text,
        needs_review=against,
        supersedes_id=supersedes.id if supersedes else None,
    )
    session.add(decision)
    session.flush()
    audit.record(
        session,
        actor=advisor.actor,
        action="decision",
        object_type="client",
        object_id=str(client.id),
        request_id=request_id,
        details={
            "decision_id": decision.id,
            "score_id": score.id,
            "outcome": outcome.value,
            "overrides_recommendation": against,
            "supersedes": decision.supersedes_id,
        },
    )
    if supersedes is None:
        review_policy.review_if_needed(session, decision, score, actor=advisor.actor, request_id=request_id)
    return decision


def _why_required(recommendation: str, outcome: Outcome) -> str:
    minimum = f"at least {MIN_JUSTIFICATION_LENGTH} characters"
    if overrides(recommendation, outcome):
        return f"is required ({minimum}) when the decision goes against the recommendation '{recommendation}'"
    if outcome == Outcome.refused:
        return f"is required ({minimum}) for a refusal"
    return f"is required ({minimum}) for a client in review (grey zone or stale data)"


def client_history(session: Session, client_id: uuid.UUID, limit: int = HISTORY_LIMIT) -> list[dict]:
    """The client's latest scores and decisions, merged newest first, as plain data."""
    scores = session.exec(
        select(Score)
        .where(col(Score.client_id) == client_id)
        .order_by(col(Score.created_at).desc())
        .limit(limit)
    ).all()
    made = session.exec(
        select(Decision)
        .where(Decision.client_id == client_id)
        .order_by(col(Decision.created_at).desc())
        .limit(limit)
    ).all()
    items = [
        {
            "kind": "score",
            "at": s.created_at,
            "probability": s.probability,
            "recommendation": s.recommendation,
            "superseded": s.superseded,
        }
        for s in scores
    ]
    items += [
        {
            "kind": "decision",
            "at": d.created_at,
            "outcome": d.outcome,
            "justification": d.justification,
            "override": d.overrides_recommendation,
        }
        for d in made
    ]
    return sorted(items, key=lambda item: item["at"], reverse=True)[:limit]
