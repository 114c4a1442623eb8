"""The browser session: who is logged in, in which language.

The cookie holds an opaque token; the server keeps only its hash. Every
handler that touches client data calls :meth:`SessionState.require_advisor`,
which re-checks the token against the database: the page redirect is only
comfort, since any client can call any event handler.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec  # by this name: Reflex evaluates the annotation

from neobank_dashboard.db import session_scope
from neobank_dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalog
from neobank_dashboard.services.auth import CurrentAdvisor, advisor_for_token, close_session
from neobank_dashboard.settings import get_settings

SESSION_COOKIE = "neobank_session"
LANGUAGE_COOKIE = "neobank_lang"
LOGIN_ROUTE = "/login"
HOME_ROUTE = "/clients"


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
        return catalog(self.lang if self.lang in LANGUAGES else DEFAULT_LANGUAGE)

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
