"""The clients page: the portfolio filtered, sorted and paginated in SQL.

The filters live in the query string, so a view can be bookmarked and shared;
the state only holds the current page of rows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

import reflex as rx
from annotated_types import Ge, Le
from pydantic import ValidationError

from neobank_dashboard.db import session_scope
from neobank_dashboard.db.models import Recommendation
from neobank_dashboard.display.texts import translate
from neobank_dashboard.i18n import format_count, format_date, format_money, format_number, format_percent
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.clients import (
    COUNT_CAP,
    PAGE_SIZE_DEFAULT,
    RANGES,
    SORTABLE,
    ClientFilter,
    is_capped,
    last_page,
    list_clients,
)
from neobank_dashboard.services.freshness import is_stale
from neobank_dashboard.state.session import SessionState, signed_in
from neobank_dashboard.state.worklist import quick_chips, worklist_of

# The filters the form shows, by their ClientFilter (and URL, and API) names.
RANGE_FIELDS = tuple(name for pair in RANGES for name in pair)
CHOICE_FIELDS = ("recommendation", "risk_band", "decision_status", "quick")
FORM_FIELDS = ("id_prefix", *CHOICE_FIELDS, *RANGE_FIELDS, "stale_only", "mine_only")
REFUSED_PARAMETER = "refused"  # /clients?refused=admin: why an advisor was sent here
REFUSING_PAGES = ("admin", "monitoring")  # each has its "clients.<page>_refused" text
PERCENT_FIELDS = ("probability_min", "probability_max")  # typed in percent, filtered as fractions
RECOMMENDATIONS = tuple(r.value for r in Recommendation)
# pydantic's error type -> the message shown under the field
ERROR_KEYS = {
    "int_parsing": "filters.error.number",
    "float_parsing": "filters.error.number",
    "int_from_float": "filters.error.number",
    "greater_than_equal": "filters.error.range",
    "less_than_equal": "filters.error.range",
    "range_order": "filters.error.order",
    "string_pattern_mismatch": "filters.error.id_prefix",
    "string_too_long": "filters.error.id_prefix",
    "enum": "filters.error.choice",
}


# Links bookmarked before the URL took ClientFilter's names; prob_min/max were in percent.
OLD_LINK_NAMES = {"q": "id_prefix", "stale": "stale_only", "mine": "mine_only"}


def _upgrade_old_link(params: Mapping[str, str]) -> dict[str, str]:
    params = dict(params)
    for old, new in OLD_LINK_NAMES.items():
        if old in params:
            params.setdefault(new, params.pop(old))
    if "order" in params:
        params.setdefault("descending", str(params.pop("order") != "asc"))
    for bound in ("min", "max"):
        if f"prob_{bound}" in params:
            params.update(form_to_query({f"probability_{bound}": params.pop(f"prob_{bound}")}))
    return params


def parse_query(params: Mapping[str, str]) -> tuple[ClientFilter, dict[str, str]]:
    """The clients page's URL as a ClientFilter, and an error message key per bad form field.

    ClientFilter's own validation, the API's: one set of names and bounds. A bad value
    of a field the form does not show (sort, page, a stale link) falls back to its default.
    """
    params = _upgrade_old_link(params)
    values = {k: str(v).strip() for k, v in params.items() if k in ClientFilter.model_fields}
    values = {k: v for k, v in values.items() if v}
    try:
        return ClientFilter.model_validate(values), {}
    except ValidationError as error:
        errors = {}
        for problem in error.errors():
            field = str(problem["loc"][0])
            if field in FORM_FIELDS:
                errors[field] = ERROR_KEYS.get(problem["type"], "filters.error.choice")
            else:
                values.pop(field, None)
    if errors:
        return ClientFilter(), errors
    return parse_query(values)


def range_bounds(name: str) -> tuple[float, float]:
    """A range field's allowed (lowest, highest), in the units the form is typed in."""
    metadata = ClientFilter.model_fields[name].metadata
    low = next(m.ge for m in metadata if isinstance(m, Ge))
    high = next(m.le for m in metadata if isinstance(m, Le))
    scale = 100 if name in PERCENT_FIELDS else 1
    return low * scale, high * scale


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def form_to_query(form: Mapping[str, str]) -> dict[str, str]:
    """What an advisor typed, as URL parameters: 50 000 or 5,5 accepted, percent to fractions."""
    params = {}
    for name in FORM_FIELDS:
        raw = str(form.get(name, "")).strip()
        if name in RANGE_FIELDS:
            raw = raw.replace(",", ".").replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
            try:
                number = float(raw)
            except ValueError:
                pass  # left as typed: the parser names the field
            else:
                raw = _plain(number / 100 if name in PERCENT_FIELDS else number)
        if name in ("stale_only", "mine_only"):
            raw = "true" if raw == "1" else ""
        if raw:
            params[name] = raw
    return params


def query_to_form(criteria: ClientFilter) -> dict[str, str]:
    """The form's fields for a filter: the inverse of :func:`form_to_query`."""
    form = {}
    for name in FORM_FIELDS:
        value = getattr(criteria, name)
        if isinstance(value, bool):
            form[name] = "1" if value else ""
        elif isinstance(value, float | int):
            form[name] = _plain(round(value * 100, 6) if name in PERCENT_FIELDS else value)
        else:
            form[name] = "" if value is None else str(value)
    return form


