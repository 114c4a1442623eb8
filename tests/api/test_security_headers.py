"""Security headers, CORS and socket origins.

Three levels: the middleware alone on a tiny app; the standalone API (success, 404,
422, 413, 500, production settings); and the Reflex-composed app exactly as
``reflex run --env prod --single-port`` builds it (API, pages, assets, ``/_event``),
in a child process so that Reflex reads a production origin list from the environment.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import uuid

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from neobank_dashboard.api.main import create_app
from neobank_dashboard.api.security import (
    DOCS_CSP,
    HSTS,
    IMMUTABLE,
    NON_DOCUMENT_CSP,
    SecurityHeadersMiddleware,
    inline_script_hashes,
    websocket_origins,
)
from neobank_dashboard.settings import get_settings
from tests.api.conftest import score_body
from tests.conftest import REPO_ROOT
from tests.support.factories import valid_features

OURS = (
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "cross-origin-opener-policy",
    "permissions-policy",
    "cache-control",
)
ADVISOR_ORIGIN = "https://advisor.example"
FOREIGN_ORIGIN = "https://evil.example"
PROD_ENV = {
    "NEOBANK_ENV": "prod",
    "NEOBANK_SECRET_KEY": "k" * 48,
    "NEOBANK_DEMO_ACCOUNTS": "false",
    # Never connected to: these tests stay off the database.
    "REFLEX_DB_URL": "postgresql+psycopg://neobank@127.0.0.1:9/neobank",
    "REFLEX_CORS_ALLOWED_ORIGINS": ADVISOR_ORIGIN,
}


@pytest.fixture(scope="module")
def api_db_url(sqlite_url):
    """Headers do not depend on the database: SQLite only."""
    return sqlite_url


def assert_headers(response, *, csp: str = NON_DOCUMENT_CSP, hsts: bool = False) -> None:
    """Each of our headers exactly once, with no-store."""
    for name in OURS:
        assert len(response.headers.get_list(name)) == 1, name
    assert response.headers["content-security-policy"] == csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers.get("strict-transport-security") == (HSTS if hsts else None)


def sha256_source(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


# --- the middleware alone -------------------------------------------------------------


def _inner(request):
    kind = request.path_params["kind"]
    if kind.endswith("-abcdefgh.js") or kind == "revalidated":
        return Response(status_code=304, headers={"ETag": '"v1"', "Cache-Control": "max-age=60"})
    if kind == "logo.png":
        return Response(b"png", media_type="image/png", headers={"Cache-Control": "max-age=60"})
    return PlainTextResponse(
        "hello",
        headers={"Cache-Control": "public, max-age=600", "Pragma": "cache", "X-Frame-Options": "SAMEORIGIN"},
    )


def test_inner_headers_are_replaced_never_duplicated():
    app = SecurityHeadersMiddleware(
        Starlette(routes=[Route("/{kind}", _inner), Route("/assets/{kind}", _inner)]), hsts=True
    )
    client = TestClient(app)
    response = client.get("/text")
    assert_headers(response, hsts=True)
    assert "pragma" not in response.headers
    image = client.get("/logo.png")  # public files keep their own caching
    assert image.headers["cache-control"] == "max-age=60"
    assert image.headers["x-content-type-options"] == "nosniff"
    # Revalidations keep the stored copy's caching; content-hashed assets stay immutable.
    assert client.get("/revalidated").headers["cache-control"] == "max-age=60"
    assert client.get("/assets/app-abcdefgh.js").headers["cache-control"] == IMMUTABLE


PAGE = """<!DOCTYPE html><html><head>
<script>document.documentElement.classList.add("light")</script>
<script type="module" async="">import "/assets/app-abcdefgh.js";
  window.route = "é";</script>
