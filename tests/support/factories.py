"""Test factories: valid inputs, and rows of any age written directly.

Timestamps are explicit (``days_ago``), so a purge "today" sees exactly the
ages a test chose. Advisors get a placeholder hash: hashing is not under test
(``tests/unit/test_auth.py`` creates its own through the auth service).
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

from modeling.features import FEATURE_NAMES
from neobank_dashboard.db import OutcomeSource, RepaymentOutcome
from neobank_dashboard.db.models import (
    Advisor,
    AuthSession,
    Client,
    ClientStatus,
    Contest,
    Decision,
    Outcome,
    Review,
    ReviewKind,
    Role,
    Score,
)
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.decisions import note_latest_decision

TODAY = utcnow().date()
_serial = itertools.count(1)
# A low-risk applicant whose every feature is in range.
_VALID_FEATURES = {
    "age": 41,
    "income": 38500.0,
    "seniority": 6.5,
    "payment_incidents": 0,
    "credit_score": 712,
}


def valid_features(**overrides) -> dict:
    """The five features of a valid, low-risk applicant, with ``overrides`` applied."""
    return _VALID_FEATURES | overrides


def day(days_ago: int) -> date:
    return TODAY - timedelta(days=days_ago)


def at(days_ago: int) -> datetime:
    """Noon UTC, ``days_ago`` days before today."""
    return datetime.combine(day(days_ago), time(12), tzinfo=UTC)


def make_advisor(db, role: Role = Role.advisor, email: str | None = None) -> CurrentAdvisor:
    n = next(_serial)
    advisor = Advisor(
        email=email or f"{role}{n}@bank.example",
        full_name=f"{role} {n}",
        password_hash="not-a-real-hash",
        role=role,
    )
    db.add(advisor)
    db.flush()
    return CurrentAdvisor.of(advisor)


def make_client(
    db,
    *,
    advisor: CurrentAdvisor | None = None,
    days_ago: int = 0,
    as_of_days_ago: int | None = None,
    status: str = ClientStatus.active,
    **values,
) -> Client:
    as_of = day(days_ago if as_of_days_ago is None else as_of_days_ago)
    client = Client(
        **valid_features(**values),
        **{f"{name}_as_of": as_of for name in FEATURE_NAMES},
        oldest_as_of=as_of,
        advisor_id=advisor.id if advisor else None,
        status=status,
        created_at=at(days_ago),
        updated_at=at(days_ago),
    )
    db.add(client)
    db.flush()
    return client


def make_score(
    db, client: Client, *, days_ago: int = 0, superseded: bool = False, current: bool = True
) -> Score:
    """A scoring event; ``current`` copies it onto the client row like the scoring service."""
    score = Score(
        client_id=client.id,
        model_version="f" * 64,
        features={name: getattr(client, name) for name in FEATURE_NAMES},
        probability=0.12,
        recommendation="eligible",
        risk_band="B",
        threshold=0.2,
        base_value=-2.0,
        contributions={},
        reasons=[],
        freshness={},
        channel="ui",
        actor="advisor:1",
        superseded=superseded,
        created_at=at(days_ago),
    )
    db.add(score)
    db.flush()
    if current and not superseded:
        client.latest_probability, client.latest_recommendation = 0.12, "eligible"
        client.latest_risk_band, client.latest_scored_at = "B", at(days_ago)
        db.add(client)
    return score


def make_decision(
    db, score: Score, advisor: CurrentAdvisor, *, outcome: Outcome = Outcome.approved, days_ago: int = 0
) -> Decision:
    decision = Decision(
        score_id=score.id,
        client_id=score.client_id,
        advisor_id=advisor.id,
        outcome=outcome,
        created_at=at(days_ago),
        justification=None if outcome == Outcome.approved else "Income too low.",
    )
    db.add(decision)
    db.flush()
    client = db.get(Client, score.client_id)
    if client is not None:
        note_latest_decision(db, client)  # as record_decision keeps it
        db.flush()
    return decision


def make_outcome(db, score: Score, *, defaulted: bool = False, days_ago: int = 0) -> RepaymentOutcome:
    outcome = RepaymentOutcome(
        client_id=score.client_id,
        score_id=score.id,
        defaulted=defaulted,
        observed_on=day(days_ago),
        source=OutcomeSource.csv,
        recorded_by="test",
        created_at=at(days_ago),
    )
    db.add(outcome)
    db.flush()
    return outcome


def make_browser_session(db, advisor: CurrentAdvisor, *, days_ago: int) -> AuthSession:
    browser = AuthSession(
        token_hash=f"{days_ago:064d}",
        advisor_id=advisor.id,
        created_at=at(days_ago),
        expires_at=at(days_ago) + timedelta(hours=8),
    )
    db.add(browser)
    db.flush()
    return browser


def make_contest(db, decision: Decision, advisor: CurrentAdvisor, *, days_ago: int = 0) -> Review:
    """A contest of the decision and its open review item."""
    contest = Contest(
        decision_id=decision.id,
        client_id=decision.client_id,
        statement="I disagree with this decision.",
        score_before_id=decision.score_id,
        received_by=advisor.id,
        created_at=at(days_ago),
    )
    db.add(contest)
    db.flush()
    review = Review(
        kind=ReviewKind.contest,
        decision_id=decision.id,
        client_id=decision.client_id,
        contest_id=contest.id,
        due_on=day(days_ago - 7),
        created_at=at(days_ago),
    )
    db.add(review)
    db.flush()
    return review
