"""The monitoring page: the report over a window of days (supervisors and admins)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import reflex as rx

from neobank_dashboard.db import session_scope
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.display import monitoring_charts as charts
from neobank_dashboard.display.monitoring import (
    oversight_rows,
    report_figures,
    report_rows,
    sections_with_data,
)
from neobank_dashboard.navigation import HOME_ROUTE
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.monitoring_history import history
from neobank_dashboard.services.monitoring_nightly import REPORT_WINDOW, viewed_report
from neobank_dashboard.services.oversight import NO_DECISIONS, OversightFigures, oversight_report
from neobank_dashboard.state.clients import REFUSED_PARAMETER
from neobank_dashboard.state.session import SessionState, signed_in


def parse_window(since: str, until: str) -> tuple[datetime, datetime] | None:
    """The days ``since`` to ``until`` included, as ``[since 00:00, until+1 00:00)`` UTC;
    None unless both are ISO dates in order."""
    try:
        first, last = date.fromisoformat(since), date.fromisoformat(until)
    except ValueError:
        return None
    if first > last:
        return None
    start = datetime.combine(first, time.min, tzinfo=UTC)
    return start, datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)


def default_window(today: date) -> tuple[str, str]:
    """The last :data:`REPORT_WINDOW`, today included."""
    return (today - REPORT_WINDOW + timedelta(days=1)).isoformat(), today.isoformat()


class MonitoringState(SessionState):
    since: str = ""
    until: str = ""
    window_error: bool = False
    _report: dict = {}
    _oversight: OversightFigures = NO_DECISIONS
    # The stored monthly rows (a year at most): small, and never sent as such.
    _history: list[dict] = []

    @rx.var
    def rows(self) -> dict[str, list[dict[str, str]]]:
        return report_rows(self._report, self.lang) if self._report else {}

    @rx.var
    def figures(self) -> dict[str, str]:
        return report_figures(self._report, self.lang) if self._report else {}

    @rx.var
    def oversight(self) -> list[dict[str, str]]:
        return oversight_rows(self._oversight, self.lang)

    @rx.var
    def has_data(self) -> dict[str, bool]:
        return sections_with_data(self._report) if self._report else {}

    @rx.var
    def stability_chart(self) -> list[dict]:
        return charts.stability_series(self._history)

    @rx.var
    def stability_lines(self) -> list[dict[str, str]]:
        return charts.stability_lines(self.lang, self.t["monitoring.history.score"])

    @rx.var
    def default_rate_chart(self) -> list[dict]:
        return charts.default_rate_series(self._history)

    @rx.var
    def approval_chart(self) -> list[dict]:
        return charts.approval_series(self._history)

    @rx.var
    def approval_lines(self) -> list[dict[str, str]]:
        return charts.approval_lines()

    @rx.var
    def levels_note(self) -> str:
        return charts.levels_note(self.lang)

    def _compute(self, advisor: CurrentAdvisor) -> None:
        window = parse_window(self.since, self.until)
        self.window_error = window is None
        if window is None:
            return
        since, until = window
        with session_scope() as db:
            report = viewed_report(db, since, until, actor=advisor.actor)
            self._oversight = oversight_report(db, advisor, since=since, until=until).total
            self._history = history(db)
        self._report = report

    @rx.event
    @signed_in
    def load(self, advisor: CurrentAdvisor):
        if not advisor.sees_all_clients:
            return rx.redirect(f"{HOME_ROUTE}?{REFUSED_PARAMETER}=monitoring")
        self.since, self.until = default_window(utcnow().date())
        self._compute(advisor)
        return None

    @rx.event
    @signed_in(supervising=True)
    def apply_window(self, advisor: CurrentAdvisor, form: dict):
        self.since, self.until = form.get("since", ""), form.get("until", "")
        self._compute(advisor)
