"""ASGI guards of the API app: a request id on every answer; for ``/api/`` paths the
body's size and media type; in the Reflex app, the API served beside the pages rather
than inside them; CORS refusals in the API's error shape.

Pure ASGI middlewares (a body without Content-Length is buffered up to the
limit, then replayed; others are checked on the header). Paths outside ``/api/``
(``/metrics``, the login form's route) get their request id and nothing else.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.errors import (
    REQUEST_ID_HEADER,
    DeferredErrorResponse,
    error_response,
    request_id_for,
)

API_PATH_PREFIX = "/api/"
METRICS_PATH = "/metrics"  # Prometheus' usual path, served by the API app
MAX_BODY_BYTES = 64 * 1024
MAX_BATCH_BODY_BYTES = 1024 * 1024
"""A batch carries up to 1,000 clients (~100-400 bytes each): its own, larger limit."""


class ApiFirstMiddleware:
    """Sends ``/api/`` requests, and the other ``paths`` the API serves, straight to the
    API; everything else to ``app`` (Reflex).

    Reflex wraps what it serves in its own layers: a CORS middleware with credentials and
    any method or header (with the development origin ``*`` it reflects any Origin with
    ``Access-Control-Allow-Credentials: true``), and a router whose catch-all does not
    match a path holding a newline (a text/plain 404) and serves the 404 page for an
    unknown route. The API, beside it rather than inside, keeps its own rules for all three.
    """

    def __init__(self, app: ASGIApp, api: ASGIApp, paths: frozenset[str] = frozenset()):
        self.app, self.api, self.paths = app, api, paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path.startswith(API_PATH_PREFIX) or path in self.paths):
            await self.api(scope, receive, send)
        else:
            await self.app(scope, receive, send)


_JSON_SUBTYPE = re.compile(r"^application/([\w.+-]*\+)?json\b", re.IGNORECASE)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == name), None)


class ApiGuardMiddleware:
    """The request id (``X-Request-ID`` on every answer), then the body's size and type:
    413 over the limit, 415 for a body that is not JSON (a form on ``form_paths``)."""

    def __init__(
        self,
        app: ASGIApp,
        batch_paths: frozenset[str] = frozenset(),
        form_paths: frozenset[str] = frozenset(),
    ):
        self.app = app
        self.batch_paths, self.form_paths = batch_paths, form_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_for(scope)
        if scope["path"].startswith(API_PATH_PREFIX):
            limit = MAX_BATCH_BODY_BYTES if scope["path"] in self.batch_paths else MAX_BODY_BYTES
            declared = self._content_length(scope)
            if declared is not None and declared > limit:
                await self._too_large(scope, receive, send, limit)
                return
            body: bytes | None = b""
            if declared is None and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
                # No Content-Length (chunked): read up to the limit first, then replay.
                body = await self._read_limited(receive, limit)
                if body is None:
                    await self._too_large(scope, receive, send, limit)
                    return
                receive = self._replay(body, receive)
            has_body = bool(declared) or bool(body)
            if has_body and scope["method"] in _BODY_METHODS and not self._accepted_type(scope):
                await self._refuse(
                    scope, receive, send, ErrorCode.unsupported_media_type, self._type_detail(scope)
                )
                return

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER.encode()
                ]
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_id)

    def _accepted_type(self, scope: Scope) -> bool:
        content_type = (_header(scope, b"content-type") or "").strip().lower()
        if scope["path"] in self.form_paths:
            return content_type.startswith(_FORM_TYPES)
        return bool(_JSON_SUBTYPE.match(content_type))

    def _type_detail(self, scope: Scope) -> str:
        wanted = (
            "a form (application/x-www-form-urlencoded)"
            if scope["path"] in self.form_paths
            else "application/json"
        )
        return f"the body must be {wanted}"

    @staticmethod
    async def _read_limited(receive: Receive, limit: int) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            size += len(message.get("body", b""))
            if size > limit:
                return None
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    def _replay(body: bytes, receive: Receive) -> Receive:
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        detail = f"request body over the {limit // 1024} KB limit"
        await self._refuse(scope, receive, send, ErrorCode.payload_too_large, detail)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, code: ErrorCode, detail: str) -> None:
        # The unread body stays unread: the connection is closed after the answer.
        response = error_response(scope, code, detail, headers={"Connection": "close"})
        await response(scope, receive, send)

    @staticmethod
    def _content_length(scope: Scope) -> int | None:
        value = _header(scope, b"content-length")
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None


class ApiCorsMiddleware(CORSMiddleware):
    """Starlette's CORS, a refused preflight answered in the API's error shape (its own
    is text/plain)."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        kept = {k: v for k, v in response.headers.items() if k not in ("content-length", "content-type")}
        detail = bytes(response.body).decode("utf-8", "replace")
        return DeferredErrorResponse(ErrorCode.cors_refused, f"CORS preflight refused: {detail}", kept)
