"""The retention purge: records of many ages, one purge, exactly the expected deletions."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from neobank_dashboard import cli
from neobank_dashboard.api import lifespan
from neobank_dashboard.db.models import (
    AuditEvent,
    AuthSession,
    Client,
    ClientStatus,
    Contest,
    Decision,
    Outcome,
    RetentionPolicy,
    Review,
    Role,
    Score,
)
from neobank_dashboard.services import audit, clients, retention
from neobank_dashboard.services.auth import SupervisorRequiredError
from neobank_dashboard.services.retention import ensure_default_policies
from tests.support.factories import (
    TODAY,
    at,
    day,
    make_advisor,
    make_browser_session,
    make_client,
    make_contest,
    make_decision,
    make_score,
)

FIVE_YEARS, THREE_YEARS = 5 * 365, 3 * 365
EXPECTED = {
    "erasure": {"score": 1, "client": 1},
    "client_records": {"decision": 1, "score": 1, "client": 1},
    "prospects": {"decision": 1, "score": 1, "client": 1},
    "scoring_events": {"score": 4, "client (current score cleared)": 3},
    "payment_incidents": {"client (incident count reset)": 1},
    "security_logs": {"authsession": 1, "auditevent": 3},
}


@pytest.fixture
def policies(db):
    ensure_default_policies(db)
    db.commit()


def _audit_events_at(db, monkeypatch, *days_ago: int) -> list[AuditEvent]:
    events = []
    with monkeypatch.context() as patch:
        for age in days_ago:
            patch.setattr(audit, "utcnow", lambda age=age: at(age))
            events.append(audit.record(db, actor="advisor:1", action="login"))
    return events


@pytest.fixture
def aged(db, policies, monkeypatch):
    """One record per retention case, named by what the purge must do with it: ids."""
    r = {
        "old_events": _audit_events_at(db, monkeypatch, 400, 399, 398),
        "recent_events": _audit_events_at(db, monkeypatch, 10, 9),
    }
    advisor, boss = make_advisor(db), make_advisor(db, Role.supervisor)

    ongoing = r["ongoing"] = make_client(db, advisor=advisor, days_ago=800)
    r["old_superseded_score"] = make_score(db, ongoing, days_ago=400, superseded=True)
    r["old_decided_score"] = make_score(db, ongoing, days_ago=380, superseded=True)
    r["old_decision"] = make_decision(db, r["old_decided_score"], advisor, days_ago=380)
    r["current_score"] = make_score(db, ongoing, days_ago=30)

    ended = r["ended_over_5y"] = make_client(db, advisor=advisor, days_ago=3000)
    make_decision(db, make_score(db, ended, days_ago=2000), advisor, days_ago=2000)
    clients.end_relationship(db, boss, ended.id, day(FIVE_YEARS + 1))
    r["ended_under_5y"] = make_client(db, advisor=advisor, days_ago=3000)
    clients.end_relationship(db, boss, r["ended_under_5y"].id, day(FIVE_YEARS - 1))

    prospect = r["prospect_over_3y"] = make_client(db, days_ago=THREE_YEARS + 1)
    make_decision(
        db,
        make_score(db, prospect, days_ago=THREE_YEARS + 1),
        advisor,
        outcome=Outcome.refused,
        days_ago=THREE_YEARS + 1,
    )
    r["prospect_under_3y"] = make_client(db, days_ago=2 * 365)
    make_score(db, r["prospect_under_3y"], days_ago=2 * 365)  # scoring event goes
    approved_without_advisor = r["customer_without_advisor"] = make_client(db, days_ago=4 * 365)
    make_decision(db, make_score(db, approved_without_advisor, days_ago=4 * 365), advisor, days_ago=4 * 365)

    r["erased_hold_over"] = make_client(db, status=ClientStatus.erased, days_ago=100)
    r["erased_hold_over"].retention_until = TODAY
    make_score(db, r["erased_hold_over"], days_ago=100)
    r["erased_on_hold"] = make_client(db, advisor=advisor, status=ClientStatus.erased, days_ago=1000)
    r["erased_on_hold"].retention_until = day(-1000)
    make_score(db, r["erased_on_hold"], days_ago=400)  # scoring event goes

    restricted = r["restricted"] = make_client(
        db, status=ClientStatus.restricted, days_ago=4000, payment_incidents=3
    )
    restricted.retention_until = day(100)
    make_score(db, restricted, days_ago=3000)

    r["only_old_score"] = make_client(db, advisor=advisor, days_ago=500)
    make_score(db, r["only_old_score"], days_ago=400)
    r["incidents_over_5y"] = make_client(
        db, advisor=advisor, days_ago=2500, as_of_days_ago=FIVE_YEARS + 1, payment_incidents=2
    )
    r["incidents_under_5y"] = make_client(
        db, advisor=advisor, days_ago=2500, as_of_days_ago=FIVE_YEARS - 1, payment_incidents=2
    )

    r["old_session"] = make_browser_session(db, advisor, days_ago=366)
    r["recent_session"] = make_browser_session(db, advisor, days_ago=364)
    db.add_all([r["erased_hold_over"], r["erased_on_hold"], restricted])
    db.commit()
    ids = {name: [e.id for e in row] if isinstance(row, list) else row.id for name, row in r.items()}
    ids["anchor"] = r["old_events"][-1].hash
    ids["clients"] = {name for name, row in r.items() if isinstance(row, Client)}
    return ids


def _ids(db, model) -> set:
    return set(db.exec(select(model.id)).all())


def test_preview_and_purge_agree_on_exactly_the_expected_rows(db, aged):
    plan = retention.plan_purge(db, TODAY)
    assert plan.counts() == EXPECTED
    report = retention.run_purge(db, TODAY)
    assert report.counts() == EXPECTED
    assert report.total == plan.total == 20
    event = db.get(AuditEvent, report.event_id)
    assert event.action == audit.PURGE_ACTION and event.details["deleted"] == EXPECTED
    assert event.details[audit.ANCHORS_KEY] == {"0": aged["anchor"]}


def test_purge_keeps_exactly_the_records_within_retention(db, aged):
    retention.run_purge(db, TODAY)
    gone = {"ended_over_5y", "prospect_over_3y", "erased_hold_over"}
    assert _ids(db, Client) == {aged[name] for name in aged["clients"] - gone}
    kept_scores = db.exec(select(Score.id).where(Score.client_id == aged["ongoing"])).all()
    assert set(kept_scores) == {aged["old_decided_score"], aged["current_score"]}
    assert aged["old_decision"] in _ids(db, Decision)
    assert _ids(db, AuthSession) == {aged["recent_session"]}
    assert _ids(db, AuditEvent) >= set(aged["recent_events"])
    assert not _ids(db, AuditEvent) & set(aged["old_events"])


def test_after_the_purge_each_kept_client_shows_its_latest_decision(db, aged):
    """The status filters read ``client.latest_decision_outcome``: the purge deletes
    decisions only with their client, so every kept client's still names its latest."""
    retention.run_purge(db, TODAY)
    latest: dict = {}
    for decision in db.exec(select(Decision).order_by(Decision.created_at, Decision.id)):
        latest[decision.client_id] = decision.outcome
    kept = db.exec(select(Client)).all()
    assert any(c.id in latest for c in kept)
    assert {c.id: c.latest_decision_outcome for c in kept} == {c.id: latest.get(c.id) for c in kept}


