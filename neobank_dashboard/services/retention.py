"""The retention purge: applies the RetentionPolicy table, deletes physically.

The table is the single source of truth for durations; :data:`RULES` says how
the purge applies each category (the records of processing quote it). The
preview (:func:`plan_purge`) and the purge (:func:`run_purge`) build the same
statements, so the admin page shows exactly what a run will do. Deleted rows
are gone from the files: SQLite overwrites them (``secure_delete``) and the
purge truncates the write-ahead log after committing.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, func, select

from neobank_dashboard.db import session_scope
from neobank_dashboard.db.models import (
    AuditEvent,
    AuthSession,
    Client,
    ClientStatus,
    Decision,
    Outcome,
    RetentionPolicy,
    Score,
)
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit
from neobank_dashboard.services.auth import CurrentAdvisor, require_supervisor
from neobank_dashboard.services.retention_policies import ensure_default_policies

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "system:retention"
DAILY_PURGE_AT = time(3, 15, tzinfo=UTC)
_PURGE_LOCK_ID = 0x505247  # PostgreSQL advisory lock: one purge at a time across workers


class Category(StrEnum):
    """What the purge deletes, named after the RetentionPolicy rows it applies."""

    security_logs = "security_logs"
    scoring_events = "scoring_events"
    client_records = "client_records"
    payment_incidents = "payment_incidents"
    prospects = "prospects"
    erasure = "erasure"  # erased clients whose legal hold ended (date on the client)


RULES: dict[Category, str] = {
    Category.security_logs: (
        "Browser sessions (AuthSession) and audit events are deleted once their creation "
        "date is older than the duration. Audit events go oldest first, as one block at "
        "the head of the log (the head of each of its hash chains); the purge report event "
        "stores, for every chain, the hash of the last event deleted from it as that "
        "chain's new anchor, so `python -m neobank_dashboard.audit verify` still proves "
        "the rest intact."
    ),
    Category.scoring_events: (
        "Score rows are deleted once older than the duration, except a score a decision "
        "or a recorded outcome rests on: it is the record of what the advisor saw (and "
        "what the backtest compares with what followed), so it stays with the client "
        "record; the challenger's shadow score of a deleted score goes with it. When a "
        "client's current score goes, its copy on the client row (the portfolio's current "
        "probability, recommendation and band) is cleared too."
    ),
    Category.client_records: (
        "When a relationship ends, the client's retention date becomes the end date plus "
        "the duration. Once it is reached the purge deletes the client and every row that "
        "refers to it (scores, decisions, any table with a foreign key to the client)."
    ),
    Category.payment_incidents: (
        "No incident is stored, only the feature 'payment incidents over the last five "
        "years', with the date it was observed. A count observed longer ago than the "
        "duration describes only incidents the FICP itself has deleted: the purge resets "
        "it to 0 and keeps its as-of date, so the value stays stale, a critical feature, "
        "and any new score of the client goes to human review until it is refreshed."
    ),
    Category.prospects: (
        "A client without a relationship (no assigned advisor, no approved decision, no "
        "relationship end: a partner's applicant or a refused applicant) is deleted with "
        "every row that refers to it once its last contact is older than the duration. "
        "Last contact is the latest submission or correction of the client's data (the "
        "row's creation or update); rescoring by the bank is not contact."
    ),
    Category.erasure: (
        "An erasure request takes the client out of lists and scoring at once (status "
        "erased) and sets its retention date to the end of the legal hold: relationship "
        "end (today if it was running) plus the client-records duration, or today for a "
        "client without a relationship, which no hold covers. The purge then deletes the "
        "client and every row that refers to it."
    ),
}
RESTRICTION_RULE = (
    "A restricted client (GDPR Art. 18) is kept whole, scores included: the purge skips "
    "it until the restriction is lifted, since restriction may be asked precisely to keep "
    "data the controller would otherwise delete (Art. 18(1)(c))."
)
PHYSICAL_DELETION = (
    "Deletion is physical. SQLite overwrites deleted content (`secure_delete`) and the "
    "purge truncates the write-ahead log after committing (`wal_checkpoint(TRUNCATE)`). "
    "On PostgreSQL the rows are deleted and autovacuum later reclaims their space (until "
    "then dead rows stay in the data files: storage must be encrypted at rest). Backups "
    "keep a deleted row until they rotate out. Audit events keep a client's pseudonym, "
    "never its data, for the security-log duration."
)


class MissingPolicyError(RuntimeError):
    """The RetentionPolicy table lacks a category the purge applies."""


class ClientNotFoundError(LookupError):
    """No client has this id (or the id is not a UUID)."""


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


@dataclass(frozen=True)
class _Rule:
    category: Category
    table: sa.Table
    where: sa.ColumnElement[bool]
    clear: dict | None = None  # None deletes the rows
    change: str = "delete"

    def count(self, session: Session) -> int:
        return session.exec(select(func.count()).select_from(self.table).where(self.where)).one()

    def apply(self, session: Session) -> int:
        if self.clear is None:
            statement = sa.delete(self.table).where(self.where)
        else:
            statement = sa.update(self.table).where(self.where).values(**self.clear)
        return session.execute(statement).rowcount or 0


def referring_columns(table: sa.Table) -> list[sa.Column]:
    """Every column with a foreign key to ``table``'s primary key, children first.

    Found by introspection, so a new table that refers to a client is exported
    and deleted with it without anyone having to remember.
    """
    return [
        column
        for other in reversed(SQLModel.metadata.sorted_tables)
        for column in other.columns
        if any(fk.column.table is table for fk in column.foreign_keys)
    ]


def policies(session: Session) -> dict[str, RetentionPolicy]:
    rows = {policy.category: policy for policy in session.exec(select(RetentionPolicy))}
    missing = {c.value for c in Category if c != Category.erasure} - rows.keys()
    if missing:
        raise MissingPolicyError(f"no retention policy for {sorted(missing)}: run ensure_default_policies")
    return rows


def duration(session: Session, category: Category) -> timedelta:
    return timedelta(days=policies(session)[category].duration_days)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def without_relationship() -> sa.ColumnElement[bool]:
    """Clients that never became customers: no advisor, no approved decision, no end date."""
    approved = (
        select(Decision.id)
        .where(Decision.client_id == Client.id, Decision.outcome == Outcome.approved)
        .correlate(Client)
        .exists()
    )
    return sa.and_(Client.advisor_id.is_(None), Client.relationship_ended_on.is_(None), ~approved)


def _client_due(cutoffs: dict[str, date], today: date) -> dict[Category, sa.ColumnElement]:
    """Clients the purge deletes whole, per category (disjoint conditions)."""
    contact = _start_of(cutoffs[Category.prospects])
    # Never NULL, so that "not due" (~) is true for every client that is not due.
    hold_over = sa.and_(Client.retention_until.is_not(None), Client.retention_until <= today)
    return {
        Category.erasure: sa.and_(Client.status == ClientStatus.erased, hold_over),
        Category.client_records: sa.and_(Client.status == ClientStatus.active, hold_over),
        Category.prospects: sa.and_(
            Client.status == ClientStatus.active,
            Client.retention_until.is_(None),
            without_relationship(),
            Client.created_at < contact,
            Client.updated_at < contact,
        ),
    }


def _rules(session: Session, today: date) -> tuple[dict[str, date], list[_Rule]]:
    """The purge's statements, in execution order, and the date cutoffs they use."""
    rows = policies(session)
    cutoffs = {
        c.value: today - timedelta(days=rows[c].duration_days)
        for c in (
            Category.security_logs,
            Category.scoring_events,
            Category.prospects,
            Category.payment_incidents,
        )
    }
    client = Client.__table__
    due = _client_due(cutoffs, today)
    rules: list[_Rule] = []
    for category, condition in due.items():
        ids = select(Client.id).where(condition)
        rules += [_Rule(category, c.table, c.in_(ids)) for c in referring_columns(client)]
        rules.append(_Rule(category, client, condition))

    # Clients that stay: neither due nor restricted (restriction freezes the record).
    kept = sa.and_(Client.status != ClientStatus.restricted, ~sa.or_(*due.values()))
    scored_before = _start_of(cutoffs[Category.scoring_events])
    backs_a_row = sa.or_(
        sa.false(),
        *(
            select(c).where(c == Score.id).correlate(Score).exists()
            for c in referring_columns(Score.__table__)
            # A row deleted with its score (a shadow score) does not keep it.
            if not any(fk.ondelete == "CASCADE" for fk in c.foreign_keys)
        ),
    )
    rules.append(
        _Rule(
            Category.scoring_events,
            Score.__table__,
            sa.and_(
                Score.created_at < scored_before,
                ~backs_a_row,
                Score.client_id.in_(select(Client.id).where(kept)),
            ),
        )
    )
    current_score_stays = (
        select(Score.id)
        .where(
            Score.client_id == Client.id,
            ~Score.superseded,
            sa.or_(Score.created_at >= scored_before, backs_a_row),
        )
        .correlate(Client)
        .exists()
    )
    rules.append(
        _Rule(
            Category.scoring_events,
            client,
            sa.and_(kept, Client.latest_scored_at.is_not(None), ~current_score_stays),
            clear={
                "latest_probability": None,
                "latest_recommendation": None,
                "latest_risk_band": None,
                "latest_scored_at": None,
            },
            change="current score cleared",
        )
    )
    rules.append(
        _Rule(
            Category.payment_incidents,
            client,
            sa.and_(
                kept,
                Client.payment_incidents > 0,
                Client.payment_incidents_as_of < cutoffs[Category.payment_incidents],
            ),
            clear={"payment_incidents": 0},
            change="incident count reset",
        )
    )
    rules.append(
        _Rule(
            Category.security_logs,
            AuthSession.__table__,
            AuthSession.created_at < _start_of(cutoffs[Category.security_logs]),
        )
    )
    return cutoffs, rules


