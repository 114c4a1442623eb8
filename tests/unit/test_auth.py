"""Login, growing delays after failures, sessions and the password hash policy."""

from datetime import timedelta

from sqlmodel import select

from neobank_dashboard.db.models import Advisor, AuditEvent, AuthSession, Role
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import auth
from neobank_dashboard.services.auth import LoginError

PASSWORD = "correct horse battery staple"


def make_advisor(db, email="camille@bank.example", role=Role.advisor):
    advisor = auth.create_advisor(db, email=email, full_name="Camille", password=PASSWORD, role=role)
    db.commit()
    return advisor


def test_login_succeeds_and_is_audited(db):
    make_advisor(db)
    result = auth.authenticate(db, " Camille@Bank.example ", PASSWORD)
    db.commit()
    assert result.advisor is not None and result.advisor.email == "camille@bank.example"
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "login")).all()
    assert [e.outcome for e in events] == ["success"]


def test_unknown_email_and_wrong_password_get_the_same_error(db):
    make_advisor(db)
    unknown = auth.authenticate(db, "nobody@bank.example", PASSWORD)
    wrong = auth.authenticate(db, "camille@bank.example", "wrong")
    assert unknown.error == wrong.error == LoginError.invalid_credentials


def test_stored_hash_is_argon2id_with_policy_parameters(db):
    advisor = make_advisor(db)
    assert advisor.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in advisor.password_hash


def test_weaker_hash_is_upgraded_on_login(db):
    from passlib.hash import argon2

    advisor = make_advisor(db)
    advisor.password_hash = argon2.using(type="ID", memory_cost=8192, rounds=1).hash(PASSWORD)
    db.add(advisor)
    db.commit()
    assert auth.authenticate(db, advisor.email, PASSWORD).advisor is not None
    db.commit()
    db.refresh(advisor)
    assert advisor.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_failures_make_the_account_wait_longer_each_time(db):
    advisor = make_advisor(db)
    now = utcnow()
    for _ in range(auth.FREE_FAILURES):
        assert auth.authenticate(db, advisor.email, "wrong", now=now).error == LoginError.invalid_credentials
    assert db.get(Advisor, advisor.id).locked_until is None  # typos cost nothing
    auth.authenticate(db, advisor.email, "wrong", now=now)
    assert db.get(Advisor, advisor.id).locked_until == now + auth.FIRST_LOGIN_DELAY
    # During the wait even the right password is refused, with the same answer.
    assert auth.authenticate(db, advisor.email, PASSWORD, now=now).error == LoginError.invalid_credentials
    later = now + auth.FIRST_LOGIN_DELAY
    auth.authenticate(db, advisor.email, "wrong", now=later)
    assert db.get(Advisor, advisor.id).locked_until == later + 2 * auth.FIRST_LOGIN_DELAY
    much_later = later + timedelta(seconds=5)
    assert auth.authenticate(db, advisor.email, PASSWORD, now=much_later).advisor is not None
    db.commit()
    assert db.get(Advisor, advisor.id).failed_login_count == 0
    outcomes = db.exec(select(AuditEvent.outcome, AuditEvent.details)).all()
    assert ("denied", {"reason": "account_waiting"}) in outcomes


def test_the_wait_grows_to_its_ceiling_only():
    assert auth.login_delay(auth.FREE_FAILURES) is None
    assert auth.login_delay(auth.FREE_FAILURES + 3) == 4 * auth.FIRST_LOGIN_DELAY
    assert auth.login_delay(10_000) == auth.MAX_LOGIN_DELAY


def test_no_password_or_token_reaches_the_audit_log(db):
    advisor = make_advisor(db)
    auth.authenticate(db, advisor.email, "a-secret-typo")
    token = auth.open_session(db, auth.authenticate(db, advisor.email, PASSWORD).advisor)
    db.commit()
    dump = repr([e.model_dump() for e in db.exec(select(AuditEvent)).all()])
    assert "a-secret-typo" not in dump and PASSWORD not in dump and token not in dump


def test_session_token_is_stored_hashed_and_expires(db):
    advisor = auth.CurrentAdvisor.of(make_advisor(db))
    now = utcnow()
    token = auth.open_session(db, advisor, now=now)
    db.commit()
    stored = db.exec(select(AuthSession)).one()
    assert stored.token_hash != token and len(stored.token_hash) == 64
    assert auth.advisor_for_session(db, auth.session_token_hash(token), now=now) == advisor
    assert (
        auth.advisor_for_session(db, auth.session_token_hash(token), now=now + timedelta(hours=8, seconds=1))
        is None
    )
    assert auth.advisor_for_session(db, auth.session_token_hash("forged-token"), now=now) is None


def test_logout_deletes_the_session(db):
    advisor = auth.CurrentAdvisor.of(make_advisor(db))
    token = auth.open_session(db, advisor)
    db.commit()
    auth.close_session(db, auth.session_token_hash(token))
    db.commit()
    assert auth.advisor_for_session(db, auth.session_token_hash(token)) is None


def test_deactivated_advisor_loses_access(db):
    advisor = make_advisor(db)
    token = auth.open_session(db, auth.CurrentAdvisor.of(advisor))
    advisor.active = False
    db.add(advisor)
    db.commit()
    assert auth.advisor_for_session(db, auth.session_token_hash(token)) is None
    assert auth.authenticate(db, advisor.email, PASSWORD).error == (LoginError.invalid_credentials)
    assert db.exec(select(Advisor)).one().failed_login_count == 0
