"""The monitoring report over a database: stability, backtest, fairness, challenger,
the nightly job, and shadow scores under the retention purge."""

from __future__ import annotations

import threading
from datetime import timedelta

import numpy as np
import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from neobank_dashboard.db import AuditEvent, MonitoringReport, Score, ShadowScore, get_engine
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.monitoring import build_report, latest_report
from neobank_dashboard.services.monitoring_nightly import nightly_window, run_nightly_report, store_report
from neobank_dashboard.services.retention import ensure_default_policies, run_purge
from neobank_dashboard.services.shadow import backfill_shadow_scores, record_shadow_scores
from tests.unit.scored_portfolio import write_outcomes, write_portfolio

CLIENTS = 4_000
NOW = utcnow()
SINCE, UNTIL = NOW - timedelta(days=30), NOW


@pytest.fixture
def registry(scoring_model_dir, monkeypatch):
    from neobank_dashboard.settings import get_settings

    monkeypatch.setenv("NEOBANK_MODEL_DIR", str(scoring_model_dir))
    get_settings.cache_clear()
    yield scoring_model_dir
    get_settings.cache_clear()


def report(db, model, registry, since=SINCE, until=UNTIL) -> dict:
    return build_report(db, since, until, champion_version=model.version, model_dir=registry, champion=model)


def levels(result: dict) -> dict[str, str]:
    return {f["name"]: f["level"] for f in result["features"]}


def test_a_population_like_the_training_one_is_stable_and_its_backtest_green(db, scoring_model, registry):
    ids, probability = write_portfolio(db, scoring_model, CLIENTS, seed=11, scored_at=NOW - timedelta(days=1))
    write_outcomes(db, ids, probability, seed=4)  # outcomes drawn from the predictions
    backfill_shadow_scores(db, SINCE, UNTIL)
    db.commit()
    result = report(db, scoring_model, registry)
    assert result["population"]["level"] == "ok"
    assert set(levels(result).values()) == {"ok"}
    backtest = result["backtest"]
    assert [band["level"] for band in backtest["bands"]] == ["green"] * len(backtest["bands"])
    assert sum(band["n"] for band in backtest["bands"]) == CLIENTS
    assert backtest["auc"] > 0.7
    assert result["alerts"] == []
    challenger = result["challenger"]
    assert challenger["status"] == "ok" and challenger["n"] == CLIENTS
    assert challenger["name"] != scoring_model.name
    assert challenger["champion"]["auc"] == pytest.approx(backtest["auc"])


def test_drift_injected_into_one_feature_raises_that_feature_only(db, scoring_model, registry):
    write_portfolio(
        db,
        scoring_model,
        CLIENTS,
        seed=12,
        scored_at=NOW - timedelta(days=1),
        drift={"credit_score": lambda values: np.clip(values - 60, 300, 850)},
    )
    result = report(db, scoring_model, registry)
    found = levels(result)
    assert found.pop("credit_score") == "alert"
    assert set(found.values()) == {"ok"}
    assert "feature:credit_score" in result["alerts"]


def test_all_default_outcomes_turn_the_backtest_red(db, scoring_model, registry):
    ids, _ = write_portfolio(db, scoring_model, 1_000, seed=13, scored_at=NOW - timedelta(days=1))
    write_outcomes(db, ids, np.ones(len(ids)), seed=0)
    backtest = report(db, scoring_model, registry)["backtest"]
    assert {band["level"] for band in backtest["bands"]} == {"red"}
    assert backtest["level"] == "red" and backtest["auc"] is None  # one outcome only: no ranking


def test_an_empty_window_says_no_data_in_every_section(db, scoring_model, registry):
    write_portfolio(db, scoring_model, 100, seed=14, scored_at=NOW - timedelta(days=100))
    result = report(db, scoring_model, registry)
    sections = [result["population"], *result["features"], result["backtest"], result["fairness"]]
    assert {section["status"] for section in [*sections, result["challenger"]]} == {"no_data"}
    assert all(section["reason"] for section in sections)
    assert result["backtest"]["bands"] == [] and result["fairness"]["age_bands"] == []


def test_without_a_champion_stability_says_why(db, scoring_model, registry):
    write_portfolio(db, scoring_model, 100, seed=15, scored_at=NOW - timedelta(days=1))
    result = build_report(db, SINCE, UNTIL, champion_version=None, model_dir=registry)
    assert result["population"] == {
        "status": "no_data",
        "reason": "no champion model loaded",
        "n": 0,
        "psi": None,
        "level": None,
    }
    assert result["fairness"]["status"] == "ok"


