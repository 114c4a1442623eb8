"""Login form. The password never enters the state: it arrives with the form submit."""

from __future__ import annotations

import asyncio
import uuid

import reflex as rx

from neobank_dashboard.api.ratelimit import login_retry_after
from neobank_dashboard.db import session_scope
from neobank_dashboard.services.auth import authenticate, open_session, refuse_throttled_login
from neobank_dashboard.state.session import HOME_ROUTE, SessionState


def _login(email: str, password: str, retry_after: int) -> tuple[str | None, str | None]:
    """(token, error key); runs in a worker thread because argon2 is deliberately slow.
    ``retry_after``: the address tried too often, the password is not even checked."""
    request_id = str(uuid.uuid4())
    with session_scope() as db:
        if retry_after:
            result = refuse_throttled_login(db, retry_after=retry_after, request_id=request_id)
        else:
            result = authenticate(db, email, password, request_id=request_id)
        if result.advisor is None:
            return None, f"login.{result.error.value}"
        return open_session(db, result.advisor), None


class LoginState(SessionState):
    error_key: str = ""
    busy: bool = False

    @rx.event
    def redirect_if_logged_in(self):
        if self.current_advisor() is not None:
            return rx.redirect(HOME_ROUTE)
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
        retry_after = await login_retry_after(self.router.session.client_ip)
        token, error = await asyncio.to_thread(_login, email, password, retry_after)
        self.busy = False
        if error:
            self.error_key = error
            return
        self.error_key = ""
        self.session_token = token
        self.current_advisor()
        yield rx.redirect(HOME_ROUTE)
