"""The browser session: who is logged in, in which language.

The cookie holds an opaque token; the server keeps only its hash. Every
handler that touches client data calls :meth:`SessionState.require_advisor`,
which re-checks the token against the database: the page redirect is only
comfort, since any client can call any event handler.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import reflex as rx
from reflex.event import EventSpec  # by this name: Reflex evaluates the annotation

from neobank_dashboard.db import session_scope
from neobank_dashboard.display.texts import catalog
from neobank_dashboard.i18n import DEFAULT_LANGUAGE
from neobank_dashboard.services.auth import CurrentAdvisor, advisor_for_token, close_session
from neobank_dashboard.settings import get_settings
from neobank_dashboard.state.deep_link import login_url

SESSION_COOKIE = "neobank_session"
LANGUAGE_COOKIE = "neobank_lang"
LOGIN_ROUTE = "/login"
HOME_ROUTE = "/clients"


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
        if advisor is None or (supervising and not advisor.sees_all_clients):
            return None
        return advisor

    if inspect.isasyncgenfunction(handler):

        async def guarded(self, *args, **kwargs):
            advisor = allowed(self)
            if advisor is None:
                yield to_login(self)
                return
            async for event in handler(self, advisor, *args, **kwargs):
                yield event

    elif inspect.iscoroutinefunction(handler):

        async def guarded(self, *args, **kwargs):
            advisor = allowed(self)
            if advisor is None:
                return to_login(self)
            return await handler(self, advisor, *args, **kwargs)

    else:

        def guarded(self, *args, **kwargs):
            advisor = allowed(self)
            if advisor is None:
                return to_login(self)
            return handler(self, advisor, *args, **kwargs)

    functools.update_wrapper(guarded, handler)
    signature = inspect.signature(handler)
    own, injected, *rest = signature.parameters.values()
    guarded.__signature__ = signature.replace(parameters=[own, *rest])
    guarded.__annotations__ = {k: v for k, v in handler.__annotations__.items() if k != injected.name}
    return guarded


class SessionState(rx.State):
    session_token: str = rx.Cookie(
        "",
        name=SESSION_COOKIE,
        same_site="strict",
        secure=get_settings().is_prod,
        max_age=get_settings().session_hours * 3600,
        path="/",
    )
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

    @rx.var
    def t(self) -> dict[str, str]:
        """Every UI label in the current language."""
        return catalog(self.lang)

    @rx.var
    def is_supervising(self) -> bool:
        return self.role in ("supervisor", "admin")

    def current_advisor(self) -> CurrentAdvisor | None:
        """The advisor behind the session cookie, checked against the database now."""
        with session_scope() as db:
            advisor = advisor_for_token(db, self.session_token)
        if advisor is None:
            self.advisor_name, self.role = "", ""
        else:
            self.advisor_name, self.role = advisor.full_name, advisor.role.value
        return advisor

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
    def logout(self):
        with session_scope() as db:
            close_session(db, self.session_token)
        self.session_token = ""
        self.advisor_name, self.role = "", ""
        return rx.redirect(LOGIN_ROUTE)


def backend_exception_handler(exception: Exception) -> EventSpec:
    """An unexpected server error shows a translated banner (the trace stays in the log).

    Reflex's default toast is JavaScript sent as a string and evaluated in the browser,
    which the Content-Security-Policy (no 'unsafe-eval') rightly blocks.
    """
    return SessionState.show_backend_error()
