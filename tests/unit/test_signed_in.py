"""The signed-in guard of the Reflex event handlers: who gets through, and what Reflex sees."""

import asyncio
import inspect
import typing
from types import SimpleNamespace

from neobank_dashboard.navigation import LOGIN_ROUTE
from neobank_dashboard.state.clients import ClientsState
from neobank_dashboard.state.session import signed_in

# The page asked for, kept for after the login (see state/deep_link.py).
TO_LOGIN = LOGIN_ROUTE + "?next=%2Fclients%3Frecommendation%3Dreview"

ADVISOR = SimpleNamespace(sees_all_clients=False)
SUPERVISOR = SimpleNamespace(sees_all_clients=True)


class Browser:
    """Stands for a state: the guard only asks it who is signed in."""

    def __init__(self, advisor):
        self.advisor = advisor
        self.router = SimpleNamespace(url=SimpleNamespace(path="/clients", query="recommendation=review"))

    def current_advisor(self):
        return self.advisor


def _redirect_path(event) -> str:
    return dict((name._js_expr, value._var_value) for name, value in event.args)["path"]


@signed_in
def go_to(self, advisor, page: int):
    return ("ran", advisor, page)


@signed_in(supervising=True)
async def purge(self, manager):
    return ("ran", manager)


@signed_in
async def load(self, advisor):
    yield "loading"
    yield advisor


async def _events(generator) -> list:
    return [event async for event in generator]


def test_a_signed_in_advisor_gets_through_and_is_passed_in():
    assert go_to(Browser(ADVISOR), page=3) == ("ran", ADVISOR, 3)
    assert asyncio.run(_events(load(Browser(ADVISOR)))) == ["loading", ADVISOR]


def test_anyone_else_is_sent_to_the_login_page():
    assert _redirect_path(go_to(Browser(None), page=3)) == TO_LOGIN
    [redirect] = asyncio.run(_events(load(Browser(None))))
    assert _redirect_path(redirect) == TO_LOGIN


def test_supervising_handlers_turn_advisors_away(monkeypatch):
    from neobank_dashboard.state import session as guard

    refused = []
    monkeypatch.setattr(guard, "_audit_refused_handler", lambda advisor, handler: refused.append(handler))
    assert asyncio.run(purge(Browser(SUPERVISOR))) == ("ran", SUPERVISOR)
    assert _redirect_path(asyncio.run(purge(Browser(ADVISOR)))) == TO_LOGIN
    assert len(refused) == 1 and refused[0].endswith("purge")  # the refusal is audited


def test_reflex_sees_the_handlers_own_arguments():
    """Reflex maps an event's payload by signature and type hints: no injected advisor."""
    assert list(inspect.signature(go_to).parameters) == ["self", "page"]
    assert typing.get_type_hints(go_to) == {"page": int}
    assert inspect.iscoroutinefunction(purge) and inspect.isasyncgenfunction(load)
    assert "advisor" not in ClientsState.event_handlers["apply_filters"].get_parameters()
