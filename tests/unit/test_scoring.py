"""The scoring service: pure scoring, persistence, idempotency, batches, freshness."""

from __future__ import annotations

import dataclasses
import json
import threading
import uuid
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy.special import logit
from sqlmodel import Session, func, select

from modeling.features import FEATURE_NAMES
from modeling.reasons import reasons as modeling_reasons
from neobank_dashboard.db.models import AuditEvent, Client, Recommendation, Score
from neobank_dashboard.services import scoring
from neobank_dashboard.services.audit import FORBIDDEN_DETAIL_KEYS, verify_chain
from neobank_dashboard.services.demo import client_rows
from neobank_dashboard.services.scoring import (
    BatchItem,
    ClientNotScorableError,
    FeatureValidationError,
    ScoringUnavailableError,
    record,
)
from tests.support.factories import valid_features

TODAY = date(2026, 11, 25)
GOOD = valid_features()
RISKY = {"age": 23, "income": 9000.0, "seniority": 0.0, "payment_incidents": 6, "credit_score": 420}
JSON_COLUMNS = ("features", "contributions", "reasons", "freshness")


def _clients(db, n: int, advisor_id=None) -> list[Client]:
    clients = [
        Client(
            **{k: v for k, v in row.items() if k not in ("advisor_id", "id")},
            id=uuid.UUID(str(row["id"])),
            advisor_id=advisor_id,
        )
        for row in client_rows(n, [0], seed=7, today=TODAY)
    ]
    db.add_all(clients)
    db.commit()
    return clients


def test_contributions_add_up_exactly_in_both_spaces(scoring_model):
    result = scoring.score_features(GOOD, today=TODAY, model=scoring_model)
    assert 0 < result.probability < 1
    log_odds = result.base_value + sum(result.contributions_log_odds.values())
    points = result.base_probability + sum(result.contributions_points.values())
    assert log_odds == pytest.approx(logit(result.probability), abs=1e-9)
    assert points == pytest.approx(result.probability, abs=1e-12)
    assert set(result.contributions_points) == set(FEATURE_NAMES)


def test_same_numbers_as_the_model_and_its_reasons(scoring_model):
    """The service adds nothing to the model's numbers, and its reasons are
    exactly modeling.reasons' (the array fast path included)."""
    result = scoring.score_features(RISKY, today=TODAY, model=scoring_model)
    frame = pd.DataFrame([RISKY])[list(FEATURE_NAMES)].astype(float)
    explanation = scoring_model.explain(frame)
    assert result.probability == float(explanation.probability[0])
    points = explanation.contributions_points[0].tolist()
    assert list(result.contributions_points.values()) == points
    assert list(result.reasons) == modeling_reasons(explanation, frame)[0]
    assert result.reasons[0].direction == "raises"


@pytest.mark.parametrize("probability,recommendation", [(0.01, "eligible"), (0.99, "not_eligible")])
def test_recommendation_follows_the_model_threshold(scoring_model, probability, recommendation):
    from neobank_dashboard.services.recommendation import recommend

    rec, band = recommend(probability, scoring_model.threshold, scoring_model.grey_zone)
    assert rec == recommendation
    assert band in ("A", "E")


def test_stale_critical_data_turns_the_recommendation_into_review(scoring_model):
    stale = {"income": TODAY - timedelta(days=400)}
    fresh = scoring.score_features(GOOD, today=TODAY, model=scoring_model)
    old = scoring.score_features(GOOD, stale, today=TODAY, model=scoring_model)
    assert fresh.recommendation == Recommendation.eligible
    assert old.recommendation == Recommendation.review
    assert old.probability == fresh.probability  # freshness changes the advice, not the score
    assert old.stale_critical == ("income",)
    assert old.notes[0].code == "stale_critical_data" and "income" in old.notes[0].text_en
    assert old.freshness["income"].stale and old.freshness["income"].age_days == 400


def test_stale_non_critical_data_does_not_force_review(scoring_model):
    result = scoring.score_features(
        GOOD, {"age": TODAY - timedelta(days=400)}, today=TODAY, model=scoring_model
    )
    assert result.freshness["age"].stale and not result.freshness["age"].critical
    assert result.recommendation == Recommendation.eligible


