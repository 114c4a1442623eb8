"""The audit log's hash chain catches an edit, a deletion and an insertion, purges included."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from neobank_dashboard import audit as audit_cli
from neobank_dashboard.db.models import AuditEvent
from neobank_dashboard.services import audit, retention
from neobank_dashboard.services.retention import ensure_default_policies
from tests.support.factories import TODAY, at

EVENTS = AuditEvent.__table__


@pytest.fixture
def chain(db) -> list[int]:
    ids = [
        audit.record(
            db, actor="advisor:1", action="view_client", object_type="client", object_id=f"client-{n}"
        ).id
        for n in range(5)
    ]
    db.commit()
    return ids


def _tamper(db, statement) -> None:
    db.execute(statement)
    db.commit()
    db.expire_all()


def _aged_events(db, monkeypatch, *days_ago: int) -> None:
    with monkeypatch.context() as patch:
        for age in days_ago:
            patch.setattr(audit, "utcnow", lambda age=age: at(age))
            audit.record(db, actor="advisor:1", action="login")
    db.commit()


def test_intact_chain_verifies(db, chain):
    assert audit.verify_chain(db) is None


def test_an_edited_row_is_reported(db, chain):
    _tamper(db, sa.update(EVENTS).where(EVENTS.c.id == chain[2]).values(outcome="failure"))
    assert audit.verify_chain(db) == (chain[2], "content hash mismatch: this row was edited")


def test_a_deleted_row_is_reported_at_the_next_one(db, chain):
    _tamper(db, sa.delete(EVENTS).where(EVENTS.c.id == chain[1]))
    event_id, reason = audit.verify_chain(db)
    assert event_id == chain[2] and "deleted or inserted" in reason


def test_an_inserted_row_is_reported(db, chain):
    # Make room between two events, then slip in a row that pretends to follow the first.
    _tamper(db, sa.update(EVENTS).where(EVENTS.c.id == chain[4]).values(id=chain[4] + 100))
    forged = AuditEvent(
        id=chain[4] + 50,
        created_at=at(0),
        actor="advisor:1",
        action="view_client",
        details={},
        prev_hash="f" * 64,
        hash="",
    )
    forged.hash = audit.event_hash(forged)
    db.add(forged)
    db.commit()
    assert audit.verify_chain(db)[0] == chain[4] + 50
    # A careful forger chains it to the row before: the row after it then breaks.
    last_kept = db.get(AuditEvent, chain[3]).hash
    _tamper(db, sa.update(EVENTS).where(EVENTS.c.id == chain[4] + 50).values(prev_hash=last_kept))
    forged = db.get(AuditEvent, chain[4] + 50)
    _tamper(db, sa.update(EVENTS).where(EVENTS.c.id == forged.id).values(hash=audit.event_hash(forged)))
    assert audit.verify_chain(db)[0] == chain[4] + 100


def test_a_deleted_first_row_is_reported(db, chain):
    _tamper(db, sa.delete(EVENTS).where(EVENTS.c.id == chain[0]))
    assert audit.verify_chain(db)[0] == chain[1]


def test_chain_stays_verifiable_across_purges(db, monkeypatch):
    ensure_default_policies(db)
    _aged_events(db, monkeypatch, 800, 799, 10)
    retention.run_purge(db, TODAY)
    assert audit.verify_chain(db) is None
    # A purge a year and more later finds every event old, its predecessor's report too.
    report = retention.run_purge(db, TODAY + timedelta(days=400))
    assert report.counts()["security_logs"]["auditevent"] == 2
    assert db.exec(select(AuditEvent.id)).all() == [report.event_id]
    assert audit.verify_chain(db) is None


def test_deleting_rows_after_a_purge_is_still_caught(db, monkeypatch):
    ensure_default_policies(db)
    _aged_events(db, monkeypatch, 800, 799, 10, 9)
    retention.run_purge(db, TODAY)
    first, second = db.exec(select(AuditEvent.id).order_by(AuditEvent.id)).all()[:2]
    _tamper(db, sa.delete(EVENTS).where(EVENTS.c.id == first))
    event_id, reason = audit.verify_chain(db)
    assert event_id == second and "last retention purge" in reason


def test_editing_the_purge_anchor_is_caught(db, monkeypatch):
    ensure_default_policies(db)
    _aged_events(db, monkeypatch, 800, 10)
    report = retention.run_purge(db, TODAY)
    purge_event = db.get(AuditEvent, report.event_id)
    details = purge_event.details | {audit.ANCHORS_KEY: {"0": "0" * 64}}
    _tamper(db, sa.update(EVENTS).where(EVENTS.c.id == report.event_id).values(details=details))
    assert audit.verify_chain(db) is not None


def test_a_purge_written_before_parallel_chains_still_anchors_chain_0(db, monkeypatch):
    """Such a purge stored one ``chain_anchor`` (a string), not ``chain_anchors``."""
    ensure_default_policies(db)
    _aged_events(db, monkeypatch, 800, 10)
    report = retention.run_purge(db, TODAY)
    purge = db.get(AuditEvent, report.event_id)  # the newest event: it can be re-hashed
    anchor = purge.details.pop(audit.ANCHORS_KEY)["0"]
    purge.details["chain_anchor"] = anchor
    _tamper(
        db,
        sa.update(EVENTS)
        .where(EVENTS.c.id == purge.id)
        .values(details=purge.details, hash=audit.event_hash(purge)),
    )
    assert audit.chain_anchors(db) == {0: anchor}
    assert audit.verify_chain(db) is None


def test_verify_command_exits_zero_when_intact(cli_database, chain, capsys):
    assert audit_cli.main(["verify"]) == 0
    assert "audit chain intact: 5 events in 1 chain, from genesis" in capsys.readouterr().out


def test_verify_command_names_the_first_broken_row(cli_database, db, chain, capsys):
    _tamper(db, sa.update(EVENTS).where(EVENTS.c.id == chain[3]).values(actor="advisor:2"))
    assert audit_cli.main(["verify"]) == 1
    assert f"BROKEN at event {chain[3]}: content hash mismatch" in capsys.readouterr().err
