"""Tokens: issue (both grants), and every way a bad token is refused."""

from __future__ import annotations

import base64
import json
import warnings
from datetime import timedelta

import jwt
import pytest
from sqlmodel import Session, select

from neobank_dashboard.api.deps import account_cache
from neobank_dashboard.api.ratelimit import reset_limiter
from neobank_dashboard.db import AuditEvent, Role, get_engine
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.api_clients import deactivate_api_client
from neobank_dashboard.services.tokens import (
    ALGORITHM,
    TOKEN_LIFETIME,
    Principal,
    Scope,
    decode_token,
    issue_token,
)
from neobank_dashboard.settings import get_settings
from tests.api.conftest import PASSWORD, score_body

TOKEN = "/api/v1/auth/token"
CLIENTS = "/api/v1/clients"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(**changes) -> dict:
    settings, now = get_settings(), int(utcnow().timestamp())
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": "partner:partner-a",
        "iat": now,
        "exp": now + 600,
        "kind": "partner",
        "scope": "clients:read",
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _audit_failures(api) -> list[AuditEvent]:
    with Session(get_engine()) as session:
        return list(
            session.exec(select(AuditEvent).where(AuditEvent.action == "api_auth").order_by(AuditEvent.id))
        )


def test_password_grant_issues_a_15_minute_token(api):
    response = api.post(
        TOKEN, data={"grant_type": "password", "username": "camille@bank.example", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 15 * 60
    claims = jwt.decode(
        body["access_token"],
        get_settings().secret_key,
        algorithms=[ALGORITHM],
        audience=get_settings().jwt_audience,
    )
    assert claims["exp"] - claims["iat"] == TOKEN_LIFETIME.total_seconds()
    assert claims["sub"] == f"advisor:{api.accounts.advisor_id}" and claims["role"] == "advisor"
    assert "camille" not in json.dumps(claims)  # no e-mail in tokens
    assert api.get(CLIENTS, headers=_bearer(body["access_token"])).status_code == 200


def test_client_credentials_grant_in_form_or_basic_auth(api):
    a = api.accounts
    form = api.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": a.partner_id,
            "client_secret": a.partner_secret,
            "scope": "score:write",
        },
    )
    assert form.status_code == 200 and form.json()["scope"] == "score:write"
    basic = base64.b64encode(f"{a.partner_id}:{a.partner_secret}".encode()).decode()
    header = api.post(
        TOKEN, data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert header.status_code == 200
    assert set(header.json()["scope"].split()) == {"score:write", "clients:read"}
    with Session(get_engine()) as session:
        issued = session.exec(select(AuditEvent).where(AuditEvent.action == "token_issued")).all()
    assert {e.actor for e in issued} >= {f"partner:{a.partner_id}"}
    assert all(a.partner_secret not in json.dumps(e.details) for e in issued)


@pytest.mark.parametrize(
    "data,status",
    [
        ({"grant_type": "password", "username": "camille@bank.example", "password": "wrong"}, 401),
        ({"grant_type": "password", "username": "nobody@bank.example", "password": PASSWORD}, 401),
        ({"grant_type": "client_credentials", "client_id": "partner-a", "client_secret": "no"}, 401),
        ({"grant_type": "client_credentials", "client_id": "ghost", "client_secret": "no"}, 401),
        ({"grant_type": "client_credentials", "client_id": "reader-b"}, 400),
        ({"grant_type": "authorization_code", "code": "x"}, 400),
        ({"grant_type": "password", "username": "camille@bank.example"}, 400),
        ({}, 422),
    ],
)
def test_token_request_failures(api, data, status):
    response = api.post(TOKEN, data=data)
    assert response.status_code == status, response.text
    assert "access_token" not in response.json()


def test_credential_failures_are_audited_without_secrets(api):
    api.post(
        TOKEN,
        data={"grant_type": "client_credentials", "client_id": "partner-a", "client_secret": "guess-1234"},
    )
    with Session(get_engine()) as session:
        events = session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "token", AuditEvent.outcome == "failure")
            .order_by(AuditEvent.id)
        ).all()
    assert events and events[-1].details["reason"] == "wrong_secret"
    assert "guess-1234" not in json.dumps([e.details for e in events])


def test_scope_beyond_the_grant_is_refused(api):
    a = api.accounts
    response = api.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": a.reader_id,
            "client_secret": a.reader_secret,
            "scope": "score:write",
        },
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_scope"


def _tampered(token: str) -> str:
    head, payload, signature = token.split(".")
    middle = len(signature) // 2
    flipped = "A" if signature[middle] != "A" else "B"
    return ".".join([head, payload, signature[:middle] + flipped + signature[middle + 1 :]])


def _hs512(claims: dict) -> str:
    with warnings.catch_warnings():  # the short key is the point: HS512 is refused anyway
        warnings.simplefilter("ignore")
        return jwt.encode(claims, get_settings().secret_key, algorithm="HS512")


def _valid() -> str:
    return issue_token(Principal.partner("partner-a", {Scope.clients_read})).access_token


def _signed(claims: dict, key: str | None = None) -> str:
    return jwt.encode(claims, key or get_settings().secret_key, algorithm="HS256")


