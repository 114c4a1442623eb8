"""Reading the audit log (supervisors and admins), filtered and paginated in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from neobank_dashboard.db.models import AuditEvent
from neobank_dashboard.services.auth import CurrentAdvisor

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    outcome: str | None = None
    object_id: str | None = None
    page: int = 1


def list_events(session: Session, viewer: CurrentAdvisor, f: AuditFilter) -> tuple[list[AuditEvent], int]:
    """Newest first. Only supervisors and admins read the log."""
    if not viewer.sees_all_clients:
        raise PermissionError("the audit log is for supervisors and admins")
    conditions: list[ColumnElement[bool]] = []
    if f.actor:
        conditions.append(col(AuditEvent.actor) == f.actor)
    if f.action:
        conditions.append(col(AuditEvent.action) == f.action)
    if f.outcome:
        conditions.append(col(AuditEvent.outcome) == f.outcome)
    if f.object_id:
        conditions.append(col(AuditEvent.object_id).startswith(f.object_id))
    total = session.exec(select(func.count()).select_from(AuditEvent).where(*conditions)).one()
    events = session.exec(
        select(AuditEvent)
        .where(*conditions)
        .order_by(col(AuditEvent.id).desc())
        .offset((max(1, f.page) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(events), total


def known_actions(session: Session) -> list[str]:
    return list(session.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
