"""Append-only audit log with a hash chain.

Each event stores the SHA-256 of its own canonical content and of the previous
event, so an edited, inserted or deleted row breaks the chain at that point.
Callers pass identifiers and outcomes only: never feature values, passwords or
tokens (``details`` keys are checked against a deny-list as a last guard).

The retention purge deletes the oldest events. Its report event, itself in the
chain, stores the hash of the last event it deleted (``chain_anchor``): the
first remaining event must point to it, so deleting more of the head is still
caught. Deleting the newest events (the tail) needs an external copy of the
last hash to detect, as in any hash chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, select

from neobank_dashboard.db.models import AuditEvent
from neobank_dashboard.db.types import utcnow

GENESIS_HASH = "0" * 64
FORBIDDEN_DETAIL_KEYS = frozenset(
    {"password", "token", "secret", "age", "income", "seniority", "payment_incidents",
     "credit_score", "features", "authorization"}
)
_CHAIN_LOCK_ID = 0x4E454F  # PostgreSQL advisory lock serialising appends
PURGE_ACTION = "retention_purge"
ANCHOR_KEY = "chain_anchor"


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "created_at": event.created_at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "outcome": event.outcome,
        "request_id": event.request_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str | None = None,
    object_id: str | None = None,
    outcome: str = "success",
    request_id: str | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain (flushed, committed with the caller's transaction)."""
    details = details or {}
    leaked = FORBIDDEN_DETAIL_KEYS.intersection(k.lower() for k in details)
    if leaked:
        raise ValueError(f"audit details must not contain {sorted(leaked)}")
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK_ID})
    last = session.exec(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    event = AuditEvent(
        created_at=utcnow(),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        request_id=request_id,
        details=details,
        prev_hash=last or GENESIS_HASH,
        hash="",
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    return event


def first_broken_link(
    events: Iterable[AuditEvent], anchor: str = GENESIS_HASH
) -> tuple[int | None, str] | None:
    """The first event (id, reason) where the chain breaks, or None if intact.

    ``anchor`` is the ``prev_hash`` the first event must carry: the genesis
    hash, or the hash of the last event a retention purge deleted.
    """
    expected_prev = anchor
    for position, event in enumerate(events):
        if event.prev_hash != expected_prev:
            if position == 0 and anchor != GENESIS_HASH:
                return event.id, (
                    "does not follow the last retention purge: rows after the purged "
                    "ones were deleted, or a row was inserted before it"
                )
            return event.id, "previous-hash mismatch: a row before it was deleted or inserted"
        if event_hash(event) != event.hash:
            return event.id, "content hash mismatch: this row was edited"
        expected_prev = event.hash
    return None


def chain_anchor(session: Session) -> str:
    """Where the chain starts now: genesis, or the anchor of the latest purge that cut it."""
    purges = session.exec(
        select(AuditEvent.details).where(AuditEvent.action == PURGE_ACTION)
        .order_by(AuditEvent.id.desc())
    )
    for details in purges:
        if ANCHOR_KEY in details:
            return details[ANCHOR_KEY]
    return GENESIS_HASH


def verify_chain(session: Session) -> tuple[int | None, str] | None:
    anchor = chain_anchor(session)
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).yield_per(1000)
    return first_broken_link(events, anchor)