def _audit_head(session: Session, cutoff: date) -> tuple[int, dict[int, int]]:
    """Old audit events at the head of the log: how many, and the last one's id in
    each chain they belong to.

    The head stops at the first recent event (in id order, which is each chain's
    order), so the purge never leaves a hole in the middle of a chain.
    """
    first_recent = session.exec(
        select(func.min(AuditEvent.id)).where(AuditEvent.created_at >= _start_of(cutoff))
    ).one()
    head = AuditEvent.id < first_recent if first_recent is not None else sa.true()
    per_chain = session.exec(
        select(AuditEvent.chain, func.max(AuditEvent.id), func.count()).where(head).group_by(AuditEvent.chain)
    ).all()
    return sum(n for *_, n in per_chain), {chain: last for chain, last, _ in per_chain}


def plan_purge(session: Session, today: date) -> PurgePlan:
    """What :func:`run_purge` would delete today, without changing anything."""
    cutoffs, rules = _rules(session, today)
    steps = [PurgeStep(r.category.value, r.table.name, r.count(session), r.change) for r in rules]
    old_events, _ = _audit_head(session, cutoffs[Category.security_logs])
    steps.append(PurgeStep(Category.security_logs.value, AuditEvent.__tablename__, old_events))
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
    cutoffs, rules = _rules(session, today)
    steps = [PurgeStep(r.category.value, r.table.name, r.apply(session), r.change) for r in rules]
    # After the rows, like a request (rows, then its chain): no lock-order deadlock. From
    # here the head and its anchors cannot move under us.
    audit.lock_all_chains(session)
    old_events, last_by_chain = _audit_head(session, cutoffs[Category.security_logs])
    steps.append(PurgeStep(Category.security_logs.value, AuditEvent.__tablename__, old_events))
    report = PurgeReport(today, cutoffs, tuple(steps))
    details: dict = {"today": today.isoformat(), "deleted": report.counts()}
    anchors = audit.chain_anchors(session) | {
        chain: session.get(AuditEvent, last).hash for chain, last in last_by_chain.items()
    }
    if anchors:
        details[audit.ANCHORS_KEY] = {str(chain): h for chain, h in sorted(anchors.items())}
    # Recorded before the old events go: it chains to its chain's last event, which
    # is that chain's anchor itself when every event was old.
    event = audit.record(
        session, actor=actor, action=audit.PURGE_ACTION, object_type="retention", details=details
    )
    if old_events:
        session.execute(sa.delete(AuditEvent.__table__).where(AuditEvent.id <= max(last_by_chain.values())))
    session.commit()
    session.expire_all()
    truncate_write_ahead_log(session)
    logger.info("retention purge %s: %d rows", today.isoformat(), report.total)
    return replace(report, event_id=event.id)


