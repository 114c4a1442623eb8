"""The purge's statements: which rows each retention category deletes or changes.

Built once for both the preview and the purge, so that the admin page shows
exactly what a run will do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, func, select

from neobank_dashboard.db.models import (
    AuthSession,
    Client,
    ClientStatus,
    Decision,
    Outcome,
    RetentionCategory,
    Score,
    table_of,
)
from neobank_dashboard.services.retention.policies import policies


@dataclass(frozen=True)
class Rule:
    """One statement of the purge: delete the rows matching ``where``, or set ``clear`` on them."""

    category: RetentionCategory
    table: sa.Table
    where: sa.ColumnElement[bool]
    clear: dict | None = None  # None deletes the rows
    change: str = "delete"

    def count(self, session: Session) -> int:
        return session.exec(select(func.count()).select_from(self.table).where(self.where)).one()

    def apply(self, session: Session) -> int:
        statement: sa.Delete | sa.Update
        if self.clear is None:
            statement = sa.delete(self.table).where(self.where)
        else:
            statement = sa.update(self.table).where(self.where).values(**self.clear)
        return session.exec(statement).rowcount or 0


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


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def without_relationship() -> sa.ColumnElement[bool]:
    """Clients that never became customers: no advisor, no approved decision, no end date."""
    approved = (
        select(Decision.id)
        .where(Decision.client_id == Client.id, Decision.outcome == Outcome.approved)
        .correlate(Client)
        .exists()
    )
    return sa.and_(col(Client.advisor_id).is_(None), col(Client.relationship_ended_on).is_(None), ~approved)


def _client_due(cutoffs: dict[str, date], today: date) -> dict[RetentionCategory, sa.ColumnElement]:
    """Clients the purge deletes whole, per category (disjoint conditions)."""
    contact = start_of(cutoffs[RetentionCategory.prospects])
    # Never NULL, so that "not due" (~) is true for every client that is not due.
    hold_over = sa.and_(col(Client.retention_until).is_not(None), col(Client.retention_until) <= today)
    return {
        RetentionCategory.erasure: sa.and_(col(Client.status) == ClientStatus.erased, hold_over),
        RetentionCategory.client_records: sa.and_(col(Client.status) == ClientStatus.active, hold_over),
        RetentionCategory.prospects: sa.and_(
            col(Client.status) == ClientStatus.active,
            col(Client.retention_until).is_(None),
            without_relationship(),
            col(Client.created_at) < contact,
            col(Client.updated_at) < contact,
        ),
    }


def purge_rules(session: Session, today: date) -> tuple[dict[str, date], list[Rule]]:
    """The purge's statements, in execution order, and the date cutoffs they use."""
    rows = policies(session)
    cutoffs = {
        c.value: today - timedelta(days=rows[c].duration_days)
        for c in (
            RetentionCategory.security_logs,
            RetentionCategory.scoring_events,
            RetentionCategory.prospects,
            RetentionCategory.payment_incidents,
        )
    }
    client = table_of(Client)
    due = _client_due(cutoffs, today)
    rules: list[Rule] = []
    for category, condition in due.items():
        ids = select(Client.id).where(condition)
        rules += [Rule(category, c.table, c.in_(ids)) for c in referring_columns(client)]
        rules.append(Rule(category, client, condition))

    # Clients that stay: neither due nor restricted (restriction freezes the record).
    kept = sa.and_(col(Client.status) != ClientStatus.restricted, ~sa.or_(*due.values()))
    scored_before = start_of(cutoffs[RetentionCategory.scoring_events])
    backs_a_row = sa.or_(
        sa.false(),
        *(
            select(c).where(c == Score.id).correlate(Score).exists()
            for c in referring_columns(table_of(Score))
            # A row deleted with its score (a shadow score) does not keep it.
            if not any(fk.ondelete == "CASCADE" for fk in c.foreign_keys)
        ),
    )
    rules.append(
        Rule(
            RetentionCategory.scoring_events,
            table_of(Score),
            sa.and_(
                col(Score.created_at) < scored_before,
                ~backs_a_row,
                col(Score.client_id).in_(select(col(Client.id)).where(kept)),
            ),
        )
    )
    current_score_stays = (
        select(Score.id)
        .where(
            Score.client_id == Client.id,
            ~col(Score.superseded),
            sa.or_(col(Score.created_at) >= scored_before, backs_a_row),
        )
        .correlate(Client)
        .exists()
    )
    rules.append(
        Rule(
            RetentionCategory.scoring_events,
            client,
            sa.and_(kept, col(Client.latest_scored_at).is_not(None), ~current_score_stays),
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
        Rule(
            RetentionCategory.payment_incidents,
            client,
            sa.and_(
                kept,
                col(Client.payment_incidents) > 0,
                col(Client.payment_incidents_as_of) < cutoffs[RetentionCategory.payment_incidents],
            ),
            clear={"payment_incidents": 0},
            change="incident count reset",
        )
    )
    rules.append(
        Rule(
            RetentionCategory.security_logs,
            table_of(AuthSession),
            col(AuthSession.created_at) < start_of(cutoffs[RetentionCategory.security_logs]),
        )
    )
    return cutoffs, rules
