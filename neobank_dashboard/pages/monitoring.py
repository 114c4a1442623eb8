"""/monitoring: stability, backtest by risk band, fairness by age band, the challenger."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.charts import locale_ticks, month_lines_chart
from neobank_dashboard.display.monitoring_charts import LEVEL_LINES
from neobank_dashboard.state.monitoring import MonitoringState
from neobank_dashboard.views.page import page

T = MonitoringState.t


def window_form() -> rx.Component:
    def date_field(name: str) -> rx.Component:
        return rx.vstack(
            rx.el.label(T[f"monitoring.{name}"], html_for=f"monitoring-{name}", size="2"),
            rx.input(
                type="date",
                name=name,
                id=f"monitoring-{name}",
                default_value=getattr(MonitoringState, name),
                key=getattr(MonitoringState, name),  # a new default shows once loaded
                aria_invalid=rx.cond(MonitoringState.window_error, "true", "false"),
            ),
            spacing="1",
        )

    return rx.form(
        rx.vstack(
            rx.hstack(
                date_field("since"),
                date_field("until"),
                rx.button(T["monitoring.apply"], type="submit", id="monitoring-apply"),
                align="end",
                spacing="3",
                wrap="wrap",
            ),
            rx.cond(
                MonitoringState.window_error,
                rx.text(T["monitoring.bad_window"], color_scheme="red", size="2", id="window-error"),
            ),
            rx.text(MonitoringState.computed_note, size="2", color_scheme="gray", id="monitoring-computed"),
            spacing="2",
        ),
        on_submit=MonitoringState.apply_window,
    )


def table(columns: list[str], rows, cells) -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[c]) for c in columns])),
        rx.table.body(rx.foreach(rows, lambda row: rx.table.row(*cells(row)))),
        variant="surface",
        size="1",
        width="100%",
    )


def level_badge(row) -> rx.Component:
    return badge(row["level"], color_scheme=row["colour"], variant="soft")


def section(section_id: str, title_key: str, has_data, *content: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T[title_key], size="3", as_="h2"),
            rx.cond(
                has_data,
                rx.vstack(*content, spacing="2", width="100%"),
                rx.text(T["monitoring.no_data"], color_scheme="gray", size="2", class_name="no-data"),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id=section_id,
    )


def stability() -> rx.Component:
    return section(
        "monitoring-stability",
        "monitoring.stability",
        MonitoringState.has_data["stability"],
        table(
            ["monitoring.variable", "monitoring.psi", "monitoring.n", "monitoring.level"],
            MonitoringState.rows["stability"],
            lambda r: [
                rx.table.row_header_cell(r["name"]),
                rx.table.cell(r["psi"]),
                rx.table.cell(r["n"]),
                rx.table.cell(level_badge(r)),
            ],
        ),
    )


def backtest() -> rx.Component:
    return section(
        "monitoring-backtest",
        "monitoring.backtest",
        MonitoringState.has_data["backtest"],
        table(
            [
                "monitoring.band",
                "monitoring.n",
                "monitoring.predicted",
                "monitoring.observed",
                "monitoring.level",
            ],
            MonitoringState.rows["backtest"],
            lambda r: [
                rx.table.row_header_cell(r["band"]),
                rx.table.cell(r["n"]),
                rx.table.cell(r["predicted"]),
                rx.table.cell(r["observed"]),
                rx.table.cell(level_badge(r)),
            ],
        ),
        rx.text(T["monitoring.auc"], " : ", MonitoringState.figures["auc"], size="2", id="backtest-auc"),
    )


def fairness() -> rx.Component:
    return section(
        "monitoring-fairness",
        "monitoring.fairness",
        MonitoringState.has_data["fairness"],
        table(
            [
                "monitoring.age_band",
                "monitoring.n",
                "monitoring.approval_rate",
                "monitoring.mean_probability",
            ],
            MonitoringState.rows["fairness"],
            lambda r: [
                rx.table.row_header_cell(r["band"]),
                rx.table.cell(r["n"]),
                rx.table.cell(r["approval_rate"]),
                rx.table.cell(r["mean_probability"]),
            ],
        ),
        rx.text(
            T["monitoring.adverse_impact_ratio"],
            " : ",
            MonitoringState.figures["adverse_impact_ratio"],
            size="2",
        ),
        rx.text(
            T["monitoring.age_alone"],
            " : ",
            MonitoringState.figures["age_alone"],
            size="2",
            id="fairness-age-alone",
        ),
    )


def challenger() -> rx.Component:
    return section(
        "monitoring-challenger",
        "monitoring.challenger",
        MonitoringState.has_data["challenger"],
        rx.text(
            rx.code(MonitoringState.figures["challenger_name"]),
            " · ",
            MonitoringState.figures["challenger_n"],
            " ",
            T["monitoring.outcomes"],
            size="2",
        ),
        table(
            ["monitoring.model", "monitoring.auc", "monitoring.brier"],
            MonitoringState.rows["challenger"],
            lambda r: [
                rx.table.row_header_cell(r["model"]),
                rx.table.cell(r["auc"]),
                rx.table.cell(r["brier"]),
            ],
        ),
    )


def oversight() -> rx.Component:
    return section(
        "monitoring-oversight",
        "oversight.title",
        MonitoringState.oversight.length() > 0,
        rx.data_list.root(
            rx.foreach(
                MonitoringState.oversight,
                lambda r: rx.data_list.item(rx.data_list.label(r["label"]), rx.data_list.value(r["value"])),
            ),
        ),
    )


def history_chart(title_key: str, chart: rx.Component, *notes: rx.Component) -> rx.Component:
    return rx.vstack(rx.heading(T[title_key], size="2", as_="h3"), chart, *notes, spacing="1", width="100%")


def history() -> rx.Component:
    """The stored months: stability against the 0.1 / 0.25 lines, predicted vs observed
    default rate, approval rate by age band."""
    percent = locale_ticks(MonitoringState.lang, "%")
    levels = [
        rx.recharts.reference_line(
            y=str(line["at"]), stroke=line["colour"], stroke_dasharray="6 3", if_overflow="extendDomain"
        )
        for line in LEVEL_LINES
    ]
    return section(
        "monitoring-history",
        "monitoring.history",
        MonitoringState.stability_chart.length() > 0,
        rx.grid(
            history_chart(
                "monitoring.history.stability",
                month_lines_chart(
                    MonitoringState.stability_chart,
                    MonitoringState.stability_lines,
                    locale_ticks(MonitoringState.lang),
                    *levels,
                    chart_id="history-stability",
                ),
                rx.text(MonitoringState.levels_note, size="1", color_scheme="gray"),
            ),
            history_chart(
                "monitoring.history.default_rate",
                month_lines_chart(
                    MonitoringState.default_rate_chart,
                    [
                        {"key": "predicted", "name": T["monitoring.history.predicted"], "colour": "#6e56cf"},
                        {"key": "observed", "name": T["monitoring.history.observed"], "colour": "#e5484d"},
                    ],
                    percent,
                    chart_id="history-default-rate",
                ),
            ),
            history_chart(
                "monitoring.history.approval",
                month_lines_chart(
                    MonitoringState.approval_chart,
                    MonitoringState.approval_lines,
                    percent,
                    chart_id="history-approval",
                ),
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
    )


@page("/monitoring", "nav.monitoring", on_load=MonitoringState.load)
def monitoring_page() -> rx.Component:
    return rx.vstack(
        rx.heading(T["monitoring.title"], size="6", as_="h1"),
        window_form(),
        history(),
        stability(),
        rx.grid(
            backtest(), fairness(), columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"
        ),
        rx.grid(
            challenger(), oversight(), columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"
        ),
        spacing="4",
        width="100%",
    )
