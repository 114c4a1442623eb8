"""The browser session cookie: HttpOnly, and only its hash ever reaches Reflex.

Set by ``POST /auth/session`` (``api/routes/browser_session.py``), so no script reads
it. The Reflex websocket sees it in its handshake headers, which Reflex keeps in every
state store (memory, ``.states/`` files, Redis) as ``router.headers``: the
:class:`HashSessionCookie` wrapper replaces the value there by its SHA-256, the same
hash the AuthSession table keys on. A stolen state file thus holds no usable token.
"""

from __future__ import annotations

from reflex import constants
from starlette.types import ASGIApp, Receive, Scope, Send

from neobank_dashboard.services.auth import session_token_hash

SESSION_COOKIE = "neobank_session"
EVENT_PATH = str(constants.Endpoint.EVENT)


def cookie_value(header: str, name: str) -> str | None:
    """The first cookie called ``name`` in a Cookie header (RFC 6265 ``a=1; b=2``)."""
    for pair in header.split(";"):
        key, sep, value = pair.strip().partition("=")
        if sep and key == name:
            return value
    return None


def _hash_session_value(header: str) -> str:
    pairs = []
    for pair in header.split(";"):
        key, sep, value = pair.strip().partition("=")
        if sep and key == SESSION_COOKIE:
            value = session_token_hash(value)
        pairs.append(f"{key}{sep}{value}")
    return "; ".join(pairs)


class HashSessionCookie:
    """On the ``/_event`` socket, the session cookie's value becomes its hash.

    Whatever a client sends is hashed, a hash included: presenting a hash read from a
    state store yields the hash of a hash, which matches no session.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope["path"].startswith(EVENT_PATH):
            scope = dict(
                scope,
                headers=[
                    (name, _hash_session_value(value.decode("latin-1")).encode("latin-1"))
                    if name == b"cookie"
                    else (name, value)
                    for name, value in scope["headers"]
                ],
            )
        await self.app(scope, receive, send)
