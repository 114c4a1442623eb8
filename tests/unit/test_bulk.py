"""Bulk seeding and rescoring: batches of their own transactions, bulk writes on
SQLite and PostgreSQL alike, every scoring invariant kept, progress lines."""

from __future__ import annotations

import functools
import json
import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from neobank_dashboard import cli
from neobank_dashboard.cli import seed
from neobank_dashboard.db import session_scope
from neobank_dashboard.db.models import AuditEvent, Client, ClientStatus, Score
from neobank_dashboard.services import demo, scoring
from neobank_dashboard.services.audit import verify_chain
from neobank_dashboard.services.scoring import rescoring
from neobank_dashboard.settings import get_settings

TODAY = date(2026, 11, 25)


def _count(db, model, *conditions) -> int:
    return db.exec(select(func.count()).select_from(model).where(*conditions)).one()


def _batch_events(db) -> list[AuditEvent]:
    return db.exec(select(AuditEvent).where(AuditEvent.action == "score_batch").order_by(AuditEvent.id)).all()


def _assert_latest_columns_follow_the_current_scores(db) -> None:
    """Every scored client has exactly one current score and its latest_* copy it."""
    rows = db.exec(
        select(
            Client.latest_probability,
            Client.latest_recommendation,
            Client.latest_risk_band,
            Client.latest_scored_at,
            Score.probability,
            Score.recommendation,
            Score.risk_band,
            Score.created_at,
        ).join(Score, sa.and_(Score.client_id == Client.id, Score.superseded.is_(False)))
    ).all()
    assert len(rows) == _count(db, Client, Client.latest_scored_at.is_not(None))
    for row in rows:
        assert tuple(row[:4]) == tuple(row[4:])
    assert (
        db.exec(
            select(Score.client_id)
            .where(Score.superseded.is_(False))
            .group_by(Score.client_id)
            .having(func.count() > 1)
        ).first()
        is None
    )


def _as_json(value):
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def _failing_on_call(function, failing_call: int, error=RuntimeError("database went away")):
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if len(calls) == failing_call:
            raise error
        return function(*args, **kwargs)

    return wrapper


@pytest.fixture
def portfolio(db):
    """2,500 seeded clients (three batches), two of which may not be batch-scored."""
    assert demo.seed_portfolio(db, 2_500, seed=11, today=TODAY, batch_size=1_000) == 2_500
    objector, restricted = db.exec(select(Client).order_by(Client.id).offset(500).limit(2)).all()
    objector.objection, restricted.status = True, ClientStatus.restricted
    db.add_all([objector, restricted])
    db.commit()
    return {"objector": objector.id, "restricted": restricted.id, "scorable": 2_498}


def test_seeding_in_batches_is_deterministic_and_completes_an_interrupted_run(db, monkeypatch):
    monkeypatch.setattr(demo, "bulk_insert", _failing_on_call(demo.bulk_insert, 3))
    progress = []
    with pytest.raises(RuntimeError, match="went away"):
        demo.seed_portfolio(db, 2_500, seed=5, today=TODAY, batch_size=1_000, on_progress=progress.append)
    assert progress == [1_000, 2_000]
    assert _count(db, Client) == 2_000  # whole batches only
    monkeypatch.undo()
    assert demo.seed_portfolio(db, 2_500, seed=5, today=TODAY, batch_size=1_000) == 500
    assert demo.seed_portfolio(db, 2_500, seed=5, today=TODAY, batch_size=1_000) == 0
    stored = set(db.exec(select(Client.id)).all())
    expected = {row["id"] for batch in demo.client_batches(2_500, [1], 5, TODAY, 1_000) for row in batch}
    assert len(stored) == 2_500 and stored == expected
    owners = dict(db.exec(select(Client.advisor_id, func.count()).group_by(Client.advisor_id)).all())
    assert sorted(owners.values()) == [1_250, 1_250]  # round-robin over the two advisors
    assert _count(db, Client, Client.status != ClientStatus.active) == 0
    assert _count(db, Client, Client.latest_scored_at.is_not(None)) == 0


def test_rescoring_in_batches_scores_each_scorable_client_once_per_run(db, portfolio, scoring_model):
    progress = []
    assert scoring.count_to_rescore(db, only_unscored=True) == 2_498
    assert (
        scoring.rescore_all(
            db, scoring_model, 1_000, only_unscored=True, today=TODAY, on_progress=progress.append
        )
        == 2_498
    )
    assert progress == [1_000, 2_000, 2_498]
    assert scoring.rescore_all(db, scoring_model, 1_000, only_unscored=True, today=TODAY) == 0
    assert scoring.rescore_all(db, scoring_model, 700, today=TODAY) == 2_498

    per_client = db.exec(select(func.count()).select_from(Score).group_by(Score.client_id)).all()
    assert len(per_client) == 2_498 and set(per_client) == {2}  # once per run, two runs
    assert _count(db, Score, Score.superseded.is_(False)) == 2_498
    for skipped in (portfolio["objector"], portfolio["restricted"]):
        assert _count(db, Score, Score.client_id == skipped) == 0
        assert db.get(Client, skipped).latest_scored_at is None
    _assert_latest_columns_follow_the_current_scores(db)

    events = _batch_events(db)
    assert [e.details["scored"] for e in events] == [1_000, 1_000, 498] + [700] * 3 + [398]
    assert {e.details["channel"] for e in events} == {"batch"}
    skips = db.exec(select(AuditEvent).where(AuditEvent.action == "batch_scoring_skipped")).all()
    assert [e.details["count"] for e in skips] == [1, 1, 1]
    assert verify_chain(db) is None


