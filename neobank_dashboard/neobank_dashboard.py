"""The Reflex app: pages, the API beside them, start-up checks."""

from __future__ import annotations

import logging
import re

import reflex as rx
from reflex import constants
from reflex.config import get_config
from reflex.utils.prerequisites import get_web_dir
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from neobank_dashboard.api.lifespan import monitoring_nightly_task, retention_daily_task, scoring_lifespan
from neobank_dashboard.api.main import create_app
from neobank_dashboard.api.middleware import METRICS_PATH, ApiFirstMiddleware
from neobank_dashboard.api.routes import browser_session
from neobank_dashboard.api.security import SecurityHeadersMiddleware, websocket_origins
from neobank_dashboard.api.session_cookie import HashSessionCookie
from neobank_dashboard.pages import admin, client, clients, login, model, monitoring, reviews, rgpd  # noqa: F401 - registers the pages
from neobank_dashboard.settings import exit_if_unsafe, get_settings
from neobank_dashboard.state.session import ForgetPageDataWithoutSession, backend_exception_handler

exit_if_unsafe()  # what to fix, on stderr, and exit 2: never a traceback

api = create_app(standalone=False)
# The login form's target: the browser-only route that sets the HttpOnly session cookie.
api.include_router(browser_session.router)
API_APP_PATHS = frozenset({browser_session.SESSION_PATH, METRICS_PATH})
"""Paths outside ``/api/`` that the API app serves (ApiFirstMiddleware)."""


class RedactClientTokens(logging.Filter):
    """A tab's client token is the key to its page state: Reflex logs it ("send delta to
    disconnected client '<uuid>'"), the log must not."""

    TOKEN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.TOKEN.sub("<client token>", record.getMessage()), ()
        return True


logging.getLogger("reflex.app").addFilter(RedactClientTokens())


def with_security_headers(asgi_app: ASGIApp) -> ASGIApp:
    """Wrap everything Reflex serves: pages, assets, the ``/_event`` socket, the API.

    Called when the backend starts, with the final config: the compiled frontend is
    where ``reflex.utils.exec.get_frontend_mount`` serves it from, and ``api_url`` is
    the backend origin baked into the bundle (the websocket's address).
    """
    config = get_config()
    frontend_dir = get_web_dir() / constants.Dirs.STATIC / config.frontend_path.strip("/")
    return SecurityHeadersMiddleware(
        asgi_app,
        frontend_dir=frontend_dir.resolve(),
        connect_origins=websocket_origins(config.api_url),
        docs_path=api.docs_url,
    )


def behind_proxy(asgi_app: ASGIApp) -> ASGIApp:
    """Trust X-Forwarded-Proto/-For from the TLS proxy only (NEOBANK_TRUSTED_PROXIES), so
    redirects stay on https and the audit log sees the advisor's address, not the proxy's."""
    # uvicorn types ASGI scopes as TypedDicts, Starlette as plain mappings: the same protocol.
    return ProxyHeadersMiddleware(asgi_app, trusted_hosts=get_settings().trusted_proxies)  # type: ignore[arg-type, return-value]


class NeobankApp(rx.App):
    """The Reflex app with our layers outside everything Reflex builds: the forwarded
    scheme and address first, the security headers on every response, then ``/api/``
    (and the login form's route) to the API, beside Reflex's pages and socket rather
    than inside its CORS and router (see ApiFirstMiddleware); the socket sees only the
    session cookie's hash."""

    def __call__(self) -> ASGIApp:
        reflex = HashSessionCookie(super().__call__())
        return behind_proxy(with_security_headers(ApiFirstMiddleware(reflex, api, paths=API_APP_PATHS)))


app = NeobankApp(backend_exception_handler=backend_exception_handler)
# A reconnecting tab without a valid session gets no page data.
app.add_middleware(ForgetPageDataWithoutSession())
# Load and verify the champion model once per process (in a thread), then score the
# clients that have no score yet in the background: the same start-up as the standalone API.
app.register_lifespan_task(scoring_lifespan)
# Apply the retention periods every night inside the running app.
app.register_lifespan_task(retention_daily_task)
# The monitoring report once a night, stored and audited (one worker computes it).
app.register_lifespan_task(monitoring_nightly_task)
