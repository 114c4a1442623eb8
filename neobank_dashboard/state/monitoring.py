"""The monitoring page: the report over a window of days (supervisors and admins)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import reflex as rx

from neobank_dashboard.db import session_scope
from neobank_dashboard.display import monitoring_charts as charts
from neobank_dashboard.display.monitoring import (
    oversight_rows,
    report_figures,
    report_note,
    report_rows,
    sections_with_data,
)
from neobank_dashboard.navigation import HOME_ROUTE
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.monitoring_history import history
from neobank_dashboard.services.monitoring_nightly import days_window, opening_report, viewed_report
from neobank_dashboard.services.oversight import NO_DECISIONS, OversightFigures, oversight_report
from neobank_dashboard.state.clients import REFUSED_PARAMETER
from neobank_dashboard.state.session import SessionState, signed_in


def parse_window(since: str, until: str) -> tuple[datetime, datetime] | None:
    """The days ``since`` to ``until`` included (:func:`days_window`); None unless
    both are ISO dates in order."""
    try:
        first, last = date.fromisoformat(since), date.fromisoformat(until)
    except ValueError:
        return None
    return days_window(first, last) if first <= last else None


def report_window(report: dict) -> tuple[datetime, datetime]:
    since, until = (datetime.fromisoformat(report["window"][key]) for key in ("since", "until"))
    return since, until


def window_days(since: datetime, until: datetime) -> tuple[str, str]:
    """A window as the form's two dates (the last one included)."""
    return since.date().isoformat(), (until - timedelta(microseconds=1)).date().isoformat()


class MonitoringState(SessionState):
    since: str = ""
    until: str = ""
    window_error: bool = False
    stored: bool = False  # the opening report was read as stored, not computed now
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

    @rx.var
    def computed_note(self) -> str:
        return report_note(self._report, self.stored, self.lang) if self._report else ""

    def _show(self, advisor: CurrentAdvisor, window: tuple[datetime, datetime] | None) -> None:
        """The report of ``window`` computed now, or (None) the opening one."""
        with session_scope() as db:
            if window is None:
                report, self.stored = opening_report(db, actor=advisor.actor)
            else:
                report, self.stored = viewed_report(db, *window, actor=advisor.actor), False
            since, until = report_window(report)
            self.since, self.until = window_days(since, until)
            self._oversight = oversight_report(db, advisor, since=since, until=until).total
            self._history = history(db)
        self._report = report

    @rx.event
    @signed_in
    def load(self, advisor: CurrentAdvisor):
        if not advisor.sees_all_clients:
            return rx.redirect(f"{HOME_ROUTE}?{REFUSED_PARAMETER}=monitoring")
        self.window_error = False
        self._show(advisor, None)
        return None

    @rx.event
    @signed_in(supervising=True)
    def apply_window(self, advisor: CurrentAdvisor, form: dict):
        since, until = form.get("since", ""), form.get("until", "")
        window = parse_window(since, until)
        self.window_error = window is None
        if window is None:
            self.since, self.until = since, until  # kept as typed, beside the error
            return
        self._show(advisor, window)