@pytest.mark.parametrize(
    "values,as_of,field",
    [
        ({**GOOD, "age": 17}, None, "age"),
        ({**GOOD, "income": float("nan")}, None, "income"),
        ({**GOOD, "income": float("inf")}, None, "income"),
        ({**GOOD, "payment_incidents": 1.5}, None, "payment_incidents"),
        ({**GOOD, "credit_score": "700"}, None, "credit_score"),
        ({**GOOD, "age": True}, None, "age"),
        ({**GOOD, "seniority": 30.0, "age": 40}, None, "seniority"),
        ({k: v for k, v in GOOD.items() if k != "income"}, None, "income"),
        ({**GOOD, "name": "Jean"}, None, "name"),
        (GOOD, {"income": TODAY + timedelta(days=1)}, "as_of.income"),
        (GOOD, {"salary": TODAY}, "as_of.salary"),
    ],
)
def test_invalid_inputs_name_the_field(scoring_model, values, as_of, field):
    with pytest.raises(FeatureValidationError) as caught:
        scoring.score_features(values, as_of, today=TODAY, model=scoring_model)
    assert field in [f for f, _ in caught.value.problems]


def test_kill_switch_and_missing_model_refuse_to_score(serving, monkeypatch, tmp_path):
    from neobank_dashboard.settings import get_settings

    monkeypatch.setenv("SCORING_MODE", "manual")
    get_settings.cache_clear()
    with pytest.raises(ScoringUnavailableError) as caught:
        scoring.score_features(GOOD)
    assert caught.value.code == "manual_mode"
    assert "manual assessment required" in caught.value.message
    assert not scoring.scoring_status().available
    assert scoring.scoring_status().message == scoring.MANUAL_MODE_MESSAGE
    monkeypatch.setenv("SCORING_MODE", "auto")
    get_settings.cache_clear()
    status = scoring.load_model(tmp_path)  # an empty registry: no model, never a default
    assert not status.model_loaded and status.problem == "no_champion"
    with pytest.raises(ScoringUnavailableError) as caught:
        scoring.score_features(GOOD)
    assert caught.value.code == "no_model"


def test_a_tampered_artefact_is_refused(scoring_model_dir, tmp_path):
    import shutil

    registry = tmp_path / "registry"
    shutil.copytree(scoring_model_dir, registry)
    version = (registry / "CHAMPION").read_text().strip()
    with open(registry / version / "metrics.json", "a") as handle:
        handle.write(" ")
    service = scoring.ScoringService()
    assert service.load(registry) is None
    assert service.status().problem == "integrity_check_failed"


def test_score_client_persists_supersedes_updates_and_audits(db, scoring_model):
    client = _clients(db, 1)[0]
    first = scoring.score_client(
        db,
        client,
        actor="advisor:1",
        channel="ui",
        purpose="advisor_review",
        today=TODAY,
        model=scoring_model,
    )
    db.commit()
    second = scoring.score_client(
        db, client, actor="advisor:1", channel="ui", today=TODAY, model=scoring_model
    )
    db.commit()
    db.refresh(first)
    assert first.superseded and not second.superseded
    assert scoring.latest_score(db, client.id).id == second.id
    db.refresh(client)
    assert client.latest_probability == second.probability
    assert client.latest_recommendation == second.recommendation
    assert client.latest_risk_band == second.risk_band
    assert client.latest_scored_at == second.created_at
    assert second.features["values"]["age"] == client.age
    assert second.features["as_of"]["income"] == client.income_as_of.isoformat()
    assert second.model_version == scoring_model.version and second.threshold
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "score")).all()
    assert [e.object_id for e in events] == [str(client.id)] * 2
    assert verify_chain(db) is None


def test_stored_score_reads_back_with_the_same_numbers(db, scoring_model):
    client = _clients(db, 1)[0]
    values, as_of = scoring.client_inputs(client)
    fresh = scoring.score_features(values, as_of, today=TODAY, model=scoring_model)
    stored = scoring.score_client(
        db, client, actor="advisor:1", channel="ui", today=TODAY, model=scoring_model
    )
    db.commit()
    db.expire_all()
    again = scoring.result_of(db.get(Score, stored.id))
    for field in (
        "probability",
        "recommendation",
        "risk_band",
        "threshold",
        "base_value",
        "base_probability",
        "contributions_log_odds",
        "contributions_points",
        "reasons",
        "notes",
        "freshness",
        "features",
        "model_version",
    ):
        assert getattr(again, field) == getattr(fresh, field), field


