"""Append-only audit log in hash chains.

Each event stores the SHA-256 of its own canonical content and of the previous
event of its chain, so an edited, inserted or deleted row breaks its chain at
that point. Callers pass identifiers and outcomes only: never feature values,
passwords or tokens (``details`` keys are checked against a deny-list as a last
guard).

Appending reads the chain's last hash, so appends to one chain are serialised
until their transaction commits. On PostgreSQL there are ``AUDIT_CHAINS``
chains, each behind its own advisory lock: a transaction takes the first free
one, so up to that many requests (across all workers) append at once, while a
quiet system writes to chain 0 only. SQLite serialises writers anyway and uses
chain 0. Every chain is verified on its own; the order of events across chains
is their id order.

The retention purge deletes the oldest events. Its report event, itself in a
chain, stores for every chain the hash of the last event deleted from it
(``chain_anchors``, carried forward from purge to purge): each chain's first
remaining event must point to its anchor, so deleting more of a head is still
caught. Deleting the newest events (a tail) needs an external copy of each
chain's last hash to detect, as in any hash chain.

Refused accesses (:func:`record_refusal`) are events too, outcome ``denied``
with a reason code, but a burst from one actor must not flood the log: each
process writes at most one per actor, action, reason and object per
:data:`REFUSAL_WINDOW_SECONDS`, and the next one written carries how many were
folded into it (``coalesced``).
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, select

from modeling import FEATURE_NAMES
from neobank_dashboard.db.models import AuditEvent, table_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.metrics import AUDIT_LOCK_WAIT_SECONDS

GENESIS_HASH = "0" * 64
FORBIDDEN_DETAIL_KEYS = frozenset(
    {"password", "token", "secret", "authorization", "features", *FEATURE_NAMES}
)  # no credential and no feature value ever enters the audit log
AUDIT_CHAINS = 8  # PostgreSQL: chains appended to in parallel (a ceiling on concurrent appends)
_CHAIN_LOCK_BASE = 0x4E454F00  # advisory lock of chain k: base + k
PURGE_ACTION = "retention_purge"
ANCHORS_KEY = "chain_anchors"
_LEGACY_ANCHOR_KEY = "chain_anchor"  # purges before parallel chains: chain 0's anchor
# The first chain whose lock is free, in order: LIMIT stops the scan at the first
# success, so no other chain is locked. None when all are busy.
_TRY_FIRST_FREE = sa.text(
    "SELECT k FROM generate_series(0, :chains - 1) AS k WHERE pg_try_advisory_xact_lock(:base + k) LIMIT 1"
)
_LOCK = sa.text("SELECT pg_advisory_xact_lock(:base + :k)")


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


def _lock_chain(session: Session) -> int:
    """The chain this transaction appends to, locked until it ends.

    A transaction keeps its chain: several events of one request stay in order,
    and it never waits for a second chain lock while holding one (no deadlock).
    The lock is taken again each time because a rolled-back savepoint releases it.
    """
    if session.get_bind().dialect.name != "postgresql":
        return 0
    session.connection()  # begins the transaction if none is open yet
    with AUDIT_LOCK_WAIT_SECONDS.time():
        return _take_chain_lock(session)


def _take_chain_lock(session: Session) -> int:
    transaction = session.get_transaction()
    held = session.info.get("audit_chain")
    if held is not None and held[0] is transaction:
        chain = held[1]
        session.execute(_LOCK, {"base": _CHAIN_LOCK_BASE, "k": chain})
    else:
        chain = session.execute(_TRY_FIRST_FREE, {"chains": AUDIT_CHAINS, "base": _CHAIN_LOCK_BASE}).scalar()
        if chain is None:  # every chain busy: queue behind one
            chain = random.randrange(AUDIT_CHAINS)
            session.execute(_LOCK, {"base": _CHAIN_LOCK_BASE, "k": chain})
        session.info["audit_chain"] = (transaction, chain)
    return chain


def lock_all_chains(session: Session) -> None:
    """Stop every append until this transaction ends (the retention purge)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection()
        for chain in range(AUDIT_CHAINS):  # requests hold at most one: no cycle among them
            session.execute(_LOCK, {"base": _CHAIN_LOCK_BASE, "k": chain})
        session.info["audit_chain"] = (session.get_transaction(), 0)


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
    fields = {
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "outcome": outcome,
        "request_id": request_id,
        "details": details or {},
    }
    return record_many(session, [fields])[0]


