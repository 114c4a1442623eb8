"""Issue 13 items 5 and 7: logins. A waiting (formerly locked) account and an
unknown one get the same answer at the same cost; logins are throttled per
address (429, audited); a password longer than the hasher accepts is an ordinary
failure; refusals are audited but coalesced so they cannot flood the log."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from neobank_dashboard.api.ratelimit import reset_limiter
from neobank_dashboard.api.routes.browser_session import _sign_in
from neobank_dashboard.db import get_engine
from neobank_dashboard.db.models import Advisor, AuditEvent
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit, auth
from neobank_dashboard.services.auth import LoginError
from neobank_dashboard.services.passwords import MAX_PASSWORD_LENGTH
from neobank_dashboard.settings import get_settings
from tests.api.conftest import PASSWORD

TOKEN = "/api/v1/auth/token"


@pytest.fixture
def advisor(db):
    made = auth.create_advisor(db, email="camille@bank.example", full_name="Camille", password=PASSWORD)
    db.commit()
    return made


def _make_wait(db, advisor) -> None:
    advisor.failed_login_count = auth.FREE_FAILURES + 5
    advisor.locked_until = utcnow().replace(year=2100)
    db.add(advisor)
    db.commit()


def test_a_waiting_account_and_an_unknown_one_cost_and_answer_the_same(db, advisor, monkeypatch):
    verified = []
    original = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda p, h: verified.append(h) or original(p, h))
    _make_wait(db, advisor)
    waiting = auth.authenticate(db, advisor.email, PASSWORD)
    unknown = auth.authenticate(db, "nobody@bank.example", PASSWORD)
    assert waiting == unknown == auth.LoginResult(error=LoginError.invalid_credentials)
    assert len(verified) == 2  # one argon2 verification each: the timing does not tell them apart


def test_a_password_longer_than_the_hasher_accepts_is_an_ordinary_failure(db, advisor):
    result = auth.authenticate(db, advisor.email, "x" * 5000)
    db.commit()
    assert result.error == LoginError.password_too_long
    assert db.get(Advisor, advisor.id).failed_login_count == 1
    assert auth.authenticate(db, "nobody@bank.example", "x" * 5000).error == LoginError.password_too_long
    assert len("x" * 5000) > MAX_PASSWORD_LENGTH


def test_the_ui_login_of_a_throttled_address_checks_no_password(db_url, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    get_settings.cache_clear()
    try:
        assert _sign_in("camille@bank.example", PASSWORD, retry_after=30) == (None, "throttled")
    finally:
        get_settings.cache_clear()
    with Session(get_engine(db_url)) as session:
        event = session.exec(select(AuditEvent)).one()
    assert (event.outcome, event.details["reason"]) == ("denied", "address_throttled")


def _set_failures(email: str, failures: int, locked_until) -> None:
    with Session(get_engine()) as session:
        advisor = session.exec(select(Advisor).where(Advisor.email == email)).one()
        advisor.failed_login_count, advisor.locked_until = failures, locked_until
        session.add(advisor)
        session.commit()


def test_the_api_answers_a_waiting_account_like_an_unknown_one(api):
    email = "camille@bank.example"
    _set_failures(email, auth.FREE_FAILURES + 5, utcnow().replace(year=2100))
    try:
        waiting = api.post(TOKEN, data={"grant_type": "password", "username": email, "password": PASSWORD})
        unknown = api.post(
            TOKEN, data={"grant_type": "password", "username": "nobody@bank.example", "password": PASSWORD}
        )
    finally:
        _set_failures(email, 0, None)
    assert waiting.status_code == unknown.status_code == 401
    assert waiting.json()["detail"] == unknown.json()["detail"]


def test_logins_from_one_address_are_throttled_and_the_refusal_audited(api, monkeypatch):
    monkeypatch.setenv("NEOBANK_LOGIN_BURST", "2")
    get_settings.cache_clear()
    reset_limiter()
    bad = {"grant_type": "client_credentials", "client_id": "ghost", "client_secret": "no"}
    try:
        statuses = [api.post(TOKEN, data=bad).status_code for _ in range(5)]
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        reset_limiter()
    assert statuses == [401, 401, 429, 429, 429]
    with Session(get_engine()) as session:
        refused = session.exec(
            select(AuditEvent).where(AuditEvent.action == "login", AuditEvent.outcome == "denied")
        ).all()
    # Three refusals, one event: the burst is coalesced.
    assert [e.details["reason"] for e in refused].count("address_throttled") == 1


def test_a_burst_of_refusals_is_one_event_per_window_with_its_count(db, monkeypatch):
    now = [0.0]
    monkeypatch.setattr(audit, "refusal_windows", audit.RefusalWindows(window=60, clock=lambda: now[0]))
    for second in (0, 1, 2, 30, 61, 62):
        now[0] = second
        audit.record_refusal(db, actor="partner:p", action="client_view", reason="not_in_portfolio")
    audit.record_refusal(db, actor="partner:q", action="client_view", reason="not_in_portfolio")
    db.commit()
    events = db.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.actor, e.outcome, e.details) for e in events] == [
        ("partner:p", "denied", {"reason": "not_in_portfolio"}),
        ("partner:p", "denied", {"reason": "not_in_portfolio", "coalesced": 3}),
        ("partner:q", "denied", {"reason": "not_in_portfolio"}),
    ]
