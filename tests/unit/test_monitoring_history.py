"""The monitoring history: one row per month, computed from the month's scores and outcomes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from sqlmodel import select

from modeling.monitoring import AGE_BANDS
from modeling.synthetic import generate_portfolio
from neobank_dashboard.db import MonitoringMonth
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.monitoring import build_report
from neobank_dashboard.services.monitoring_history import (
    first_of_month,
    history,
    month_bounds,
    next_month,
    previous_month,
    store_month,
)
from neobank_dashboard.services.monitoring_nightly import run_nightly_report
from neobank_dashboard.services.recommendation import recommendations
from tests.unit.scored_portfolio import write_outcomes, write_portfolio

THIS_MONTH = first_of_month(utcnow().date())
LAST_MONTH = previous_month(THIS_MONTH)
BEFORE = previous_month(LAST_MONTH)


def mid(month: date) -> datetime:
    return datetime.combine(month, datetime.min.time(), tzinfo=UTC) + timedelta(days=14, hours=5)


def month_report(db, model, registry, month: date) -> dict:
    since, until = month_bounds(month)
    return build_report(db, since, until, champion_version=model.version, model_dir=registry, champion=model)


@pytest.mark.parametrize(
    "month, before, after",
    [
        (date(2026, 1, 1), date(2025, 12, 1), date(2026, 2, 1)),
        (date(2026, 12, 1), date(2026, 11, 1), date(2027, 1, 1)),
        (date(2026, 7, 1), date(2026, 6, 1), date(2026, 8, 1)),
    ],
)
def test_months_follow_each_other_across_the_year(month, before, after):
    assert (previous_month(month), next_month(month)) == (before, after)
    since, until = month_bounds(month)
    assert (since.date(), until.date(), since.tzinfo) == (month, after, UTC)


def test_each_month_row_holds_its_own_scores_and_outcomes(db, scoring_model, scoring_model_dir):
    n_before, n_last = 1_200, 800
    before_ids, before_p = write_portfolio(db, scoring_model, n_before, seed=31, scored_at=mid(BEFORE))
    last_ids, last_p = write_portfolio(db, scoring_model, n_last, seed=32, scored_at=mid(LAST_MONTH))
    write_outcomes(db, before_ids, np.ones(n_before), seed=0)  # all defaulted
    write_outcomes(db, last_ids[:400], np.zeros(400), seed=0)  # half the month, none defaulted
    for month in (BEFORE, LAST_MONTH):
        store_month(db, month, month_report(db, scoring_model, scoring_model_dir, month))
    db.commit()
    rows = history(db)
    assert [row["month"] for row in rows] == [BEFORE.strftime("%Y-%m"), LAST_MONTH.strftime("%Y-%m")]
    older, newer = rows
    assert (older["n"], older["outcomes"], older["observed"]) == (n_before, n_before, 1.0)
    assert older["predicted"] == pytest.approx(float(np.mean(before_p)))
    assert (newer["n"], newer["outcomes"], newer["observed"]) == (n_last, 400, 0.0)
    assert newer["predicted"] == pytest.approx(float(np.mean(last_p[:400])))
    # approval rate per age band: the model's recommendations (no advisor decision)
    frame = generate_portfolio(n_last, seed=32, as_of=mid(LAST_MONTH).date())
    eligible = recommendations(last_p, scoring_model.threshold, scoring_model.grey_zone) == "eligible"
    for label, first, last in AGE_BANDS:
        ages = frame["age"].to_numpy()
        members = (ages >= first) & (ages <= (last if last is not None else 200))
        if members.any():
            assert newer["approval_rate"][label] == pytest.approx(float(eligible[members].mean()))
    report = month_report(db, scoring_model, scoring_model_dir, LAST_MONTH)
    assert newer["psi"] == pytest.approx(report["population"]["psi"])
    assert newer["csi"] == {f["name"]: pytest.approx(f["psi"]) for f in report["features"]}
    assert newer["age_alone_share"] == pytest.approx(report["fairness"]["age_alone"]["share"])
    assert history(db, months=1) == [newer]


def test_a_month_is_replaced_not_duplicated(db, scoring_model, scoring_model_dir):
    write_portfolio(db, scoring_model, 100, seed=33, scored_at=mid(LAST_MONTH))
    for _ in range(2):
        store_month(db, LAST_MONTH, month_report(db, scoring_model, scoring_model_dir, LAST_MONTH))
    empty = month_report(db, scoring_model, scoring_model_dir, BEFORE)
    store_month(db, BEFORE, empty)
    db.commit()
    assert len(db.exec(select(MonitoringMonth)).all()) == 2
    older = history(db)[0]
    assert (older["n"], older["psi"], older["predicted"], older["approval_rate"]) == (0, None, None, {})


def test_the_nightly_report_refreshes_the_month_it_ends_in(db_url, db, scoring_model, serving):
    now = utcnow()
    write_portfolio(db, scoring_model, 150, seed=34, scored_at=now - timedelta(days=1, hours=1))
    db.commit()
    assert run_nightly_report(db_url, now=now) is not None
    db.expire_all()
    (row,) = db.exec(select(MonitoringMonth)).all()
    yesterday = (now - timedelta(days=1)).date()
    assert row.month == first_of_month(yesterday) and row.source == "report"
    assert row.model_version == scoring_model.version and row.figures["psi"] is not None


def test_the_demo_history_fills_the_months_before_this_one_and_nothing_else(
    db, scoring_model, scoring_model_dir
):
    import sqlalchemy as sa

    from neobank_dashboard.db import Client, Score
    from neobank_dashboard.services.demo_history import seed_demo_history

    added = seed_demo_history(db, scoring_model, scoring_model_dir, months=2, applicants=600)
    assert added == [BEFORE, LAST_MONTH]
    assert seed_demo_history(db, scoring_model, scoring_model_dir, months=2, applicants=600) == []
    db.commit()
    rows = history(db)
    assert [row["source"] for row in rows] == ["demo", "demo"]
    for row in rows:
        assert (row["n"], row["outcomes"]) == (600, 600)
        assert row["psi"] is not None and row["psi"] < 0.25  # the generator's population
        assert 0 < row["predicted"] < 0.5 and 0 < row["observed"] < 0.5
        assert set(row["approval_rate"]) <= {label for label, _, _ in AGE_BANDS}
        assert row["age_alone_share"] is not None
    for table in (Client, Score):  # the scratch database's rows stay there
        assert db.exec(select(sa.func.count()).select_from(table)).one() == 0