def test_repeated_request_id_returns_the_first_score_and_stores_nothing(db, scoring_model):
    first = scoring.submit_client(
        db,
        GOOD,
        actor="partner:a",
        channel="api",
        purpose="credit_application",
        request_id="r-1",
        submitted_by="a",
        today=TODAY,
        model=scoring_model,
    )
    db.commit()
    counts = (
        db.exec(select(func.count()).select_from(Score)).one(),
        db.exec(select(func.count()).select_from(Client)).one(),
        db.exec(select(func.count()).select_from(AuditEvent)).one(),
    )
    again = scoring.submit_client(
        db,
        RISKY,
        actor="partner:a",
        channel="api",
        purpose="credit_application",
        request_id="r-1",
        submitted_by="a",
        today=TODAY,
        model=scoring_model,
    )
    db.commit()
    assert again.id == first.id and again.probability == first.probability
    scores, clients, events = counts
    assert (scores, clients, events + 1) == (  # nothing stored; the replay audited
        db.exec(select(func.count()).select_from(Score)).one(),
        db.exec(select(func.count()).select_from(Client)).one(),
        db.exec(select(func.count()).select_from(AuditEvent)).one(),
    )
    other = scoring.submit_client(
        db,
        GOOD,
        actor="partner:b",
        channel="api",
        purpose="credit_application",
        request_id="r-1",
        submitted_by="b",
        today=TODAY,
        model=scoring_model,
    )
    assert other.id != first.id  # request ids belong to one caller


def test_concurrent_duplicates_of_a_request_id_store_one_score(pg_db, scoring_model):
    """Four requests with one id at once (a partner's retries): one client, one score,
    one audit event, and every caller gets that score."""
    barrier = threading.Barrier(4)
    answers = []

    def submit() -> None:
        with Session(pg_db.get_bind(), expire_on_commit=False) as session:
            barrier.wait(timeout=30)
            score = scoring.submit_client(
                session,
                GOOD,
                actor="partner:a",
                channel="api",
                purpose="credit_application",
                request_id="retry-1",
                submitted_by="a",
                today=TODAY,
                model=scoring_model,
            )
            session.commit()
            answers.append((score.id, score.client_id))

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 4 and len(set(answers)) == 1
    assert [
        pg_db.exec(select(func.count()).select_from(table)).one() for table in (Client, Score, AuditEvent)
    ] == [1, 1, 4]  # one score and its event; each of the three replays audited


def test_rejected_input_stores_nothing(db, scoring_model):
    with pytest.raises(FeatureValidationError):
        scoring.submit_client(
            db,
            {**GOOD, "age": 12},
            actor="partner:a",
            channel="api",
            purpose="credit_application",
            model=scoring_model,
        )
    db.commit()
    assert db.exec(select(func.count()).select_from(Client)).one() == 0
    assert db.exec(select(func.count()).select_from(AuditEvent)).one() == 0


def test_unknown_purpose_is_refused(db, scoring_model):
    with pytest.raises(FeatureValidationError) as caught:
        scoring.submit_client(
            db, GOOD, actor="partner:a", channel="api", purpose="marketing", model=scoring_model
        )
    assert caught.value.problems[0][0] == "purpose"


def test_objection_or_restriction_blocks_scoring(db, scoring_model):
    objecting, restricted = _clients(db, 2)
    objecting.objection = True
    restricted.status = "restricted"
    for client, code in ((objecting, "objection"), (restricted, "restricted")):
        with pytest.raises(ClientNotScorableError) as caught:
            scoring.score_client(db, client, actor="advisor:1", channel="ui", model=scoring_model)
        assert caught.value.code == code