def test_purge_clears_copies_of_deleted_scores_and_expired_incident_counts(db, aged):
    retention.run_purge(db, TODAY)
    for name in ("only_old_score", "prospect_under_3y", "erased_on_hold"):
        client = db.get(Client, aged[name])
        assert client.latest_probability is None and client.latest_scored_at is None, name
    assert db.get(Client, aged["ongoing"]).latest_probability == 0.12
    expired = db.get(Client, aged["incidents_over_5y"])
    assert expired.payment_incidents == 0
    assert expired.payment_incidents_as_of == day(FIVE_YEARS + 1)  # still stale: review
    assert db.get(Client, aged["incidents_under_5y"]).payment_incidents == 2


def test_restricted_client_is_kept_whole(db, aged):
    retention.run_purge(db, TODAY)
    kept = db.get(Client, aged["restricted"])
    assert kept.payment_incidents == 3 and kept.latest_probability == 0.12
    assert db.exec(select(Score).where(Score.client_id == aged["restricted"])).all()


def test_audit_chain_verifies_after_the_purge_cut_its_head(db, aged):
    retention.run_purge(db, TODAY)
    assert audit.chain_anchors(db) == {0: aged["anchor"]}
    assert audit.verify_chain(db) is None


def test_second_purge_finds_nothing_left(db, aged):
    retention.run_purge(db, TODAY)
    second = retention.run_purge(db, TODAY)
    assert second.counts() == {} and second.total == 0


def test_dry_run_changes_nothing_and_writes_nothing(db, aged):
    before = {model: _ids(db, model) for model in (Client, Score, Decision, AuditEvent)}
    report = retention.run_purge(db, TODAY, dry_run=True)
    assert report.dry_run and report.counts() == EXPECTED and report.event_id is None
    db.rollback()
    assert {model: _ids(db, model) for model in before} == before


def test_purge_a_year_later_takes_the_rest_of_what_expired(db, aged):
    retention.run_purge(db, TODAY)
    later = retention.plan_purge(db, TODAY + timedelta(days=366)).counts()
    # The ongoing client's 30-day score is now over a year old, but it is current and
    # was not decided on: it goes, and so does its copy on the client row.
    assert later["scoring_events"] == {"score": 1, "client (current score cleared)": 1}
    assert later["prospects"] == {"client": 1}


