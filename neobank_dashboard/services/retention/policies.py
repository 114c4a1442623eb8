"""Retention periods: the defaults, reading them, and the DPO changing them.

The defaults (DESIGN.md; the DPO signs off) are written once into the
RetentionPolicy table, which is then the single source of truth: the purge,
the RGPD page and the records of processing all read the table, never this list.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from neobank_dashboard.db.models import Client, RetentionCategory, RetentionPolicy, table_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit
from neobank_dashboard.services.auth import CurrentAdvisor, require_supervisor

# The durations the purge reads (an erased client is held for the client-records one).
REQUIRED_BY_PURGE = frozenset(RetentionCategory) - {
    RetentionCategory.erasure,
    RetentionCategory.model_documentation,
}

DEFAULT_POLICIES: tuple[dict, ...] = (
    dict(
        category=RetentionCategory.security_logs,
        duration_days=365,
        trigger="event_date",
        description_fr="Journaux de sécurité et d'accès",
        description_en="Security and access logs",
        legal_basis="CNIL, recommandation sur la journalisation (6 mois à 1 an)",
    ),
    dict(
        category=RetentionCategory.scoring_events,
        duration_days=365,
        trigger="event_date",
        description_fr="Événements de scoring (journaux automatiques du système d'IA)",
        description_en="Scoring events (automatic AI system logs)",
        legal_basis="AI Act art. 19 et 26(6) : au moins 6 mois",
    ),
    dict(
        category=RetentionCategory.client_records,
        duration_days=5 * 365,
        trigger="relationship_end",
        description_fr="Caractéristiques clients et décisions",
        description_en="Client features and decisions",
        legal_basis="CMF L561-12 (LCB-FT) : 5 ans après la fin de la relation",
    ),
    dict(
        category=RetentionCategory.payment_incidents,
        duration_days=5 * 365,
        trigger="observation_date",
        description_fr="Incidents de paiement",
        description_en="Payment incidents",
        legal_basis="Règles du FICP : 5 ans au plus",
    ),
    dict(
        category=RetentionCategory.prospects,
        duration_days=3 * 365,
        trigger="last_contact",
        description_fr="Prospects et demandeurs refusés sans relation",
        description_en="Prospects and refused applicants without a relationship",
        legal_basis="CNIL, référentiel gestion commerciale : 3 ans après le dernier contact",
    ),
    dict(
        category=RetentionCategory.model_documentation,
        duration_days=10 * 365,
        trigger="model_retired",
        description_fr="Documentation technique du modèle",
        description_en="Model technical documentation",
        legal_basis="AI Act art. 18 : 10 ans",
    ),
)


def ensure_default_policies(session: Session) -> int:
    """Insert the default policies that are missing; never overwrite a DPO's change."""
    existing = set(session.exec(select(RetentionPolicy.category)).all())
    added = 0
    for policy in DEFAULT_POLICIES:
        if policy["category"] not in existing:
            session.add(RetentionPolicy(**policy))
            added += 1
    return added


class MissingPolicyError(RuntimeError):
    """The RetentionPolicy table lacks a category the purge applies."""


def policies(session: Session) -> dict[str, RetentionPolicy]:
    rows = {policy.category: policy for policy in session.exec(select(RetentionPolicy))}
    missing = sorted(c.value for c in REQUIRED_BY_PURGE - rows.keys())
    if missing:
        raise MissingPolicyError(f"no retention policy for {missing}: run ensure_default_policies")
    return rows


def duration(session: Session, category: RetentionCategory) -> timedelta:
    return timedelta(days=policies(session)[category].duration_days)


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
    if category == RetentionCategory.client_records:
        # Retention dates of ended relationships are materialised on the client rows.
        ended = (
            select(col(Client.relationship_ended_on))
            .where(col(Client.relationship_ended_on).is_not(None))
            .distinct()
        )
        for ended_on in filter(None, session.exec(ended).all()):
            session.execute(
                sa.update(table_of(Client))
                .where(col(Client.relationship_ended_on) == ended_on)
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
