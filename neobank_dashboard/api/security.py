"""Security headers on every response, as one pure ASGI middleware.

Installed once, outermost: by :func:`~neobank_dashboard.api.main.create_app` for the
standalone API, and by the Reflex app around everything it serves (compiled pages,
static assets, the ``/_event`` socket, the mounted API). A header an inner app already
set is replaced, never sent twice.

* HTML documents get a strict Content-Security-Policy: scripts only from our origin
  plus the SHA-256 hashes of the inline ``<script>`` blocks of the prerendered pages,
  computed from the built HTML files (no 'unsafe-inline', no 'unsafe-eval'). Styles
  need 'unsafe-inline': emotion and Radix inject ``<style>`` tags and ``style``
  attributes at run time, with no nonce. CSS cannot run script, and an injected style
  can only load from our own origin (``img-src``, ``font-src``, ``connect-src``).
* Every other response gets ``default-src 'none'`` (JSON runs nothing; an SVG or a
  response opened directly renders inert).
* ``Cache-Control: no-store`` on everything (API JSON, HTML, socket polling) except the
  content-hashed build output under ``/assets/`` (cached for a year, immutable) and
  images/fonts such as the favicon (the inner app's validators stay).
* HSTS in production only: browsers ignore it over plain http, and a development
  server reached over https on a shared domain must not pin its sibling hosts.
* ``Referrer-Policy: no-referrer``: page URLs carry pseudonymous client ids and the
  portfolio filters; nothing in the app reads the Referer header.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from neobank_dashboard.settings import get_settings

ASSETS_PREFIX = "/assets/"
HSTS = "max-age=31536000; includeSubDomains"
NO_STORE = "no-store"
IMMUTABLE = "public, max-age=31536000, immutable"

COMMON_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
NON_DOCUMENT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Swagger UI (served in development only, see create_app) loads its bundle from a CDN
# and starts with inline scripts whose text FastAPI builds from the app's settings.
DOCS_CSP = (
    "default-src 'none'; script-src https://cdn.jsdelivr.net 'unsafe-inline'; "
    "style-src https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

# React Router's prerendered pages: inline scripts carry no src attribute; the browser
# hashes their exact text (UTF-8), which is what this captures.
_INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)


def inline_script_hashes(html_files: Iterable[Path]) -> tuple[str, ...]:
    """CSP source expressions (``'sha256-...'``) of every inline script, sorted, unique."""
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for path in html_files
        for body in _INLINE_SCRIPT.findall(path.read_bytes())
    }
    return tuple(sorted(hashes))


def page_csp(script_hashes: Iterable[str] = (), connect_origins: Iterable[str] = ()) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *script_hashes]),
            "style-src 'self' 'unsafe-inline'",
            " ".join(["connect-src 'self'", *connect_origins]),
            "img-src 'self' data:",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def websocket_origins(api_url: str | None) -> tuple[str, ...]:
    """The backend origin the compiled frontend calls, in its http and ws forms.

    Reflex bakes ``api_url`` into the bundle; when it differs from the page's origin
    (``localhost`` vs ``127.0.0.1``, or a separate API host) 'self' does not cover it.
    """
    if not api_url:
        return ()
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ()
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{parts.scheme}://{parts.netloc}", f"{socket_scheme}://{parts.netloc}"


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response of ``app`` (see module docstring).

    ``frontend_dir`` is the compiled frontend Reflex serves (``.web/build/client``);
    its inline-script hashes are read on the first page served and again whenever
    the folder is rebuilt (its mtime changes). ``docs_path`` (Swagger UI, when served)
    gets its own, looser policy.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        frontend_dir: Path | None = None,
        connect_origins: Iterable[str] = (),
        docs_path: str | None = None,
        hsts: bool | None = None,
    ):
        self.app = app
        self.frontend_dir = frontend_dir
        self.connect_origins = tuple(connect_origins)
        self.docs_path = docs_path
        self.hsts = get_settings().is_prod if hsts is None else hsts
        self._page_csp: tuple[int | None, str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # websocket upgrades carry no document
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": self._headers(path, message["status"], message.get("headers", [])),
                }
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _headers(self, path: str, status: int, raw: list[tuple[bytes, bytes]]) -> list:
        content_type = (
            next((v for k, v in raw if k.lower() == b"content-type"), b"").decode("latin-1").lower()
        )
        ours = dict(COMMON_HEADERS)
        ours["content-security-policy"] = self._csp(path, content_type)
        if self.hsts:
            ours["strict-transport-security"] = HSTS
        if path.startswith(ASSETS_PREFIX) and status in (200, 304):
            ours["cache-control"] = IMMUTABLE
        # A 304 revalidates a stored copy, which no-store content never has: it keeps its own.
        elif status != 304 and not content_type.startswith(("image/", "font/")):
            ours["cache-control"] = NO_STORE
        kept = [(k, v) for k, v in raw if k.decode("latin-1").lower() not in ours]
        if "cache-control" in ours:  # HTTP/1.0 caches: no Pragma/Expires left contradicting it
            kept = [(k, v) for k, v in kept if k.lower() not in (b"pragma", b"expires")]
        return kept + [(k.encode(), v.encode()) for k, v in ours.items()]

    def _csp(self, path: str, content_type: str) -> str:
        if not content_type.startswith("text/html"):
            return NON_DOCUMENT_CSP
        if self.docs_path and path.startswith(self.docs_path):
            return DOCS_CSP
        return self._frontend_csp()

    def _frontend_csp(self) -> str:
        try:
            stamp = self.frontend_dir.stat().st_mtime_ns if self.frontend_dir else None
        except OSError:
            stamp = None
        if self._page_csp is None or self._page_csp[0] != stamp:
            html = (
                sorted(self.frontend_dir.rglob("*.html")) if self.frontend_dir and stamp is not None else []
            )
            self._page_csp = (stamp, page_csp(inline_script_hashes(html), self.connect_origins))
        return self._page_csp[1]
