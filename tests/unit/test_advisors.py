"""Staff account management: who may do what, and every change is audited."""

import pytest
from sqlmodel import select

from neobank_dashboard.db.models import Advisor, AuditEvent, Role
from neobank_dashboard.services import advisors, auth
from neobank_dashboard.services.advisors import AccountError
from neobank_dashboard.services.audit_log import AuditFilter, list_events


@pytest.fixture
def staff(db):
    people = {
        role: auth.CurrentAdvisor.of(
            auth.create_advisor(
                db, email=f"{role}@bank.example", full_name=role, password="p" * 12, role=Role(role)
            )
        )
        for role in ("advisor", "supervisor", "admin")
    }
    db.commit()
    return people


def test_admin_creates_an_account_that_can_log_in(db, staff):
    advisors.add_advisor(
        db,
        staff["admin"],
        email="New@Bank.example",
        full_name="New One",
        password="a-long-password",
        role="advisor",
    )
    db.commit()
    assert auth.authenticate(db, "new@bank.example", "a-long-password").advisor is not None
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "advisor_created")).one()


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"email": "not-an-email"}, "email", "invalid_email"),
        ({"email": "advisor@bank.example"}, "email", "already_exists"),
        ({"full_name": "  "}, "full_name", "required"),
        ({"password": "short"}, "password", "too_short"),
        ({"role": "king"}, "role", "invalid_role"),
    ],
)
def test_bad_account_input_is_refused_and_nothing_is_written(db, staff, fields, field, reason):
    before = len(db.exec(select(Advisor)).all())
    values = {
        "email": "x@bank.example",
        "full_name": "X",
        "password": "a-long-password",
        "role": "advisor",
    } | fields
    with pytest.raises(AccountError) as error:
        advisors.add_advisor(db, staff["admin"], **values)
    assert (error.value.field, error.value.reason) == (field, reason)
    db.rollback()
    assert len(db.exec(select(Advisor)).all()) == before


def test_advisors_cannot_manage_accounts_or_read_the_log(db, staff):
    with pytest.raises(AccountError):
        advisors.list_advisors(db, staff["advisor"])
    with pytest.raises(PermissionError):
        list_events(db, staff["advisor"], AuditFilter())


def test_only_an_admin_grants_the_admin_role(db, staff):
    with pytest.raises(AccountError, match="forbidden"):
        advisors.change_role(db, staff["supervisor"], staff["advisor"].id, "admin")
    advisors.change_role(db, staff["admin"], staff["advisor"].id, "supervisor")
    db.commit()
    assert db.get(Advisor, staff["advisor"].id).role == "supervisor"


def test_nobody_deactivates_themselves_or_changes_their_own_role(db, staff):
    with pytest.raises(AccountError, match="cannot_deactivate_self"):
        advisors.set_active(db, staff["admin"], staff["admin"].id, False)
    with pytest.raises(AccountError, match="cannot_change_own_role"):
        advisors.change_role(db, staff["admin"], staff["admin"].id, "advisor")


def test_unlock_clears_the_lock(db, staff):
    target = staff["advisor"]
    for _ in range(10):
        auth.authenticate(db, target.email, "wrong")
    db.commit()
    advisors.unlock(db, staff["supervisor"], target.id)
    db.commit()
    assert auth.authenticate(db, target.email, "p" * 12).advisor is not None
    events, total = list_events(db, staff["admin"], AuditFilter(action="advisor_unlocked"))
    assert total == 1 and events[0].actor == staff["supervisor"].actor
