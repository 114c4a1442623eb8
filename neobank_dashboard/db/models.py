"""SQLModel tables.

Pseudonymisation by design: a client is a random UUID4 and five features.
No table has a column for a name, e-mail, phone, address, IBAN or national id
of a client (a test enforces it). Advisors are staff, not data subjects of the
scoring, so their e-mail is stored.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, Session, SQLModel, col

from neobank_dashboard.db.types import UTCDateTime, utcnow


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table behind a table model, for bulk statements that bypass the ORM
    (SQLModel's classes do not declare ``__table__`` to type checkers)."""
    table = sa.inspect(model).local_table
    assert isinstance(table, sa.Table), model
    return table


Row = TypeVar("Row", bound=SQLModel)


class _Stored(Protocol):
    id: int | None


def id_of(row: _Stored) -> int:
    """The primary key of a row read from or flushed to the database (``id`` is None
    only on an object not yet flushed, which no caller of this passes)."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id: it was never flushed")
    return row.id


def referenced(session: Session, model: type[Row], key: object) -> Row:
    """The row a foreign key points to: the constraint guarantees it exists."""
    row = session.get(model, key)
    if row is None:
        raise LookupError(f"{model.__name__} {key} is referenced but missing")
    return row


class RetentionCategory(StrEnum):
    """What a retention period applies to: the RetentionPolicy rows' categories.

    ``erasure`` has no row of its own (an erased client is kept for the
    client-records hold); ``model_documentation`` is kept in the model registry,
    which the purge does not touch.
    """

    security_logs = "security_logs"
    scoring_events = "scoring_events"
    client_records = "client_records"
    payment_incidents = "payment_incidents"
    prospects = "prospects"
    model_documentation = "model_documentation"
    erasure = "erasure"


def processing_record(holds: str, *retention: RetentionCategory, kept: str | None = None) -> dict:
    """Table metadata for the records of processing (GDPR Art. 30).

    ``holds`` says what personal data the table holds; ``retention`` names the
    RetentionPolicy categories the purge applies to it; a table no policy
    governs says instead how long it is ``kept`` and why.
    """
    if bool(retention) == bool(kept):
        raise ValueError("a table names its retention categories or says why it is kept")
    return {"info": {"holds": holds, "retention": retention, "kept": kept}}


def utc_timestamp(index: bool = False, nullable: bool = False) -> Any:
    return Field(
        default_factory=utcnow if not nullable else None,
        sa_column=Column(UTCDateTime(), nullable=nullable, index=index),
    )


class Role(StrEnum):
    advisor = "advisor"
    supervisor = "supervisor"
    admin = "admin"


class ClientStatus(StrEnum):
    active = "active"
    restricted = "restricted"
    erased = "erased"


class Recommendation(StrEnum):
    eligible = "eligible"
    review = "review"
    not_eligible = "not_eligible"


class Outcome(StrEnum):
    approved = "approved"
    refused = "refused"
    referred = "referred"


class Channel(StrEnum):
    ui = "ui"
    api = "api"
    batch = "batch"


class Advisor(SQLModel, table=True):
    __table_args__ = processing_record(
        "Staff accounts: e-mail, full name, role, argon2id password hash, login times.",
        kept="while the staff member works here; deactivated, not deleted, while a "
        "decision names them (accountability of human decisions)",
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.advisor, max_length=16, index=True)
    active: bool = Field(default=True)
    failed_login_count: int = Field(default=0)
    locked_until: datetime | None = utc_timestamp(nullable=True)
    created_at: datetime = utc_timestamp()
    last_login_at: datetime | None = utc_timestamp(nullable=True)


class AuthSession(SQLModel, table=True):
    """A browser session. Only the SHA-256 of the cookie token is stored."""

    __table_args__ = processing_record(
        "Staff browser sessions: SHA-256 of the session token, advisor, times.",
        RetentionCategory.security_logs,
    )

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    advisor_id: int = Field(foreign_key="advisor.id", index=True)
    created_at: datetime = utc_timestamp()
    expires_at: datetime = utc_timestamp(index=True)


class Client(SQLModel, table=True):
    """A pseudonymous client: random id, five features and when each was observed.

    ``latest_*`` columns denormalise the current score so that the portfolio can
    be filtered and sorted in SQL; the Score table stays the record.
    """

    __table_args__ = processing_record(
        "Pseudonymous clients: random id, the five features and their as-of dates, "
        "assigned advisor, status, objection flag, current score.",
        RetentionCategory.client_records,
        RetentionCategory.prospects,
        RetentionCategory.payment_incidents,
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    age: int = Field(index=True)
    income: float = Field(index=True)
    seniority: float
    payment_incidents: int = Field(index=True)
    credit_score: int = Field(index=True)
    age_as_of: date
    income_as_of: date
    seniority_as_of: date
    payment_incidents_as_of: date
    credit_score_as_of: date
    oldest_as_of: date = Field(index=True)
    advisor_id: int | None = Field(default=None, foreign_key="advisor.id", index=True)
    submitted_by: str | None = Field(default=None, max_length=64, index=True)
    status: str = Field(default=ClientStatus.active, max_length=16, index=True)
    objection: bool = Field(default=False)
    relationship_ended_on: date | None = Field(default=None)
    retention_until: date | None = Field(default=None, index=True)
    created_at: datetime = utc_timestamp()
    updated_at: datetime = utc_timestamp()
    latest_probability: float | None = Field(default=None, index=True)
    latest_recommendation: str | None = Field(default=None, max_length=16, index=True)
    latest_risk_band: str | None = Field(default=None, max_length=8, index=True)
    latest_scored_at: datetime | None = utc_timestamp(nullable=True)
    # The outcome of the client's latest decision (by time, then id), None before any:
    # kept by services.decisions.record_decision, the one place decisions are written.
    latest_decision_outcome: str | None = Field(default=None, max_length=16)


# The portfolio's default order, riskiest first and unscored last, read straight off an
# index (the plain ascending one can only be read as DESC NULLS FIRST).
sa.Index("ix_client_probability_desc", col(Client.latest_probability).desc().nulls_last(), col(Client.id))
# The same order within one recommendation or one risk band: their clients sit in one
# stretch of probabilities, so walking the index above for them first read every riskier
# client (2.3 s for "review" at 10,000,000 clients).
sa.Index(
    "ix_client_recommendation_probability",
    col(Client.latest_recommendation),
    col(Client.latest_probability).desc().nulls_last(),
    col(Client.id),
)
sa.Index(
    "ix_client_risk_band_probability",
    col(Client.latest_risk_band),
    col(Client.latest_probability).desc().nulls_last(),
    col(Client.id),
)
# And within one decision status: approved clients sit at the low-risk end, so the
# probability index read 1.9 M clients of 10,000,000 to find 25 approved (9.3 s).
sa.Index(
    "ix_client_decision_outcome_probability",
    col(Client.latest_decision_outcome),
    col(Client.latest_probability).desc().nulls_last(),
    col(Client.id),
)

# The pseudonymous id as the id search reads it: its 32 hex digits, lower case (the
# same text from PostgreSQL's uuid and SQLite's hex string).
CLIENT_ID_HEX = sa.func.replace(sa.func.lower(sa.cast(col(Client.id), sa.String)), "-", "")
# A fragment found anywhere in the id, through its trigrams (pg_trgm): a scan of
# 10,000,000 ids took 15 s. PostgreSQL only; SQLite scans, at its sizes a few ms.
sa.Index(
    "ix_client_id_hex_trgm",
    CLIENT_ID_HEX.label("id_hex"),
    postgresql_using="gin",
    postgresql_ops={"id_hex": "gin_trgm_ops"},
).ddl_if(dialect="postgresql")


def on_dialect(dialect_name: str):
    """An alembic ``include_object`` hook: what the models declare for another dialect
    only (``Index.ddl_if``) is not a difference between the models and this database."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        ddl_if = getattr(obj, "_ddl_if", None)
        return ddl_if is None or ddl_if.dialect in (None, dialect_name)

    return include


