"""Staff account management (supervisors and admins), every change audited.

One rule authorises every action on an existing account (:func:`_target`):
only a supervisor or an admin manages accounts, nobody acts on an account of a
higher role than their own, nobody deactivates themselves or changes their own
role, and no change leaves the bank without an active admin.
"""

from __future__ import annotations

import re

from sqlmodel import Session, func, select

from neobank_dashboard.db.models import Advisor, Role
from neobank_dashboard.services import audit
from neobank_dashboard.services.auth import CurrentAdvisor, create_advisor, normalise_email
from neobank_dashboard.services.passwords import password_problem

ROLE_RANK = {Role.advisor: 0, Role.supervisor: 1, Role.admin: 2}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A refused account change: ``field`` and a message key for the UI and the API."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def _require_manager(actor: CurrentAdvisor) -> None:
    if not actor.sees_all_clients:
        raise AccountError("role", "forbidden")


def _target(session: Session, actor: CurrentAdvisor, advisor_id: int, *, removes_admin: bool) -> Advisor:
    """The account ``actor`` may act on, or :class:`AccountError`. ``removes_admin``:
    the action takes the account out of the active admins (deactivation, demotion)."""
    _require_manager(actor)
    advisor = session.get(Advisor, advisor_id)
    if advisor is None:
        raise AccountError("advisor", "not_found")
    if ROLE_RANK[Role(advisor.role)] > ROLE_RANK[actor.role]:
        raise AccountError("role", "forbidden")
    if removes_admin and advisor.role == Role.admin and advisor.active and _active_admins(session) <= 1:
        raise AccountError("advisor", "last_admin")
    return advisor


def _active_admins(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(Advisor).where(Advisor.role == Role.admin, Advisor.active)
    ).one()


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
    if problem := password_problem(password, email=email, full_name=full_name):
        raise AccountError("password", problem)
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
    if ROLE_RANK[new_role] > ROLE_RANK[actor.role]:
        raise AccountError("role", "forbidden")
    return new_role


def set_active(session: Session, actor: CurrentAdvisor, advisor_id: int, active: bool) -> None:
    if advisor_id == actor.id and not active:
        raise AccountError("advisor", "cannot_deactivate_self")
    advisor = _target(session, actor, advisor_id, removes_admin=not active)
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
    advisor = _target(session, actor, advisor_id, removes_admin=False)
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
    advisor = _target(session, actor, advisor_id, removes_admin=new_role != Role.admin)
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