def truncate_write_ahead_log(session: Session) -> None:
    """SQLite: copy committed pages into the database file and empty the -wal file."""
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        return
    connection = engine.raw_connection()
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    if busy:
        logger.warning("WAL checkpoint incomplete (readers busy): retried at the next purge")


def find_client(session: Session, client_id: uuid.UUID | str) -> Client:
    """A client by pseudonym, whatever its status (callers decide what each status allows)."""
    try:
        key = client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    except ValueError:
        raise ClientNotFoundError("not a client id") from None
    client = session.get(Client, key)
    if client is None:
        raise ClientNotFoundError("no such client")
    return client


def end_relationship(
    session: Session,
    actor: CurrentAdvisor,
    client_id: uuid.UUID | str,
    ended_on: date,
    *,
    request_id: str | None = None,
) -> Client:
    """Record the end of a client relationship; its retention date follows from the policy."""
    require_supervisor(actor)
    client = find_client(session, client_id)
    client.relationship_ended_on = ended_on
    client.retention_until = ended_on + duration(session, Category.client_records)
    session.add(client)
    audit.record(
        session,
        actor=actor.actor,
        action="relationship_ended",
        object_type="client",
        object_id=str(client.id),
        request_id=request_id,
        details={"retention_until": client.retention_until.isoformat()},
    )
    return client


