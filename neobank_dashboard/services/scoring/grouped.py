"""New clients scored one request at a time, written many at a time (group commit).

The partner API's hot path: each request scores its client in its own thread
(:func:`prepare_new_client`: validation, the model, explanations), then hands the
rows to this process's :class:`~neobank_dashboard.db.group_commit.GroupCommitter`,
which writes the clients, scores and audit events of every waiting request with a
few multi-row statements and one COMMIT (:func:`write_new_clients`), and answers each
request once that COMMIT holds its rows. The same rows, audit events and idempotency
as :func:`~neobank_dashboard.services.scoring.persistence.submit_client`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, select

from modeling import ScoringModel
from neobank_dashboard.db.engine import get_engine
from neobank_dashboard.db.group_commit import GroupCommitter
from neobank_dashboard.db.models import Channel, Client, Score, table_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.metrics import note_scores
from neobank_dashboard.services import audit, shadow
from neobank_dashboard.services.scoring import persistence
from neobank_dashboard.services.scoring.persistence import DIALECT_INSERT, score_audit_event
from neobank_dashboard.services.scoring.record import new_client_rows, score_rows
from neobank_dashboard.services.scoring.results import score_one
from neobank_dashboard.services.scoring.validation import ClientNotScorableError, check_purpose

POSTGRES_WRITERS = 4
"""Writer threads on PostgreSQL, whose round trips then overlap; SQLite has one writer."""


@dataclass(frozen=True)
class NewClientScore:
    """One request's rows, ready to write: the new client and its score."""

    client_row: dict
    score_row: dict


def prepare_new_client(
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
) -> NewClientScore:
    """Validate and score; raises :class:`FeatureValidationError` before anything is written."""
    purpose = check_purpose(purpose)
    scored = score_one(values, as_of, today=today, model=model)
    client_id = uuid.uuid4()
    client_row = new_client_rows(
        scored, [client_id], advisor_id=advisor_id, submitted_by=submitted_by, now=utcnow()
    )[0]
    score_row = score_rows(
        scored, [client_id], actor=actor, channel=channel, purposes=[purpose], request_ids=[request_id]
    )[0]
    return NewClientScore(client_row, score_row)


def write_new_clients(
    session: Session, prepared: Sequence[NewClientScore]
) -> list[Score | ClientNotScorableError]:
    """Insert the clients, their scores and one audit event per score. A score whose
    actor already used its request id is not written (its client row is removed): the
    stored one is returned instead, or, if that client's data may no longer be processed,
    the refusal (committed with its audit event, then raised by the caller). Not committed."""
    clients, scores = table_of(Client), table_of(Score)
    session.execute(sa.insert(clients), [p.client_row for p in prepared])
    insert = DIALECT_INSERT[session.get_bind().dialect.name](scores).on_conflict_do_nothing(
        index_elements=["actor", "request_id"]
    )
    written = dict(
        (client_id, score_id)
        for score_id, client_id in session.execute(
            insert.returning(scores.c.id, scores.c.client_id), [p.score_row for p in prepared]
        )
    )
    stored: list[Score | ClientNotScorableError] = []
    replayed: list[int] = []
    for index, p in enumerate(prepared):
        score_id = written.get(p.client_row["id"])
        if score_id is None:
            replayed.append(index)
            stored.append(None)  # type: ignore[arg-type]  # filled in below
            continue
        score = Score(id=score_id, **p.score_row)
        make_transient_to_detached(score)  # the row exists: the object joins the session as is
        session.add(score)
        stored.append(score)
    audit.record_many(session, [score_audit_event(s) for s in stored if isinstance(s, Score)])
    note_scores(session, [p.score_row for p, s in zip(prepared, stored, strict=True) if s is not None])
    shadow.record_shadow_scores(session, [s for s in stored if isinstance(s, Score)])
    if replayed:
        gone = [prepared[i].client_row["id"] for i in replayed]
        session.execute(sa.delete(clients).where(clients.c.id.in_(gone)))
        first = [
            session.exec(
                select(Score).where(Score.actor == row["actor"], Score.request_id == row["request_id"])
            ).one()
            for row in (prepared[i].score_row for i in replayed)
        ]
        for i, result in zip(replayed, persistence.replayed(session, first), strict=True):
            stored[i] = result
    return stored


_committer: GroupCommitter[NewClientScore, Score | ClientNotScorableError] | None = None
_lock = threading.Lock()


def new_client_committer() -> GroupCommitter[NewClientScore, Score | ClientNotScorableError]:
    """This process's committer, started on first use (in each worker, after its fork)."""
    global _committer
    with _lock:
        if _committer is None:
            writers = 1 if get_engine().dialect.name == "sqlite" else POSTGRES_WRITERS
            _committer = GroupCommitter(write_new_clients, writers=writers)
        return _committer
