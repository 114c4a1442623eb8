"""Login page. The form posts to ``POST /auth/session`` (api/routes/browser_session.py),
which alone can set the HttpOnly cookie; the password never enters the state. A refused
login comes back as ``/login?error=<reason>``, shown here in the advisor's language."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.api.routes.browser_session import LOGIN_FAILURES, safe_next
from neobank_dashboard.navigation import NEXT_PARAMETER
from neobank_dashboard.state.session import SessionState


class LoginState(SessionState):
    error_key: str = ""
    next_page: str = ""

    @rx.event
    def open_login(self):
        """Signed in already: straight on; otherwise show why the last attempt failed."""
        query = self.router.url.query_parameters
        signed_in = self.current_advisor() is not None  # first: it resets a stranger's page
        self.next_page = safe_next(query.get(NEXT_PARAMETER))
        if signed_in:
            return rx.redirect(self.next_page)
        reason = query.get("error", "")
        self.error_key = f"login.{reason}" if reason in LOGIN_FAILURES else ""
        return None
