"""Human-oversight figures on a small crafted dataset, with times set by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from sqlmodel import select

from neobank_dashboard.db.models import AuditEvent, Outcome, Role
from neobank_dashboard.services import oversight
from neobank_dashboard.services.auth import SupervisorRequiredError
from neobank_dashboard.services.clients import ClientView, view_client
from neobank_dashboard.services.decisions import record_decision
from tests.support.factories import make_advisor, make_client, make_score

WHY = "Checked the payslips with the client."
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _last_event(db, action: str) -> AuditEvent:
    return db.exec(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())
    ).first()


def _decide(db, hour, advisor, recommendation, outcome, *, after=None, view=ClientView.page, viewer=None):
    """A decision ``after`` seconds from the advisor's (or ``viewer``'s) opening of the client,
    ``hour`` hours after START."""
    opened_at = START + timedelta(hours=hour)
    client = make_client(db, advisor=advisor)
    score = make_score(db, client)
    score.recommendation = recommendation
    db.add(score)
    if after is not None:
        view_client(db, viewer or advisor, str(client.id), view=view)
        event = _last_event(db, "client_view")
        event.created_at = opened_at
        db.add(event)
    decision = record_decision(db, advisor, client, outcome, WHY)
    decided_at = opened_at + timedelta(seconds=after or 60)
    event = _last_event(db, "decision")
    event.created_at = decision.created_at = decided_at
    db.add_all([event, decision])
    db.flush()


@pytest.fixture
def crafted(db):
    stamper, careful, boss = make_advisor(db), make_advisor(db), make_advisor(db, Role.supervisor)
    hour = count()
    for seconds in (3, 4, 5, 6, 7):
        _decide(db, next(hour), stamper, "eligible", Outcome.approved, after=seconds)
    _decide(db, next(hour), careful, "not_eligible", Outcome.approved, after=100)
    _decide(db, next(hour), careful, "eligible", Outcome.approved, after=200)
    _decide(db, next(hour), careful, "eligible", Outcome.refused, after=300, view=ClientView.record)
    _decide(db, next(hour), careful, "review", Outcome.referred)  # never opened
    _decide(
        db, next(hour), careful, "eligible", Outcome.approved, after=10, viewer=boss
    )  # opened by someone else
    db.commit()
    return stamper, careful, boss


def test_figures_per_advisor_and_in_total(db, crafted):
    stamper, careful, boss = crafted
    report = oversight.oversight_report(db, boss)
    by_id = {a.advisor_id: a for a in report.advisors}
    assert set(by_id) == {stamper.id, careful.id}
    assert by_id[stamper.id].full_name == stamper.full_name
    assert by_id[stamper.id].figures == oversight.OversightFigures(
        decisions=5,
        overrides=0,
        override_rate=0.0,
        agreement_rate=1.0,
        median_seconds_to_decide=pytest.approx(5.0, abs=0.01),
        without_reasons_share=0.0,
        flags=("rubber_stamp",),
    )
    assert by_id[careful.id].figures == oversight.OversightFigures(
        decisions=5,
        overrides=2,
        override_rate=0.4,
        agreement_rate=0.5,  # 2 of the 4 decisions on an eligible / not-eligible score
        median_seconds_to_decide=pytest.approx(200.0, abs=0.01),
        without_reasons_share=0.6,  # the record view, the unopened and the boss-opened clients
        flags=("reasons_unseen",),
    )
    assert report.total == oversight.OversightFigures(
        decisions=10,
        overrides=2,
        override_rate=0.2,
        agreement_rate=pytest.approx(7 / 9),
        median_seconds_to_decide=pytest.approx(6.5, abs=0.01),  # middle of 3..7, 100, 200, 300
        without_reasons_share=0.3,
        flags=(),
    )


def test_a_window_selects_decisions_by_date(db, crafted):
    _, _, boss = crafted
    late = oversight.oversight_report(db, boss, since=START + timedelta(hours=5))
    assert late.total.decisions == 5 and [a.figures.decisions for a in late.advisors] == [5]
    empty = oversight.oversight_report(db, boss, until=START)
    assert empty.advisors == [] and empty.total == oversight.NO_DECISIONS


def test_only_supervisors_see_the_figures(db, crafted):
    with pytest.raises(SupervisorRequiredError):
        oversight.oversight_report(db, crafted[0])
