"""The browser session: who is logged in, in which language.

The HttpOnly cookie holds an opaque token, set by ``POST /auth/session``; the
websocket hands the state only its hash (``api/session_cookie.py``). Every
handler that touches client data is :func:`signed_in`, which re-checks that hash
against the database: the page redirect is only comfort, since any client can
call any event handler.

The page states of a tab outlive its websocket (Reflex keeps them by tab token in
memory, ``.states/`` or Redis, and sends them whole on reconnection): logging out,
and any reconnection without a valid session, empties them first
(:class:`ForgetPageDataWithoutSession`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.event import EventSpec  # by this name: Reflex evaluates the annotation
from reflex.middleware import Middleware
from reflex.state import BaseState

from neobank_dashboard.api.session_cookie import SESSION_COOKIE, cookie_value
from neobank_dashboard.db import session_scope
from neobank_dashboard.display.texts import catalog
from neobank_dashboard.i18n import DEFAULT_LANGUAGE
from neobank_dashboard.navigation import LOGIN_ROUTE, login_url
from neobank_dashboard.services import audit
from neobank_dashboard.services.auth import CurrentAdvisor, advisor_for_session, close_session
from neobank_dashboard.services.monitoring import stored_alerts

LANGUAGE_COOKIE = "neobank_lang"


def _audit_refused_handler(advisor: CurrentAdvisor, handler: str) -> None:
    """A signed-in advisor called a supervisors' handler (any client can call any
    handler): a refusal event, coalesced per advisor and handler like the API's."""
    with session_scope() as db:
        audit.record_refusal(
            db,
            actor=advisor.actor,
            action="ui_handler",
            reason="supervisors_only",
            object_type="handler",
            object_id=handler,
        )


def signed_in(handler: Callable | None = None, *, supervising: bool = False):
    """Run an event handler for a signed-in advisor only, passed in after ``self``.

    Anyone else is sent to the login page (``supervising=True``: anyone but a supervisor
    or an admin). The session is checked against the database on every call, since any
    client can call any handler. Reflex reads the handler's signature to map the event's
    arguments, so the wrapper shows the handler's own without ``advisor``.
    """
    if handler is None:
        return functools.partial(signed_in, supervising=supervising)

    def to_login(state: SessionState) -> EventSpec:
        """The login page, which brings the advisor back here afterwards."""
        url = state.router.url
        return rx.redirect(login_url(LOGIN_ROUTE, url.path, url.query))

    def allowed(state: SessionState) -> CurrentAdvisor | None:
        advisor = state.current_advisor()
        if advisor is not None and supervising and not advisor.sees_all_clients:
            _audit_refused_handler(advisor, handler.__qualname__)
            return None
        return advisor

    guarded: Callable[..., Any]  # one of three shapes, as Reflex tells handlers apart by it
    if inspect.isasyncgenfunction(handler):

        async def guarded_stream(self, *args, **kwargs):
            advisor = allowed(self)
            if advisor is None:
                yield to_login(self)
                return
            async for event in handler(self, advisor, *args, **kwargs):
                yield event

        guarded = guarded_stream

    elif inspect.iscoroutinefunction(handler):

        async def guarded_call(self, *args, **kwargs):
            advisor = allowed(self)
            if advisor is None:
                return to_login(self)
            return await handler(self, advisor, *args, **kwargs)

        guarded = guarded_call

    else:

        def guarded_sync(self, *args, **kwargs):
            advisor = allowed(self)
            if advisor is None:
                return to_login(self)
            return handler(self, advisor, *args, **kwargs)

        guarded = guarded_sync

    functools.update_wrapper(guarded, handler)
    signature = inspect.signature(handler)
    own, injected, *rest = signature.parameters.values()
    # typeshed does not declare the __signature__ that inspect.signature() reads.
    guarded.__signature__ = signature.replace(parameters=[own, *rest])  # type: ignore[union-attr]
    guarded.__annotations__ = {k: v for k, v in handler.__annotations__.items() if k != injected.name}
    return guarded


class SessionState(rx.State):
    lang: str = rx.Cookie(
        DEFAULT_LANGUAGE,
        name=LANGUAGE_COOKIE,
        same_site="strict",
        max_age=365 * 24 * 3600,
        path="/",
    )
    advisor_name: str = ""
    role: str = ""
    backend_error: bool = False
    monitoring_alert: bool = False  # the latest stored report has an alert: the banner shows

    @rx.var
    def t(self) -> dict[str, str]:
        """Every UI label in the current language."""
        return catalog(self.lang)

    @rx.var
    def is_supervising(self) -> bool:
        return self.role in ("supervisor", "admin")

    def _session_hash(self) -> str | None:
        """The hash of this tab's session cookie, as the websocket handshake carried it."""
        return cookie_value(self.router.headers.cookie, SESSION_COOKIE)

    def current_advisor(self) -> CurrentAdvisor | None:
        """The advisor behind the session cookie, checked against the database now.

        Without one (expired, closed, another browser replaying the tab token), the page
        state this handler runs on forgets what it showed.
        """
        with session_scope() as db:
            advisor = advisor_for_session(db, self._session_hash())
            self.monitoring_alert = advisor is not None and bool(stored_alerts(db))
        if advisor is None:
            self.advisor_name, self.role = "", ""
            if type(self) is not SessionState:
                self.reset()
        else:
            self.advisor_name, self.role = advisor.full_name, advisor.role.value
        return advisor

    async def _forget_page_data(self) -> None:
        """Reset every page state of this tab to its defaults, loaded or not, in whichever
        store Reflex keeps them; the language stays as the advisor chose it."""
        lang = self.lang
        pending: list[type[BaseState]] = [SessionState]
        while pending:
            state_class = pending.pop()
            pending.extend(state_class.get_substates())
            (await self.get_state(state_class)).reset()
        self.lang = lang

    @rx.event
    def show_backend_error(self):
        self.backend_error = True

    @rx.event
    def dismiss_backend_error(self):
        self.backend_error = False

    @rx.event
    def toggle_language(self):
        self.lang = "en" if self.lang == "fr" else "fr"

    @rx.event
    async def logout(self):
        with session_scope() as db:
            close_session(db, self._session_hash())
        await self._forget_page_data()
        return rx.redirect(LOGIN_ROUTE)


class ForgetPageDataWithoutSession(Middleware):
    """Before Reflex sends a (re)connecting tab its whole state, check the session: a tab
    token alone, replayed after logout or expiry or from another browser, gets defaults."""

    HYDRATE_EVENTS = frozenset(
        f"{rx.State.get_full_name()}.{name}" for name in ("hydrate", "hydrate_and_load")
    )

    async def preprocess(self, app, state, event):
        if event.name in self.HYDRATE_EVENTS:
            session = await state.get_state(SessionState)
            if session.current_advisor() is None:
                await session._forget_page_data()
        return None


def backend_exception_handler(exception: Exception) -> EventSpec:
    """An unexpected server error shows a translated banner (the trace stays in the log).

    Reflex's default toast is JavaScript sent as a string and evaluated in the browser,
    which the Content-Security-Policy (no 'unsafe-eval') rightly blocks.
    """
    return SessionState.show_backend_error()