NEGATIVE_TOKENS = {
    "expired": lambda: (
        issue_token(
            Principal.partner("partner-a", {Scope.clients_read}), now=utcnow() - timedelta(minutes=16)
        ).access_token
    ),
    "wrong audience": lambda: _signed(_claims(aud="another-api")),
    "wrong issuer": lambda: _signed(_claims(iss="someone-else")),
    "alg none": lambda: f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_valid().split('.')[1]}.",
    "alg none with signature": lambda: ".".join(
        [_b64({"alg": "none", "typ": "JWT"}), *_valid().split(".")[1:]]
    ),
    "other algorithm": lambda: _hs512(_claims()),
    "tampered signature": lambda: _tampered(_valid()),
    "tampered payload": lambda: ".".join(
        [_valid().split(".")[0], _b64(_claims(scope="clients:read score:write")), _valid().split(".")[2]]
    ),
    "wrong key": lambda: _signed(_claims(), "another-secret-key-of-enough-length-00"),
    "no exp": lambda: _signed(_claims(exp=None)),
    "no sub": lambda: _signed(_claims(sub=None)),
    "no iat": lambda: _signed(_claims(iat=None)),
    "no aud": lambda: _signed(_claims(aud=None)),
    "unknown subject kind": lambda: _signed(_claims(sub="root:0", kind="root")),
    "garbage": lambda: "not-a-token",
}


@pytest.mark.parametrize("case", list(NEGATIVE_TOKENS))
def test_untrustworthy_tokens_get_401(api, case):
    token = NEGATIVE_TOKENS[case]()
    before = len(_audit_failures(api))
    response = api.get(CLIENTS, headers=_bearer(token))
    assert response.status_code == 401, (case, response.text)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert len(_audit_failures(api)) == before + 1


def test_missing_token_gets_401_and_is_audited(api):
    before = len(_audit_failures(api))
    assert api.get(CLIENTS).status_code == 401
    assert api.get(CLIENTS, headers={"Authorization": "Basic abc"}).status_code == 401
    failures = _audit_failures(api)
    # The second is folded into the first: a flood of bad requests is one event a minute.
    assert len(failures) == before + 1 and failures[-1].details["reason"] == "missing_token"


def test_alg_none_is_refused_before_any_signature_check():
    from neobank_dashboard.services.tokens import TokenError

    with pytest.raises(TokenError) as caught:
        decode_token(NEGATIVE_TOKENS["alg none"]())
    assert caught.value.reason == "algorithm_refused"


def test_wrong_scope_or_role_gets_403(api, headers):
    forbidden = api.post("/api/v1/score", json=score_body(), headers=headers["reader"])
    assert forbidden.status_code == 403
    client_id = api.post("/api/v1/score", json=score_body(), headers=headers["partner"]).json()["client_id"]
    decision = api.post(
        f"/api/v1/clients/{client_id}/decisions", json={"outcome": "approved"}, headers=headers["partner"]
    )
    assert decision.status_code == 403
    refresh = api.get(f"/api/v1/clients/{client_id}/score?refresh=true", headers=headers["reader"])
    assert refresh.status_code in (403, 404)
    narrowed = issue_token(
        Principal.advisor(api.accounts.advisor_id, Role.advisor, {Scope.clients_read})
    ).access_token
    assert api.post("/api/v1/score", json=score_body(), headers=_bearer(narrowed)).status_code == 403


def test_deactivated_partner_is_refused_within_the_cache_time(api):
    from neobank_dashboard.db import session_scope
    from neobank_dashboard.services.api_clients import create_api_client

    with session_scope() as session:
        create_api_client(session, name="Gone", scopes="clients:read", client_id="gone-app", secret="x" * 32)
    token = _bearer(issue_token(Principal.partner("gone-app", {Scope.clients_read})).access_token)
    assert api.get(CLIENTS, headers=token).status_code == 200
    with session_scope() as session:
        deactivate_api_client(session, "gone-app")
    account_cache.clear()  # the cache holds an account for at most ACCOUNT_CACHE_SECONDS
    assert api.get(CLIENTS, headers=token).status_code == 401


def test_too_many_calls_for_one_token_get_429_with_retry_after(api, headers, monkeypatch):
    monkeypatch.setenv("NEOBANK_API_RATE_PER_SECOND", "0.5")
    monkeypatch.setenv("NEOBANK_API_RATE_BURST", "3")
    get_settings.cache_clear()
    reset_limiter()
    try:
        statuses = [api.get(CLIENTS, headers=headers["supervisor"]) for _ in range(4)]
        assert [r.status_code for r in statuses] == [200, 200, 200, 429]
        assert int(statuses[-1].headers["retry-after"]) >= 1
        assert api.get(CLIENTS, headers=headers["advisor"]).status_code == 200  # per token
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        reset_limiter()


def test_a_cached_verification_still_expires(monkeypatch):
    from neobank_dashboard.services import tokens
    from neobank_dashboard.services.tokens import TokenError

    token = issue_token(Principal.partner("partner-a", {Scope.clients_read})).access_token
    assert decode_token(token).subject == "partner:partner-a"
    assert decode_token(token).subject == "partner:partner-a"  # from the cache
    later = utcnow().timestamp() + TOKEN_LIFETIME.total_seconds() + 60
    monkeypatch.setattr(tokens.time, "time", lambda: later)
    with pytest.raises(TokenError) as caught:
        decode_token(token)
    assert caught.value.reason == "expired"
