"""Per-request observability: one JSON access-log line and the latency and status
metrics of every HTTP request, and ``GET /metrics`` for Prometheus.

The log line holds the request id, method, route template, status, duration and
worker: never a path with a client id, a query string, a body, a feature value or a
token. ``/metrics`` is for the operator's scraper only: with ``NEOBANK_METRICS_TOKEN``
set it wants that bearer token, otherwise it answers loopback callers only (behind
the TLS proxy the client address is the real caller's, and nginx refuses the path).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import sys
import time

from fastapi import APIRouter, Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from neobank_dashboard import metrics
from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.errors import error_response
from neobank_dashboard.api.middleware import METRICS_PATH
from neobank_dashboard.api.routes.health import worker_id
from neobank_dashboard.db import get_engine
from neobank_dashboard.settings import get_settings

ACCESS_LOGGER = "neobank.access"
UNMATCHED_ROUTE = "other"


def _access_logger() -> logging.Logger:
    """Its own handler and bare format: a collector reads one JSON object a line."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def _route_template(scope: Scope) -> str:
    """The matched route's path template with its router's prefix
    (``/api/v1/clients/{client_id}``): the route knows only its own part, so the prefix
    is what the request's path has before that part, rendered with its parameters."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    # A Mount (the Reflex backend inside the API app) matches everything: not a route.
    if not template or not getattr(route, "methods", None):
        return UNMATCHED_ROUTE
    try:
        rendered = template.format(**scope.get("path_params", {}))
    except (KeyError, IndexError, ValueError):
        return UNMATCHED_ROUTE
    path = scope["path"]
    return path[: len(path) - len(rendered)] + template if path.endswith(rendered) else template


def _pool_in_use() -> int:
    checkedout = getattr(get_engine().pool, "checkedout", None)
    return int(checkedout()) if checkedout else 0


class ObservabilityMiddleware:
    """Times every HTTP request to its last byte and logs it once."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.log_requests = get_settings().access_log
        self.logger = _access_logger()
        self.worker = worker_id()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception before the answer started is a server error

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            self._observe(scope, status, time.perf_counter() - started)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        method, route = scope["method"], _route_template(scope)
        metrics.REQUEST_SECONDS.labels(method, route).observe(seconds)
        metrics.RESPONSES.labels(method, route, str(status)).inc()
        metrics.POOL_CONNECTIONS_IN_USE.set(_pool_in_use())
        if self.log_requests:
            line = {
                "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "request_id": scope.get("state", {}).get("request_id"),
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "worker": self.worker,
            }
            self.logger.info(json.dumps(line, separators=(",", ":")))


router = APIRouter(include_in_schema=False)


def _scraper_allowed(request: Request) -> bool:
    token = get_settings().metrics_token
    if token:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # "testclient" and other non-addresses
        return False


@router.get(METRICS_PATH)
def prometheus_metrics(request: Request) -> Response:
    if not _scraper_allowed(request):
        # Not advertised: the same answer as a path that does not exist.
        return error_response(request.scope, ErrorCode.not_found, "Not Found")
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type)
