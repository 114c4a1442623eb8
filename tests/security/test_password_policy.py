"""Issue 13 item 8: common and context-specific passwords are refused (ASVS 5.0
V6.2), with one rule for the admin page, the command line and the services."""

from __future__ import annotations

import pytest

from neobank_dashboard import accounts
from neobank_dashboard.display.texts import translate
from neobank_dashboard.services import advisors, auth
from neobank_dashboard.services.advisors import AccountError
from neobank_dashboard.services.passwords import MAX_PASSWORD_LENGTH, password_problem

EMAIL, NAME = "camille.durand@bank.example", "Camille Durand"


@pytest.mark.parametrize(
    "password",
    [
        " " * 12,
        "a" * 12,
        "password1234",
        "azertyuiop12",
        EMAIL,
        "camille.durand",
        "CamilleDurand1",
        "Durand.Camille!",
    ],
)
def test_common_and_personal_passwords_are_refused(password):
    assert password_problem(password, email=EMAIL, full_name=NAME) == "too_easy_to_guess"


def test_length_limits():
    assert password_problem("Xq7#", email=EMAIL, full_name=NAME) == "too_short"
    assert password_problem("x" * (MAX_PASSWORD_LENGTH + 1), email=EMAIL, full_name=NAME) == "too_long"


@pytest.mark.parametrize("password", ["correct horse battery staple", "ombre-vélo-brique-lundi"])
def test_a_passphrase_is_accepted(password):
    assert password_problem(password, email=EMAIL, full_name=NAME) is None


def test_the_admin_page_refuses_a_weak_password_with_a_message(db):
    admin = auth.CurrentAdvisor.of(
        auth.create_advisor(db, email="a@bank.example", full_name="A", password="x", role="admin")
    )
    with pytest.raises(AccountError) as error:
        advisors.add_advisor(db, admin, email=EMAIL, full_name=NAME, password="password1234", role="advisor")
    assert (error.value.field, error.value.reason) == ("password", "too_easy_to_guess")
    assert "guess" in translate(f"admin.error.{error.value.reason}", "en")


def test_the_command_line_refuses_a_weak_password(db_url, monkeypatch, capsys):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    monkeypatch.setenv(accounts.PASSWORD_ENV, EMAIL)
    from neobank_dashboard.settings import get_settings

    get_settings.cache_clear()
    try:
        code = accounts.main(["create", "--email", EMAIL, "--name", NAME, "--role", "advisor"])
    finally:
        get_settings.cache_clear()
    assert code == 2
    assert "password: too easy to guess" in capsys.readouterr().err