<script type="module" src="/assets/app-abcdefgh.js"></script>
</head><body><div id="root">page</div><script>$RC("B:0","S:0")</script></body></html>"""
PAGE_SCRIPTS = (
    'document.documentElement.classList.add("light")',
    'import "/assets/app-abcdefgh.js";\n  window.route = "é";',
    '$RC("B:0","S:0")',
)


def write_frontend(client_dir) -> None:
    """A compiled frontend as Reflex lays it out: pages, and content-hashed assets."""
    (client_dir / "assets").mkdir(parents=True)
    (client_dir / "assets" / "app-abcdefgh.js").write_text("export {};")
    for name in ("index.html", "clients.html", "404.html"):
        (client_dir / name).write_text(PAGE)
    (client_dir / "model.html").write_text(PAGE.replace("page", "<script>model()</script>"))


def test_pages_allow_exactly_their_inline_scripts_by_hash(tmp_path):
    write_frontend(tmp_path)
    expected = sorted({*map(sha256_source, PAGE_SCRIPTS), sha256_source("model()")})
    assert inline_script_hashes(sorted(tmp_path.glob("*.html"))) == tuple(expected)

    app = Starlette(
        routes=[
            Route(
                "/{page}",
                lambda r: Response((tmp_path / r.path_params["page"]).read_bytes(), media_type="text/html"),
            )
        ]
    )
    client = TestClient(
        SecurityHeadersMiddleware(
            app, frontend_dir=tmp_path, connect_origins=websocket_origins("http://localhost:3000")
        )
    )
    csp = client.get("/clients.html").headers["content-security-policy"]
    assert f"script-src 'self' {' '.join(expected)};" in csp
    assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    assert "connect-src 'self' http://localhost:3000 ws://localhost:3000;" in csp
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "img-src 'self' data:",
    ):
        assert directive in csp.split("; ")

    # A rebuild (the folder changes) is picked up without a restart.
    (tmp_path / "rgpd.html").write_text(PAGE.replace("page", "<script>rgpd()</script>"))
    os.utime(tmp_path, ns=(1, 1))
    assert sha256_source("rgpd()") in client.get("/index.html").headers["content-security-policy"]


def test_websocket_origins_follow_the_api_url():
    assert websocket_origins("https://advisors.bank.example") == (
        "https://advisors.bank.example",
        "wss://advisors.bank.example",
    )
    assert websocket_origins(None) == ()


# --- the standalone API ---------------------------------------------------------------


def test_api_responses_and_errors_carry_the_headers(api, headers):
    assert_headers(api.get("/api/v1/health"))
    scored = api.post("/api/v1/score", json=score_body(), headers=headers["partner"])
    assert scored.status_code == 200
    assert_headers(scored)
    client_id = scored.json()["client_id"]
    for path in (
        f"/api/v1/clients/{client_id}",
        f"/api/v1/clients/{client_id}/score",
        "/api/v1/clients",
    ):  # personal data
        response = api.get(path, headers=headers["supervisor"])
        assert response.status_code == 200, path
        assert_headers(response)
    missing = api.get(f"/api/v1/clients/{uuid.uuid4()}", headers=headers["supervisor"])
    assert missing.status_code == 404
    assert_headers(missing)
    invalid = api.post("/api/v1/score", json=valid_features(age=12), headers=headers["partner"])
    assert invalid.status_code == 422
    assert_headers(invalid)
    too_large = api.post(
        "/api/v1/score",
        content=b"x" * 70_000,
        headers={**headers["partner"], "Content-Type": "application/json"},
    )
    assert too_large.status_code == 413
    assert_headers(too_large)
    docs = api.get("/api/docs")
    assert docs.status_code == 200
    assert_headers(docs, csp=DOCS_CSP)


def test_unhandled_errors_carry_the_headers_too():
    app = create_app()

    @app.get("/api/v1/boom")
    def boom():
        raise RuntimeError("unexpected")

    response = TestClient(app, raise_server_exceptions=False).get("/api/v1/boom")
    assert response.status_code == 500
    assert_headers(response)


@pytest.fixture
def prod_settings(monkeypatch):
    for name, value in PROD_ENV.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_production_api_sends_hsts_hides_docs_and_limits_cors(prod_settings):
    client = TestClient(create_app())  # no lifespan: nothing touches the database
    schema = client.get("/api/openapi.json", headers={"Origin": ADVISOR_ORIGIN})
    assert_headers(schema, hsts=True)
    assert schema.headers["access-control-allow-origin"] == ADVISOR_ORIGIN
    foreign = client.get("/api/openapi.json", headers={"Origin": FOREIGN_ORIGIN})
    assert "access-control-allow-origin" not in foreign.headers
    assert_headers(client.get("/api/docs"), hsts=True)  # 404: Swagger UI is development only
    assert client.get("/api/docs").status_code == 404

    def preflight(origin):
        return client.options(
            "/api/v1/score",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )

    allowed, refused = preflight(ADVISOR_ORIGIN), preflight(FOREIGN_ORIGIN)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ADVISOR_ORIGIN
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


# --- the Reflex-composed app ----------------------------------------------------------

COMPOSED = r"""
import json
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from neobank_dashboard.neobank_dashboard import app