class Score(SQLModel, table=True):
    """One scoring event: the inputs, the model, the output and its explanation."""

    __table_args__ = (
        sa.UniqueConstraint("actor", "request_id", name="uq_score_actor_request_id"),
        processing_record(
            "Scoring events: client id, feature snapshot, model version, probability, "
            "recommendation, explanation, channel, actor.",
            RetentionCategory.scoring_events,
            RetentionCategory.client_records,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="client.id", index=True)
    model_version: str = Field(max_length=64, index=True)
    features: dict = Field(sa_column=Column(JSON, nullable=False))
    probability: float
    recommendation: str = Field(max_length=16)
    risk_band: str = Field(max_length=8)
    threshold: float
    base_value: float
    contributions: dict = Field(sa_column=Column(JSON, nullable=False))
    reasons: list = Field(sa_column=Column(JSON, nullable=False))
    freshness: dict = Field(sa_column=Column(JSON, nullable=False))
    channel: str = Field(max_length=8)
    actor: str = Field(max_length=80, index=True)
    purpose: str | None = Field(default=None, max_length=64)
    request_id: str | None = Field(default=None, max_length=80)
    superseded: bool = Field(default=False)
    created_at: datetime = utc_timestamp(index=True)


# The snapshot's feature values as typed columns the database computes (stored on
# PostgreSQL, virtual on SQLite): the monitoring report bins a month of scores
# without parsing a million JSON documents.
for _name in ("age", "income", "seniority", "payment_incidents", "credit_score"):
    table_of(Score).append_column(
        sa.Column(
            f"snapshot_{_name}",
            sa.Float,
            sa.Computed(table_of(Score).c.features[("values", _name)].as_float(), persisted=True),
        )
    )


class Decision(SQLModel, table=True):
    """The advisor's decision on a score. The human, not the model, decides."""

    __table_args__ = (
        sa.CheckConstraint(
            "(outcome != 'refused' AND overrides_recommendation = false)"
            " OR (justification IS NOT NULL AND length(justification) > 0)",
            name="ck_decision_justified",
        ),
        processing_record(
            "Advisors' decisions: client id, score, advisor, outcome, override flag, justification.",
            RetentionCategory.client_records,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    score_id: int = Field(foreign_key="score.id", index=True)
    client_id: uuid.UUID = Field(foreign_key="client.id", index=True)
    advisor_id: int = Field(foreign_key="advisor.id", index=True)
    outcome: str = Field(max_length=16)
    overrides_recommendation: bool = Field(default=False)
    justification: str | None = Field(default=None, max_length=2000)
    needs_review: bool = Field(default=False)
    # A reviewer's resolution replaces the decision it reviewed (reviews, contests).
    supersedes_id: int | None = Field(default=None, foreign_key="decision.id", index=True)
    created_at: datetime = utc_timestamp(index=True)


class ReviewKind(StrEnum):
    override = "override"
    grey_zone = "grey_zone"
    stale_data = "stale_data"
    contest = "contest"


class ReviewStatus(StrEnum):
    open = "open"
    resolved = "resolved"


class ReviewOutcome(StrEnum):
    upheld = "upheld"
    changed = "changed"


class Contest(SQLModel, table=True):
    """A client's contest of a decision (CCD 2023/2225 Art. 18, GDPR Art. 22(3)),
    recorded by an advisor on the client's behalf."""

    __table_args__ = processing_record(
        "Contests: client id, decision, the client's statement, corrected feature values "
        "and their dates, the scores before and after rectification, who received it.",
        RetentionCategory.client_records,
    )

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    client_id: uuid.UUID = Field(foreign_key="client.id", index=True)
    statement: str = Field(max_length=4000)
    # {feature: {"value": v, "as_of": "YYYY-MM-DD"}}; applied through rectification.
    corrections: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    score_before_id: int = Field(foreign_key="score.id")
    score_after_id: int | None = Field(default=None, foreign_key="score.id")
    received_by: int = Field(foreign_key="advisor.id")
    created_at: datetime = utc_timestamp(index=True)


class Review(SQLModel, table=True):
    """A case a second person must look at: an override, a grey-zone or stale-data
    decision, a contest. Resolved by someone other than the decider (four-eyes)."""

    __table_args__ = (
        sa.CheckConstraint(
            "status != 'resolved' OR (resolution IS NOT NULL AND resolved_by IS NOT NULL"
            " AND justification IS NOT NULL AND resolved_at IS NOT NULL)",
            name="ck_review_resolved",
        ),
        processing_record(
            "Review queue: client id, decision, kind, due date, assignee, resolution and "
            "its justification, reviewer.",
            RetentionCategory.client_records,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    client_id: uuid.UUID = Field(foreign_key="client.id", index=True)
    contest_id: int | None = Field(default=None, foreign_key="contest.id")
    due_on: date = Field(index=True)
    assignee_id: int | None = Field(default=None, foreign_key="advisor.id", index=True)
    status: str = Field(default=ReviewStatus.open, max_length=16, index=True)
    resolution: str | None = Field(default=None, max_length=16)
    justification: str | None = Field(default=None, max_length=2000)
    resolved_by: int | None = Field(default=None, foreign_key="advisor.id")
    resolution_decision_id: int | None = Field(default=None, foreign_key="decision.id")
    created_at: datetime = utc_timestamp(index=True)
    claimed_at: datetime | None = utc_timestamp(nullable=True)
    resolved_at: datetime | None = utc_timestamp(nullable=True)


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained record of every access and decision.

    Never holds feature values, passwords or tokens: only who did what to
    which object, with which outcome.
    """

    __table_args__ = (
        sa.Index("ix_auditevent_chain_id", "chain", "id"),
        processing_record(
            "Security and access log: actor, action, object id (a client's pseudonym), "
            "outcome, request id; never feature values, passwords or tokens.",
            RetentionCategory.security_logs,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Which of the parallel hash chains holds the event (services/audit.py).
    chain: int = Field(default=0, sa_column=Column(sa.SmallInteger, nullable=False, server_default="0"))
    created_at: datetime = utc_timestamp(index=True)
    actor: str = Field(max_length=80, index=True)
    action: str = Field(max_length=48, index=True)
    object_type: str | None = Field(default=None, max_length=32)
    object_id: str | None = Field(default=None, max_length=64, index=True)
    outcome: str = Field(default="success", max_length=16, index=True)
    request_id: str | None = Field(default=None, max_length=80)
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class ApiClient(SQLModel, table=True):
    """A partner application that calls the scoring API with client credentials."""

    __table_args__ = processing_record(
        "Partner applications: name, argon2id secret hash, scopes (no personal data).",
        kept="while the partner agreement runs",
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=120)
    secret_hash: str = Field(max_length=255)
    scopes: str = Field(default="", max_length=255)
    active: bool = Field(default=True)
    created_at: datetime = utc_timestamp()


class RetentionPolicy(SQLModel, table=True):
    """How long a category of data is kept: the single source of truth for purges."""

    __table_args__ = processing_record(
        "Retention policies (configuration, no personal data).",
        kept="as configuration; changed only with the DPO's sign-off",
    )

    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(max_length=48, unique=True)
    description_fr: str = Field(max_length=255)
    description_en: str = Field(max_length=255)
    legal_basis: str = Field(max_length=255)
    trigger: str = Field(max_length=64)
    duration_days: int
    purge_mode: str = Field(default="delete", max_length=16)
    updated_at: datetime = utc_timestamp()
