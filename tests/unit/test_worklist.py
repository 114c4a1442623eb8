"""The worklist: decision status per client and the quick filters, in SQL."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from neobank_dashboard.db.models import Advisor, Client, Outcome, Role, Score
from neobank_dashboard.services import clients as clients_service
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.clients import ClientFilter, list_clients, quick_counts
from neobank_dashboard.services.worklist import (
    DecisionStatus,
    QuickFilter,
    decision_status_condition,
    decision_statuses,
    quick_filter_condition,
    quick_filter_counts,
)
from neobank_dashboard.state.worklist import chip_count
from tests.support.factories import TODAY, make_advisor, make_client, make_contest, make_decision, make_score


@pytest.fixture
def portfolio(db):
    """Five clients, one per situation."""
    advisor = make_advisor(db)
    make_advisor(db, Role.supervisor)
    clients = {}
    clients["new"] = make_client(db, advisor=advisor)
    make_score(db, clients["new"])
    clients["approved"] = make_client(db, advisor=advisor)
    make_decision(db, make_score(db, clients["approved"]), advisor, days_ago=3)
    clients["refused_then_approved"] = make_client(db, advisor=advisor)
    score = make_score(db, clients["refused_then_approved"])
    make_decision(db, score, advisor, outcome=Outcome.refused, days_ago=5)
    override = make_decision(db, score, advisor, days_ago=1)
    override.overrides_recommendation, override.justification = True, "Guarantor found."
    clients["contested"] = make_client(db, advisor=advisor)
    refusal = make_decision(db, make_score(db, clients["contested"]), advisor, outcome=Outcome.refused)
    contest = make_contest(db, refusal, advisor)
    clients["rescored"] = make_client(db, advisor=advisor, as_of_days_ago=400)
    make_decision(db, make_score(db, clients["rescored"], superseded=True), advisor, days_ago=9)
    rescored = make_score(db, clients["rescored"])
    rescored.risk_band = clients["rescored"].latest_risk_band = "C"
    db.add_all([rescored, clients["rescored"]])
    db.commit()
    return clients, contest


def test_each_client_has_its_decision_status(db, portfolio):
    clients, contest = portfolio
    statuses = decision_statuses(db, [c.id for c in clients.values()])
    assert {name: statuses[c.id].status for name, c in clients.items()} == {
        "new": DecisionStatus.none,
        "approved": DecisionStatus.approved,
        "refused_then_approved": DecisionStatus.approved,
        "contested": DecisionStatus.contested,
        "rescored": DecisionStatus.approved,
    }
    assert statuses[clients["new"].id].at is None
    assert statuses[clients["contested"].id].at == contest.created_at
    assert statuses[clients["refused_then_approved"].id].at.date() < TODAY
    assert decision_statuses(db, []) == {}


def _matching(db, condition) -> set:
    return set(db.exec(select(Client.id).where(condition)).all())


def test_the_status_filter_matches_the_shown_status(db, portfolio):
    clients, _ = portfolio
    statuses = decision_statuses(db, [c.id for c in clients.values()])
    for status in DecisionStatus:
        expected = {cid for cid, s in statuses.items() if s.status == status}
        assert _matching(db, decision_status_condition(status)) == expected, status


def test_of_two_decisions_taken_at_the_same_time_the_later_recorded_is_the_status(db, portfolio):
    clients, _ = portfolio
    advisor = CurrentAdvisor.of(db.get(Advisor, clients["new"].advisor_id))
    score = db.exec(select(Score).where(Score.client_id == clients["new"].id)).one()
    first = make_decision(db, score, advisor, outcome=Outcome.refused, days_ago=2)
    second = make_decision(db, score, advisor, outcome=Outcome.referred, days_ago=2)
    second.created_at = first.created_at
    db.add(second)
    db.commit()
    assert decision_statuses(db, [clients["new"].id])[clients["new"].id].status == DecisionStatus.referred
    assert clients["new"].id in _matching(db, decision_status_condition(DecisionStatus.referred))
    assert clients["new"].id not in _matching(db, decision_status_condition(DecisionStatus.refused))


def test_quick_filters_and_their_counts(db, portfolio):
    clients, _ = portfolio
    expected = {
        QuickFilter.to_do: {"new", "rescored"},  # rescored: its decision rests on the old score
        QuickFilter.grey_zone: {"rescored"},
        QuickFilter.stale: {"rescored"},
        QuickFilter.overrides: {"refused_then_approved"},
        QuickFilter.contests: {"contested"},
    }
    for quick, names in expected.items():
        assert _matching(db, quick_filter_condition(quick, TODAY)) == {clients[n].id for n in names}, quick
    counts = quick_filter_counts(db, [], TODAY)
    assert counts == {q.value: len(names) for q, names in expected.items()}
    mine = quick_filter_counts(db, [Client.id != clients["new"].id], TODAY)
    assert mine["to_do"] == 1
    assert db.exec(select(func.count()).select_from(Client)).one() == 5


def test_the_portfolio_filter_takes_the_status_and_quick_filters(db, portfolio):
    clients, _ = portfolio
    viewer = CurrentAdvisor.of(db.get(Advisor, clients["new"].advisor_id))

    def ids(**f):
        return {c.id for c in list_clients(db, viewer, ClientFilter(**f), today=TODAY)[0]}

    assert ids(decision_status="contested") == {clients["contested"].id}
    assert ids(quick="to_do") == {clients["new"].id, clients["rescored"].id}
    assert ids(quick="to_do", decision_status="none") == {clients["new"].id}
    # The chips count under the other filters, never under the chosen chip itself.
    counts = quick_counts(db, viewer, ClientFilter(quick="contests", decision_status="approved"), TODAY)
    assert counts == {"to_do": 1, "grey_zone": 1, "stale": 1, "overrides": 1, "contests": 0}


def test_quick_counts_stop_at_the_cap(db, portfolio, monkeypatch):
    """Each chip is a capped count: above the cap it reads '10 000+', below it is exact."""
    clients, _ = portfolio
    viewer = CurrentAdvisor.of(db.get(Advisor, clients["new"].advisor_id))
    monkeypatch.setattr(clients_service, "COUNT_CAP", 1)
    counts = quick_counts(db, viewer, ClientFilter(), TODAY)
    assert counts["to_do"] == 2 and clients_service.is_capped(counts["to_do"])  # two clients to do
    assert counts["contests"] == 1 and not clients_service.is_capped(counts["contests"])


def test_a_capped_chip_reads_the_cap_and_a_plus():
    cap = clients_service.COUNT_CAP
    assert (chip_count(cap + 1, "fr"), chip_count(cap + 1, "en")) == ("10\u202f000+", "10,000+")
    assert (chip_count(1234, "fr"), chip_count(7, "en")) == ("1\u202f234", "7")
