"""One error shape for every status (issue 19): real requests that produce each status,
through the standalone API and the API as the Reflex app mounts it, answer exactly
``{"detail", "error", "errors", "request_id"}`` with a documented code, ``errors`` a
list (naming the field on a 422) and ``request_id`` the ``X-Request-ID`` header.
tests/security/test_mounted_api.py probes the same shape through the whole Reflex app."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from neobank_dashboard.api import deps
from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.main import create_app
from neobank_dashboard.api.ratelimit import RateLimiter
from neobank_dashboard.api.routes import auth, browser_session
from neobank_dashboard.api.routes import clients as clients_routes
from neobank_dashboard.db import ClientStatus, session_scope
from neobank_dashboard.db.models import Advisor
from neobank_dashboard.services import rgpd, scoring
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.settings import get_settings
from tests.api.conftest import PASSWORD, score_body
from tests.conftest import REPO_ROOT
from tests.support.factories import make_client

SQLITE = pytest.mark.parametrize("api_db_url", ["sqlite"], indirect=True)  # the shape is the same on both

KEYS = {"detail", "error", "errors", "request_id"}
SCORE, BATCH, TOKEN = "/api/v1/score", "/api/v1/score/batch", "/api/v1/auth/token"
LEAKS = re.compile(r"Traceback|File \"|passwd|SELECT|sqlalchemy|\.py\b", re.IGNORECASE)


@dataclass
class Ctx:
    client: TestClient
    headers: dict[str, dict[str, str]]
    accounts: object
    monkeypatch: pytest.MonkeyPatch
    tmp_path: object

    def unscored_client(self, status: str = ClientStatus.active) -> str:
        with session_scope() as session:
            return str(make_client(session, status=status).id)

    def scored_client(self, request_id: str | None = None) -> str:
        body = score_body(request_id=request_id) if request_id else score_body()
        response = self.client.post(SCORE, json=body, headers=self.headers["partner"])
        assert response.status_code == 200, response.text
        return response.json()["client_id"]

    def supervisor(self) -> CurrentAdvisor:
        with session_scope() as session:
            return CurrentAdvisor.of(session.get(Advisor, self.accounts.supervisor_id))


def _token(ctx: Ctx, **form):
    return ctx.client.post(TOKEN, data=form)


def _partner_form(**extra):
    return {"grant_type": "client_credentials", "client_id": "partner-a", **extra}


def _cors_refused(ctx: Ctx):
    preflight = {
        "Origin": "https://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-not-allowed",
    }
    return ctx.client.options(SCORE, headers=preflight)


def _rate_limited(ctx: Ctx):
    limiter = RateLimiter(rate=0.001, burst=1)
    ctx.monkeypatch.setattr(deps, "get_limiter", lambda: limiter)
    ctx.client.get("/api/v1/clients/not-a-uuid", headers=ctx.headers["reader"])
    return ctx.client.get("/api/v1/clients/not-a-uuid", headers=ctx.headers["reader"])


async def _login_wait(_address):
    return 30


def _internal(ctx: Ctx):
    def broken(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM /etc/passwd")

    ctx.monkeypatch.setattr(clients_routes, "list_clients", broken)
    return ctx.client.get("/api/v1/clients", headers=ctx.headers["supervisor"])


def _database_lost(ctx: Ctx):
    def lost(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, ConnectionError("server closed the connection"))

    ctx.monkeypatch.setattr(clients_routes, "list_clients", lost)
    return ctx.client.get("/api/v1/clients", headers=ctx.headers["supervisor"])


def _manual_mode(ctx: Ctx):
    ctx.monkeypatch.setenv("SCORING_MODE", "manual")
    get_settings.cache_clear()
    return ctx.client.post(SCORE, json=score_body(), headers=ctx.headers["partner"])


def _no_model(ctx: Ctx):
    service = scoring.get_service()
    model = service.loaded_model
    service.load(ctx.tmp_path)  # an empty registry
    try:
        return ctx.client.post(SCORE, json=score_body(), headers=ctx.headers["partner"])
    finally:
        service.use(model)


def _objection(ctx: Ctx):
    client_id = ctx.unscored_client()
    objected = ctx.client.post(f"/api/v1/clients/{client_id}/objection", headers=ctx.headers["supervisor"])
    assert objected.status_code == 200, objected.text
    return ctx.client.get(
        f"/api/v1/clients/{client_id}/score?refresh=true", headers=ctx.headers["supervisor"]
    )


def _erased_replay(ctx: Ctx):
    request_id = f"shape-{uuid.uuid4().hex[:8]}"
    client_id = ctx.scored_client(request_id)
    with session_scope() as session:
        rgpd.erase(session, ctx.supervisor(), client_id)
    return ctx.client.post(SCORE, json=score_body(request_id=request_id), headers=ctx.headers["partner"])


def _rectify_erased(ctx: Ctx):
    client_id = ctx.unscored_client(ClientStatus.erased)
    body = {"feature": "income", "value": 41200, "as_of": "2026-01-30"}
    return ctx.client.patch(f"/api/v1/clients/{client_id}", json=body, headers=ctx.headers["supervisor"])


Call = Callable[[Ctx], object]
# (id, status, code, the request, the fields a 422 names)
CASES: list[tuple[str, int, ErrorCode, Call, set[str]]] = [
    ("grant", 400, ErrorCode.unsupported_grant_type, lambda c: _token(c, grant_type="implicit"), set()),
    ("no-password", 400, ErrorCode.invalid_request, lambda c: _token(c, grant_type="password"), set()),
    (
        "scope-not-held",
        400,
        ErrorCode.invalid_scope,
        lambda c: _token(c, **_partner_form(client_secret=c.accounts.partner_secret, scope="rgpd:write")),
        set(),
    ),
    ("cors", 400, ErrorCode.cors_refused, _cors_refused, set()),
    ("no-token", 401, ErrorCode.missing_token, lambda c: c.client.get("/api/v1/clients"), set()),
    (
        "bad-token",
        401,
        ErrorCode.invalid_token,
        lambda c: c.client.get("/api/v1/clients", headers={"Authorization": "Bearer not.a.token"}),
        set(),
    ),
    (
        "bad-password",
        401,
        ErrorCode.invalid_credentials,
        lambda c: _token(c, grant_type="password", username="camille@bank.example", password="wrong" * 4),
        set(),
    ),
    (
        "scope",
        403,
        ErrorCode.missing_scope,
        lambda c: c.client.post(SCORE, json=score_body(), headers=c.headers["reader"]),
        set(),
    ),
    (
        "advisors",
        403,
        ErrorCode.advisors_only,
        lambda c: c.client.post(
            f"/api/v1/clients/{uuid.uuid4()}/decisions",
            json={"outcome": "approved"},
            headers=c.headers["partner"],
        ),
        set(),
    ),
    (
        "supervisors",
        403,
        ErrorCode.supervisors_only,
        lambda c: c.client.get("/api/v1/reviews", headers=c.headers["advisor"]),
        set(),
    ),
    ("route", 404, ErrorCode.not_found, lambda c: c.client.get("/api/v1/no-such-route"), set()),
    (
        "client",
        404,
        ErrorCode.not_found,
        lambda c: c.client.get(f"/api/v1/clients/{uuid.uuid4()}", headers=c.headers["partner"]),
        set(),
    ),
    (
        "no-score",
        404,
        ErrorCode.no_score,
        lambda c: c.client.get(
            f"/api/v1/clients/{c.unscored_client()}/score", headers=c.headers["supervisor"]
        ),
        set(),
    ),
    ("metrics", 404, ErrorCode.not_found, lambda c: c.client.get("/metrics"), set()),
    ("method", 405, ErrorCode.method_not_allowed, lambda c: c.client.delete(SCORE), set()),
    ("objection", 409, ErrorCode.objection, _objection, set()),
    ("state", 409, ErrorCode.state_forbids, _rectify_erased, set()),
    ("erased", 410, ErrorCode.erased, _erased_replay, set()),
    (
        "body",
        413,
        ErrorCode.payload_too_large,
        lambda c: c.client.post(
            SCORE,
            content=b'{"pad": "' + b"x" * 70_000 + b'"}',
            headers={**c.headers["partner"], "content-type": "application/json"},
        ),
        set(),
    ),
    (
        "batch",
        413,
        ErrorCode.batch_too_large,
        lambda c: c.client.post(BATCH, json={"items": [score_body()] * 1001}, headers=c.headers["partner"]),
        set(),
    ),
    (
        "media-type",
        415,
        ErrorCode.unsupported_media_type,
        lambda c: c.client.post(
            SCORE, content=b"age=41", headers={**c.headers["partner"], "content-type": "text/plain"}
        ),
        set(),
    ),
    (
        "token-json",
        415,
        ErrorCode.unsupported_media_type,
        lambda c: c.client.post(TOKEN, json={"grant_type": "password"}),
        set(),
    ),
    (
        "feature",
        422,
        ErrorCode.validation_error,
        lambda c: c.client.post(SCORE, json=score_body(age=12, income=-1), headers=c.headers["partner"]),
        {"age", "income"},
    ),
    (
        "unknown-field",
        422,
        ErrorCode.validation_error,
        lambda c: c.client.post(SCORE, json=score_body(colour="red"), headers=c.headers["partner"]),
        {"colour"},
    ),
    (
        "query",
        422,
        ErrorCode.validation_error,
        lambda c: c.client.get("/api/v1/clients?page=0", headers=c.headers["partner"]),
        {"page"},
    ),
    (
        "unknown-scope",
        422,
        ErrorCode.validation_error,
        lambda c: _token(
            c, **_partner_form(client_secret=c.accounts.partner_secret, scope="score:write,x:y")
        ),
        {"scope"},
    ),
    ("rate", 429, ErrorCode.rate_limited, _rate_limited, set()),
    (
        "login-rate",
        429,
        ErrorCode.login_rate_limited,
        lambda c: (
            c.monkeypatch.setattr(auth, "login_retry_after", _login_wait),
            _token(c, grant_type="password", username="a@b.example", password=PASSWORD),
        )[1],
        set(),
    ),
    ("internal", 500, ErrorCode.internal_error, _internal, set()),
    ("manual", 503, ErrorCode.manual_mode, _manual_mode, set()),
    ("no-model", 503, ErrorCode.no_model, _no_model, set()),
    ("database", 503, ErrorCode.database_unavailable, _database_lost, set()),
]


@pytest.fixture(scope="module")
def mounted_app(api):
    """The API as neobank_dashboard.neobank_dashboard builds it for the Reflex app."""
    app = create_app(standalone=False)
    app.include_router(browser_session.router)
    return app


@pytest.fixture(params=["standalone", "mounted"])
def ctx(request, api, headers, mounted_app, monkeypatch, tmp_path):
    from neobank_dashboard.api.main import app as standalone

    app = standalone if request.param == "standalone" else mounted_app
    # No lifespan: the ``api`` fixture's has loaded the model; a 500 is answered, not raised.
    client = TestClient(app, raise_server_exceptions=False)
    yield Ctx(client, headers, api.accounts, monkeypatch, tmp_path)
    monkeypatch.undo()
    get_settings.cache_clear()


def assert_error_shape(response, status: int, code: ErrorCode) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == KEYS, body
    assert body["error"] == code and ErrorCode(body["error"]).status == status
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    assert response.headers.get_list("x-request-id") == [body["request_id"]]
    assert not LEAKS.search(response.text), response.text
    return body


@SQLITE
@pytest.mark.parametrize(
    ("status", "code", "call", "fields"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_every_error_has_the_one_shape(ctx, status, code, call, fields):
    body = assert_error_shape(call(ctx), status, code)
    if status == 422:
        assert body["errors"] and all(set(item) == {"field", "reason"} for item in body["errors"])
        assert {item["field"] for item in body["errors"]} == fields
    else:
        assert body["errors"] == []


def test_every_status_of_the_brief_is_covered():
    assert {c[1] for c in CASES} >= {400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503}


@SQLITE
def test_the_callers_request_id_is_the_errors(ctx):
    response = ctx.client.get("/api/v1/no-such-route", headers={"X-Request-ID": "crm-42.a"})
    assert assert_error_shape(response, 404, ErrorCode.not_found)["request_id"] == "crm-42.a"
    unsafe = ctx.client.get("/api/v1/clients", headers={"X-Request-ID": "<script>"})
    assert assert_error_shape(unsafe, 401, ErrorCode.missing_token)["request_id"] != "<script>"


@SQLITE
def test_a_form_from_another_origin_is_refused_in_the_shape(ctx):
    if browser_session.SESSION_PATH not in {getattr(r, "path", None) for r in ctx.client.app.routes}:
        pytest.skip("the login form's route is the Reflex app's only")
    response = ctx.client.post(
        browser_session.SESSION_PATH,
        data={"email": "a@b.example", "password": "x"},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert_error_shape(response, 403, ErrorCode.foreign_origin)


@SQLITE
def test_the_unknown_scope_is_named(ctx):
    form = _partner_form(client_secret=ctx.accounts.partner_secret, scope="score:write, clients:reed")
    body = assert_error_shape(_token(ctx, **form), 422, ErrorCode.validation_error)
    assert body["errors"] == [
        {"field": "scope", "reason": "unknown scope 'clients:reed': choose from " + _all_scopes()}
    ]


def _all_scopes() -> str:
    from neobank_dashboard.services.tokens import Scope

    return ", ".join(sorted(map(str, Scope)))


@SQLITE
@pytest.mark.parametrize(
    "scope", ["score:write clients:read", "score:write,clients:read", "clients:read, score:write"]
)
def test_the_token_route_takes_scopes_separated_by_commas_or_spaces(api, scope):
    form = _partner_form(client_secret=api.accounts.partner_secret, scope=scope)
    response = api.post(TOKEN, data=form)
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "clients:read score:write"


@SQLITE
def test_the_openapi_error_schema_is_the_shape_with_every_code(api):
    schema = api.get("/api/openapi.json").json()["components"]["schemas"]
    error = schema["ErrorResponse"]
    assert set(error["properties"]) == KEYS and set(error["required"]) == KEYS
    assert set(schema["ErrorCode"]["enum"]) == {code.value for code in ErrorCode}


def test_docs_list_every_code_with_its_status():
    text = (REPO_ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \|", text, re.MULTILINE))
    assert rows == {code.value: str(code.status) for code in ErrorCode}
