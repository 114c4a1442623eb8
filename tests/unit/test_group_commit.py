"""Group commit: every acknowledged score is stored and audited, a failed commit fails
every request it held, and a bad item fails alone."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from neobank_dashboard.db import get_engine
from neobank_dashboard.db.group_commit import GroupCommitter
from neobank_dashboard.db.models import AuditEvent, Client, Score
from neobank_dashboard.services.audit import verify_chain
from neobank_dashboard.services.scoring.grouped import prepare_new_client, write_new_clients
from neobank_dashboard.settings import get_settings

GOOD = {"age": 41, "income": 38500.0, "seniority": 6.5, "payment_incidents": 0, "credit_score": 712}


@pytest.fixture
def database(db_url, serving, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def _prepared(n: int, request_ids: bool = False):
    return [
        prepare_new_client(
            GOOD,
            actor="api:partner-a",
            channel="api",
            purpose="credit_application",
            request_id=f"req-{i}" if request_ids else None,
            submitted_by="partner-a",
            model=None,
        )
        for i in range(n)
    ]


def _count(url: str, table) -> int:
    with get_engine(url).connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def _slow_writes(started: threading.Event, release: threading.Event):
    """A write_batch that holds the first batch until told, so the others queue up."""

    def write(session, items):
        if not started.is_set():
            started.set()
            release.wait(10)
        return write_new_clients(session, items)

    return write


def test_concurrent_requests_share_commits_and_every_answer_is_stored_and_audited(database):
    started, release = threading.Event(), threading.Event()
    batches = []

    def write(session, items):
        batches.append(len(items))
        return _slow_writes(started, release)(session, items)

    committer = GroupCommitter(write)
    futures = [committer.submit(item) for item in _prepared(1)]
    started.wait(10)
    futures += [committer.submit(item) for item in _prepared(30)]  # queued behind the first
    release.set()
    scores = [f.result(timeout=30) for f in futures]
    assert len({s.id for s in scores}) == 31
    assert batches[0] == 1 and max(batches) > 1  # the queued ones shared a commit
    with Session(get_engine(database)) as session:
        stored = {s.id for s in session.exec(select(Score))}
        audited = session.exec(select(AuditEvent).where(AuditEvent.action == "score")).all()
        assert {s.id for s in scores} <= stored
        assert sorted(e.details["score_id"] for e in audited) == sorted(s.id for s in scores)
        assert verify_chain(session) is None


def test_a_failed_commit_fails_every_request_it_held(database, monkeypatch):
    started, release = threading.Event(), threading.Event()
    committer = GroupCommitter(_slow_writes(started, release))
    first = committer.submit(_prepared(1)[0])
    started.wait(10)
    held = [committer.submit(item) for item in _prepared(5)]

    def failing_commit(self):
        raise sa.exc.OperationalError("COMMIT", {}, Exception("disk full"))

    monkeypatch.setattr(Session, "commit", failing_commit)
    release.set()
    for future in [first, *held]:
        with pytest.raises(sa.exc.OperationalError):
            future.result(timeout=30)
    monkeypatch.undo()
    assert _count(database, Score.__table__) == 0
    assert _count(database, Client.__table__) == 0
    assert _count(database, AuditEvent.__table__) == 0


def test_a_bad_item_fails_alone(database):
    started, release = threading.Event(), threading.Event()
    committer = GroupCommitter(_slow_writes(started, release))
    first = committer.submit(_prepared(1)[0])
    started.wait(10)
    good = _prepared(3)
    bad = _prepared(1)[0]
    bad.score_row["probability"] = None  # NOT NULL: this row cannot be written
    futures = [committer.submit(good[0]), committer.submit(bad), *map(committer.submit, good[1:])]
    release.set()
    first.result(timeout=30)
    with pytest.raises(sa.exc.IntegrityError):
        futures[1].result(timeout=30)
    assert all(f.result(timeout=30).id for f in (futures[0], futures[2], futures[3]))
    assert _count(database, Score.__table__) == 4
    assert _count(database, Client.__table__) == 4


def test_replays_in_one_batch_store_one_score(database):
    items = [_prepared(1, request_ids=True)[0] for _ in range(4)]  # one request id, four requests
    with ThreadPoolExecutor(4) as pool:
        committer = GroupCommitter(write_new_clients, writers=2)
        scores = list(pool.map(lambda item: committer.submit(item).result(timeout=30), items))
    assert len({s.id for s in scores}) == 1
    assert _count(database, Score.__table__) == 1
    assert _count(database, Client.__table__) == 1
