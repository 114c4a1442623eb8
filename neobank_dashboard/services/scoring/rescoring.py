"""Scoring a whole portfolio: :func:`rescore_all` in batches of their own
transactions, resumable after an interruption, and the start-up catch-up of
clients that have no score yet."""

from __future__ import annotations

import functools
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session, col, select

from modeling import FEATURE_NAMES, ScoringModel
from neobank_dashboard.db.bulk import bulk_insert, compute_ahead
from neobank_dashboard.db.engine import get_engine
from neobank_dashboard.db.models import Channel, Client, ClientStatus, Score, table_of
from neobank_dashboard.metrics import note_scores
from neobank_dashboard.services import audit
from neobank_dashboard.services.clients import batch_scorable
from neobank_dashboard.services.scoring.model import current_model
from neobank_dashboard.services.scoring.record import score_rows
from neobank_dashboard.services.scoring.results import score_arrays
from neobank_dashboard.services.scoring.validation import Purpose

AS_OF_COLUMNS = tuple(f"{name}_as_of" for name in FEATURE_NAMES)
RESCORE_BATCH_SIZE = 5_000


def rescore_all(
    session: Session,
    model: ScoringModel,
    batch_size: int = RESCORE_BATCH_SIZE,
    *,
    only_unscored: bool = False,
    actor: str = "system",
    today: date | None = None,
    on_progress: Callable[[int], None] | None = None,
    resume_since: datetime | None = None,
) -> int:
    """Score every batch-scorable client (active, no objection) with ``model``,
    ``batch_size`` at a time, in client-id order. ``only_unscored`` skips clients
    that have a score; ``resume_since`` skips clients scored at or after that
    instant (finishing an interrupted run of the same model that started then).

    Each batch is one transaction: a vectorised model call, then bulk writes
    (see :func:`_write_batch`) and one audit event, committed; an error rolls
    back the batch in progress only, so the data always holds whole batches.
    The next batch is scored in a worker thread while this one is written, so
    the model and the database work at the same time. ``on_progress`` gets the
    number of clients scored so far after each commit. Returns that number.
    """
    today = today or date.today()
    conditions = _rescore_conditions(only_unscored, resume_since)
    score = functools.partial(_score_batch, model, today=today, actor=actor)
    scored = 0
    try:
        for batch in compute_ahead(score, _scorable_batches(session, batch_size, conditions)):
            scored += _write_batch(session, batch, conditions, actor=actor, supersede=not only_unscored)
            session.commit()
            if on_progress:
                on_progress(scored)
    except BaseException:
        session.rollback()
        raise
    record_batch_skips(session, actor=actor)
    session.commit()
    return scored


def count_to_rescore(
    session: Session, *, only_unscored: bool = False, resume_since: datetime | None = None
) -> int:
    """How many clients :func:`rescore_all` would score now (for a progress total)."""
    conditions = _rescore_conditions(only_unscored, resume_since)
    return session.execute(sa.select(sa.func.count()).select_from(Client).where(*conditions)).scalar_one()


def can_resume(session: Session, model: ScoringModel, since: datetime) -> bool:
    """Whether a rescoring that started at ``since`` can be finished with ``model``:
    no score made since then comes from another model."""
    return (
        session.execute(
            sa.select(col(Score.id))
            .where(col(Score.created_at) >= since, Score.model_version != model.version)
            .limit(1)
        ).first()
        is None
    )


def record_batch_skips(session: Session, *, actor: str, request_id: str | None = None) -> int:
    """Log how many active clients a batch rescoring leaves out because they objected."""
    skipped = session.exec(
        select(sa.func.count())
        .select_from(Client)
        .where(Client.status == ClientStatus.active, ~batch_scorable())
    ).one()
    audit.record(
        session,
        actor=actor,
        action="batch_scoring_skipped",
        object_type="client",
        outcome="skipped",
        request_id=request_id,
        details={"count": skipped, "reason": "objection"},
    )
    return skipped


def _rescore_conditions(only_unscored: bool, resume_since: datetime | None) -> list:
    """The SQL conditions on Client for the clients a rescoring scores."""
    conditions = [batch_scorable()]
    if only_unscored:
        conditions.append(col(Client.latest_scored_at).is_(None))
    if resume_since is not None:  # the client's own column: no join on the score history
        conditions.append(
            sa.or_(col(Client.latest_scored_at).is_(None), col(Client.latest_scored_at) < resume_since)
        )
    return conditions


@dataclass(frozen=True)
class _ClientBatch:
    """Clients read for scoring: ids in ascending order, values (n, 5), as-of dates (n, 5)."""

    client_ids: list[uuid.UUID]
    values: np.ndarray
    as_of: np.ndarray


@dataclass(frozen=True)
class _ScoredBatch:
    """A batch's Score table rows, ready to write, in client-id order."""

    rows: list[dict]
    scored_at: datetime
    model_version: str


