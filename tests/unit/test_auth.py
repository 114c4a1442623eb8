"""Login, lockout, sessions and the password hash policy."""

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


def test_ten_failures_lock_the_account_then_the_lock_expires(db):
    advisor = make_advisor(db)
    now = utcnow()
    results = [auth.authenticate(db, advisor.email, "wrong", now=now) for _ in range(10)]
    db.commit()
    assert all(r.error == LoginError.invalid_credentials for r in results[:9])
    assert results[9].error == LoginError.locked
    # Even the right password is refused while locked.
    assert auth.authenticate(db, advisor.email, PASSWORD, now=now).error == LoginError.locked
    later = now + auth.LOCKOUT + timedelta(seconds=1)
    assert auth.authenticate(db, advisor.email, PASSWORD, now=later).advisor is not None
    db.commit()
    actions = db.exec(select(AuditEvent.action, AuditEvent.outcome)).all()
    assert ("account_locked", "success") in actions
    assert ("login", "denied") in actions


def test_lock_counter_restarts_after_expiry(db):
    advisor = make_advisor(db)
    now = utcnow()
    for _ in range(10):
        auth.authenticate(db, advisor.email, "wrong", now=now)
    later = now + auth.LOCKOUT + timedelta(minutes=1)
    assert auth.authenticate(db, advisor.email, "wrong", now=later).error == (LoginError.invalid_credentials)


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
