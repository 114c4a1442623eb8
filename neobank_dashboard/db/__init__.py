"""Data layer: tables, engine, sessions, migrations."""

from neobank_dashboard.db.engine import get_engine, migrate, session_scope
from neobank_dashboard.db.models import (
    Advisor,
    ApiClient,
    AuditEvent,
    AuthSession,
    Channel,
    Client,
    ClientStatus,
    Decision,
    Outcome,
    Recommendation,
    RetentionCategory,
    RetentionPolicy,
    Role,
    Score,
)
from neobank_dashboard.db.monitoring_models import (
    MonitoringMonth,
    MonitoringReport,
    OutcomeSource,
    RepaymentOutcome,
    ShadowScore,
)

__all__ = [
    "Advisor",
    "ApiClient",
    "AuditEvent",
    "AuthSession",
    "Channel",
    "Client",
    "ClientStatus",
    "Decision",
    "MonitoringMonth",
    "MonitoringReport",
    "Outcome",
    "OutcomeSource",
    "Recommendation",
    "RepaymentOutcome",
    "RetentionCategory",
    "RetentionPolicy",
    "Role",
    "Score",
    "ShadowScore",
    "get_engine",
    "migrate",
    "session_scope",
]