def set_policy_duration(
    session: Session,
    actor: CurrentAdvisor,
    category: str,
    duration_days: int,
    *,
    request_id: str | None = None,
) -> RetentionPolicy:
    """Change a retention duration (the DPO's decision) and every date derived from it."""
    require_supervisor(actor)
    if duration_days < 1:
        raise ValueError("a retention duration is at least one day")
    policy = session.exec(select(RetentionPolicy).where(RetentionPolicy.category == category)).one()
    previous, policy.duration_days, policy.updated_at = policy.duration_days, duration_days, utcnow()
    session.add(policy)
    if category == Category.client_records:
        # Retention dates of ended relationships are materialised on the client rows.
        ended = (
            select(Client.relationship_ended_on).where(Client.relationship_ended_on.is_not(None)).distinct()
        )
        for ended_on in session.exec(ended).all():
            session.execute(
                sa.update(Client.__table__)
                .where(Client.relationship_ended_on == ended_on)
                .values(retention_until=ended_on + timedelta(days=duration_days))
            )
    audit.record(
        session,
        actor=actor.actor,
        action="retention_policy_changed",
        object_type="retention_policy",
        object_id=category,
        request_id=request_id,
        details={"from_days": previous, "to_days": duration_days},
    )
    return policy


def run_daily_purge(url: str | None = None, today: date | None = None) -> PurgeReport | None:
    """Today's purge, unless one already ran today (every worker runs the daily task)."""
    today = today or utcnow().date()
    with session_scope(url) as session:
        _lock(session)
        already = session.exec(
            select(AuditEvent.id)
            .where(AuditEvent.action == audit.PURGE_ACTION, AuditEvent.created_at >= _start_of(today))
            .limit(1)
        ).first()
        if already is not None:
            return None
        ensure_default_policies(session)  # a fresh database purges with the defaults
        return run_purge(session, today)


def seconds_until_next_run(now: datetime, at: time = DAILY_PURGE_AT) -> float:
    run = datetime.combine(now.date(), at)
    if run <= now:
        run += timedelta(days=1)
    return (run - now).total_seconds()


async def retention_daily_task(url: str | None = None) -> None:
    """Lifespan task of the app: purge once a day at DAILY_PURGE_AT, in a worker thread."""
    while True:
        await asyncio.sleep(seconds_until_next_run(utcnow()))
        try:
            await asyncio.to_thread(run_daily_purge, url)
        except Exception:  # a failed night must not stop the next ones
            logger.exception("daily retention purge failed; next attempt tomorrow")
