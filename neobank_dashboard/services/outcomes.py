"""Realised outcomes of scored clients: recorded item by item, idempotently.

An outcome (defaulted or repaid, observed on a day) follows the score the
decision rested on: the client's latest score made on or before that day. Each
item of a batch is checked on its own; a bad item gets its errors and the
others are stored:

- the client must exist and be active (an erased or restricted client's data
  is not processed further);
- the day must not be in the future, nor before the client's first score;
- one outcome per client and day: the same item again stores nothing
  (``unchanged``); a different outcome for that day is an error (corrections
  are a new observation day, never an edit).

The demo seed draws outcomes for the scored portfolio from the synthetic
generator's true probabilities (:func:`seed_demo_outcomes`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from modeling.features import FEATURE_NAMES
from modeling.synthetic import true_log_odds
from neobank_dashboard.db import OutcomeSource, RepaymentOutcome
from neobank_dashboard.db.bulk import bulk_insert
from neobank_dashboard.db.models import Client, ClientStatus, Score, table_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit

BATCH_MAX = 1_000
DEMO_ACTOR = "system:demo"
_INSERT: dict[str, Callable[[sa.Table], postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


class ItemStatus(StrEnum):
    stored = "stored"
    unchanged = "unchanged"
    rejected = "rejected"


@dataclass(frozen=True)
class OutcomeItem:
    """One reported outcome, as the caller sent it (``client_id`` still text)."""

    client_id: str
    defaulted: bool
    observed_on: date


@dataclass
class ItemResult:
    index: int
    item: OutcomeItem
    status: ItemStatus = ItemStatus.rejected
    errors: list[tuple[str, str]] = field(default_factory=list)


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def _client_ids(items: Sequence[OutcomeItem]) -> dict[int, uuid.UUID]:
    ids = {}
    for i, item in enumerate(items):
        try:
            ids[i] = uuid.UUID(str(item.client_id))
        except ValueError:
            pass
    return ids


def _scores_of(session: Session, client_ids: set[uuid.UUID]) -> dict[uuid.UUID, list[tuple[datetime, int]]]:
    """Each client's scores as ``(made at, id)``, oldest first."""
    table = table_of(Score)
    rows = session.execute(
        sa.select(table.c.client_id, table.c.created_at, table.c.id)
        .where(table.c.client_id.in_(client_ids))
        .order_by(table.c.created_at, table.c.id)
    ).all()
    scores: dict[uuid.UUID, list[tuple[datetime, int]]] = {}
    for client_id, made_at, score_id in rows:
        scores.setdefault(client_id, []).append((made_at, score_id))
    return scores


def _check(
    result: ItemResult,
    client_id: uuid.UUID | None,
    status: str | None,
    scores: list[tuple[datetime, int]],
    today: date,
) -> int | None:
    """Record the item's errors in ``result``; the score it follows when valid."""
    item = result.item
    if client_id is None:
        result.errors.append(("client_id", "is not a client id (UUID)"))
    elif status is None:
        result.errors.append(("client_id", "is not a known client"))
    elif status != ClientStatus.active:
        result.errors.append(("client_id", f"is {status}: its data is not processed any more"))
    if item.observed_on > today:
        result.errors.append(("observed_on", f"is in the future (today is {today.isoformat()})"))
    elif status is not None and not scores:
        result.errors.append(("observed_on", "the client was never scored"))
    elif scores and item.observed_on < scores[0][0].date():
        first = scores[0][0].date().isoformat()
        result.errors.append(("observed_on", f"is before the client's first score ({first})"))
    if result.errors:
        return None
    end = _end_of(item.observed_on)
    return max((s for s in scores if s[0] < end), default=(None, None))[1]


def record_outcomes(
    session: Session,
    items: Sequence[OutcomeItem],
    *,
    actor: str,
    source: OutcomeSource,
    request_id: str | None = None,
    today: date | None = None,
) -> list[ItemResult]:
    """Check and store every valid item (module docstring); one audit event for
    the batch. Not committed. Returns one result per item, in order."""
    today = today or utcnow().date()
    results = [ItemResult(i, item) for i, item in enumerate(items)]
    ids = _client_ids(items)
    clients = dict(
        session.execute(
            sa.select(col(Client.id), col(Client.status)).where(col(Client.id).in_(set(ids.values())))
        ).all()
    )
    scores = _scores_of(session, set(clients))
    table = table_of(RepaymentOutcome)
    insert = _INSERT[session.get_bind().dialect.name]
    now = utcnow()
    for result in results:
        client_id = ids.get(result.index)
        score_id = _check(
            result,
            client_id,
            clients.get(client_id) if client_id else None,
            scores.get(client_id, []) if client_id else [],
            today,
        )
        if score_id is None:
            continue
        item = result.item
        inserted = session.execute(
            insert(table)
            .values(
                client_id=client_id,
                score_id=score_id,
                defaulted=bool(item.defaulted),
                observed_on=item.observed_on,
                source=source.value,
                recorded_by=actor,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["client_id", "observed_on"])
            .returning(table.c.id)
        ).scalar()
        if inserted is not None:
            result.status = ItemStatus.stored
            continue
        recorded = session.execute(
            sa.select(table.c.defaulted).where(
                table.c.client_id == client_id, table.c.observed_on == item.observed_on
            )
        ).scalar_one()
        if recorded == bool(item.defaulted):
            result.status = ItemStatus.unchanged
        else:
            word = "defaulted" if recorded else "repaid"
            result.errors.append(("defaulted", f"this client's outcome on that day is already '{word}'"))
    counts = {status.value: sum(r.status == status for r in results) for status in ItemStatus}
    audit.record(
        session,
        actor=actor,
        action="outcomes_recorded",
        object_type="outcome",
        request_id=request_id,
        details={"source": source.value, **counts},
    )
    return results


def seed_demo_outcomes(session: Session, *, seed: int = 2026, today: date | None = None) -> int:
    """Outcomes observed ``today`` for every scored demo client without one,
    drawn from the synthetic generator's true probability of default; returns
    how many were added. Not committed."""
    today = today or utcnow().date()
    score = table_of(Score)
    rows = session.execute(
        sa.select(score.c.id, score.c.client_id, *(table_of(Client).c[name] for name in FEATURE_NAMES))
        .join(table_of(Client), table_of(Client).c.id == score.c.client_id)
        .where(
            score.c.superseded == sa.false(),
            ~sa.exists().where(table_of(RepaymentOutcome).c.client_id == score.c.client_id),
        )
        .order_by(score.c.id)
    ).all()
    if not rows:
        return 0
    frame = pd.DataFrame(rows, columns=["score_id", "client_id", *FEATURE_NAMES])
    # The demo's clients are applicants of today: no drift since their application.
    today = date.today()
    frame["application_date"] = today
    probability = 1 / (1 + np.exp(-true_log_odds(frame, today)))
    defaulted = np.random.default_rng(seed).random(len(frame)) < probability
    now = utcnow()
    bulk_insert(
        session,
        table_of(RepaymentOutcome),
        [
            {
                "client_id": client_id,
                "score_id": int(score_id),
                "defaulted": bool(flag),
                "observed_on": today,
                "source": OutcomeSource.demo.value,
                "recorded_by": DEMO_ACTOR,
                "created_at": now,
            }
            for score_id, client_id, flag in zip(frame["score_id"], frame["client_id"], defaulted)
        ],
    )
    return len(frame)
