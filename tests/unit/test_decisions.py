"""Decision rules: who decides, on which score, and when a justification is required."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from neobank_dashboard.db.models import AuditEvent, Client, Decision, Role, Score
from neobank_dashboard.services.decisions import (
    ClientNotVisibleError,
    DecisionError,
    JustificationRule,
    client_history,
    justification_required,
    justification_rule,
    overrides,
    record_decision,
)
from tests.support.factories import make_advisor

TODAY = date(2026, 11, 25)
WHY = "Payslips and bank statements checked with the client."


def _client_with_score(
    db, advisor_id: int, recommendation: str | None, first_reason: str | None = None
) -> Client:
    client = Client(
        age=40,
        income=30000,
        seniority=5,
        payment_incidents=0,
        credit_score=700,
        **{f"{n}_as_of": TODAY for n in ("age", "income", "seniority", "payment_incidents", "credit_score")},
        oldest_as_of=TODAY,
        advisor_id=advisor_id,
    )
    db.add(client)
    db.flush()
    if recommendation:
        db.add(
            Score(
                client_id=client.id,
                model_version="v" * 64,
                features={},
                probability=0.05,
                recommendation=recommendation,
                risk_band="B",
                threshold=0.1,
                base_value=-2.0,
                contributions={},
                reasons=[{"feature": first_reason, "direction": "raises"}] if first_reason else [],
                freshness={},
                channel="ui",
                actor=f"advisor:{advisor_id}",
            )
        )
        db.flush()
    return client


@pytest.fixture
def people(db):
    people = {
        "camille": make_advisor(db, email="camille@bank.example"),
        "julien": make_advisor(db, email="julien@bank.example"),
        "sophie": make_advisor(db, Role.supervisor, email="sophie@bank.example"),
    }
    db.commit()
    return people


@pytest.mark.parametrize(
    "recommendation,outcome,required,against",
    [
        ("eligible", "approved", False, False),
        ("eligible", "referred", False, False),
        ("eligible", "refused", True, True),
        ("not_eligible", "refused", True, False),
        ("not_eligible", "approved", True, True),
        ("not_eligible", "referred", False, False),
        ("review", "approved", True, False),
        ("review", "referred", True, False),
        ("review", "refused", True, False),
    ],
)
def test_justification_rules(db, people, recommendation, outcome, required, against):
    from neobank_dashboard.db.models import Outcome

    assert justification_required(recommendation, Outcome(outcome)) is required
    assert overrides(recommendation, Outcome(outcome)) is against
    client = _client_with_score(db, people["camille"].id, recommendation)
    if required:
        with pytest.raises(DecisionError) as caught:
            record_decision(db, people["camille"], client, outcome, "  ")
        assert caught.value.field == "justification"
        assert "required" in caught.value.reason
    decision = record_decision(db, people["camille"], client, outcome, WHY)
    db.commit()
    assert decision.overrides_recommendation is against
    assert decision.needs_review is against
    assert decision.advisor_id == people["camille"].id


def test_decision_is_audited_without_the_justification_text(db, people):
    client = _client_with_score(db, people["camille"].id, "eligible")
    decision = record_decision(db, people["camille"], client, "refused", WHY)
    db.commit()
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "decision")).one()
    assert event.actor == people["camille"].actor and event.object_id == str(client.id)
    assert event.details["decision_id"] == decision.id
    assert event.details["overrides_recommendation"] is True
    assert WHY not in str(event.details)


def test_another_advisors_client_is_not_visible_but_a_supervisor_decides(db, people):
    client = _client_with_score(db, people["camille"].id, "eligible")
    with pytest.raises(ClientNotVisibleError):
        record_decision(db, people["julien"], client, "approved", None)
    assert record_decision(db, people["sophie"], client, "approved", None).id


def test_no_decision_without_a_score_or_with_an_unknown_outcome(db, people):
    unscored = _client_with_score(db, people["camille"].id, None)
    with pytest.raises(DecisionError) as caught:
        record_decision(db, people["camille"], unscored, "approved", WHY)
    assert caught.value.field == "score"
    scored = _client_with_score(db, people["camille"].id, "eligible")
    with pytest.raises(DecisionError) as caught:
        record_decision(db, people["camille"], scored, "maybe", WHY)
    assert caught.value.field == "outcome"


def test_too_long_justification_is_refused(db, people):
    client = _client_with_score(db, people["camille"].id, "eligible")
    with pytest.raises(DecisionError) as caught:
        record_decision(db, people["camille"], client, "refused", "x" * 2001)
    assert caught.value.field == "justification"
    assert db.exec(select(Decision)).all() == []


def test_restricted_client_cannot_be_decided(db, people):
    client = _client_with_score(db, people["camille"].id, "eligible")
    client.status = "restricted"
    with pytest.raises(ClientNotVisibleError):
        record_decision(db, people["camille"], client, "approved", None)


def test_the_history_merges_scores_and_decisions_newest_first(db, people):
    client = _client_with_score(db, people["camille"].id, "eligible")
    record_decision(db, people["camille"], client, "approved", None)
    record_decision(db, people["camille"], client, "refused", WHY)
    db.commit()
    history = client_history(db, client.id)
    assert [item["kind"] for item in history] == ["decision", "decision", "score"]
    assert [history[0]["outcome"], history[0]["justification"], history[0]["override"]] == [
        "refused",
        WHY,
        True,
    ]
    assert history[2]["recommendation"] == "eligible" and not history[2]["superseded"]
    assert len(client_history(db, client.id, limit=2)) == 2


@pytest.mark.parametrize(
    "recommendation,outcome,first_reason,rule",
    [
        ("not_eligible", "referred", "age", JustificationRule.age_first),
        ("not_eligible", "refused", "age", JustificationRule.age_first),
        ("review", "approved", "age", JustificationRule.age_first),
        ("eligible", "approved", "age", None),
        ("not_eligible", "referred", "income", None),
        ("not_eligible", "refused", "income", JustificationRule.refusal),
        ("eligible", "refused", "age", JustificationRule.override),
    ],
)
def test_age_first_reason_requires_a_justification(db, people, recommendation, outcome, first_reason, rule):
    from neobank_dashboard.db.models import Outcome

    assert justification_rule(recommendation, Outcome(outcome), first_reason) is rule
    client = _client_with_score(db, people["camille"].id, recommendation, first_reason)
    if rule is JustificationRule.age_first:
        with pytest.raises(DecisionError) as caught:
            record_decision(db, people["camille"], client, outcome, "")
        assert caught.value.field == "justification"
        assert "age is the first reason" in caught.value.reason
    assert record_decision(db, people["camille"], client, outcome, WHY).justification == WHY


def test_the_rule_shown_before_an_outcome_is_chosen():
    assert justification_rule("review", None) is JustificationRule.review
    assert justification_rule("not_eligible", None, "age") is JustificationRule.age_first
    assert justification_rule("eligible", None) is None
