"""The clients page: one page of the portfolio, filtered and sorted in SQL."""

from __future__ import annotations

from datetime import date

import reflex as rx

from neobank_dashboard.db import session_scope
from neobank_dashboard.i18n import format_date, format_percent
from neobank_dashboard.services.clients import ClientFilter, list_clients
from neobank_dashboard.services.freshness import is_stale
from neobank_dashboard.state.session import LOGIN_ROUTE, SessionState


def _int_param(params, name: str, default: int) -> int:
    try:
        return max(1, int(params.get(name, default)))
    except (TypeError, ValueError):
        return default


class ClientsState(SessionState):
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    page_size: int = 25
    loading: bool = False

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @rx.event
    def load(self):
        advisor = self.current_advisor()
        if advisor is None:
            return rx.redirect(LOGIN_ROUTE)
        self.page = _int_param(self.router.url.query_parameters, "page", 1)
        self._fetch(advisor)
        return None

    def _fetch(self, advisor) -> None:
        today = date.today()
        with session_scope() as db:
            clients, self.total = list_clients(db, advisor, ClientFilter(page=self.page,
                                                                          page_size=self.page_size))
        self.rows = [
            {
                "id": str(c.id),
                "probability": (format_percent(c.latest_probability, self.lang)
                                if c.latest_probability is not None else ""),
                "recommendation": c.latest_recommendation or "",
                "data_as_of": format_date(c.oldest_as_of, self.lang),
                "stale": "1" if is_stale(c.oldest_as_of, today) else "",
            }
            for c in clients
        ]

    @rx.event
    def go_to_page(self, page: int):
        advisor = self.current_advisor()
        if advisor is None:
            return rx.redirect(LOGIN_ROUTE)
        self.page = max(1, min(page, self.page_count))
        return rx.redirect(f"/clients?page={self.page}")
