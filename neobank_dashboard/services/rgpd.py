"""Data-subject requests (GDPR Art. 15-21), for the RGPD page and the supervisors' API.

A request is a supervisor's act: every function takes the acting
:class:`CurrentAdvisor`, refuses anyone else (:class:`SupervisorRequiredError`)
and writes an audit event. None commits: the caller's transaction does.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, col, select

from modeling.features import FEATURE_NAMES, FEATURES_BY_NAME, validate_features
from neobank_dashboard.db.models import (
    AuditEvent,
    Channel,
    Client,
    ClientStatus,
    Decision,
    RetentionCategory,
    RetentionPolicy,
    Score,
    table_of,
)
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit, scoring
from neobank_dashboard.services.auth import CurrentAdvisor, require_supervisor
from neobank_dashboard.services.clients import find_client
from neobank_dashboard.services.retention import duration, referring_columns, without_relationship

EXPORT_FORMAT = "neobank-dashboard/access-export/1"


class RestrictionGround(StrEnum):
    """Why processing is restricted: the four cases of GDPR Art. 18(1)."""

    accuracy_contested = "accuracy_contested"
    unlawful_processing = "unlawful_processing"
    legal_claims = "legal_claims"
    objection_pending = "objection_pending"


class RequestRefusedError(ValueError):
    """The request does not apply to the client as it stands (erased, not restricted...)."""


class RectificationError(ValueError):
    """The corrected value breaks the scoring contract.

    ``problems`` lists (field, reason) for the page; the message names the
    fields only, so that a logged exception never carries a feature value.
    """

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(
            "rectification refused: invalid " + ", ".join(sorted({name for name, _ in problems}))
        )
        self.problems = problems


def _json_value(value: object) -> object:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _rows(session: Session, table: sa.Table, where: sa.ColumnElement[bool]) -> list[dict]:
    rows = session.execute(sa.select(table).where(where).order_by(*table.primary_key.columns))
    return [{key: _json_value(value) for key, value in row._mapping.items()} for row in rows]


def _audit(
    session: Session, actor: CurrentAdvisor, action: str, client: Client, request_id: str | None, **details
) -> None:
    audit.record(
        session,
        actor=actor.actor,
        action=action,
        object_type="client",
        object_id=str(client.id),
        request_id=request_id,
        details=details,
    )


def export_client(
    session: Session,
    actor: CurrentAdvisor,
    client_id: uuid.UUID | str,
    *,
    request_id: str | None = None,
) -> dict:
    """Right of access (Art. 15): every row that refers to the client, as JSON-ready data.

    Tables are found through their foreign keys to the client, so a new table
    is exported without anyone having to remember it. The access log lists who
    did what with the client's record and when (CJEU C-579/21), and the
    retention policies say how long each kind of data is kept (Art. 15(1)(d)).
    """
    require_supervisor(actor)
    client = find_client(session, client_id)
    client_table = table_of(Client)
    tables = {client_table.name: _rows(session, client_table, client_table.c.id == client.id)}
    referring: dict[sa.Table, list[sa.Column]] = {}
    for column in referring_columns(client_table):
        referring.setdefault(column.table, []).append(column)
    for table, columns in referring.items():
        tables[table.name] = _rows(session, table, sa.or_(*(c == client.id for c in columns)))
    access_log = session.exec(
        select(AuditEvent.created_at, AuditEvent.actor, AuditEvent.action, AuditEvent.outcome)
        .where(AuditEvent.object_id == str(client.id))
        .order_by(col(AuditEvent.id))
    ).all()
    policies = session.exec(select(RetentionPolicy).order_by(RetentionPolicy.category)).all()
    export = {
        "format": EXPORT_FORMAT,
        "client_id": str(client.id),
        "exported_at": utcnow().isoformat(),
        "tables": tables,
        "access_log": [
            {"at": at.isoformat(), "actor": who, "action": action, "outcome": outcome}
            for at, who, action, outcome in access_log
        ],
        "retention_policies": [
            {
                "category": p.category,
                "description_fr": p.description_fr,
                "description_en": p.description_en,
                "legal_basis": p.legal_basis,
                "duration_days": p.duration_days,
                "trigger": p.trigger,
            }
            for p in policies
        ],
    }
    _audit(
        session,
        actor,
        "rgpd_access_export",
        client,
        request_id,
        rows=sum(len(rows) for rows in tables.values()),
    )
    return export


def rectify(
    session: Session,
    actor: CurrentAdvisor,
    client_id: uuid.UUID | str,
    feature: str,
    value: float,
    as_of: date,
    *,
    request_id: str | None = None,
    today: date | None = None,
    channel: Channel = Channel.ui,
) -> Score | None:
    """Right to rectification (Art. 16): correct one feature and score the client again.

    The supervisor's request; :func:`apply_corrections` does the work.
    """
    require_supervisor(actor)
    client = find_client(session, client_id)
    return apply_corrections(
        session, actor, client, {feature: (value, as_of)}, request_id=request_id, today=today, channel=channel
    )


def apply_corrections(
    session: Session,
    actor: CurrentAdvisor,
    client: Client,
    corrections: dict[str, tuple[float, date]],
    *,
    request_id: str | None = None,
    today: date | None = None,
    channel: Channel = Channel.ui,
) -> Score | None:
    """Correct features (``{name: (value, as_of)}``) and score the client once again.

    The caller has checked that the actor may: a supervisor's data-subject
    request, or an advisor's contest on a client of their portfolio. The new
    score supersedes the old one; decisions taken on the old score are
    flagged for review, since they rest on data now known to be wrong. When
    the client may not be scored (restricted, objecting) or scoring is off
    (kill switch, no model), the data is still corrected: the old score is
    superseded without a successor, so no score built on wrong data stays
    current, and None is returned.
    """
    if client.status == ClientStatus.erased:
        raise RequestRefusedError("the client is erased: nothing left to rectify")
    unknown = [(name, "is not a known feature") for name in corrections if name not in FEATURES_BY_NAME]
    if unknown or not corrections:
        raise RectificationError(unknown or [("corrections", "name at least one feature")])
    today = today or date.today()
    future = [
        (f"{name}_as_of", "must not be in the future") for name, (_, d) in corrections.items() if d > today
    ]
    if future:
        raise RectificationError(future)
    values = {name: getattr(client, name) for name in FEATURE_NAMES}
    values |= {name: value for name, (value, _) in corrections.items()}
    problems = validate_features(values)
    if problems:
        raise RectificationError(problems)
    for name, (value, as_of) in corrections.items():
        setattr(client, name, FEATURES_BY_NAME[name].kind(value))
        setattr(client, f"{name}_as_of", as_of)
    client.oldest_as_of = min(getattr(client, f"{name}_as_of") for name in FEATURE_NAMES)
    client.updated_at = utcnow()
    session.add(client)
    # The new score serves the purpose the corrected one served.
    purpose = session.exec(
        select(Score.purpose)
        .where(col(Score.client_id) == client.id, col(Score.superseded).is_(False))
        .order_by(col(Score.created_at).desc(), col(Score.id).desc())
        .limit(1)
    ).first()
    flagged = (
        session.exec(
            sa.update(table_of(Decision))
            .where(
                col(Decision.score_id).in_(
                    select(col(Score.id)).where(
                        col(Score.client_id) == client.id, col(Score.superseded).is_(False)
                    )
                )
            )
            .values(needs_review=True)
        ).rowcount
        or 0
    )
    try:
        score = scoring.score_client(
            session,
            client,
            actor=actor.actor,
            channel=channel,
            purpose=purpose,
            request_id=request_id,
            today=today,
        )
        not_rescored = None
    except (scoring.ClientNotScorableError, scoring.ScoringUnavailableError) as error:
        score, not_rescored = None, error.code
        _withdraw_current_score(session, client)
    _audit(
        session,
        actor,
        "rgpd_rectification",
        client,
        request_id,
        corrected={name: as_of.isoformat() for name, (_, as_of) in sorted(corrections.items())},
        decisions_flagged=flagged,
        not_rescored=not_rescored,
    )
    return score


def _withdraw_current_score(session: Session, client: Client) -> None:
    session.execute(
        sa.update(table_of(Score))
        .where(col(Score.client_id) == client.id, col(Score.superseded).is_(False))
        .values(superseded=True)
    )
    client.latest_probability = client.latest_recommendation = None
    client.latest_risk_band = client.latest_scored_at = None
    session.add(client)


def restrict(
    session: Session,
    actor: CurrentAdvisor,
    client_id: uuid.UUID | str,
    ground: RestrictionGround | str,
    *,
    request_id: str | None = None,
) -> Client:
    """Right to restriction (Art. 18): out of lists and scoring at once, kept whole."""
    require_supervisor(actor)
    ground = RestrictionGround(ground)
    client = find_client(session, client_id)
    if client.status == ClientStatus.erased:
        raise RequestRefusedError("the client is erased")
    client.status = ClientStatus.restricted
    session.add(client)
    _audit(session, actor, "rgpd_restriction", client, request_id, ground=ground.value)
    return client


def lift_restriction(
    session: Session,
    actor: CurrentAdvisor,
    client_id: uuid.UUID | str,
    *,
    request_id: str | None = None,
) -> Client:
    """End a restriction (Art. 18(3)): the client is listed and scored again."""
    require_supervisor(actor)
    client = find_client(session, client_id)
    if client.status != ClientStatus.restricted:
        raise RequestRefusedError("the client is not restricted")
    client.status = ClientStatus.active
    session.add(client)
    _audit(session, actor, "rgpd_restriction_lifted", client, request_id)
    return client


def erase(
    session: Session,
    actor: CurrentAdvisor,
    client_id: uuid.UUID | str,
    *,
    request_id: str | None = None,
    today: date | None = None,
) -> Client:
    """Right to erasure (Art. 17): out of lists and scoring now, deleted after the legal hold.

    A customer's record is held for the anti-money-laundering period after the
    relationship ends (which the erasure ends, if it was running); a client who
    never had a relationship is under no hold and goes at the next purge.
    """
    require_supervisor(actor)
    client = find_client(session, client_id)
    if client.status == ClientStatus.erased:
        return client
    today = today or date.today()
    never_customer = (
        session.exec(select(Client.id).where(Client.id == client.id, without_relationship())).first()
        is not None
    )
    if never_customer:
        client.retention_until = today
    else:
        client.relationship_ended_on = client.relationship_ended_on or today
        client.retention_until = client.relationship_ended_on + duration(
            session, RetentionCategory.client_records
        )
    client.status = ClientStatus.erased
    session.add(client)
    _audit(
        session,
        actor,
        "rgpd_erasure",
        client,
        request_id,
        retention_until=client.retention_until.isoformat(),
        legal_hold=not never_customer,
    )
    return client


def object_to_processing(
    session: Session,
    actor: CurrentAdvisor,
    client_id: uuid.UUID | str,
    *,
    request_id: str | None = None,
) -> Client:
    """Right to object (Art. 21): no more automatic scoring; the client stays listed.

    Batch rescoring leaves the client out (counted as skipped, see
    :func:`scoring.record_batch_skips`) and the scoring service refuses to score it:
    an advisor assesses it by hand.
    """
    require_supervisor(actor)
    client = find_client(session, client_id)
    if client.status == ClientStatus.erased:
        raise RequestRefusedError("the client is erased")
    client.objection = True
    session.add(client)
    _audit(session, actor, "rgpd_objection", client, request_id)
    return client
