"""ASGI guards for ``/api/`` paths: a request id on every call, body-size limits,
and, in the Reflex app, the API served beside the pages rather than inside them.

Pure ASGI middlewares (a body without Content-Length is buffered up to the
limit, then replayed; others are checked on the header). Paths outside
``/api/`` (the standalone app's, or whatever else reaches it) pass through untouched.
"""

from __future__ import annotations

import json
import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_PATH_PREFIX = "/api/"
METRICS_PATH = "/metrics"  # Prometheus' usual path, served by the API app
MAX_BODY_BYTES = 64 * 1024
MAX_BATCH_BODY_BYTES = 1024 * 1024
"""A batch carries up to 1,000 clients (~100-400 bytes each): its own, larger limit."""
REQUEST_ID_HEADER = "x-request-id"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,80}$")


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


def _too_large_response(request_id: str, limit: int) -> tuple[Message, Message]:
    body = json.dumps(
        {
            "detail": f"request body over the {limit // 1024} KB limit",
            "error": "payload_too_large",
            "request_id": request_id,
        }
    ).encode()
    start = {
        "type": "http.response.start",
        "status": 413,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-request-id", request_id.encode()),
            (b"connection", b"close"),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


class ApiGuardMiddleware:
    def __init__(self, app: ASGIApp, batch_paths: frozenset[str] = frozenset()):
        self.app = app
        self.batch_paths = batch_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PATH_PREFIX):
            await self.app(scope, receive, send)
            return
        request_id = self._request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        limit = MAX_BATCH_BODY_BYTES if scope["path"] in self.batch_paths else MAX_BODY_BYTES
        declared = self._content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(send, request_id, limit)
            return

        if declared is None and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            # No Content-Length (chunked): read up to the limit first, then replay.
            body = await self._read_limited(receive, limit)
            if body is None:
                await self._refuse(send, request_id, limit)
                return
            receive = self._replay(body, receive)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_id)

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

    @staticmethod
    async def _refuse(send: Send, request_id: str, limit: int) -> None:
        start, body = _too_large_response(request_id, limit)
        await send(start)
        await send(body)

    @staticmethod
    def _request_id(scope: Scope) -> str:
        for name, value in scope.get("headers", ()):
            if name == REQUEST_ID_HEADER.encode():
                candidate = value.decode("latin-1")
                if _SAFE_REQUEST_ID.match(candidate):
                    return candidate
                break
        return uuid.uuid4().hex

    @staticmethod
    def _content_length(scope: Scope) -> int | None:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return None
        return None
