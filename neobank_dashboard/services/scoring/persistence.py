"""Scores that are kept: score an existing client or register and score new
ones, supersede the previous score, update ``Client.latest_*`` and audit, in
the caller's transaction. A repeated request id from the same actor returns
the first score and stores nothing (idempotency).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from modeling import ScoringModel
from neobank_dashboard.db.models import Channel, Client, Score, table_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.metrics import note_scores
from neobank_dashboard.services import audit, shadow
from neobank_dashboard.services.scoring.model import current_model
from neobank_dashboard.services.scoring.record import latest_rows, new_client_rows, score_rows
from neobank_dashboard.services.scoring.results import ScoredArrays, score_arrays, score_one
from neobank_dashboard.services.scoring.validation import (
    ClientNotScorableError,
    FeatureValidationError,
    check_inputs,
    check_purpose,
    check_scorable,
    client_inputs,
    input_row,
    refusal,
    scoring_refusal,
)


def find_score(session: Session, actor: str, request_id: str) -> Score | None:
    """The score an actor already obtained with this request id (idempotency)."""
    return session.exec(select(Score).where(Score.actor == actor, Score.request_id == request_id)).first()


def latest_score(session: Session, client_id: uuid.UUID) -> Score | None:
    """The client's current (non-superseded) score."""
    return session.exec(
        select(Score)
        .where(Score.client_id == client_id, Score.superseded == sa.false())
        .order_by(col(Score.created_at).desc(), col(Score.id).desc())
        .limit(1)
    ).first()


def score_audit_event(score: Score) -> dict:
    """The audit event of a stored score (``audit.record``'s arguments)."""
    return {
        "actor": score.actor,
        "action": "score",
        "object_type": "client",
        "object_id": str(score.client_id),
        "request_id": score.request_id,
        "details": {
            "score_id": score.id,
            "model_version": score.model_version,
            "channel": score.channel,
            "purpose": score.purpose,
        },
    }


def replayed(session: Session, scores: Sequence[Score]) -> list[Score | ClientNotScorableError]:
    """Stored scores asked for again with their request id: each is audited, and given
    back only if its client's data may still be processed today; otherwise the refusal
    (restricted, objection, erased) takes its place, with no client data."""
    if not scores:
        return []
    clients = table_of(Client)
    ids = {s.client_id for s in scores}
    state = {
        row.id: row
        for row in session.execute(
            sa.select(clients.c.id, clients.c.status, clients.c.objection).where(clients.c.id.in_(ids))
        )
    }
    out: list[Score | ClientNotScorableError] = []
    events = []
    for score in scores:
        client = state.get(score.client_id)
        refused = scoring_refusal(client.status, client.objection) if client else refusal("erased")
        out.append(refused or score)
        events.append(
            {
                "actor": score.actor,
                "action": "score_replay",
                "object_type": "client",
                "object_id": str(score.client_id),
                "outcome": "denied" if refused else "success",
                "request_id": score.request_id,
                "details": {"score_id": score.id, **({"reason": refused.code} if refused else {})},
            }
        )
    audit.record_many(session, events)
    return out


def _replay_or_raise(session: Session, score: Score) -> Score:
    result = replayed(session, [score])[0]
    if isinstance(result, ClientNotScorableError):
        raise result
    return result


def _idempotent(session: Session, actor: str, request_id: str | None, write: Callable[[], Score]) -> Score:
    """Run ``write`` for a request id the caller found unused; a concurrent duplicate
    that wins the unique constraint meanwhile gets its answer returned instead."""
    if request_id is None:
        return write()
    try:
        with session.begin_nested():
            return write()
    except IntegrityError:
        existing = find_score(session, actor, request_id)
        if existing is None:
            raise
        return _replay_or_raise(session, existing)


