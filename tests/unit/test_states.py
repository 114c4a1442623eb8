"""The Reflex states' handlers: who may call them, and what they do for who may.

Each handler runs as Reflex would call it (its event handler's function), on a
stand-in for the state that answers who is signed in and what the router says;
the database behind the handlers is a real one.
"""

import asyncio
import inspect
import types
import uuid

import pytest
from reflex.event import EventHandler
from sqlmodel import select

from neobank_dashboard.db import session_scope
from neobank_dashboard.db.models import AuditEvent, Client, Decision, Outcome, Role
from neobank_dashboard.navigation import HOME_ROUTE, LOGIN_ROUTE
from neobank_dashboard.services.retention.policies import ensure_default_policies
from neobank_dashboard.state.admin import AdminState
from neobank_dashboard.state.client import ClientState
from neobank_dashboard.state.clients import ClientsState
from neobank_dashboard.state.reviews import ReviewsState
from tests.support.factories import make_advisor, make_client, make_score


class StandIn:
    """A state's vars (their defaults until set) and its methods, with a fixed signed-in advisor."""

    def __init__(self, state: type, advisor, *, query=None, path="/clients", **values):
        self._state, self._advisor = state, advisor
        # Only the browser's address: Reflex's ``router.page`` is deprecated.
        self.router = types.SimpleNamespace(
            url=types.SimpleNamespace(query_parameters=query or {}, path=path, query=""),
        )
        self.__dict__.update(values)

    def current_advisor(self):
        return self._advisor

    def __getattr__(self, name):
        field = self._state.get_fields().get(name)
        if field is not None:  # a state var not set yet: its declared default
            value = field.default_value()
            setattr(self, name, value)
            return value
        member = inspect.getattr_static(self._state, name)
        if isinstance(member, EventHandler):
            return types.MethodType(member.fn, self)
        return types.MethodType(member, self)


def call(handler: EventHandler, state: StandIn, *args):
    """Run one handler to its end; the events it returned or yielded."""
    result = handler.fn(state, *args)
    if inspect.isasyncgen(result):

        async def drain():
            return [event async for event in result]

        return asyncio.run(drain())
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return [] if result is None else [result]


def redirected_to(events) -> str | None:
    """The path a handler redirected to, without its query."""
    for event in events:
        args = dict((name._js_expr, value._var_value) for name, value in getattr(event, "args", ()))
        if "path" in args:  # the page, without the ?next= it asks to come back to
            return args["path"].split("?")[0]
    return None


@pytest.fixture
def portfolios(db, cli_database):
    """Two advisors with a client each; the handlers open their own sessions."""
    camille, julien = make_advisor(db), make_advisor(db)
    mine, theirs = make_client(db, advisor=camille), make_client(db, advisor=julien)
    db.commit()
    return camille, julien, str(mine.id), str(theirs.id)


def _clients_page(advisor) -> StandIn:
    return StandIn(ClientsState, advisor)


def test_the_clients_list_sends_a_signed_out_browser_to_the_login_page(portfolios):
    page = _clients_page(None)
    assert redirected_to(call(ClientsState.load, page)) == LOGIN_ROUTE
    assert page._raw_rows == []


def test_the_clients_list_shows_the_advisors_own_portfolio_only(portfolios):
    camille, _, mine, _ = portfolios
    page = _clients_page(camille)
    call(ClientsState.load, page)
    assert not page.load_failed
    assert [row["id"] for row in page._raw_rows] == [mine]
    assert page.total == 1


def _client_page(advisor, client_id: str) -> StandIn:
    return StandIn(ClientState, advisor, path=f"/clients/{client_id}")


def test_the_client_page_refuses_a_client_outside_the_portfolio(portfolios):
    camille, _, mine, theirs = portfolios
    outside = _client_page(camille, theirs)
    call(ClientState.load, outside)
    assert outside.loaded and not outside.found
    assert outside._client == {}
    own = _client_page(camille, mine)
    call(ClientState.load, own)
    assert own.found and own._client["id"] == mine


