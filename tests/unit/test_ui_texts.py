"""The UI's counts, numbers, audit wording and the login's return path."""

import pytest

from neobank_dashboard.display.audit import action_label, actor_label, object_label, outcome_label
from neobank_dashboard.i18n import format_count, format_money, format_ordinal, format_p_value
from neobank_dashboard.navigation import login_url, safe_next
from neobank_dashboard.state.clients import range_bounds

HOME, LOGIN = "/clients", "/login"


@pytest.mark.parametrize(
    ("count", "lang", "text"),
    [
        (0, "fr", "0\u00a0client"),
        (1, "fr", "1\u00a0client"),
        (2, "fr", "2\u00a0clients"),
        (5148, "fr", "5\u202f148\u00a0clients"),
        (0, "en", "0\u00a0clients"),
        (1, "en", "1\u00a0client"),
        (5148, "en", "5,148\u00a0clients"),
    ],
)
def test_counts_agree_with_their_number_in_each_language(count, lang, text):
    assert format_count(count, lang, "client|clients") == text


def test_money_has_one_format_per_language():
    assert format_money(31100, "fr") == "31\u202f100\u00a0€"
    assert format_money(31100, "en") == "€31,100"


@pytest.mark.parametrize(
    ("rank", "fr", "en"),
    [(1, "1er", "1st"), (2, "2e", "2nd"), (3, "3e", "3rd"), (11, "11e", "11th"), (22, "22e", "22nd")],
)
def test_ordinals(rank, fr, en):
    assert (format_ordinal(rank, "fr"), format_ordinal(rank, "en")) == (fr, en)


def test_p_values_are_readable():
    assert format_p_value(4.8e-255, "fr") == "<\u00a00,001"
    assert format_p_value(4.8e-255, "en") == "<\u00a00.001"
    assert format_p_value(0.0432, "fr") == "0,043"


def test_audit_codes_read_as_words():
    assert action_label("client_view", "fr") == "Consultation d'une fiche"
    assert outcome_label("denied", "fr") == "Refusé"
    assert actor_label("advisor:5", {5: "Camille Martin"}, "fr") == "Camille Martin"
    assert actor_label("advisor:5", {}, "fr") == "Conseiller n° 5"
    assert actor_label("anonymous", {}, "en") == "Anonymous"
    assert object_label("advisor", "4", "fr") == "Compte 4"
    assert action_label("a_new_code", "fr") == "a_new_code"  # shown as stored, not hidden


@pytest.mark.parametrize(
    "target",
    ["/clients?recommendation=review", "/clients/3f2a9c4e-0000-4000-8000-000000000000", "/admin"],
)
def test_a_page_of_ours_is_where_the_login_returns(target):
    assert safe_next(target, HOME, LOGIN) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "http://evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        "clients",
        "/login?next=/admin",
        "/clients\r\nSet-Cookie: x",
    ],
)
def test_anything_else_goes_home_no_open_redirect(target):
    assert safe_next(target, HOME, LOGIN) == HOME


def test_the_login_url_remembers_the_page_and_its_query():
    assert (
        login_url(LOGIN, "/clients", "recommendation=review")
        == "/login?next=%2Fclients%3Frecommendation%3Dreview"
    )
    assert login_url(LOGIN, "/login", "") == LOGIN


def test_a_range_error_quotes_the_range_in_the_units_typed():
    assert range_bounds("age_min") == (18, 120)
    assert range_bounds("probability_max") == (0, 100)
