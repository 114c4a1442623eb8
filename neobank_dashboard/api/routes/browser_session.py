"""``POST /auth/session``: the login form posts here, the browser gets an HttpOnly cookie.

A Reflex event handler cannot set an HttpOnly cookie (``rx.Cookie`` is written by the
page's JavaScript), so the form is a plain HTML POST. It is CSRF-safe: the form must come
from this app (Origin, or Fetch Metadata), and the cookie is SameSite=Lax.
Lax rather than Strict so that a link to a client page opened from an e-mail finds the
advisor still signed in; a cross-site POST never carries it.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from reflex.config import get_config

from neobank_dashboard import navigation
from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.errors import ApiError
from neobank_dashboard.api.ratelimit import login_retry_after
from neobank_dashboard.api.session_cookie import SESSION_COOKIE
from neobank_dashboard.db import session_scope
from neobank_dashboard.navigation import HOME_ROUTE, LOGIN_ROUTE
from neobank_dashboard.services.auth import LoginError, authenticate, open_session, refuse_throttled_login
from neobank_dashboard.settings import get_settings

SESSION_PATH = "/auth/session"
MAX_EMAIL_CHARS = 254
MAX_PASSWORD_CHARS = 1024
MISSING_FIELDS = "missing_fields"
LOGIN_FAILURES = frozenset({MISSING_FIELDS, *LoginError})
"""The reasons ``/login?error=`` may name (translated under ``login.<reason>``)."""

router = APIRouter(include_in_schema=False)


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def form_origin(request: Request) -> str | None:
    """The origin the login form was served from, or None when it was not this app's.

    The page's ``Referrer-Policy: no-referrer`` makes browsers send ``Origin: null`` on a
    form post; their Fetch Metadata (``Sec-Fetch-Site``) still tell where it came from.
    """
    own = _origin(str(request.base_url))
    # The frontend apart: `reflex run` in development (pages on :3000, this route on :8000)
    # or the TLS proxy's public address.
    frontend = _origin(get_config().deploy_url)
    origin = _origin(request.headers.get("origin"))
    if origin is not None and origin in {own, frontend, _origin(get_settings().public_url)}:
        return origin
    site = request.headers.get("sec-fetch-site")
    if site == "same-origin":
        return own
    if site == "same-site" and not get_settings().is_prod:
        return frontend
    return None


def safe_next(path: str | None) -> str:
    """A page of this app to return to after login, else the portfolio (one rule:
    :func:`neobank_dashboard.navigation.safe_next`)."""
    return navigation.safe_next(path, HOME_ROUTE, LOGIN_ROUTE)


@router.post(SESSION_PATH)
async def sign_in(
    request: Request,
    email: Annotated[str, Form(max_length=MAX_EMAIL_CHARS)] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD_CHARS)] = "",
    next: Annotated[str, Form(max_length=2048)] = "",  # noqa: A002 - the usual parameter name
) -> RedirectResponse:
    """Check the password (argon2, in a worker thread), open
    a session and set its cookie; back to the login page either way, which goes on to
    ``next`` or shows the reason for a refusal in the advisor's language."""
    origin = form_origin(request)
    if origin is None:
        raise ApiError(ErrorCode.foreign_origin, "login form posted from another origin")
    # Back to where the form came from: a relative address when that is this app.
    base = "" if origin == _origin(str(request.base_url)) else origin
    target = safe_next(next)
    email = email.strip()
    if not email or not password:
        return _back_to_login(base, MISSING_FIELDS, target)
    # Per client address, shared with the token endpoint: over the limit, the password
    # is not even checked (and the refusal is audited, coalesced).
    retry_after = await login_retry_after(request.client.host if request.client else None)
    token, error = await asyncio.to_thread(_sign_in, email, password, retry_after)
    if token is None:
        return _back_to_login(base, error, target)
    # The login page, now signed in, goes on to ``next`` itself: a client-side navigation
    # like every other (a full load of /clients would come back as /clients/).
    response = _back_to_login(base, None, target)
    settings = get_settings()
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        path="/",
        secure=settings.is_prod,
        httponly=True,
        samesite="lax",
    )
    return response


def _sign_in(email: str, password: str, retry_after: int) -> tuple[str | None, str]:
    """(session token, or None and the refusal's reason); argon2 is slow: a worker thread."""
    request_id = str(uuid.uuid4())
    with session_scope() as db:
        if retry_after:
            result = refuse_throttled_login(db, retry_after=retry_after, request_id=request_id)
        else:
            result = authenticate(db, email, password, request_id=request_id)
        if result.advisor is None:
            assert result.error is not None  # a refused login always says why
            return None, result.error.value
        return open_session(db, result.advisor), ""


def _back_to_login(base: str, error: str | None, target: str) -> RedirectResponse:
    query = ({"error": error} if error else {}) | ({"next": target} if target != HOME_ROUTE else {})
    return RedirectResponse(
        f"{base}{LOGIN_ROUTE}" + (f"?{urlencode(query)}" if query else ""), status_code=303
    )
