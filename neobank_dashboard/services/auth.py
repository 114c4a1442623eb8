"""Advisor authentication: login with growing delays, opaque browser sessions, roles."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, col, delete, select

from neobank_dashboard.db.models import Advisor, AuthSession, Role, id_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit
from neobank_dashboard.services.passwords import (
    MAX_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from neobank_dashboard.settings import get_settings

SUPERVISING_ROLES = frozenset({Role.supervisor, Role.admin})
# Failed logins slow an account down rather than lock it (CNIL, délibération
# 2022-100, "temporisation"; see docs/deployment.md): after FREE_FAILURES in a
# row, each further attempt must wait twice as long as the previous one, up to
# MAX_LOGIN_DELAY. An attacker cannot shut an advisor out for long, and guessing
# stays slow. Attempts during the wait are refused without looking at the password.
FREE_FAILURES = 5
FIRST_LOGIN_DELAY = timedelta(seconds=2)
MAX_LOGIN_DELAY = timedelta(minutes=15)


class LoginError(StrEnum):
    """Why a login failed. An unknown e-mail, a wrong password and an account made
    to wait are one reason on purpose: the answer never tells whether an account exists."""

    invalid_credentials = "invalid_credentials"
    password_too_long = "password_too_long"
    throttled = "throttled"


def login_delay(failures: int) -> timedelta | None:
    """How long an account waits after ``failures`` failed logins in a row (None: not at all)."""
    if failures <= FREE_FAILURES:
        return None
    return min(MAX_LOGIN_DELAY, FIRST_LOGIN_DELAY * 2 ** min(failures - FREE_FAILURES - 1, 30))


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
        return cls(id_of(advisor), advisor.email, advisor.full_name, Role(advisor.role))


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
    """Check a password, slow the account down after failures, audit every outcome.

    Unknown, inactive and waiting accounts cost one argon2 verification like a
    wrong password, and get the same answer.
    """
    now = now or utcnow()
    email = normalise_email(email)
    advisor = session.exec(select(Advisor).where(Advisor.email == email)).first()
    # Longer than any password can be (the hasher would refuse it): a failure like any other.
    too_long = len(password) > MAX_PASSWORD_LENGTH
    failed = LoginResult(error=LoginError.password_too_long if too_long else LoginError.invalid_credentials)
    if advisor is None or not advisor.active:
        if not too_long:
            verify_password(password, None)
        _failed_login(session, None, "unknown_or_inactive", request_id)
        return failed
    if advisor.locked_until and advisor.locked_until > now:
        if not too_long:
            verify_password(password, None)
        audit.record_refusal(
            session,
            actor="anonymous",
            action="login",
            reason="account_waiting",
            object_type="advisor",
            object_id=str(advisor.id),
            request_id=request_id,
        )
        return failed
    if too_long or not verify_password(password, advisor.password_hash):
        advisor.failed_login_count += 1
        delay = login_delay(advisor.failed_login_count)
        advisor.locked_until = now + delay if delay else None
        session.add(advisor)
        _failed_login(
            session,
            advisor,
            "password_too_long" if too_long else "wrong_password",
            request_id,
            failed_count=advisor.failed_login_count,
            **({"delay_seconds": int(delay.total_seconds())} if delay else {}),
        )
        return failed
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


def _failed_login(
    session: Session, advisor: Advisor | None, reason: str, request_id: str | None, **details
) -> None:
    audit.record(
        session,
        actor="anonymous",
        action="login",
        object_type="advisor",
        object_id=str(advisor.id) if advisor else None,
        outcome="failure",
        request_id=request_id,
        details={"reason": reason, **details},
    )


def refuse_throttled_login(session: Session, *, retry_after: int, request_id: str | None) -> LoginResult:
    """A login refused before any check because its address tried too often (audited, coalesced)."""
    audit.record_refusal(
        session,
        actor="anonymous",
        action="login",
        reason="address_throttled",
        request_id=request_id,
        details={"retry_after": retry_after},
    )
    return LoginResult(error=LoginError.throttled)


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
        .join(AuthSession, col(AuthSession.advisor_id) == col(Advisor.id))
        .where(AuthSession.token_hash == token_hash, AuthSession.expires_at > now, Advisor.active)
    ).first()
    return CurrentAdvisor.of(row) if row else None


def close_session(session: Session, token_hash: str | None) -> None:
    if token_hash:
        session.exec(delete(AuthSession).where(col(AuthSession.token_hash) == token_hash))


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
