"""The clients page: the portfolio filtered, sorted and paginated in SQL.

The filters live in the query string, so a view can be bookmarked and shared;
the state only holds the current page of rows.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

import reflex as rx

from modeling.features import FEATURES_BY_NAME
from neobank_dashboard.db import session_scope
from neobank_dashboard.db.models import Recommendation
from neobank_dashboard.i18n import format_date, format_money, format_percent, translate
from neobank_dashboard.services.clients import (
    PAGE_SIZE_DEFAULT,
    SORTABLE,
    ClientFilter,
    last_page,
    list_clients,
)
from neobank_dashboard.services.freshness import is_stale
from neobank_dashboard.state.session import LOGIN_ROUTE, SessionState

# query-string name -> (ClientFilter field, kind, feature whose range bounds it)
NUMERIC_PARAMS: dict[str, tuple[str, type, str | None]] = {
    "prob_min": ("probability_min", float, None),
    "prob_max": ("probability_max", float, None),
    "age_min": ("age_min", int, "age"),
    "age_max": ("age_max", int, "age"),
    "income_min": ("income_min", float, "income"),
    "income_max": ("income_max", float, "income"),
    "incidents_min": ("incidents_min", int, "payment_incidents"),
    "incidents_max": ("incidents_max", int, "payment_incidents"),
}
CHOICE_PARAMS = ("recommendation", "risk_band", "q", "sort", "order")
FLAG_PARAMS = ("stale", "mine")
FILTER_PARAMS = (*NUMERIC_PARAMS, *CHOICE_PARAMS, *FLAG_PARAMS)
RECOMMENDATIONS = tuple(r.value for r in Recommendation)


def parse_filters(params: dict[str, str]) -> tuple[ClientFilter, dict[str, str]]:
    """A ClientFilter from query parameters, and an error message key per bad field."""
    values: dict = {}
    errors: dict[str, str] = {}
    for name, (field, kind, feature) in NUMERIC_PARAMS.items():
        raw = str(params.get(name, "")).strip().replace(",", ".").replace(" ", "")
        if not raw:
            continue
        try:
            number = kind(float(raw)) if kind is int and float(raw).is_integer() else kind(raw)
        except ValueError:
            errors[name] = "filters.error.number"
            continue
        if feature is None:  # probabilities are typed in percent
            low, high, number = 0.0, 100.0, number
        else:
            spec = FEATURES_BY_NAME[feature]
            low, high = spec.minimum, spec.maximum
        if not low <= number <= high:
            errors[name] = "filters.error.range"
            continue
        values[field] = number / 100 if feature is None else number
    recommendation = params.get("recommendation", "")
    if recommendation:
        if recommendation in RECOMMENDATIONS:
            values["recommendation"] = recommendation
        else:
            errors["recommendation"] = "filters.error.choice"
    if params.get("risk_band"):
        values["risk_band"] = params["risk_band"]
    if params.get("q"):
        values["id_prefix"] = params["q"].strip()[:36]
    values["stale_only"] = params.get("stale") == "1"
    values["mine_only"] = params.get("mine") == "1"
    sort = params.get("sort", "probability")
    values["sort"] = sort if sort in SORTABLE else "probability"
    values["descending"] = params.get("order", "desc") != "asc"
    for pair in (
        ("prob_min", "prob_max"),
        ("age_min", "age_max"),
        ("income_min", "income_max"),
        ("incidents_min", "incidents_max"),
    ):
        low_field, high_field = NUMERIC_PARAMS[pair[0]][0], NUMERIC_PARAMS[pair[1]][0]
        if low_field in values and high_field in values and values[low_field] > values[high_field]:
            errors[pair[1]] = "filters.error.order"
    try:
        values["page"] = max(1, int(params.get("page", 1)))
    except ValueError:
        values["page"] = 1
    return ClientFilter(**values), errors


def _page_of_clients(advisor, criteria: ClientFilter) -> tuple[list, int, int]:
    """(clients, total, page shown): a page past the end, as an old link or a shrunken
    portfolio gives, shows the last page rather than an empty table."""
    with session_scope() as db:
        clients, total = list_clients(db, advisor, criteria)
        last = last_page(total, criteria.page_size)
        if criteria.page > last:
            criteria = replace(criteria, page=last)
            clients, total = list_clients(db, advisor, criteria)
        return clients, total, criteria.page


def query_string(filters: dict[str, str], page: int = 1) -> str:
    kept = {k: v for k, v in filters.items() if k in FILTER_PARAMS and str(v).strip()}
    if page > 1:
        kept["page"] = str(page)
    return urlencode(kept)


class ClientsState(SessionState):
    filters: dict[str, str] = {}
    filter_errors: dict[str, str] = {}
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE_DEFAULT
    loading: bool = True  # until the first page arrives: never flash "no client matches"
    load_failed: bool = False
    _raw_rows: list[dict] = []

    @rx.var
    def page_count(self) -> int:
        return last_page(self.total, self.page_size)

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        """The current page, formatted for the current language."""
        today = date.today()
        return [
            {
                "id": row["id"],
                "probability": (
                    format_percent(row["probability"], self.lang) if row["probability"] is not None else ""
                ),
                "recommendation": row["recommendation"] or "",
                "risk_band": row["risk_band"] or "",
                "age": str(row["age"]),
                "income": format_money(row["income"], self.lang),
                "incidents": str(row["incidents"]),
                "data_as_of": format_date(row["oldest_as_of"], self.lang),
                "stale": "1" if is_stale(row["oldest_as_of"], today) else "",
            }
            for row in self._raw_rows
        ]

    @rx.var
    def error_messages(self) -> dict[str, str]:
        return {name: translate(key, self.lang) for name, key in self.filter_errors.items()}

    @rx.event
    async def load(self):
        advisor = self.current_advisor()
        if advisor is None:
            yield rx.redirect(LOGIN_ROUTE)
            return
        params = dict(self.router.url.query_parameters)
        self.filters = {name: params.get(name, "") for name in FILTER_PARAMS}
        criteria, self.filter_errors = parse_filters(params)
        if self.filter_errors:
            self.loading = False
            return
        self.page = criteria.page
        self.loading, self.load_failed = True, False
        yield
        try:
            # The count over a large portfolio takes a while: keep it off the event loop.
            clients, self.total, self.page = await asyncio.to_thread(_page_of_clients, advisor, criteria)
        except Exception:  # noqa: BLE001 - the page shows an error state, never a trace
            self.load_failed = True
        else:
            self._raw_rows = [
                {
                    "id": str(c.id),
                    "probability": c.latest_probability,
                    "recommendation": c.latest_recommendation,
                    "risk_band": c.latest_risk_band,
                    "age": c.age,
                    "income": c.income,
                    "incidents": c.payment_incidents,
                    "oldest_as_of": c.oldest_as_of,
                }
                for c in clients
            ]
        self.loading = False

    @rx.event
    def set_filter(self, name: str, value: str | bool):
        if name in FILTER_PARAMS:
            if isinstance(value, bool):
                value = "1" if value else ""
            self.filters[name] = str(value)

    @rx.event
    def apply_filters(self):
        if self.current_advisor() is None:
            return rx.redirect(LOGIN_ROUTE)
        _, self.filter_errors = parse_filters(self.filters)
        if self.filter_errors:
            return None
        return rx.redirect("/clients?" + query_string(self.filters))

    @rx.event
    def reset_filters(self):
        self.filters, self.filter_errors = {}, {}
        return rx.redirect("/clients")

    @rx.event
    def sort_by(self, column: str):
        if column not in SORTABLE:
            return None
        same = self.filters.get("sort", "probability") == column
        descending = self.filters.get("order", "desc") != "asc"
        self.filters["sort"] = column
        self.filters["order"] = "asc" if same and descending else "desc"
        return rx.redirect("/clients?" + query_string(self.filters))

    @rx.event
    def go_to_page(self, page: int):
        page = max(1, min(page, self.page_count))
        return rx.redirect("/clients?" + query_string(self.filters, page))
