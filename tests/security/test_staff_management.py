"""Issue 13 item 1: one authorisation rule for every staff action. Nobody acts on
an account of a higher role, nobody deactivates themselves, and no change leaves
the bank without an active admin."""

from __future__ import annotations

import pytest

from neobank_dashboard.db.models import Advisor, Role
from neobank_dashboard.services import advisors, auth
from neobank_dashboard.services.advisors import AccountError

ACTIONS = {
    "deactivate": lambda db, actor, target: advisors.set_active(db, actor, target, False),
    "reactivate": lambda db, actor, target: advisors.set_active(db, actor, target, True),
    "unlock": lambda db, actor, target: advisors.unlock(db, actor, target),
    "demote": lambda db, actor, target: advisors.change_role(db, actor, target, "advisor"),
}


@pytest.fixture
def staff(db):
    """One account per role, plus a second supervisor (hashes are not checked here)."""
    people = {}
    for name, role in [
        ("advisor", Role.advisor),
        ("supervisor", Role.supervisor),
        ("supervisor2", Role.supervisor),
        ("admin", Role.admin),
    ]:
        advisor = Advisor(email=f"{name}@bank.example", full_name=name, password_hash="x", role=role)
        db.add(advisor)
        db.flush()
        people[name] = auth.CurrentAdvisor.of(advisor)
    db.commit()
    return people


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_supervisor_cannot_act_on_an_admin(db, staff, action):
    with pytest.raises(AccountError) as error:
        ACTIONS[action](db, staff["supervisor"], staff["admin"].id)
    assert error.value.reason == "forbidden"
    db.rollback()
    admin = db.get(Advisor, staff["admin"].id)
    assert admin.active and admin.role == Role.admin


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_advisor_cannot_act_on_anyone(db, staff, action):
    with pytest.raises(AccountError, match="forbidden"):
        ACTIONS[action](db, staff["advisor"], staff["supervisor"].id)


def test_a_supervisor_manages_accounts_of_their_own_role_and_below(db, staff):
    advisors.set_active(db, staff["supervisor"], staff["advisor"].id, False)
    advisors.change_role(db, staff["supervisor"], staff["supervisor2"].id, "advisor")
    db.commit()
    assert not db.get(Advisor, staff["advisor"].id).active
    assert db.get(Advisor, staff["supervisor2"].id).role == Role.advisor


def test_the_last_active_admin_cannot_be_deactivated_or_demoted(db, staff):
    # The command-line operator acts as an admin without an account of its own.
    operator = auth.CurrentAdvisor(0, "cli", "command line", Role.admin)
    for action in ("deactivate", "demote"):
        with pytest.raises(AccountError, match="last_admin"):
            ACTIONS[action](db, operator, staff["admin"].id)
    db.rollback()
    advisors.change_role(db, staff["admin"], staff["supervisor"].id, "admin")
    advisors.set_active(db, operator, staff["admin"].id, False)  # another admin remains
    db.commit()
    assert not db.get(Advisor, staff["admin"].id).active


def test_nobody_deactivates_themselves(db, staff):
    with pytest.raises(AccountError, match="cannot_deactivate_self"):
        advisors.set_active(db, staff["supervisor"], staff["supervisor"].id, False)