def test_batch_mixes_good_and_bad_items(db, scoring_model):
    items = [
        BatchItem(GOOD, None, "credit_application", "b-0"),
        BatchItem({**GOOD, "age": 12}),
        BatchItem(RISKY, {"income": TODAY - timedelta(days=300)}, "credit_application"),
        BatchItem(GOOD, None, "credit_application", "b-0"),
        BatchItem(GOOD, None, "marketing"),
    ]
    out = scoring.submit_clients(
        db, items, actor="partner:a", channel="api", submitted_by="a", today=TODAY, model=scoring_model
    )
    db.commit()
    assert [type(o).__name__ for o in out] == [
        "Score",
        "FeatureValidationError",
        "Score",
        "FeatureValidationError",
        "FeatureValidationError",
    ]
    assert out[1].problems[0][0] == "age"
    assert out[3].problems == [("request_id", "is repeated within this batch")]
    assert out[2].recommendation == "review"
    single = scoring.score_features(GOOD, today=TODAY, model=scoring_model)
    assert out[0].probability == single.probability
    assert db.exec(select(func.count()).select_from(Score)).one() == 2
    assert {c.submitted_by for c in db.exec(select(Client)).all()} == {"a"}
    replay = scoring.submit_clients(
        db, items[:1], actor="partner:a", channel="api", submitted_by="a", today=TODAY, model=scoring_model
    )
    assert replay[0].id == out[0].id
    assert (
        db.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "score_batch")).one()
        == 1
    )


def test_a_stored_score_reads_back_as_the_result_it_was_written_from(scoring_model):
    """One writer for every path (``record.score_rows``); its reader gives the numbers back."""
    values = np.array([[GOOD[n] for n in FEATURE_NAMES], [RISKY[n] for n in FEATURE_NAMES]])
    as_of = np.array([[TODAY] * 5, [TODAY - timedelta(days=200)] * 5], dtype="datetime64[D]")
    arrays = scoring.score_arrays(scoring_model, values, as_of, TODAY)
    rows = record.score_rows(
        arrays,
        [uuid.uuid4(), uuid.uuid4()],
        actor="system",
        channel="batch",
        purposes=["portfolio_review"] * 2,
        request_ids=[None, None],
    )
    for i, row in enumerate(rows):
        stored = json.loads(json.dumps(row, default=str))  # as a JSON column returns it
        read = scoring.result_of(Score(**{**row, **{k: stored[k] for k in JSON_COLUMNS}}))
        assert read == dataclasses.replace(arrays.result(i), model_name="")


def test_rescore_all_scores_every_scorable_client_in_batches(db, scoring_model):
    clients = _clients(db, 23)
    clients[0].objection = True
    clients[1].status = "restricted"
    db.add_all(clients[:2])
    db.commit()
    progress = []
    assert (
        scoring.rescore_all(
            db, scoring_model, 10, only_unscored=True, today=TODAY, on_progress=progress.append
        )
        == 21
    )
    assert progress == [10, 20, 21]
    assert scoring.rescore_all(db, scoring_model, 10, only_unscored=True, today=TODAY) == 0
    assert scoring.rescore_all(db, scoring_model, 50, today=TODAY) == 21
    current = db.exec(select(Score).where(Score.superseded.is_(False))).all()
    assert len(current) == 21 and len(db.exec(select(Score)).all()) == 42
    db.expire_all()
    client = db.get(Client, clients[5].id)
    latest = scoring.latest_score(db, client.id)
    assert client.latest_probability == latest.probability
    expected = scoring.score_features(*scoring.client_inputs(client), today=TODAY, model=scoring_model)
    assert latest.probability == expected.probability
    assert latest.recommendation == expected.recommendation
    assert db.get(Client, clients[0].id).latest_scored_at is None
    assert verify_chain(db) is None


def test_audit_events_hold_no_feature_values(db, scoring_model):
    client = _clients(db, 1)[0]
    scoring.score_client(db, client, actor="advisor:1", channel="ui", model=scoring_model)
    scoring.submit_clients(db, [BatchItem(GOOD)], actor="partner:a", channel="api", model=scoring_model)
    db.commit()
    for event in db.exec(select(AuditEvent)).all():
        assert not FORBIDDEN_DETAIL_KEYS.intersection(event.details)
        text = json.dumps(event.details)
        assert "38500" not in text and str(client.income) not in text


def test_score_many_is_vectorised_and_keeps_bad_items_apart(scoring_model):
    out = scoring.score_many(
        [(GOOD, None), ({**GOOD, "age": 5}, None), (RISKY, None)], today=TODAY, model=scoring_model
    )
    assert isinstance(out[1], FeatureValidationError)
    assert out[0].probability == scoring.score_features(GOOD, today=TODAY, model=scoring_model).probability
    assert out[2].probability > out[0].probability
