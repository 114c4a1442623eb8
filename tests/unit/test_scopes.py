"""One parser of scope lists for the CLI (``--scopes``) and the token route (``scope``):
commas or spaces, an unknown scope refused by name (issue 19)."""

from __future__ import annotations

import pytest

from neobank_dashboard.services.api_clients import ApiClientError
from neobank_dashboard.services.api_clients import parse_scopes as partner_scopes
from neobank_dashboard.services.tokens import PARTNER_SCOPES, Scope, ScopeError, parse_scopes

BOTH = frozenset({"score:write", "clients:read"})


@pytest.mark.parametrize(
    "text",
    [
        "score:write clients:read",
        "score:write,clients:read",
        "score:write, clients:read",
        " clients:read\tscore:write ",
        "score:write,,clients:read,",
        "score:write clients:read score:write",
    ],
)
def test_commas_and_spaces_separate_scopes(text):
    assert parse_scopes(text) == BOTH
    assert partner_scopes(text) == BOTH


def test_an_iterable_is_taken_as_it_is():
    assert parse_scopes(["score:write", " clients:read "]) == BOTH


@pytest.mark.parametrize("text", ["", "  ", ",", " , "])
def test_nothing_is_an_empty_set(text):
    assert parse_scopes(text) == frozenset()


def test_an_unknown_scope_is_named_with_the_choices():
    with pytest.raises(ScopeError) as refused:
        parse_scopes("score:write,clients:reed")
    assert str(refused.value) == (
        "unknown scope 'clients:reed': choose from " + ", ".join(sorted(map(str, Scope)))
    )


def test_a_known_scope_outside_the_allowed_ones_is_named_as_such():
    with pytest.raises(
        ScopeError, match=r"^scope 'rgpd:write' not allowed here: choose from clients:read, score:write$"
    ):
        parse_scopes("score:write rgpd:write", PARTNER_SCOPES)


def test_partner_applications_get_a_field_error():
    with pytest.raises(ApiClientError) as refused:
        partner_scopes("score:write x:y")
    assert refused.value.field == "scopes" and "'x:y'" in refused.value.reason
    with pytest.raises(ApiClientError, match="at least one scope"):
        partner_scopes(" , ")