def query_string(criteria: ClientFilter) -> str:
    """The filter as the clients page's URL query, only what differs from the defaults."""
    kept = criteria.model_dump(mode="json", exclude_defaults=True)
    return urlencode({k: _url_value(v) for k, v in kept.items()})


def _url_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _plain(value) if isinstance(value, float) else str(value)


def count_label(total: int, lang: str) -> str:
    """'5 148 clients', '1 client'; 'plus de 10 000 clients' past the count's cap."""
    if is_capped(total):
        return translate("clients.count_capped", lang).format(count=format_number(COUNT_CAP, lang))
    return format_count(total, lang, translate("clients.count", lang))


def _page_of_clients(advisor, criteria: ClientFilter) -> tuple[list, int, int]:
    """(clients, total, page shown): a page past the end, as an old link or a shrunken
    portfolio gives, shows the last page rather than an empty table."""
    with session_scope() as db:
        clients, total = list_clients(db, advisor, criteria)
        last = last_page(total, criteria.page_size)
        if criteria.page > last:
            criteria = criteria.model_copy(update={"page": last})
            clients, total = list_clients(db, advisor, criteria)
        return clients, total, criteria.page


class ClientsState(SessionState):
    filters: dict[str, str] = {}
    filter_errors: dict[str, str] = {}
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE_DEFAULT
    loading: bool = True  # until the first page arrives: never flash "no client matches"
    refused_page: str = ""  # "admin" or "monitoring": sent here from a page for supervisors
    load_failed: bool = False
    sort_column: str = "probability"
    sort_descending: bool = True
    quick_links: list[dict[str, str]] = []
    _raw_rows: list[dict] = []
    _applied: dict[str, str] = {}  # the filter's URL parameters, as last loaded

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
                "decision_status": row["decision_status"],
                "decision_at": format_date(row["decision_at"], self.lang) if row["decision_at"] else "",
            }
            for row in self._raw_rows
        ]

    @rx.var
    def has_errors(self) -> bool:
        return bool(self.filter_errors)

    @rx.var
    def count_label(self) -> str:
        return count_label(self.total, self.lang)

    @rx.var
    def error_messages(self) -> dict[str, str]:
        """Each field's message; an out-of-range one says the range ("entre 18 et 120")."""
        messages = {}
        for name, key in self.filter_errors.items():
            text = translate(key, self.lang)
            if name in RANGE_FIELDS:
                low, high = (format_number(bound, self.lang) for bound in range_bounds(name))
                text = text.format(low=low, high=high)
            messages[name] = text
        return messages

    def _show_errors(self, errors: dict[str, str]) -> None:
        """Fields in error: no results from an earlier filter stay under them."""
        self.filter_errors = errors
        self._raw_rows, self.total, self.page, self.loading = [], 0, 1, False

    @rx.event
    @signed_in
    async def load(self, advisor: CurrentAdvisor):
        params = _upgrade_old_link(self.router.url.query_parameters)
        refused = params.get(REFUSED_PARAMETER, "")
        self.refused_page = refused if refused in REFUSING_PAGES else ""
        self._applied = {k: v for k, v in params.items() if k in ClientFilter.model_fields}
        criteria, errors = parse_query(self._applied)
        self.filter_errors = {}
        if errors:
            self.filters = {name: self._applied.get(name, "") for name in FORM_FIELDS}
            self._show_errors(errors)
            return
        self.filters = query_to_form(criteria)
        self.page = criteria.page
        self.sort_column, self.sort_descending = criteria.sort, criteria.descending
        self.loading, self.load_failed = True, False
        yield
        try:
            # The count over a large portfolio takes a while: keep it off the event loop.
            clients, self.total, self.page = await asyncio.to_thread(_page_of_clients, advisor, criteria)
            statuses, counts = await asyncio.to_thread(
                worklist_of, advisor, criteria, [c.id for c in clients]
            )
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
                    "decision_status": statuses[c.id][0],
                    "decision_at": statuses[c.id][1],
                }
                for c in clients
            ]
            self.quick_links = quick_chips(
                criteria, counts, lambda f: "/clients?" + query_string(f), self.lang
            )
        self.loading = False

    @rx.event
    def set_filter(self, name: str, value: str | bool):
        if name in FORM_FIELDS:
            if isinstance(value, bool):
                value = "1" if value else ""
            self.filters[name] = str(value)

    def _applied_filter(self) -> ClientFilter:
        return parse_query(self._applied)[0]

    @rx.event
    @signed_in
    def apply_filters(self, advisor: CurrentAdvisor):
        applied = self._applied_filter()
        params = form_to_query(self.filters) | {"sort": applied.sort, "descending": str(applied.descending)}
        criteria, errors = parse_query(params)
        if errors:
            self._show_errors(errors)
            return None
        self.filter_errors = {}
        return rx.redirect("/clients?" + query_string(criteria))

    @rx.event
    def reset_filters(self):
        self.filters, self.filter_errors = {}, {}
        return rx.redirect("/clients")

    @rx.event
    def sort_by(self, column: str):
        if column not in SORTABLE:
            return None
        applied = self._applied_filter()
        descending = not (applied.sort == column and applied.descending)
        criteria = applied.model_copy(update={"sort": column, "descending": descending, "page": 1})
        return rx.redirect("/clients?" + query_string(criteria))

    @rx.event
    def go_to_page(self, page: int):
        page = max(1, min(page, self.page_count))
        criteria = self._applied_filter().model_copy(update={"page": page})
        return rx.redirect("/clients?" + query_string(criteria))
