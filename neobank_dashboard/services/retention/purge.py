"""The retention purge: applies the RetentionPolicy table, deletes physically.

The preview (:func:`plan_purge`) and the purge (:func:`run_purge`) run the same
statements (:mod:`.selection`). Audit events go as one block at the head of the
log, and the purge's report event re-anchors every hash chain past them.
Deleted rows are gone from the files: SQLite overwrites them (``secure_delete``)
and the purge truncates the write-ahead log after committing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, date, time

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from neobank_dashboard.db import session_scope
from neobank_dashboard.db.engine import truncate_write_ahead_log
from neobank_dashboard.db.models import AuditEvent, RetentionCategory, table_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit
from neobank_dashboard.services.retention.policies import ensure_default_policies
from neobank_dashboard.services.retention.selection import purge_rules, start_of

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "system:retention"
DAILY_PURGE_AT = time(3, 15, tzinfo=UTC)
_PURGE_LOCK_ID = 0x505247  # PostgreSQL advisory lock: one purge at a time across workers


@dataclass(frozen=True)
class PurgeStep:
    """One statement of a purge: ``rows`` deleted, or changed as ``change`` says."""

    category: str
    table: str
    rows: int
    change: str = "delete"

    @property
    def target(self) -> str:
        return self.table if self.change == "delete" else f"{self.table} ({self.change})"


@dataclass(frozen=True)
class PurgePlan:
    """What a purge on ``today`` deletes or changes, per category and table."""

    today: date
    cutoffs: dict[str, date]
    steps: tuple[PurgeStep, ...]

    @property
    def total(self) -> int:
        return sum(step.rows for step in self.steps)

    def counts(self) -> dict[str, dict[str, int]]:
        """Rows per category and table, non-zero only (the purge report's details)."""
        counts: dict[str, dict[str, int]] = {}
        for step in self.steps:
            if step.rows:
                counts.setdefault(step.category, {})[step.target] = step.rows
        return counts


@dataclass(frozen=True)
class PurgeReport(PurgePlan):
    dry_run: bool = False
    event_id: int | None = None


def _audit_head(session: Session, cutoff: date) -> tuple[int, dict[int, int]]:
    """Old audit events at the head of the log: how many, and the last one's id in
    each chain they belong to.

    The head stops at the first recent event (in id order, which is each chain's
    order), so the purge never leaves a hole in the middle of a chain.
    """
    first_recent = session.exec(
        select(func.min(AuditEvent.id)).where(AuditEvent.created_at >= start_of(cutoff))
    ).one()
    head = col(AuditEvent.id) < first_recent if first_recent is not None else sa.true()
    per_chain = session.exec(
        select(col(AuditEvent.chain), func.max(col(AuditEvent.id)), func.count())
        .where(head)
        .group_by(col(AuditEvent.chain))
    ).all()
    return sum(n for *_, n in per_chain), {chain: last for chain, last, _ in per_chain if last is not None}


def plan_purge(session: Session, today: date) -> PurgePlan:
    """What :func:`run_purge` would delete today, without changing anything."""
    cutoffs, rules = purge_rules(session, today)
    steps = [PurgeStep(r.category.value, r.table.name, r.count(session), r.change) for r in rules]
    old_events, _ = _audit_head(session, cutoffs[RetentionCategory.security_logs])
    steps.append(PurgeStep(RetentionCategory.security_logs.value, table_of(AuditEvent).name, old_events))
    return PurgePlan(today, cutoffs, tuple(steps))


def _lock(session: Session) -> None:
    # SQLite needs nothing: the first statement takes the write lock (BEGIN IMMEDIATE).
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PURGE_LOCK_ID})


def run_purge(
    session: Session, today: date, *, dry_run: bool = False, actor: str = SYSTEM_ACTOR
) -> PurgeReport:
    """Apply every retention rule as of ``today``, in one transaction, and commit.

    Commits itself because making deletion physical (the SQLite WAL checkpoint)
    must follow the commit. Writes one report event with the counts; a dry run
    changes nothing and writes nothing.
    """
    if dry_run:
        plan = plan_purge(session, today)
        return PurgeReport(plan.today, plan.cutoffs, plan.steps, dry_run=True)
    _lock(session)
    cutoffs, rules = purge_rules(session, today)
    steps = [PurgeStep(r.category.value, r.table.name, r.apply(session), r.change) for r in rules]
    # After the rows, like a request (rows, then its chain): no lock-order deadlock. From
    # here the head and its anchors cannot move under us.
    audit.lock_all_chains(session)
    old_events, last_by_chain = _audit_head(session, cutoffs[RetentionCategory.security_logs])
    steps.append(PurgeStep(RetentionCategory.security_logs.value, table_of(AuditEvent).name, old_events))
    report = PurgeReport(today, cutoffs, tuple(steps))
    details: dict = {"today": today.isoformat(), "deleted": report.counts()}
    anchors = audit.chain_anchors(session) | {
        chain: session.get_one(AuditEvent, last).hash for chain, last in last_by_chain.items()
    }
    if anchors:
        details[audit.ANCHORS_KEY] = {str(chain): h for chain, h in sorted(anchors.items())}
    # Recorded before the old events go: it chains to its chain's last event, which
    # is that chain's anchor itself when every event was old.
    event = audit.record(
        session, actor=actor, action=audit.PURGE_ACTION, object_type="retention", details=details
    )
    if old_events:
        session.execute(
            sa.delete(table_of(AuditEvent)).where(col(AuditEvent.id) <= max(last_by_chain.values()))
        )
    session.commit()
    session.expire_all()
    truncate_write_ahead_log(session)
    logger.info("retention purge %s: %d rows", today.isoformat(), report.total)
    return replace(report, event_id=event.id)


def run_daily_purge(url: str | None = None, today: date | None = None) -> PurgeReport | None:
    """Today's purge, unless one already ran today (every worker runs the daily task)."""
    today = today or utcnow().date()
    with session_scope(url) as session:
        _lock(session)
        already = session.exec(
            select(AuditEvent.id)
            .where(AuditEvent.action == audit.PURGE_ACTION, AuditEvent.created_at >= start_of(today))
            .limit(1)
        ).first()
        if already is not None:
            return None
        ensure_default_policies(session)  # a fresh database purges with the defaults
        return run_purge(session, today)
