"""Staff account management (supervisors and admins), every change audited."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from neobank_dashboard.db.models import Advisor, Role
from neobank_dashboard.services import audit
from neobank_dashboard.services.auth import CurrentAdvisor, create_advisor, normalise_email

MIN_PASSWORD_LENGTH = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A refused account change: ``field`` and a message key for the UI and the API."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def _require_manager(actor: CurrentAdvisor) -> None:
    if not actor.sees_all_clients:
        raise AccountError("role", "forbidden")


def _advisor(session: Session, advisor_id: int) -> Advisor:
    advisor = session.get(Advisor, advisor_id)
    if advisor is None:
        raise AccountError("advisor", "not_found")
    return advisor


def list_advisors(session: Session, actor: CurrentAdvisor) -> list[Advisor]:
    _require_manager(actor)
    return list(session.exec(select(Advisor).order_by(Advisor.role, Advisor.email)).all())


def add_advisor(
    session: Session, actor: CurrentAdvisor, *, email: str, full_name: str, password: str, role: str
) -> Advisor:
    _require_manager(actor)
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise AccountError("email", "invalid_email")
    if not full_name.strip():
        raise AccountError("full_name", "required")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password", "too_short")
    new_role = _valid_role(actor, role)
    if session.exec(select(Advisor.id).where(Advisor.email == email)).first() is not None:
        raise AccountError("email", "already_exists")
    advisor = create_advisor(session, email=email, full_name=full_name, password=password, role=new_role)
    audit.record(
        session,
        actor=actor.actor,
        action="advisor_created",
        object_type="advisor",
        object_id=str(advisor.id),
        details={"role": new_role.value},
    )
    return advisor


def _valid_role(actor: CurrentAdvisor, role: str) -> Role:
    try:
        new_role = Role(role)
    except ValueError:
        raise AccountError("role", "invalid_role") from None
    if new_role == Role.admin and actor.role != Role.admin:
        raise AccountError("role", "forbidden")
    return new_role


def set_active(session: Session, actor: CurrentAdvisor, advisor_id: int, active: bool) -> None:
    _require_manager(actor)
    if advisor_id == actor.id and not active:
        raise AccountError("advisor", "cannot_deactivate_self")
    advisor = _advisor(session, advisor_id)
    advisor.active = active
    session.add(advisor)
    audit.record(
        session,
        actor=actor.actor,
        action="advisor_activated" if active else "advisor_deactivated",
        object_type="advisor",
        object_id=str(advisor_id),
    )


def unlock(session: Session, actor: CurrentAdvisor, advisor_id: int) -> None:
    _require_manager(actor)
    advisor = _advisor(session, advisor_id)
    advisor.failed_login_count = 0
    advisor.locked_until = None
    session.add(advisor)
    audit.record(
        session,
        actor=actor.actor,
        action="advisor_unlocked",
        object_type="advisor",
        object_id=str(advisor_id),
    )


def change_role(session: Session, actor: CurrentAdvisor, advisor_id: int, role: str) -> None:
    _require_manager(actor)
    if advisor_id == actor.id:
        raise AccountError("role", "cannot_change_own_role")
    new_role = _valid_role(actor, role)
    advisor = _advisor(session, advisor_id)
    if advisor.role == Role.admin and actor.role != Role.admin:
        raise AccountError("role", "forbidden")
    advisor.role = new_role
    session.add(advisor)
    audit.record(
        session,
        actor=actor.actor,
        action="advisor_role_changed",
        object_type="advisor",
        object_id=str(advisor_id),
        details={"role": new_role.value},
    )