def _scorable_batches(session: Session, batch_size: int, conditions: list):
    """The clients matching ``conditions`` as :class:`_ClientBatch`, in id order
    (keyset pagination: each read starts after the last id of the previous one)."""
    columns = [
        Client.id,
        *(getattr(Client, n) for n in FEATURE_NAMES),
        *(getattr(Client, c) for c in AS_OF_COLUMNS),
    ]
    n_features, last_id = len(FEATURE_NAMES), None
    while True:
        query = sa.select(*columns).where(*conditions).order_by(col(Client.id)).limit(batch_size)
        if last_id is not None:
            query = query.where(Client.id > last_id)
        rows = session.execute(query).all()
        if not rows:
            return
        last_id = rows[-1][0]
        yield _ClientBatch(
            [row[0] for row in rows],
            np.array([row[1 : 1 + n_features] for row in rows], dtype=np.float64),
            np.array([row[1 + n_features :] for row in rows], dtype="datetime64[D]"),
        )


def _score_batch(model: ScoringModel, batch: _ClientBatch, *, today: date, actor: str) -> _ScoredBatch:
    """Score one batch and build its Score rows (pure computation: no database)."""
    arrays = score_arrays(model, batch.values, batch.as_of, today)
    n = len(batch.client_ids)
    rows = score_rows(
        arrays,
        batch.client_ids,
        actor=actor,
        channel=Channel.batch,
        purposes=[Purpose.portfolio_review.value] * n,
        request_ids=[None] * n,
    )
    return _ScoredBatch(rows, arrays.scored_at, model.version)


def _write_batch(
    session: Session, batch: _ScoredBatch, conditions: list, *, actor: str, supersede: bool
) -> int:
    """Write one scored batch in the caller's transaction; returns the clients scored.

    The batch's clients are locked first (as :func:`save_score` does for one
    client) and checked again: one who objected, was restricted or was scored
    since the batch was read is left alone. Then, in bulk: the new scores are
    inserted, the clients' previous scores superseded, ``Client.latest_*``
    copied from the new rows, and one audit event recorded for the batch.
    Statements select the batch by its id range and time stamp, never by a
    list of thousands of ids.
    """
    clients, scores = table_of(Client), table_of(Score)
    new = scores.alias("new_score")  # this batch's rows
    first, last = batch.rows[0]["client_id"], batch.rows[-1]["client_id"]
    locked = set(
        session.execute(
            sa.select(clients.c.id).where(clients.c.id.between(first, last), *conditions).with_for_update()
        ).scalars()
    )
    rows = [row for row in batch.rows if row["client_id"] in locked]
    if not rows:
        return 0
    bulk_insert(session, scores, rows)
    note_scores(session, rows)
    in_batch = (
        new.c.created_at == batch.scored_at,
        new.c.client_id.between(first, last),
        new.c.superseded == sa.false(),
    )
    if supersede:  # clients without a score have nothing to supersede
        session.execute(  # the id range keeps the plan on the client_id index
            sa.update(scores)
            .where(
                scores.c.client_id.between(first, last),
                scores.c.superseded == sa.false(),
                scores.c.created_at != batch.scored_at,
                scores.c.client_id.in_(sa.select(new.c.client_id).where(*in_batch)),
            )
            .values(superseded=True)
        )
    session.execute(
        sa.update(clients)
        .where(clients.c.id == new.c.client_id, *in_batch)
        .values(
            latest_probability=new.c.probability,
            latest_recommendation=new.c.recommendation,
            latest_risk_band=new.c.risk_band,
            latest_scored_at=new.c.created_at,
        )
    )
    audit.record(
        session,
        actor=actor,
        action="score_batch",
        object_type="score",
        details={"scored": len(rows), "model_version": batch.model_version, "channel": Channel.batch.value},
    )
    return len(rows)


_catch_up_lock = threading.Lock()
_CATCH_UP_PG_LOCK = 0x4E454F + 1


def score_unscored_clients(batch_size: int = 1_000) -> int:
    """Score, with the loaded model, every scorable client that has no score yet.

    Run at start-up (off the event loop). One runner at a time: a lock in this
    process, and on PostgreSQL an advisory lock across workers. Returns the
    number of clients scored (0 when another runner holds the lock).
    """
    model = current_model()
    if not _catch_up_lock.acquire(blocking=False):
        return 0
    try:
        with Session(get_engine(), expire_on_commit=False) as session:
            postgres = session.get_bind().dialect.name == "postgresql"
            if (
                postgres
                and not session.execute(
                    sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": _CATCH_UP_PG_LOCK}
                ).scalar()
            ):
                return 0
            try:
                return rescore_all(session, model, batch_size, only_unscored=True)
            finally:
                if postgres:
                    session.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _CATCH_UP_PG_LOCK})
                    session.commit()
    finally:
        _catch_up_lock.release()
