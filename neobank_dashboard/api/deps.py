"""Dependencies: database session, the authenticated caller, scopes, rate limits.

Authentication runs on the event loop without touching the database in the
common case: the JWT is checked in memory and the account's current state
(active, role, scopes) comes from a short cache refreshed in a thread. A
deactivated account or a revoked scope therefore takes effect within
:data:`ACCOUNT_CACHE_SECONDS`; tokens themselves live 15 minutes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.errors import ApiError, request_id_of
from neobank_dashboard.api.ratelimit import get_limiter
from neobank_dashboard.db import Advisor, get_engine, session_scope
from neobank_dashboard.services import audit
from neobank_dashboard.services.api_clients import PartnerViewer, active_partner, granted_scopes
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.tokens import (
    Principal,
    Scope,
    TokenError,
    decode_token,
    staff_scopes,
)

ACCOUNT_CACHE_SECONDS = 10.0
bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/token")


def get_session() -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@dataclass(frozen=True)
class Caller:
    """The authenticated caller of one request."""

    principal: Principal
    viewer: CurrentAdvisor | PartnerViewer
    request_id: str | None

    @property
    def actor(self) -> str:
        return self.principal.actor

    @property
    def is_advisor(self) -> bool:
        return isinstance(self.viewer, CurrentAdvisor)

    @property
    def advisor(self) -> CurrentAdvisor:
        """The viewer as staff, for routes behind ``require_advisor`` or a stricter guard."""
        if not isinstance(self.viewer, CurrentAdvisor):
            raise ApiError(ErrorCode.advisors_only, "only advisors may do this")
        return self.viewer

    @property
    def partner_id(self) -> str | None:
        return self.viewer.partner_id if isinstance(self.viewer, PartnerViewer) else None


class _AccountCache:
    """subject -> (expires at, viewer or None, scopes the account may hold now)."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, object, frozenset[str]]] = {}

    def get(self, subject: str):
        entry = self._entries.get(subject)
        if entry is not None and entry[0] > time.monotonic():
            return entry
        return None

    def put(self, subject: str, viewer, scopes: frozenset[str]) -> None:
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[subject] = (time.monotonic() + ACCOUNT_CACHE_SECONDS, viewer, scopes)

    def clear(self) -> None:
        self._entries.clear()


account_cache = _AccountCache()


def _load_account(principal: Principal):
    """The account behind a token as it is now: (viewer or None, scopes it may hold)."""
    with Session(get_engine()) as session:
        if principal.is_advisor:
            advisor = session.get(Advisor, int(principal.key))
            if advisor is None or not advisor.active:
                return None, frozenset()
            return CurrentAdvisor.of(advisor), staff_scopes(advisor.role)
        app = active_partner(session, principal.key)
        if app is None:
            return None, frozenset()
        return PartnerViewer(app.client_id), granted_scopes(app)


def _audit_failure(reason: str, request_id: str | None, path: str) -> None:
    with session_scope() as session:
        audit.record_refusal(  # coalesced: a flood of bad tokens is one event a minute
            session,
            actor="anonymous",
            action="api_auth",
            reason=reason,
            outcome="failure",
            request_id=request_id,
            details={"path": path[:120]},
        )


def _unauthorized(code: ErrorCode, detail: str) -> ApiError:
    return ApiError(code, detail, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


async def rate_limit(key: str) -> None:
    retry_after = await get_limiter().retry_after(key)
    if retry_after:
        raise ApiError(
            ErrorCode.rate_limited,
            "too many calls for this token: slow down",
            headers={"Retry-After": str(retry_after)},
        )


async def current_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Caller:
    """The caller behind the bearer token; 401 (audited) when it cannot be trusted,
    429 when it calls too often."""
    request_id = request_id_of(request)
    if credentials is None or credentials.scheme.lower() != "bearer":
        reason = "missing_token"
    else:
        try:
            principal = decode_token(credentials.credentials)
            reason = None
        except TokenError as error:
            reason = error.reason
    if reason is None:
        entry = account_cache.get(principal.subject)
        if entry is None:
            viewer, allowed = await asyncio.to_thread(_load_account, principal)
            account_cache.put(principal.subject, viewer, allowed)
        else:
            _, viewer, allowed = entry
        if viewer is None:
            reason = "inactive_account"
    if reason is not None:
        client_host = request.client.host if request.client else "unknown"
        await rate_limit(f"anonymous:{client_host}")
        await asyncio.to_thread(_audit_failure, reason, request_id, request.url.path)
        if reason == "missing_token":
            raise _unauthorized(ErrorCode.missing_token, "an access token is required")
        raise _unauthorized(ErrorCode.invalid_token, "invalid or expired access token")
    await rate_limit(principal.subject)
    # A scope revoked since the token was issued no longer counts.
    principal = Principal(principal.kind, principal.subject, principal.scopes & allowed, principal.role)
    return Caller(principal, viewer, request_id)


async def optional_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Caller | None:
    """The caller behind a valid token, else None: for routes open to anyone that tell
    an authenticated caller more. A bad token is audited like anywhere else."""
    if credentials is None:
        return None
    try:
        return await current_caller(request, credentials)
    except HTTPException as error:
        if error.status_code == status.HTTP_401_UNAUTHORIZED:
            return None
        raise


CurrentCaller = Annotated[Caller, Depends(current_caller)]
OptionalCaller = Annotated[Caller | None, Depends(optional_caller)]
# The name the design guidance uses.
CurrentPrincipal = CurrentCaller


def _audit_refusal(caller: Caller, reason: str, path: str, **details) -> None:
    with session_scope() as session:
        audit.record_refusal(
            session,
            actor=caller.actor,
            action="api_access",
            reason=reason,
            request_id=caller.request_id,
            details={"path": path[:120], **details},
        )


async def forbid(request: Request, caller: Caller, code: ErrorCode, detail: str, **details) -> ApiError:
    """The 403 to raise, once the refusal is audited (its reason: the code; coalesced
    per caller and reason)."""
    await asyncio.to_thread(_audit_refusal, caller, code.value, request.url.path, **details)
    return ApiError(code, detail)


def require_scope(scope: Scope):
    """A dependency: the caller's token must carry ``scope`` (403 otherwise)."""

    async def check(request: Request, caller: CurrentCaller) -> Caller:
        if not caller.principal.has_scope(scope):
            raise await forbid(
                request, caller, ErrorCode.missing_scope, f"this call needs the scope {scope}", scope=scope
            )
        return caller

    return check


async def require_advisor(request: Request, caller: CurrentCaller) -> Caller:
    if not caller.is_advisor:
        raise await forbid(request, caller, ErrorCode.advisors_only, "only advisors may do this")
    return caller


async def require_supervisor(request: Request, caller: CurrentCaller) -> Caller:
    if not (caller.is_advisor and caller.viewer.sees_all_clients):
        raise await forbid(
            request, caller, ErrorCode.supervisors_only, "only supervisors and admins may do this"
        )
    return caller


async def require_outcome_writer(
    request: Request, caller: Annotated[Caller, Depends(require_supervisor)]
) -> Caller:
    return await require_scope(Scope.outcomes_write)(request, caller)


ScoringCaller = Annotated[Caller, Depends(require_scope(Scope.score_write))]
ReadingCaller = Annotated[Caller, Depends(require_scope(Scope.clients_read))]
AdvisorCaller = Annotated[Caller, Depends(require_advisor)]
SupervisorCaller = Annotated[Caller, Depends(require_supervisor)]
OutcomeWriter = Annotated[Caller, Depends(require_outcome_writer)]