client = TestClient(app())  # what the backend worker serves; no lifespan, no database
out = {}

def seen(response):
    return {"status": response.status_code, "headers": dict(response.headers),
            "text": response.text[:200]}

out["page"] = seen(client.get("/clients"))
out["missing_page"] = seen(client.get("/no-such-page"))
out["asset"] = seen(client.get("/assets/app-abcdefgh.js"))
for origin in ("advisor", "foreign"):
    value = "https://advisor.example" if origin == "advisor" else "https://evil.example"
    out[f"api_{origin}"] = seen(client.get("/api/openapi.json", headers={"Origin": value}))
    out[f"preflight_{origin}"] = seen(client.options("/api/v1/score", headers={
        "Origin": value, "Access-Control-Request-Method": "POST"}))
    out[f"polling_{origin}"] = seen(client.get("/_event/?EIO=4&transport=polling",
                                               headers={"Origin": value}))
    try:
        with client.websocket_connect("/_event/?EIO=4&transport=websocket",
                                      headers={"Origin": value, "Upgrade": "websocket"}) as ws:
            out[f"socket_{origin}"] = ws.receive_text()[:40]
    except WebSocketDisconnect as refused:
        out[f"socket_{origin}"] = f"refused {refused.code}"
print(json.dumps(out))
"""


@pytest.mark.slow
def test_reflex_composed_app_headers_and_origins(tmp_path):
    client_dir = tmp_path / "web" / "build" / "client"
    write_frontend(client_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "REFLEX_"))}
    env.update(
        PROD_ENV,
        NEOBANK_DATA_DIR=str(tmp_path),
        REFLEX_WEB_WORKDIR=str(tmp_path / "web"),
        REFLEX_API_URL=ADVISOR_ORIGIN,
        REFLEX_TELEMETRY_ENABLED="false",
        # What `reflex run --env prod --single-port` sets for its backend worker.
        __REFLEX_SKIP_COMPILE="true",
        __REFLEX_MOUNT_FRONTEND_COMPILED_APP="true",
    )
    run = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", COMPOSED],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])

    page = out["page"]
    assert page["status"] == 200 and page["text"].startswith("<!DOCTYPE html>")
    csp = page["headers"]["content-security-policy"]
    assert all(sha256_source(script) in csp for script in PAGE_SCRIPTS)
    assert "connect-src 'self' https://advisor.example wss://advisor.example;" in csp
    for response in (page, out["missing_page"], out["api_advisor"], out["polling_foreign"]):
        assert response["headers"]["cache-control"] == "no-store"
        assert response["headers"]["strict-transport-security"] == HSTS
        assert response["headers"]["x-frame-options"] == "DENY"
    assert out["asset"]["headers"]["cache-control"] == IMMUTABLE
    assert out["api_advisor"]["headers"]["content-security-policy"] == NON_DOCUMENT_CSP

    # CORS on the API: the configured origin only.
    assert out["api_advisor"]["headers"]["access-control-allow-origin"] == ADVISOR_ORIGIN
    assert "access-control-allow-origin" not in out["api_foreign"]["headers"]
    assert out["preflight_advisor"]["status"] == 200
    assert out["preflight_foreign"]["status"] == 400
    assert "access-control-allow-origin" not in out["preflight_foreign"]["headers"]
    # The socket: python-socketio refuses a foreign Origin before anything else.
    assert out["polling_foreign"]["status"] == 400
    assert "not an accepted origin" in out["polling_foreign"]["text"]
    assert "not an accepted origin" not in out["polling_advisor"]["text"]
    assert out["socket_advisor"].startswith('0{"sid":')
    assert out["socket_foreign"].startswith("refused")
