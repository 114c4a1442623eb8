"""The /monitoring page: who may load it, the window it reads, the report in words,
and the alert flag every staff page reads from the latest stored report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from neobank_dashboard.db import AuditEvent, MonitoringReport, Role
from neobank_dashboard.display.monitoring import (
    oversight_rows,
    report_figures,
    report_note,
    report_rows,
    sections_with_data,
)
from neobank_dashboard.navigation import HOME_ROUTE, LOGIN_ROUTE
from neobank_dashboard.services.monitoring import stored_alerts
from neobank_dashboard.services.monitoring_nightly import VIEW_ACTION, days_window, recent_days, store_report
from neobank_dashboard.services.oversight import NO_DECISIONS, OversightFigures
from neobank_dashboard.state.monitoring import MonitoringState, parse_window
from tests.support.factories import make_advisor
from tests.unit.test_states import StandIn, call, redirected_to

NO_DATA = {"status": "no_data", "reason": "no scores in the window", "psi": None, "level": None, "n": 0}
REPORT = {
    "population": {"status": "ok", "n": 1200, "psi": 0.0412, "level": "ok"},
    "features": [
        {"name": "age", "status": "ok", "n": 1200, "psi": 0.31, "level": "alert"},
        {"name": "income", **NO_DATA},
    ],
    "backtest": {
        "status": "ok",
        "bands": [{"band": "low", "n": 1000, "predicted": 0.052, "observed": 0.061, "level": "amber"}],
        "auc": 0.7512,
    },
    "fairness": {
        "status": "ok",
        "age_bands": [{"band": "18–25", "n": 1234, "approval_rate": 0.5, "mean_probability": 0.125}],
        "adverse_impact_ratio": 0.8333,
        "age_alone": {"status": "ok", "refusals": 1200, "decided_by_age_alone": 30, "share": 0.025},
    },
    "challenger": {"status": "no_data", "reason": "no outcomes with a shadow score", "name": None, "n": 0},
}


def test_the_report_reads_in_french_and_english():
    fr, en = report_rows(REPORT, "fr"), report_rows(REPORT, "en")
    assert fr["stability"][0] == {
        "name": fr["stability"][0]["name"],
        "psi": "0,041",
        "n": "1\u202f200",
        "level": "Stable",
        "colour": "green",
    }
    assert fr["stability"][1]["level"] == "Alerte" and fr["stability"][1]["colour"] == "red"
    assert en["stability"][2]["psi"] == "—" and en["stability"][2]["colour"] == "gray"
    assert fr["backtest"][0]["predicted"] == "5,2\u00a0%" and en["backtest"][0]["observed"] == "6.1%"
    assert en["backtest"][0]["level"] == "Amber"
    assert en["fairness"][0] == {
        "band": "18–25",
        "n": "1,234",
        "approval_rate": "50.0%",
        "mean_probability": "12.5%",
    }
    assert fr["challenger"] == []
    assert report_figures(REPORT, "fr")["auc"] == "0,751"
    assert report_figures(REPORT, "en")["adverse_impact_ratio"] == "0.83"
    assert report_figures(REPORT, "fr")["age_alone"] == "2,5\u00a0% (30 / 1\u202f200)"
    assert report_figures(REPORT, "en")["age_alone"] == "2.5% (30 / 1,200)"
    no_bound = REPORT | {"fairness": REPORT["fairness"] | {"age_alone": {"status": "no_data", "share": None}}}
    assert report_figures(no_bound, "fr")["age_alone"] == "Pas de données sur la période"
    assert sections_with_data(REPORT) == {
        "stability": True,
        "backtest": True,
        "fairness": True,
        "challenger": False,
    }


def test_the_oversight_figures_read_in_words_and_none_without_decisions():
    figures = OversightFigures(12, 3, 0.25, 0.75, 42.4, None)
    assert [row["value"] for row in oversight_rows(figures, "fr")] == [
        "12",
        "25,0\u00a0%",
        "75,0\u00a0%",
        "42 s",
        "—",
    ]
    assert oversight_rows(NO_DECISIONS, "en") == []


def test_the_window_is_two_dates_in_order_the_last_one_included():
    assert parse_window("2026-11-01", "2026-11-30") == (
        datetime(2026, 11, 1, tzinfo=UTC),
        datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert parse_window("2026-11-30", "2026-11-30") is not None
    for since, until in [("2026-12-01", "2026-11-30"), ("", "2026-11-30"), ("2026-02-30", "2026-03-01")]:
        assert parse_window(since, until) is None
    first, last = days_window(*recent_days(date(2026, 12, 2)))
    assert last - first == timedelta(days=30) and last == datetime(2026, 12, 3, tzinfo=UTC)


@pytest.fixture
def staff(db, cli_database):
    advisor, supervisor = make_advisor(db), make_advisor(db, Role.supervisor)
    db.commit()
    return advisor, supervisor


def test_the_page_refuses_a_plain_advisor(staff):
    advisor, _ = staff
    page = StandIn(MonitoringState, advisor)
    assert redirected_to(call(MonitoringState.load, page)) == HOME_ROUTE
    assert page._report == {}
    form = {"since": "2026-11-01", "until": "2026-11-30"}
    assert redirected_to(call(MonitoringState.apply_window, page, form)) == LOGIN_ROUTE
    assert page._report == {}


def test_a_supervisor_gets_the_report_and_a_bad_window_an_inline_error(staff):
    _, supervisor = staff
    page = StandIn(MonitoringState, supervisor)
    assert redirected_to(call(MonitoringState.load, page)) is None
    assert not page.window_error and page._report["fairness"]["status"] == "no_data"
    call(MonitoringState.apply_window, page, {"since": "2026-11-30", "until": "2026-11-01"})
    assert page.window_error


def test_the_page_opens_on_the_stored_report_and_computes_a_chosen_window(staff, db):
    _, supervisor = staff
    page = StandIn(MonitoringState, supervisor)
    call(MonitoringState.load, page)  # nothing stored yet: computed over the recent days
    assert not page.stored and (page.since, page.until) == tuple(
        day.isoformat() for day in recent_days(date.today())
    )
    assert report_note(page._report, page.stored, "fr").startswith("Rapport calculé le ")
    since, until = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 10, 31, tzinfo=UTC)
    stored = store_report(db, since, until)
    db.commit()
    call(MonitoringState.load, page)
    assert page.stored and page._report["computed_at"] == stored.sections["computed_at"]
    assert (page.since, page.until) == ("2026-10-01", "2026-10-30")  # the last day included
    assert report_note(page._report, page.stored, "fr").startswith("Rapport enregistré le ")
    read = db.exec(select(AuditEvent).where(AuditEvent.action == VIEW_ACTION).order_by(AuditEvent.id)).all()
    assert read[-1].object_id == str(stored.id) and read[-1].actor == supervisor.actor
    db.rollback()  # SQLite: our read would hold off the page's writes
    call(MonitoringState.apply_window, page, {"since": "2026-11-01", "until": "2026-11-30"})
    assert not page.stored and page._report["window"]["since"] == "2026-11-01T00:00:00+00:00"
    call(MonitoringState.apply_window, page, {"since": "2026-11-30", "until": "nonsense"})
    assert page.window_error and page.until == "nonsense"  # kept as typed beside the error
    assert page._report["window"]["since"] == "2026-11-01T00:00:00+00:00"  # the report unchanged


def test_the_banner_follows_the_latest_stored_report(db):
    assert stored_alerts(db) == []
    day = datetime(2026, 11, 1, tzinfo=UTC)
    for offset, alerts in [(0, ["feature:age"]), (1, [])]:
        since = day + timedelta(days=offset)
        db.add(
            MonitoringReport(
                since=since, until=since + timedelta(days=30), computed_at=since, sections={"alerts": alerts}
            )
        )
        db.flush()
        assert stored_alerts(db) == alerts