def test_a_signed_out_browser_cannot_open_a_client(portfolios):
    _, _, mine, _ = portfolios
    page = _client_page(None, mine)
    assert redirected_to(call(ClientState.load, page)) == LOGIN_ROUTE
    assert page._client == {}


def test_the_admin_page_and_its_actions_refuse_a_plain_advisor(portfolios):
    camille, *_ = portfolios
    admin = StandIn(AdminState, camille)
    assert redirected_to(call(AdminState.load, admin)) == HOME_ROUTE
    assert redirected_to(call(AdminState.refresh_purge_plan, admin)) == LOGIN_ROUTE
    assert redirected_to(call(AdminState.run_purge, admin)) == LOGIN_ROUTE
    # Each refused supervisors' handler leaves a trace (issue 13, item 5).
    with session_scope() as session:
        refused = session.exec(
            select(AuditEvent).where(AuditEvent.action == "ui_handler", AuditEvent.actor == camille.actor)
        ).all()
    assert {(e.outcome, e.details["reason"]) for e in refused} == {("denied", "supervisors_only")}
    assert {e.object_id for e in refused} >= {"AdminState.refresh_purge_plan", "AdminState.run_purge"}


def test_overriding_the_recommendation_needs_a_justification(db, portfolios):
    camille, _, mine, _ = portfolios
    client = db.get(Client, uuid.UUID(mine))
    make_score(db, client)  # eligible: a refusal overrides it
    db.commit()
    page = StandIn(
        ClientState,
        camille,
        path=f"/clients/{mine}",
        _client={"id": mine},
        decision_outcome=Outcome.refused.value,
    )
    call(ClientState.submit_decision, page, {"justification": "  "})
    assert page.decision_error == "decision.error.justification"
    assert db.exec(select(Decision)).all() == []
    db.rollback()  # the handler writes from its own session

    call(ClientState.submit_decision, page, {"justification": "Income falls short of the instalments."})
    assert page.decision_error == "" and page.decision_notice == "decision.recorded"
    [decision] = db.exec(select(Decision)).all()
    assert decision.outcome == Outcome.refused and decision.advisor_id == camille.id


def test_a_crafted_decision_on_a_client_outside_the_portfolio_is_refused_and_traced(db, portfolios):
    camille, _, _, theirs = portfolios
    page = StandIn(
        ClientState,
        camille,
        path=f"/clients/{theirs}",
        _client={"id": theirs},
        decision_outcome=Outcome.approved.value,
    )
    call(ClientState.submit_decision, page, {"justification": "Looks fine to me."})
    assert page.decision_error == "error.not_found"
    assert db.exec(select(Decision)).all() == []
    refused = db.exec(
        select(AuditEvent).where(AuditEvent.action == "decision", AuditEvent.actor == camille.actor)
    ).all()
    assert [(e.outcome, e.object_id, e.details["reason"]) for e in refused] == [
        ("not_found", theirs, "not_in_portfolio")
    ]


def test_a_supervisor_gets_the_admin_page(portfolios, db):
    sophie = make_advisor(db, Role.supervisor)
    ensure_default_policies(db)
    db.commit()
    admin = StandIn(AdminState, sophie)
    assert redirected_to(call(AdminState.load, admin)) is None
    assert {account["email"] for account in admin.accounts} >= {sophie.email}


def test_an_unknown_review_kind_in_the_address_is_said_not_silently_dropped(db, portfolios):
    sophie = make_advisor(db, Role.supervisor)
    db.commit()
    page = StandIn(ReviewsState, sophie, query={"kind": "overide"}, path="/reviews")
    call(ReviewsState.load, page)
    assert page.kind == "" and page.loaded
    assert page.errors == {"item": "reviews.unknown_kind"}
    known = StandIn(ReviewsState, sophie, query={"kind": "override"}, path="/reviews")
    call(ReviewsState.load, known)
    assert known.kind == "override" and known.errors == {}
