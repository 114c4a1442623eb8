"""POST /api/v1/auth/token: OAuth2 password grant (advisors) and client
credentials (partner applications). Tokens live 15 minutes."""

from __future__ import annotations

import asyncio
import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Form, Request

from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.errors import ApiError, request_id_of, responses
from neobank_dashboard.api.ratelimit import login_retry_after
from neobank_dashboard.api.schemas import TokenResponse
from neobank_dashboard.db import session_scope
from neobank_dashboard.services import audit
from neobank_dashboard.services.api_clients import authenticate_client, granted_scopes
from neobank_dashboard.services.auth import authenticate, refuse_throttled_login
from neobank_dashboard.services.passwords import MAX_PASSWORD_LENGTH
from neobank_dashboard.services.tokens import (
    IssuedToken,
    Principal,
    ScopeError,
    issue_token,
    parse_scopes,
    staff_scopes,
)

router = APIRouter(tags=["auth"])
GRANTS = ("password", "client_credentials")


def _unauthorized(detail: str) -> ApiError:
    return ApiError(ErrorCode.invalid_credentials, detail, headers={"WWW-Authenticate": "Basic"})


def _wanted_scopes(scope: str | None) -> frozenset[str]:
    """The scopes asked for, separated by commas or spaces (empty: all the caller holds);
    a scope that does not exist is a 422 naming it, before any password is checked."""
    try:
        return parse_scopes(scope or "")
    except ScopeError as error:
        problem = ("scope", str(error))
        raise ApiError(ErrorCode.validation_error, "invalid request", errors=[problem]) from None


def _requested(wanted: frozenset[str], allowed: frozenset[str]) -> frozenset[str]:
    if not wanted:
        return allowed
    if not wanted <= allowed:
        raise ApiError(ErrorCode.invalid_scope, f"allowed scopes: {' '.join(sorted(allowed))}")
    return wanted


def _basic_credentials(request: Request) -> tuple[str | None, str | None]:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None, None
    try:
        decoded = base64.b64decode(header[6:], validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, _, secret = decoded.partition(":")
    return client_id or None, secret or None


def _issue(principal: Principal, grant: str, request_id: str | None) -> IssuedToken:
    issued = issue_token(principal)
    with session_scope() as session:
        audit.record(
            session,
            actor=principal.actor,
            action="token_issued",
            object_type=principal.kind.value,
            object_id=principal.key,
            request_id=request_id,
            details={"grant": grant, "scopes": sorted(issued.scopes)},
        )
    return issued


def _refuse_throttled(retry_after: int, request_id: str | None) -> None:
    with session_scope() as session:
        refuse_throttled_login(session, retry_after=retry_after, request_id=request_id)


def _password_grant(
    username: str, password: str, scope: frozenset[str], request_id: str | None
) -> IssuedToken:
    with session_scope() as session:
        result = authenticate(session, username, password, request_id=request_id)
    if result.advisor is None:
        raise _unauthorized("invalid credentials")
    scopes = _requested(scope, staff_scopes(result.advisor.role))
    principal = Principal.advisor(result.advisor.id, result.advisor.role, scopes)
    return _issue(principal, "password", request_id)


def _client_credentials_grant(
    client_id: str, secret: str, scope: frozenset[str], request_id: str | None
) -> IssuedToken:
    with session_scope() as session:
        app = authenticate_client(session, client_id, secret, request_id=request_id)
        allowed = granted_scopes(app) if app else frozenset()
    if app is None:
        raise _unauthorized("invalid client credentials")
    principal = Principal.partner(app.client_id, _requested(scope, allowed))
    return _issue(principal, "client_credentials", request_id)


@router.post(
    "/auth/token",
    response_model=TokenResponse,
    responses=responses(400, 401, 413, 415, 422, 429),
    summary="Obtain an access token",
    description=(
        "Form-encoded OAuth2 token request. Advisors: `grant_type=password` with "
        "`username` (e-mail) and `password`. Partner applications: "
        "`grant_type=client_credentials` with `client_id` and `client_secret` (form "
        "fields or HTTP Basic), optional `scope`: scopes separated by commas or spaces "
        "among `score:write clients:read` (staff: also `rgpd:write` and `outcomes:write`, "
        "supervisors and admins only); an unknown scope is a 422 naming it. The "
        "token is an HS256 JWT valid 15 minutes. Logins are limited per client address "
        "(429 with `Retry-After`); an account that keeps failing makes each next attempt "
        "wait longer, with the same 401 as a wrong password. Every issue and every "
        "failure is audited."
    ),
)
async def token(
    request: Request,
    grant_type: Annotated[str, Form(examples=["client_credentials"])],
    username: Annotated[str | None, Form(max_length=254)] = None,
    password: Annotated[str | None, Form(max_length=MAX_PASSWORD_LENGTH)] = None,
    client_id: Annotated[str | None, Form(max_length=64, examples=["demo-partner"])] = None,
    client_secret: Annotated[str | None, Form(max_length=1024)] = None,
    scope: Annotated[str | None, Form(max_length=255, examples=["score:write"])] = None,
) -> TokenResponse:
    request_id = request_id_of(request)
    retry_after = await login_retry_after(request.client.host if request.client else None)
    if retry_after:
        await asyncio.to_thread(_refuse_throttled, retry_after, request_id)
        raise ApiError(
            ErrorCode.login_rate_limited,
            "too many login attempts from this address: slow down",
            headers={"Retry-After": str(retry_after)},
        )
    wanted = _wanted_scopes(scope)
    if grant_type == "password":
        if not username or not password:
            raise ApiError(ErrorCode.invalid_request, "username and password are required")
        issued = await asyncio.to_thread(_password_grant, username, password, wanted, request_id)
    elif grant_type == "client_credentials":
        basic_id, basic_secret = _basic_credentials(request)
        client_id, client_secret = client_id or basic_id, client_secret or basic_secret
        if not client_id or not client_secret:
            raise ApiError(ErrorCode.invalid_request, "client_id and client_secret are required")
        issued = await asyncio.to_thread(
            _client_credentials_grant, client_id, client_secret, wanted, request_id
        )
    else:
        raise ApiError(ErrorCode.unsupported_grant_type, f"use one of {', '.join(GRANTS)}")
    return TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in, scope=issued.scope)
