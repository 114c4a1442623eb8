"""Advisor authentication: login with lockout, opaque browser sessions, roles."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, delete, select

from neobank_dashboard.db.models import Advisor, AuthSession, Role
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit
from neobank_dashboard.services.passwords import hash_password, needs_rehash, verify_password
from neobank_dashboard.settings import get_settings

MAX_FAILED_LOGINS = 10
LOCKOUT = timedelta(minutes=15)
SUPERVISING_ROLES = frozenset({Role.supervisor, Role.admin})


class LoginError(StrEnum):
    """Why a login failed. Unknown e-mail and wrong password are one reason on purpose."""

    invalid_credentials = "invalid_credentials"
    locked = "locked"


@dataclass(frozen=True)
class CurrentAdvisor:
    """The authenticated staff member, as the layers above see them."""

    id: int
    email: str
    full_name: str
    role: Role

    @property
    def sees_all_clients(self) -> bool:
        return self.role in SUPERVISING_ROLES

    @property
    def actor(self) -> str:
        return f"advisor:{self.id}"

    @classmethod
    def of(cls, advisor: Advisor) -> CurrentAdvisor:
        return cls(advisor.id, advisor.email, advisor.full_name, Role(advisor.role))


class SupervisorRequiredError(PermissionError):
    """A supervisor-only action (data-subject requests, retention) was refused."""


def require_supervisor(actor: CurrentAdvisor) -> None:
    if actor.role not in SUPERVISING_ROLES:
        raise SupervisorRequiredError(f"{actor.actor} ({actor.role}) is not a supervisor")


@dataclass(frozen=True)
class LoginResult:
    advisor: CurrentAdvisor | None = None
    error: LoginError | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    request_id: str | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Check a password, count failures, lock after MAX_FAILED_LOGINS, audit every outcome."""
    now = now or utcnow()
    email = normalise_email(email)
    advisor = session.exec(select(Advisor).where(Advisor.email == email)).first()
    if advisor is None or not advisor.active:
        verify_password(password, None)
        audit.record(
            session,
            actor="anonymous",
            action="login",
            object_type="advisor",
            outcome="failure",
            request_id=request_id,
            details={"reason": "unknown_or_inactive"},
        )
        return LoginResult(error=LoginError.invalid_credentials)
    if advisor.locked_until and advisor.locked_until > now:
        audit.record(
            session,
            actor="anonymous",
            action="login",
            object_type="advisor",
            object_id=str(advisor.id),
            outcome="denied",
            request_id=request_id,
            details={"reason": "locked"},
        )
        return LoginResult(error=LoginError.locked)
    if not verify_password(password, advisor.password_hash):
        if advisor.locked_until and advisor.locked_until <= now:
            advisor.failed_login_count = 0  # the lock expired: a fresh series starts
            advisor.locked_until = None
        advisor.failed_login_count += 1
        locked = advisor.failed_login_count >= MAX_FAILED_LOGINS
        if locked:
            advisor.locked_until = now + LOCKOUT
        session.add(advisor)
        audit.record(
            session,
            actor="anonymous",
            action="login",
            object_type="advisor",
            object_id=str(advisor.id),
            outcome="failure",
            request_id=request_id,
            details={"reason": "wrong_password", "failed_count": advisor.failed_login_count},
        )
        if locked:
            audit.record(
                session,
                actor="system",
                action="account_locked",
                object_type="advisor",
                object_id=str(advisor.id),
                request_id=request_id,
                details={"minutes": int(LOCKOUT.total_seconds() // 60)},
            )
            return LoginResult(error=LoginError.locked)
        return LoginResult(error=LoginError.invalid_credentials)
    if needs_rehash(advisor.password_hash):
        advisor.password_hash = hash_password(password)
    advisor.failed_login_count = 0
    advisor.locked_until = None
    advisor.last_login_at = now
    session.add(advisor)
    audit.record(
        session,
        actor=f"advisor:{advisor.id}",
        action="login",
        object_type="advisor",
        object_id=str(advisor.id),
        request_id=request_id,
    )
    return LoginResult(advisor=CurrentAdvisor.of(advisor))


def session_token_hash(token: str) -> str:
    """What the server keeps of a browser session token: the database row and every
    Reflex state store see this hash only, never the cookie value itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, advisor: CurrentAdvisor, now: datetime | None = None) -> str:
    """Create a browser session and return its opaque token (only its hash is stored)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            token_hash=session_token_hash(token),
            advisor_id=advisor.id,
            created_at=now,
            expires_at=now + timedelta(hours=get_settings().session_hours),
        )
    )
    return token


def advisor_for_session(
    session: Session, token_hash: str | None, now: datetime | None = None
) -> CurrentAdvisor | None:
    """The active advisor behind a session token's hash, or None if missing/expired/unknown."""
    if not token_hash:
        return None
    now = now or utcnow()
    row = session.exec(
        select(Advisor)
        .join(AuthSession, AuthSession.advisor_id == Advisor.id)
        .where(AuthSession.token_hash == token_hash, AuthSession.expires_at > now, Advisor.active)
    ).first()
    return CurrentAdvisor.of(row) if row else None


def close_session(session: Session, token_hash: str | None) -> None:
    if token_hash:
        session.exec(delete(AuthSession).where(AuthSession.token_hash == token_hash))


def create_advisor(
    session: Session,
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role = Role.advisor,
) -> Advisor:
    advisor = Advisor(
        email=normalise_email(email),
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        role=role,
    )
    session.add(advisor)
    session.flush()
    return advisor