def test_end_relationship_takes_the_duration_from_the_policy_table(db, policies):
    boss = make_advisor(db, Role.supervisor)
    client = make_client(db, advisor=make_advisor(db))
    policy = db.exec(select(RetentionPolicy).where(RetentionPolicy.category == "client_records")).one()
    policy.duration_days = 100
    db.add(policy)
    clients.end_relationship(db, boss, client.id, day(0))
    assert client.retention_until == day(-100)


def test_changing_a_policy_moves_the_dates_derived_from_it(db, policies):
    boss = make_advisor(db, Role.supervisor)
    client = make_client(db, advisor=make_advisor(db))
    clients.end_relationship(db, boss, client.id, day(10))
    retention.set_policy_duration(db, boss, "client_records", 6 * 365)
    db.commit()
    db.refresh(client)
    assert client.retention_until == day(10 - 6 * 365)
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "retention_policy_changed")).one()
    assert event.details == {"from_days": FIVE_YEARS, "to_days": 6 * 365}


def test_only_supervisors_manage_retention(db, policies):
    advisor = make_advisor(db)
    client = make_client(db, advisor=advisor)
    with pytest.raises(SupervisorRequiredError):
        clients.end_relationship(db, advisor, client.id, TODAY)
    with pytest.raises(SupervisorRequiredError):
        retention.set_policy_duration(db, advisor, "security_logs", 30)


def test_purge_without_policies_says_what_is_missing(db):
    with pytest.raises(retention.MissingPolicyError, match="security_logs"):
        retention.plan_purge(db, TODAY)


def test_daily_purge_runs_once_a_day(db_url, db, policies):
    assert retention.run_daily_purge(db_url, TODAY) is not None
    assert retention.run_daily_purge(db_url, TODAY) is None
    assert len(db.exec(select(AuditEvent).where(AuditEvent.action == audit.PURGE_ACTION)).all()) == 1


def test_next_run_is_today_or_tomorrow_at_the_purge_time():
    before = datetime(2026, 3, 1, 2, 15, tzinfo=UTC)
    after = datetime(2026, 3, 1, 4, 15, tzinfo=UTC)
    assert lifespan.seconds_until_next_run(before) == 3600
    assert lifespan.seconds_until_next_run(after) == 23 * 3600


def test_daily_task_sleeps_then_purges_in_a_thread(db_url, policies, monkeypatch):
    naps, purges = [], []

    async def nap(seconds):
        naps.append(seconds)
        if len(naps) > 2:
            raise asyncio.CancelledError

    def purge(url):
        purges.append(url)
        if len(purges) == 1:
            raise RuntimeError("database away")  # a failed night must not end the task

    monkeypatch.setattr(lifespan.asyncio, "sleep", nap)
    monkeypatch.setattr(lifespan, "run_daily_purge", purge)
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(lifespan.retention_daily_task(db_url))
    assert purges == [db_url, db_url] and all(0 < s <= 86_400 for s in naps)


def test_cli_dry_run_prints_the_preview(cli_database, db, aged, capsys):
    assert cli.main(["retention", "purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing changed" in out and "Total rows would delete or change: 20" in out
    assert aged["ended_over_5y"] in _ids(db, Client)


def test_cli_purges_and_refuses_a_future_date_unless_dry_run(cli_database, db, aged, capsys):
    with pytest.raises(SystemExit):
        cli.main(["retention", "purge", "--today", (TODAY + timedelta(days=1)).isoformat()])
    assert cli.main(["retention", "purge"]) == 0
    assert "Total rows deleted or changed: 20" in capsys.readouterr().out
    db.expire_all()
    assert aged["ended_over_5y"] not in _ids(db, Client)


def test_purge_takes_a_clients_contests_and_reviews_with_it(db, policies):
    advisor, boss = make_advisor(db), make_advisor(db, Role.supervisor)
    client = make_client(db, advisor=advisor, days_ago=3000)
    contested = make_decision(db, make_score(db, client, days_ago=2500), advisor, days_ago=2500)
    review = make_contest(db, contested, advisor, days_ago=2490)
    resolution = make_decision(db, make_score(db, client, days_ago=2480), boss, days_ago=2480)
    resolution.supersedes_id = contested.id
    review.status, review.resolution, review.justification = "resolved", "upheld", "Checked again."
    review.resolved_by, review.resolved_at, review.resolution_decision_id = boss.id, at(2480), resolution.id
    db.add_all([resolution, review])
    clients.end_relationship(db, boss, client.id, day(FIVE_YEARS + 1))
    db.commit()
    report = retention.run_purge(db, TODAY)
    assert report.counts()["client_records"] == {
        "review": 1,
        "contest": 1,
        "decision": 2,
        "score": 2,
        "client": 1,
    }
    assert _ids(db, Review) == _ids(db, Contest) == set()