def test_the_share_of_refusals_age_alone_decides_is_the_promotion_gate_on_the_window(
    db, scoring_model, registry
):
    from modeling.explain import feature_matrix
    from modeling.synthetic import generate_portfolio
    from modeling.validation import age_alone_refusals

    scored_at = NOW - timedelta(days=1)
    write_portfolio(db, scoring_model, 2_000, seed=21, scored_at=scored_at)
    frame = generate_portfolio(2_000, seed=21, as_of=scored_at.date())  # the clients written
    median_age = scoring_model.metrics["gates"]["age_alone"]["median_age"]
    expected = age_alone_refusals(
        lambda X: scoring_model.predict_proba_array(feature_matrix(X)),
        frame,
        scoring_model.threshold,
        median_age,
    )
    found = report(db, scoring_model, registry)["fairness"]["age_alone"]
    assert found["status"] == "ok" and found["refusals"] == expected["refusals"] > 0
    assert found["decided_by_age_alone"] == expected["decided_by_age_alone"]
    assert found["share"] == pytest.approx(expected["share"])
    without_model = build_report(db, SINCE, UNTIL, champion_version=None, model_dir=registry)
    assert without_model["fairness"]["age_alone"]["status"] == "no_data"


def test_fairness_counts_the_advisors_decisions_over_the_model(db, scoring_model, registry):
    from tests.support.factories import make_advisor, make_decision

    ids, _ = write_portfolio(db, scoring_model, 500, seed=16, scored_at=NOW - timedelta(days=1))
    advisor = make_advisor(db)
    refused = db.exec(select(Score).where(Score.id.in_(ids), Score.recommendation == "not_eligible")).all()
    for score in refused:
        make_decision(db, score, advisor)  # every model refusal overridden: approved
    db.commit()
    bands = report(db, scoring_model, registry)["fairness"]["age_bands"]
    assert sum(band["n"] for band in bands) == 500
    assert all(band["refusal_rate_with_override"] == 0 for band in bands)
    assert any(band["refusal_rate_without_override"] > 0 for band in bands)


def test_shadow_scores_are_written_once_and_deleted_with_their_score(db, scoring_model, registry):
    ids, _ = write_portfolio(db, scoring_model, 50, seed=17, scored_at=NOW - timedelta(days=500))
    assert record_shadow_scores(db, db.exec(select(Score).where(Score.id.in_(ids[:10]))).all()) == 10
    db.commit()
    assert backfill_shadow_scores(db, NOW - timedelta(days=600), NOW) == 40
    assert backfill_shadow_scores(db, NOW - timedelta(days=600), NOW) == 0
    ensure_default_policies(db)
    run_purge(db, NOW.date())  # 500-day-old scores are past the scoring-events duration
    db.commit()
    assert db.exec(select(sa.func.count()).select_from(Score)).one() == 0
    assert db.exec(select(sa.func.count()).select_from(ShadowScore)).one() == 0


def test_the_nightly_report_is_stored_and_audited_once(db_url, db, scoring_model, registry):
    write_portfolio(db, scoring_model, 200, seed=18, scored_at=NOW - timedelta(days=2))
    db.commit()  # SQLite: the job's own session needs the write lock
    first = run_nightly_report(db_url, now=NOW)
    assert first is not None and run_nightly_report(db_url, now=NOW) is None
    db.expire_all()
    stored = db.exec(select(MonitoringReport)).one()
    assert latest_report(db).id == stored.id
    assert (stored.since, stored.until) == nightly_window(NOW)
    assert stored.sections["fairness"]["status"] == "ok"
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "monitoring_report")).all()
    assert [event.object_id for event in events] == [str(stored.id)]
    assert db.exec(select(sa.func.count()).select_from(ShadowScore)).one() == 200


def test_workers_racing_for_the_nightly_report_store_it_once(postgres_url, pg_db, scoring_model, registry):
    since, until = nightly_window(NOW)
    write_portfolio(pg_db, scoring_model, 200, seed=19, scored_at=until - timedelta(hours=2))
    pg_db.commit()
    start, stored = threading.Barrier(3), []

    def worker() -> None:
        with Session(get_engine(postgres_url)) as session:
            start.wait()
            stored.append(store_report(session, since, until))
            session.commit()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report is not None for report in stored) == 1
    assert pg_db.exec(select(sa.func.count()).select_from(MonitoringReport)).one() == 1