def test_bulk_rows_read_back_as_the_single_score_path_stores_them(db, portfolio, scoring_model):
    assert scoring.rescore_all(db, scoring_model, 1_000, today=TODAY) == 2_498
    db.expire_all()
    client = db.exec(select(Client).where(Client.latest_scored_at.is_not(None)).limit(1)).one()
    bulk = scoring.latest_score(db, client.id)
    single = scoring.score_client(
        db,
        client,
        actor="system",
        channel="batch",
        purpose="portfolio_review",
        today=TODAY,
        model=scoring_model,
    )
    columns = (
        "features",
        "contributions",
        "reasons",
        "freshness",
        "probability",
        "recommendation",
        "risk_band",
        "threshold",
        "base_value",
        "channel",
        "purpose",
        "model_version",
        "request_id",
    )
    assert _as_json({c: getattr(bulk, c) for c in columns}) == _as_json(
        {c: getattr(single, c) for c in columns}
    )


def test_a_batch_failing_mid_run_leaves_whole_batches_and_a_resume_finishes(
    db, portfolio, scoring_model, monkeypatch
):
    assert scoring.rescore_all(db, scoring_model, 1_000, only_unscored=True, today=TODAY) == 2_498
    started = datetime.now(UTC)
    monkeypatch.setattr(rescoring, "bulk_insert", _failing_on_call(rescoring.bulk_insert, 4))
    progress = []
    with pytest.raises(RuntimeError, match="went away"):
        scoring.rescore_all(db, scoring_model, 600, today=TODAY, on_progress=progress.append)
    assert progress == [600, 1_200, 1_800]
    db.expire_all()
    assert _count(db, Client, Client.latest_scored_at >= started) == 1_800
    assert _count(db, Score) == 2_498 + 1_800
    _assert_latest_columns_follow_the_current_scores(db)
    assert verify_chain(db) is None

    monkeypatch.undo()
    assert scoring.count_to_rescore(db, resume_since=started) == 698
    assert scoring.can_resume(db, scoring_model, started)
    assert not scoring.can_resume(db, SimpleNamespace(version="another model"), started)
    assert scoring.rescore_all(db, scoring_model, 600, today=TODAY, resume_since=started) == 698
    assert _count(db, Client, Client.latest_scored_at >= started) == 2_498
    assert _count(db, Score) == 2 * 2_498
    _assert_latest_columns_follow_the_current_scores(db)
    assert verify_chain(db) is None


def test_a_client_who_objects_while_the_batch_is_scored_is_left_alone(db, portfolio, scoring_model):
    conditions = rescoring._rescore_conditions(False, None)
    batch = next(rescoring._scorable_batches(db, 100, conditions))
    scored = rescoring._score_batch(scoring_model, batch, today=TODAY, actor="system")
    late = db.get(Client, batch.client_ids[3])
    late.objection = True
    db.add(late)
    db.flush()
    assert rescoring._write_batch(db, scored, conditions, actor="system", supersede=True) == 99
    db.commit()
    assert _count(db, Score, Score.client_id == late.id) == 0
    assert _count(db, Score) == 99
    _assert_latest_columns_follow_the_current_scores(db)


def test_the_command_line_prints_progress_lines_without_a_terminal(
    cli_database, scoring_model_dir, monkeypatch, capsys
):
    monkeypatch.setenv("NEOBANK_MODEL_DIR", str(scoring_model_dir))
    get_settings.cache_clear()
    monkeypatch.setattr(seed, "PLAIN_PROGRESS_SECONDS", 0.0)
    assert cli.main(["seed", "--clients", "1200", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    line = r"{}: 1,200/1,200 \(100%\) [\d,]+/s, ETA 0:00"
    assert re.search(line.format("Seeding clients"), out), out
    assert re.search(line.format("Scoring clients"), out), out
    assert "Seeded 1200 pseudonymous demo clients" in out and "Scored 1200 clients" in out

    assert cli.main(["seed", "--clients", "1200", "--seed", "3"]) == 0  # safe to repeat
    assert "Seeded 0 pseudonymous demo clients (1200 were already there)" in capsys.readouterr().out


def test_an_interrupted_rescoring_says_how_to_finish_it(cli_database, scoring_model_dir, monkeypatch, capsys):
    monkeypatch.setenv("NEOBANK_MODEL_DIR", str(scoring_model_dir))
    get_settings.cache_clear()
    assert cli.main(["seed", "--clients", "1200", "--seed", "3"]) == 0
    capsys.readouterr()
    write = rescoring.bulk_insert
    monkeypatch.setattr(scoring, "rescore_all", functools.partial(scoring.rescore_all, batch_size=500))
    monkeypatch.setattr(rescoring, "bulk_insert", _failing_on_call(write, 2, KeyboardInterrupt()))
    assert cli.main(["seed", "--rescore"]) == 130
    out, err = capsys.readouterr()
    assert "Scoring clients: 500/1,200" in out
    resume = re.search(r"To finish: neobank seed (--rescore --resume \S+)", err)
    assert resume, err
    monkeypatch.setattr(rescoring, "bulk_insert", write)
    assert cli.main(["seed", *resume.group(1).split()]) == 0
    assert "Scored 700 clients" in capsys.readouterr().out
    with session_scope() as session:
        assert _count(session, Score, Score.superseded.is_(False)) == 1_200
        assert _count(session, Score) == 2_400
        assert verify_chain(session) is None
