"""The advisor's decision on a client's current score. The human, not the model, decides.

Rules (the dashboard and the API both call :func:`record_decision`):

- only an advisor who may see the client decides, on the client's current
  (non-superseded) score; a refusal therefore always names an advisor;
- a written justification is required on a refusal, on any decision against
  the recommendation (approving a ``not_eligible``, refusing an ``eligible``),
  on every decision about a ``review`` (grey zone or stale data) client, and on
  any decision when age is the first reason of a ``not_eligible`` or ``review``
  score: age is never a reason for refusal, the other factors must carry it;
- a decision against the recommendation is flagged for supervisor review, and
  the review policy (services/review_policy.py) queues the decisions a second
  person must look at; a reviewer's resolution (``supersedes``) is that look.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from neobank_dashboard.db.models import (
    Client,
    ClientStatus,
    Decision,
    Outcome,
    Recommendation,
    Score,
    id_of,
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


class JustificationRule(StrEnum):
    """Why a justification is required; the page shows the one that applies."""

    age_first = "age_first"
    override = "override"
    refusal = "refusal"
    review = "review"


AGE_FEATURE = "age"


def age_leads(recommendation: str, first_reason_feature: str | None) -> bool:
    """Age is the first reason of a refusal or a review: the advisor must weigh the rest."""
    return first_reason_feature == AGE_FEATURE and recommendation in (
        Recommendation.not_eligible,
        Recommendation.review,
    )


def justification_rule(
    recommendation: str, outcome: Outcome | None, first_reason_feature: str | None = None
) -> JustificationRule | None:
    """The rule that requires a justification for this case, None when it is optional.

    Without an outcome yet, the rules that hold whatever the advisor chooses.
    """
    if age_leads(recommendation, first_reason_feature):
        return JustificationRule.age_first
    if outcome is not None and overrides(recommendation, outcome):
        return JustificationRule.override
    if outcome == Outcome.refused:
        return JustificationRule.refusal
    if recommendation == Recommendation.review:
        return JustificationRule.review
    return None


def justification_required(
    recommendation: str, outcome: Outcome, first_reason_feature: str | None = None
) -> bool:
    return justification_rule(recommendation, outcome, first_reason_feature) is not None


def first_reason_feature(score: Score) -> str | None:
    """The feature of the score's largest reason (stored ranked, largest first)."""
    return score.reasons[0]["feature"] if score.reasons else None


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
    rule = justification_rule(score.recommendation, outcome, first_reason_feature(score))
    if too_short and rule is not None:
        raise DecisionError("justification", _why_required(rule, score.recommendation))
    if text is not None and len(text) > MAX_JUSTIFICATION_LENGTH:
        raise DecisionError("justification", f"must be at most {MAX_JUSTIFICATION_LENGTH} characters")
    decision = Decision(
        score_id=id_of(score),
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
    note_latest_decision(session, client)
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


def note_latest_decision(session: Session, client: Client) -> None:
    """Keep ``client.latest_decision_outcome``, which the worklist's status filters read,
    on the outcome of the client's latest decision (by time, then id; None before any).
    Read back from the decisions (one row off their client index) rather than taken from
    the caller, so that whichever path writes a decision cannot store a stale one."""
    outcome = session.exec(
        select(Decision.outcome)
        .where(col(Decision.client_id) == client.id)
        .order_by(col(Decision.created_at).desc(), col(Decision.id).desc())
        .limit(1)
    ).first()
    client.latest_decision_outcome = None if outcome is None else Outcome(outcome).value
    session.add(client)


_WHY_REQUIRED = {
    JustificationRule.age_first: (
        "age is the first reason of this score: age is never a reason for refusal, "
        "so say how the other factors support the decision"
    ),
    JustificationRule.override: "the decision goes against the recommendation '{recommendation}'",
    JustificationRule.refusal: "this is a refusal",
    JustificationRule.review: "the client is in review (grey zone or stale data)",
}


def _why_required(rule: JustificationRule, recommendation: str) -> str:
    why = _WHY_REQUIRED[rule].format(recommendation=recommendation)
    return f"is required (at least {MIN_JUSTIFICATION_LENGTH} characters): {why}"


def latest_decision(session: Session, client_id: uuid.UUID) -> dict | None:
    """The client's latest decision as plain data (the page offers its letter)."""
    decision = session.exec(
        select(Decision)
        .where(Decision.client_id == client_id)
        .order_by(col(Decision.created_at).desc())
        .limit(1)
    ).first()
    if decision is None:
        return None
    return {"id": decision.id, "outcome": decision.outcome, "at": decision.created_at}


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
    items: list[dict[str, Any]] = [
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
