"""PostgreSQL: concurrent appends spread over parallel hash chains, each still verifiable.

A chain is made busy by holding its advisory lock from another connection,
as a concurrent request's open transaction would.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from neobank_dashboard.db.models import AuditEvent
from neobank_dashboard.services import audit, retention
from neobank_dashboard.services.retention import ensure_default_policies
from tests.support.factories import TODAY, at

EVENTS = AuditEvent.__table__
ADVISORY_LOCKS_HELD = sa.text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
)


@pytest.fixture
def pg(pg_db):
    return pg_db  # SQLite serialises writers: it has one chain


@contextmanager
def busy(session: Session, *chains: int):
    """Hold the append locks of ``chains`` in another connection."""
    with session.get_bind().connect() as other, other.begin():
        for chain in chains:
            other.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": audit._CHAIN_LOCK_BASE + chain})
        yield


def _view(session: Session, n: int) -> AuditEvent:
    return audit.record(
        session, actor="advisor:1", action="view_client", object_type="client", object_id=f"client-{n}"
    )


def test_a_quiet_system_writes_one_chain(pg):
    events = [_view(pg, n) for n in range(3)]
    pg.commit()
    assert {e.chain for e in events} == {0}


def test_a_busy_chain_sends_the_append_to_the_next_free_one_and_locks_only_it(pg):
    with busy(pg, 0, 1):
        event = _view(pg, 1)
        assert event.chain == 2
        assert pg.execute(ADVISORY_LOCKS_HELD).scalar() == 1
        second = _view(pg, 2)  # same transaction, same chain: its events stay in order
        assert second.chain == 2 and second.prev_hash == event.hash
        pg.commit()
    assert pg.execute(ADVISORY_LOCKS_HELD).scalar() == 0
    assert _view(pg, 3).chain == 0


def test_every_chain_verifies_and_a_break_in_any_is_named(pg):
    first = _view(pg, 0)
    pg.commit()
    with busy(pg, 0):
        in_chain_1 = [_view(pg, n).id for n in (1, 2)]
        pg.commit()
        in_chain_1.append(_view(pg, 3).id)
        pg.commit()
    last = _view(pg, 4)
    pg.commit()
    assert [e.chain for e in pg.exec(select(AuditEvent).order_by(AuditEvent.id))] == [0, 1, 1, 1, 0]
    assert last.prev_hash == first.hash
    assert audit.verify_chain(pg) is None
    pg.execute(sa.delete(EVENTS).where(EVENTS.c.id == in_chain_1[1]))
    pg.commit()
    assert audit.verify_chain(pg) == (
        in_chain_1[2],
        "previous-hash mismatch: a row before it was deleted or inserted",
    )


def test_moving_an_event_to_another_chain_is_caught(pg):
    ids = [_view(pg, n).id for n in range(3)]
    pg.commit()
    pg.execute(sa.update(EVENTS).where(EVENTS.c.id == ids[1]).values(chain=3))
    pg.commit()
    assert audit.verify_chain(pg)[0] == ids[1]


def test_concurrent_appends_use_several_chains_and_all_verify(pg):
    engine = pg.get_bind()
    barrier = threading.Barrier(6)

    def append(worker: int) -> None:
        with Session(engine) as session:
            _view(session, worker)
            barrier.wait(timeout=30)  # all six hold a chain at once
            session.commit()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(pg.exec(select(AuditEvent.chain)).all()) == [0, 1, 2, 3, 4, 5]
    assert audit.verify_chain(pg) is None


def test_purges_carry_every_chain_anchor_forward(pg, monkeypatch):
    """The first purge cuts chains 0 and 1; the second cuts chain 0 only, the first
    purge's report with it: chain 1 still starts from the anchor the first one left."""
    ensure_default_policies(pg)

    def aged(days_ago: int, chain: int = 0) -> None:
        with monkeypatch.context() as patch:
            patch.setattr(audit, "utcnow", lambda: at(days_ago))
            if chain:
                with busy(pg, *range(chain)):
                    _view(pg, days_ago)
                    pg.commit()
            else:
                _view(pg, days_ago)
                pg.commit()

    aged(800)
    aged(799, chain=1)
    aged(600)
    with monkeypatch.context() as patch:
        patch.setattr(audit, "utcnow", lambda: at(590))
        retention.run_purge(pg, TODAY - timedelta(days=300))
    assert set(audit.chain_anchors(pg)) == {0, 1}
    aged(10, chain=1)
    report = retention.run_purge(pg, TODAY)
    assert report.counts()["security_logs"]["auditevent"] == 2  # the 600-day event, purge 1
    assert [e.chain for e in pg.exec(select(AuditEvent).order_by(AuditEvent.id))] == [1, 0]
    assert audit.verify_chain(pg) is None