DIALECT_INSERT: dict[str, Callable[[sa.Table], postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def _insert_score(session: Session, row: dict, *, unless_replayed: bool = False) -> Score | None:
    """Insert one score row (Core: no ORM unit of work on the hot path) and audit it.

    ``unless_replayed``: insert nothing and return None when this actor already has a
    score with this request id (committed, or committed meanwhile by a concurrent
    duplicate, which the unique constraint makes this statement wait for).
    """
    table = table_of(Score)
    statement = sa.insert(table)
    if unless_replayed and row["request_id"] is not None:
        statement = DIALECT_INSERT[session.get_bind().dialect.name](table).on_conflict_do_nothing(
            index_elements=["actor", "request_id"]
        )
    score_id = session.execute(statement.returning(table.c.id), row).scalar()
    if score_id is None:
        return None
    score = Score(id=score_id, **row)
    make_transient_to_detached(score)  # the row exists: the object joins the session as is
    session.add(score)
    audit.record(session, **score_audit_event(score))
    note_scores(session, [row])
    shadow.record_shadow_scores(session, [score])  # the challenger's, never shown
    return score


def save_score(
    session: Session,
    client: Client,
    scored: ScoredArrays,
    *,
    actor: str,
    channel: str,
    purpose: str | None = None,
    request_id: str | None = None,
) -> Score:
    """Persist ``scored`` (one row) as the current score of an existing client: update
    ``Client.latest_*`` (which locks the client row, so concurrent rescorings
    serialise), supersede the previous score, insert, audit. Not committed."""
    latest = latest_rows(scored, [client.id])[0]
    latest.pop("id")
    session.execute(sa.update(table_of(Client)).where(table_of(Client).c.id == client.id).values(**latest))
    for column, value in latest.items():  # keep the caller's object in step, not dirty
        set_committed_value(client, column, value)
    session.execute(
        sa.update(table_of(Score))
        .where(table_of(Score).c.client_id == client.id, table_of(Score).c.superseded == sa.false())
        .values(superseded=True)
    )
    row = score_rows(
        scored, [client.id], actor=actor, channel=channel, purposes=[purpose], request_ids=[request_id]
    )[0]
    score = _insert_score(session, row)
    assert score is not None  # only an insert ``unless_replayed`` can write nothing
    return score


def score_client(
    session: Session,
    client: Client,
    *,
    actor: str,
    channel: Channel | str,
    purpose: str | None = None,
    request_id: str | None = None,
    today: date | None = None,
    model: ScoringModel | None = None,
) -> Score:
    """Score an existing client from its stored features and persist the score.

    A repeated ``request_id`` from the same actor returns the first score and
    stores nothing. Raises :class:`ScoringUnavailableError`,
    :class:`ClientNotScorableError` (objection, restriction).
    """
    check_scorable(client)
    purpose = check_purpose(purpose)
    if request_id is not None and (existing := find_score(session, actor, request_id)):
        return _replay_or_raise(session, existing)
    values, as_of = client_inputs(client)
    scored = score_one(values, as_of, today=today, model=model)
    return _idempotent(
        session,
        actor,
        request_id,
        lambda: save_score(
            session, client, scored, actor=actor, channel=channel, purpose=purpose, request_id=request_id
        ),
    )


def submit_client(
    session: Session,
    values: Mapping[str, object],
    as_of: Mapping[str, date] | None = None,
    *,
    actor: str,
    channel: Channel | str,
    purpose: str | None,
    request_id: str | None = None,
    advisor_id: int | None = None,
    submitted_by: str | None = None,
    today: date | None = None,
    model: ScoringModel | None = None,
) -> Score:
    """Register a new pseudonymous client from five features and score it.

    Invalid inputs raise :class:`FeatureValidationError` before anything is
    written. A repeated ``request_id`` from the same actor returns the first
    score and stores nothing.
    """
    purpose = check_purpose(purpose)
    scored = score_one(values, as_of, today=today, model=model)
    # No look-up first: the score insert itself detects a replay (the partner API's hot
    # path, where a replay is rare), and the client row it would have scored is removed.
    client_id = uuid.uuid4()
    [client_row] = new_client_rows(
        scored, [client_id], advisor_id=advisor_id, submitted_by=submitted_by, now=utcnow()
    )
    session.execute(sa.insert(table_of(Client)), client_row)
    row = score_rows(
        scored, [client_id], actor=actor, channel=channel, purposes=[purpose], request_ids=[request_id]
    )[0]
    score = _insert_score(session, row, unless_replayed=True)
    if score is None:  # the insert met this actor's row with the same request id
        assert request_id is not None
        session.execute(sa.delete(table_of(Client)).where(table_of(Client).c.id == client_id))
        stored = find_score(session, actor, request_id)
        assert stored is not None  # the conflicting row the insert waited for
        score = _replay_or_raise(session, stored)
    return score


@dataclass(frozen=True)
class BatchItem:
    values: Mapping[str, object]
    as_of: Mapping[str, date] | None = None
    purpose: str | None = None
    request_id: str | None = None


def submit_clients(
    session: Session,
    items: Sequence[BatchItem],
    *,
    actor: str,
    channel: Channel | str,
    advisor_id: int | None = None,
    submitted_by: str | None = None,
    today: date | None = None,
    model: ScoringModel | None = None,
    batch_request_id: str | None = None,
) -> list[Score | FeatureValidationError | ClientNotScorableError]:
    """Register and score many new clients at once (the batch API).

    Per item: its :class:`Score` (a replayed ``request_id`` gives the first
    score) or its :class:`FeatureValidationError`; one bad item never fails the
    others. Scoring is one vectorised call; the writes are bulk statements and
    one audit event for the batch, in the caller's transaction.
    """
    model = model or current_model()
    today = today or date.today()
    out: list[Score | FeatureValidationError | ClientNotScorableError | None] = [None] * len(items)
    ids = [item.request_id for item in items if item.request_id is not None]
    known: dict[str | None, Score] = {}
    if ids:
        known = {
            s.request_id: s
            for s in session.exec(
                select(Score).where(col(Score.actor) == actor, col(Score.request_id).in_(ids))
            )
        }
    pending, seen = [], set()
    for i, item in enumerate(items):
        if item.request_id is not None:
            if item.request_id in known:
                out[i] = known[item.request_id]  # checked and audited below, all at once
                continue
            if item.request_id in seen:
                out[i] = FeatureValidationError([("request_id", "is repeated within this batch")])
                continue
            seen.add(item.request_id)
        pending.append(i)
    rows, dates, valid = [], [], []
    for i in pending:
        problems = check_inputs(items[i].values, items[i].as_of, today)
        if not problems and items[i].purpose is not None:
            try:
                check_purpose(items[i].purpose)
            except FeatureValidationError as error:
                problems = error.problems
        if problems:
            out[i] = FeatureValidationError(problems)
            continue
        row, row_dates = input_row(items[i].values, items[i].as_of, today)
        rows.append(row)
        dates.append(row_dates)
        valid.append(i)
    if valid:
        arrays = score_arrays(model, np.array(rows), np.array(dates, dtype="datetime64[D]"), today)
        client_ids = [uuid.uuid4() for _ in valid]
        client_rows = new_client_rows(
            arrays, client_ids, advisor_id=advisor_id, submitted_by=submitted_by, now=utcnow()
        )
        stored = score_rows(
            arrays,
            client_ids,
            actor=actor,
            channel=channel,
            purposes=[items[i].purpose for i in valid],
            request_ids=[items[i].request_id for i in valid],
        )
        session.execute(sa.insert(table_of(Client)), client_rows)
        table = table_of(Score)
        score_ids = (
            session.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), stored)
            .scalars()
            .all()
        )
        note_scores(session, stored)
        written = [Score(id=score_id, **row) for row, score_id in zip(stored, score_ids)]
        for i, score in zip(valid, written):
            out[i] = score
        shadow.record_shadow_scores(session, written)  # the challenger's, never shown
        audit.record(
            session,
            actor=actor,
            action="score_batch",
            object_type="score",
            request_id=batch_request_id,
            details={
                "scored": len(stored),
                "model_version": model.version,
                "channel": str(channel),
                "first_score_id": score_ids[0],
                "last_score_id": score_ids[-1],
            },
        )
    replays = [
        i for i, item in enumerate(items) if item.request_id in known and out[i] is known[item.request_id]
    ]
    for i, result in zip(
        replays, replayed(session, [known[items[i].request_id] for i in replays]), strict=True
    ):
        out[i] = result
    return cast(list[Score | FeatureValidationError | ClientNotScorableError], out)  # every slot is filled
