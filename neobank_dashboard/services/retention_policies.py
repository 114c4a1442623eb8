"""Default retention periods (DESIGN.md; the DPO signs off).

These defaults are written once into the RetentionPolicy table, which is then
the single source of truth: the purge, the RGPD page and the records of
processing all read the table, never this list.
"""

from __future__ import annotations

from sqlmodel import Session, select

from neobank_dashboard.db.models import RetentionPolicy

DEFAULT_POLICIES: tuple[dict, ...] = (
    dict(
        category="security_logs",
        duration_days=365,
        trigger="event_date",
        description_fr="Journaux de sécurité et d'accès",
        description_en="Security and access logs",
        legal_basis="CNIL, recommandation sur la journalisation (6 mois à 1 an)",
    ),
    dict(
        category="scoring_events",
        duration_days=365,
        trigger="event_date",
        description_fr="Événements de scoring (journaux automatiques du système d'IA)",
        description_en="Scoring events (automatic AI system logs)",
        legal_basis="AI Act art. 19 et 26(6) : au moins 6 mois",
    ),
    dict(
        category="client_records",
        duration_days=5 * 365,
        trigger="relationship_end",
        description_fr="Caractéristiques clients et décisions",
        description_en="Client features and decisions",
        legal_basis="CMF L561-12 (LCB-FT) : 5 ans après la fin de la relation",
    ),
    dict(
        category="payment_incidents",
        duration_days=5 * 365,
        trigger="observation_date",
        description_fr="Incidents de paiement",
        description_en="Payment incidents",
        legal_basis="Règles du FICP : 5 ans au plus",
    ),
    dict(
        category="prospects",
        duration_days=3 * 365,
        trigger="last_contact",
        description_fr="Prospects et demandeurs refusés sans relation",
        description_en="Prospects and refused applicants without a relationship",
        legal_basis="CNIL, référentiel gestion commerciale : 3 ans après le dernier contact",
    ),
    dict(
        category="model_documentation",
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
