"""The review queue: which decisions it gets, due dates, four-eyes, claims, resolutions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from neobank_dashboard.db.models import (
    AuditEvent,
    Decision,
    Outcome,
    Review,
    ReviewKind,
    ReviewStatus,
    Role,
)
from neobank_dashboard.services import review_policy, reviews
from neobank_dashboard.services.auth import SupervisorRequiredError
from neobank_dashboard.services.decisions import record_decision
from neobank_dashboard.settings import EXEMPTIBLE_REVIEW_KINDS, Settings, get_settings
from tests.support.factories import make_advisor, make_client, make_score

WHY = "Payslips and bank statements checked with the client."
CRITICAL_STALE = {"income": {"as_of": "2025-01-01", "age_days": 700, "stale": True, "critical": True}}


@pytest.fixture
def people(db):
    people = {
        "camille": make_advisor(db),
        "sophie": make_advisor(db, Role.supervisor),
        "marc": make_advisor(db, Role.admin),
    }
    db.commit()
    return people


@pytest.fixture
def policy(monkeypatch):
    """Set the review policy's environment for one test."""

    def set_policy(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield set_policy
    get_settings.cache_clear()


def _decide(db, advisor, *, recommendation="eligible", band="B", freshness=None, outcome=Outcome.approved):
    client = make_client(db, advisor=advisor)
    score = make_score(db, client)
    score.recommendation, score.risk_band, score.freshness = recommendation, band, freshness or {}
    db.add(score)
    decision = record_decision(db, advisor, client, outcome, WHY)
    db.commit()
    return decision


def _review_of(db, decision) -> Review | None:
    return db.exec(select(Review).where(Review.decision_id == decision.id)).first()


@pytest.mark.parametrize(
    "start,days,due",
    [
        (date(2026, 12, 2), 2, date(2026, 12, 4)),  # Wednesday -> Friday
        (date(2026, 12, 3), 2, date(2026, 12, 7)),  # Thursday -> over the weekend -> Monday
        (date(2026, 12, 4), 2, date(2026, 12, 8)),  # Friday -> Tuesday
        (date(2026, 12, 5), 2, date(2026, 12, 8)),  # Saturday: Monday is day 1
        (date(2026, 12, 6), 5, date(2026, 12, 11)),  # Sunday, a contest's 5 days -> Friday
        (date(2026, 12, 23), 2, date(2026, 12, 28)),  # Christmas Day (Friday) is no business day
        (date(2026, 12, 30), 2, date(2027, 1, 4)),  # New Year's Day, in the next year
        (date(2027, 7, 13), 1, date(2027, 7, 15)),  # 14 July
    ],
)
def test_due_dates_count_business_days_without_public_holidays(start, days, due):
    assert review_policy.business_days_after(start, days) == due


def test_the_holiday_calendar_is_the_banks_country(policy):
    policy(NEOBANK_REVIEW_HOLIDAYS="GB")
    assert review_policy.business_days_after(date(2027, 7, 13), 1) == date(2027, 7, 14)
    with pytest.raises(ValueError, match="no public-holiday calendar"):
        Settings(review_holidays="XX")


def test_service_levels_come_from_the_settings(policy):
    friday = date(2026, 12, 4)
    assert review_policy.due_on(ReviewKind.contest, friday) == date(2026, 12, 11)
    assert review_policy.due_on(ReviewKind.override, friday) == date(2026, 12, 8)
    policy(NEOBANK_REVIEW_DAYS_OTHER="1")
    assert review_policy.due_on(ReviewKind.grey_zone, friday) == date(2026, 12, 7)


@pytest.mark.parametrize(
    "decided,kind",
    [
        ({"recommendation": "not_eligible", "band": "E"}, ReviewKind.override),
        ({"recommendation": "review", "band": "C"}, ReviewKind.grey_zone),
        ({"recommendation": "review", "band": "B", "freshness": CRITICAL_STALE}, ReviewKind.stale_data),
        ({"recommendation": "eligible", "band": "A"}, None),
    ],
    ids=["override", "grey_zone", "stale_data", "none"],
)
def test_a_decision_opens_the_review_its_policy_asks_for(db, people, decided, kind):
    decision = _decide(db, people["camille"], **decided)
    review = _review_of(db, decision)
    assert (review.kind if review else None) == kind
    if review:
        assert review.status == ReviewStatus.open and review.client_id == decision.client_id
        assert review.due_on == review_policy.due_on(kind, review.created_at.date())
        opened = db.exec(select(AuditEvent).where(AuditEvent.action == "review_opened")).one()
        assert opened.details == {"review_id": review.id, "kind": kind.value, "decision_id": decision.id}


def test_the_bank_may_exempt_kinds_but_never_contests(db, people, policy):
    policy(NEOBANK_REVIEW_EXEMPT_KINDS="grey_zone, stale_data")
    assert _review_of(db, _decide(db, people["camille"], recommendation="review", band="C")) is None
    stale_grey = _decide(db, people["camille"], recommendation="review", band="C", freshness=CRITICAL_STALE)
    assert _review_of(db, stale_grey) is None
    assert _review_of(db, _decide(db, people["camille"], recommendation="not_eligible")).kind == "override"
    with pytest.raises(ValueError, match="cannot be exempted"):
        Settings(review_exempt_kinds="override,contest")
    assert EXEMPTIBLE_REVIEW_KINDS == {k.value for k in ReviewKind} - {ReviewKind.contest}


def test_an_exempt_kind_gives_way_to_the_next_one(db, people, policy):
    policy(NEOBANK_REVIEW_EXEMPT_KINDS="stale_data")
    decision = _decide(db, people["camille"], recommendation="review", band="C", freshness=CRITICAL_STALE)
    assert _review_of(db, decision).kind == ReviewKind.grey_zone


def test_the_queue_lists_filters_and_counts_by_kind(db, people):
    override = _decide(db, people["camille"], recommendation="not_eligible")
    _decide(db, people["camille"], recommendation="review", band="C")
    own = _decide(db, people["sophie"], recommendation="not_eligible")
    page = reviews.list_reviews(db, people["sophie"], reviews.ReviewFilter())
    assert page.count == 2 and {i.decision.id for i in page.items} >= {override.id}
    assert own.id not in {i.decision.id for i in page.items}  # never one's own decision
    assert page.count_by_kind == {"override": 1, "grey_zone": 1, "stale_data": 0, "contest": 0}
    only = reviews.list_reviews(db, people["sophie"], reviews.ReviewFilter(kind=ReviewKind.override))
    assert only.count == 1 and only.items[0].decided_by == people["camille"].full_name
    assert only.items[0].review.kind == "override" and only.count_by_kind["grey_zone"] == 1
    assert reviews.list_reviews(db, people["marc"], reviews.ReviewFilter()).count == 3
    with pytest.raises(SupervisorRequiredError):
        reviews.list_reviews(db, people["camille"], reviews.ReviewFilter())


def test_overdue_items_are_those_past_their_due_date(db, people):
    late = _review_of(db, _decide(db, people["camille"], recommendation="not_eligible"))
    _decide(db, people["camille"], recommendation="review", band="C")
    late.due_on = date(2026, 1, 5)
    db.add(late)
    db.commit()
    page = reviews.list_reviews(db, people["sophie"], reviews.ReviewFilter(overdue=True))
    assert [i.review.id for i in page.items] == [late.id]


def test_the_decider_may_neither_claim_nor_resolve(db, people):
    decision = _decide(db, people["sophie"], recommendation="not_eligible")
    review = _review_of(db, decision)
    with pytest.raises(reviews.FourEyesError, match="another staff member"):
        reviews.claim(db, people["sophie"], review.id)
    with pytest.raises(reviews.FourEyesError):
        reviews.resolve(db, people["sophie"], review.id, "upheld", WHY)
    assert db.exec(select(Decision).where(Decision.supersedes_id == decision.id)).first() is None


def test_a_claimed_item_is_resolved_by_its_claimant_only(db, people):
    review = _review_of(db, _decide(db, people["camille"], recommendation="not_eligible"))
    assert reviews.claim(db, people["sophie"], review.id).assignee_id == people["sophie"].id
    assert reviews.claim(db, people["sophie"], review.id).assignee_id == people["sophie"].id
    db.commit()
    with pytest.raises(reviews.ReviewConflictError, match="claimed"):
        reviews.claim(db, people["marc"], review.id)
    with pytest.raises(reviews.ReviewConflictError, match="claimed"):
        reviews.resolve(db, people["marc"], review.id, "upheld", WHY)
    claims = db.exec(select(AuditEvent).where(AuditEvent.action == "review_claimed")).all()
    assert len(claims) == 1


def test_upholding_records_a_new_linked_decision(db, people):
    decision = _decide(db, people["camille"], recommendation="not_eligible")
    review = _review_of(db, decision)
    new = reviews.resolve(db, people["sophie"], review.id, "upheld", "  Income verified on payslips.  ")
    db.commit()
    db.refresh(review)
    assert (new.supersedes_id, new.outcome, new.advisor_id) == (decision.id, "approved", people["sophie"].id)
    assert new.justification == "Income verified on payslips."
    assert review.status == "resolved" and review.resolution == "upheld"
    assert (review.resolved_by, review.resolution_decision_id) == (people["sophie"].id, new.id)
    assert _review_of(db, new) is None  # the resolution is the second look: no new item
    resolved = db.exec(select(AuditEvent).where(AuditEvent.action == "review_resolved")).one()
    assert resolved.details["new_decision_id"] == new.id and resolved.actor == people["sophie"].actor
    with pytest.raises(reviews.ReviewConflictError, match="already resolved"):
        reviews.resolve(db, people["marc"], review.id, "changed", WHY, "refused")


def test_changing_needs_a_different_outcome(db, people):
    review = _review_of(db, _decide(db, people["camille"], recommendation="not_eligible"))
    for outcome, new_outcome, field in [
        ("changed", None, "new_outcome"),
        ("changed", "approved", "new_outcome"),
        ("upheld", "refused", "new_outcome"),
        ("maybe", None, "outcome"),
    ]:
        with pytest.raises(reviews.ReviewError) as refused:
            reviews.resolve(db, people["sophie"], review.id, outcome, WHY, new_outcome)
        assert refused.value.field == field
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.resolve(db, people["sophie"], review.id, "upheld", "   ")
    assert refused.value.field == "justification"
    new = reviews.resolve(db, people["sophie"], review.id, "changed", WHY, "refused")
    assert new.outcome == "refused" and not new.overrides_recommendation


def test_unknown_item_is_not_found(db, people):
    with pytest.raises(reviews.ReviewNotFoundError):
        reviews.claim(db, people["sophie"], 999_999)
