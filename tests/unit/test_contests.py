"""Contests: the statement, corrections through rectification, the review it opens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from neobank_dashboard.db.models import AuditEvent, Contest, Outcome, ReviewKind, Role, Score
from neobank_dashboard.services import contests, decisions, reviews, rgpd, scoring
from neobank_dashboard.services.auth import SupervisorRequiredError
from tests.support.factories import TODAY, day, make_advisor, make_client

WHY = "Income below what the repayments need."


@pytest.fixture
def people(db):
    people = {
        "camille": make_advisor(db),
        "julien": make_advisor(db),
        "sophie": make_advisor(db, Role.supervisor),
    }
    db.commit()
    return people


@pytest.fixture
def refused(db, people, serving):
    """A client of Camille's, scored by the model, refused by Camille."""
    client = make_client(db, advisor=people["camille"], days_ago=30, income=18_000.0)
    scoring.score_client(
        db, client, actor=people["camille"].actor, channel="ui", purpose="credit_application"
    )
    decision = decisions.record_decision(db, people["camille"], client, Outcome.refused, WHY)
    db.commit()
    return decision


def test_a_contest_with_a_corrected_income_rescores_and_queues_a_review(db, people, refused):
    review = contests.open_contest(
        db, people["camille"], refused.id, " My income doubled in October. ", {"income": (52_000.0, day(3))}
    )
    db.commit()
    contest = db.get(Contest, review.contest_id)
    before, after = db.get(Score, contest.score_before_id), db.get(Score, contest.score_after_id)
    assert before.id == refused.score_id and before.superseded and not after.superseded
    assert after.features["values"]["income"] == 52_000.0 and after.probability < before.probability
    assert contest.statement == "My income doubled in October."
    assert contest.corrections == {"income": {"value": 52_000.0, "as_of": day(3).isoformat()}}
    assert review.kind == ReviewKind.contest and review.decision_id == refused.id
    assert review.due_on > TODAY + timedelta(days=4)  # five business days
    item = reviews.queue_item(db, review.id)
    assert (item.score_before.id, item.score_after.id) == (before.id, after.id)  # the reviewer sees both
    actions = db.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-3:] == ["rgpd_rectification", "contest_received", "review_opened"]


def test_the_resolution_decides_on_the_corrected_score(db, people, refused):
    review = contests.open_contest(
        db, people["camille"], refused.id, "Wrong income.", {"income": (52_000.0, TODAY)}
    )
    with pytest.raises(SupervisorRequiredError):  # advisors do not work the queue
        reviews.resolve(db, people["camille"], review.id, "changed", WHY, "approved")
    new = reviews.resolve(
        db, people["sophie"], review.id, "changed", "The corrected income is enough.", "approved"
    )
    db.commit()
    contest = db.get(Contest, review.contest_id)
    assert (new.score_id, new.supersedes_id, new.outcome) == (contest.score_after_id, refused.id, "approved")


def test_a_contest_without_corrections_keeps_the_score(db, people, refused):
    review = contests.open_contest(db, people["camille"], refused.id, "I want a person to look again.")
    contest = db.get(Contest, review.contest_id)
    assert contest.score_after_id is None and contest.corrections == {}
    assert not db.get(Score, refused.score_id).superseded


@pytest.mark.parametrize("statement", [None, "", "   \n ", "nul \x00 inside"])
def test_a_statement_is_required(db, people, refused, statement):
    with pytest.raises(reviews.ReviewError) as error:
        contests.open_contest(db, people["camille"], refused.id, statement)
    assert error.value.field == "statement"


def test_outside_the_portfolio_the_decision_is_not_found(db, people, refused):
    for decision_id in (refused.id, 999_999):
        with pytest.raises(contests.DecisionNotFoundError):
            contests.open_contest(db, people["julien"], decision_id, "Please review.")


def test_invalid_corrections_change_nothing(db, people, refused):
    with pytest.raises(rgpd.RectificationError):
        contests.open_contest(db, people["camille"], refused.id, "Wrong.", {"income": (-5.0, TODAY)})
    with pytest.raises(rgpd.RectificationError):
        contests.open_contest(
            db, people["camille"], refused.id, "Wrong.", {"income": (5.0, TODAY + timedelta(1))}
        )
    db.rollback()
    assert db.exec(select(Contest)).all() == []


def test_one_contest_at_a_time_per_decision(db, people, refused):
    contests.open_contest(db, people["camille"], refused.id, "Please review.")
    with pytest.raises(reviews.ReviewConflictError):
        contests.open_contest(db, people["camille"], refused.id, "Again.")


def test_the_decision_in_force_and_its_pending_contest(db, people, refused):
    client_id = str(refused.client_id)
    assert contests.decision_in_force(db, people["camille"], client_id) == (refused, False)
    assert contests.decision_in_force(db, people["julien"], client_id) == (None, False)  # not his client
    contests.open_contest(db, people["camille"], refused.id, "I disagree.")
    assert contests.decision_in_force(db, people["camille"], client_id) == (refused, True)
