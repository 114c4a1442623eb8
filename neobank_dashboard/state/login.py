"""Login form. The password never enters the state: it arrives with the form submit."""

from __future__ import annotations

import asyncio
import uuid

import reflex as rx

from neobank_dashboard.db import session_scope
from neobank_dashboard.services.auth import authenticate, open_session
from neobank_dashboard.state.deep_link import NEXT_PARAMETER, safe_next
from neobank_dashboard.state.session import HOME_ROUTE, LOGIN_ROUTE, SessionState


def _login(email: str, password: str) -> tuple[str | None, str | None]:
    """(token, error key); runs in a worker thread because argon2 is deliberately slow."""
    with session_scope() as db:
        result = authenticate(db, email, password, request_id=str(uuid.uuid4()))
        if result.advisor is None:
            return None, f"login.{result.error.value}"
        return open_session(db, result.advisor), None


class LoginState(SessionState):
    error_key: str = ""
    busy: bool = False

    def _next_page(self) -> str:
        """The page asked for before the login, if it is one of ours."""
        return safe_next(self.router.url.query_parameters.get(NEXT_PARAMETER), HOME_ROUTE, LOGIN_ROUTE)

    @rx.event
    def redirect_if_logged_in(self):
        if self.current_advisor() is not None:
            return rx.redirect(self._next_page())
        return None

    @rx.event
    async def submit(self, form_data: dict):
        email = str(form_data.get("email", "")).strip()
        password = str(form_data.get("password", ""))
        if not email or not password:
            self.error_key = "login.missing_fields"
            return
        self.busy = True
        yield
        token, error = await asyncio.to_thread(_login, email, password)
        self.busy = False
        if error:
            self.error_key = error
            return
        self.error_key = ""
        self.session_token = token
        self.current_advisor()
        yield rx.redirect(self._next_page())