def record_many(session: Session, events: Sequence[Mapping]) -> list[AuditEvent]:
    """Append several events in order with one chain lock, one read of the chain's
    head and one multi-row insert (group commit). Each mapping holds ``record``'s
    keyword arguments."""
    for fields in events:
        leaked = FORBIDDEN_DETAIL_KEYS.intersection(k.lower() for k in fields.get("details") or {})
        if leaked:
            raise ValueError(f"audit details must not contain {sorted(leaked)}")
    if not events:
        return []
    chain = _lock_chain(session)
    table = table_of(AuditEvent)
    last = session.execute(
        sa.select(table.c.hash).where(table.c.chain == chain).order_by(table.c.id.desc()).limit(1)
    ).scalar()
    # A chain a purge emptied goes on from the anchor that purge left.
    previous = last or chain_anchors(session).get(chain, GENESIS_HASH)
    written = []
    for fields in events:
        event = AuditEvent(
            chain=chain,
            created_at=utcnow(),
            **{"outcome": "success", **fields, "details": fields.get("details") or {}},
            prev_hash=previous,
            hash="",
        )
        event.hash = previous = event_hash(event)
        written.append(event)
    rows = [event.model_dump(exclude={"id"}) for event in written]
    ids = session.scalars(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).all()
    for event, event_id in zip(written, ids, strict=True):
        event.id = event_id
    return written  # written with Core (no unit of work on the hot path); not in the session


REFUSAL_WINDOW_SECONDS = 60.0
_MAX_REFUSAL_KEYS = 10_000


class RefusalWindows:
    """Which refusals to write: the first of each (actor, action, reason, object) per window."""

    def __init__(self, window: float = REFUSAL_WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.window, self.clock = window, clock
        self._opened: dict[tuple, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def admit(self, key: tuple) -> int | None:
        """None to fold this refusal into the open window; else the number folded
        into the window that just closed (0 when there was none)."""
        now = self.clock()
        with self._lock:
            opened = self._opened.get(key)
            if opened is not None and now - opened[0] < self.window:
                self._opened[key] = (opened[0], opened[1] + 1)
                return None
            if len(self._opened) >= _MAX_REFUSAL_KEYS:  # many actors: forget the closed windows
                self._opened = {k: v for k, v in self._opened.items() if now - v[0] < self.window}
            self._opened[key] = (now, 0)
            return opened[1] if opened is not None else 0


refusal_windows = RefusalWindows()


def record_refusal(
    session: Session,
    *,
    actor: str,
    action: str,
    reason: str,
    outcome: str = "denied",
    object_type: str | None = None,
    object_id: str | None = None,
    request_id: str | None = None,
    details: dict | None = None,
) -> AuditEvent | None:
    """Record a refused access, coalesced per actor and reason (see the module docstring);
    None when this one was folded into an event already written."""
    coalesced = refusal_windows.admit((actor, action, reason, object_type, object_id))
    if coalesced is None:
        return None
    return record(
        session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        request_id=request_id,
        details={**(details or {}), "reason": reason, **({"coalesced": coalesced} if coalesced else {})},
    )


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


def chain_anchors(session: Session) -> dict[int, str]:
    """Where each chain starts now (chains absent start at genesis): the anchors
    of the latest purge that cut a chain, which carries every earlier one."""
    purges = session.exec(
        select(col(AuditEvent.details))
        .where(col(AuditEvent.action) == PURGE_ACTION)
        .order_by(col(AuditEvent.id).desc())
    )
    for details in purges:
        if ANCHORS_KEY in details:
            return {int(chain): anchor for chain, anchor in details[ANCHORS_KEY].items()}
        if _LEGACY_ANCHOR_KEY in details:
            return {0: details[_LEGACY_ANCHOR_KEY]}
    return {}


def chains(session: Session) -> list[int]:
    return sorted(session.exec(select(AuditEvent.chain).distinct()).all())


def verify_chain(session: Session) -> tuple[int | None, str] | None:
    """The first break (lowest event id) over every chain, or None if all are intact."""
    anchors = chain_anchors(session)
    breaks = []
    for chain in chains(session):
        events = session.exec(
            select(AuditEvent).where(col(AuditEvent.chain) == chain).order_by(col(AuditEvent.id))
        ).yield_per(1000)
        broken = first_broken_link(events, anchors.get(chain, GENESIS_HASH))
        if broken is not None:
            breaks.append(broken)
    return min(breaks, key=lambda b: b[0] or 0) if breaks else None
