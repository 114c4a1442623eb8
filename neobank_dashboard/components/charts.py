"""Pieces shared by the pages' Recharts charts."""

from __future__ import annotations

import reflex as rx
from reflex.vars.function import FunctionStringVar

CHART_HEIGHT = 260


def LEGEND_RANK(rank) -> dict:  # noqa: N802  # reads as the prop it sets
    """A series' place in its :func:`ordered_legend`."""
    return {"legendRank": rank}


def ordered_legend() -> rx.Component:
    """A legend in the series' own order (low to high, score first): Recharts sorts a
    legend by its labels by default, which reads "faible, moyenne, plutôt faible…"."""
    return rx.recharts.legend(
        custom_attrs={"itemSorter": rx.Var("(entry) => (entry.payload ? entry.payload.legendRank : 0)")}
    )


def locale_ticks(lang, unit: str = "") -> FunctionStringVar:
    """Axis ticks in the page's language ("0,25", "25 %" in French; "0.25", "25%" in English);
    ``lang`` is the state's language Var."""
    suffix = f'({lang!s} === "fr" ? "\\u00a0{unit}" : "{unit}")' if unit else '""'
    return FunctionStringVar.create(
        f"(value) => Number(value).toLocaleString({lang!s}) + {suffix}",
        _var_data=lang._get_all_var_data(),
    )


def month_lines_chart(data, lines, y_ticks, *extra: rx.Component, chart_id: str) -> rx.Component:
    """One line per entry of ``lines`` (``{"key", "name", "colour"}``) over ``data``'s months;
    a month without a value is a gap."""
    return rx.recharts.line_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(data_key="month"),
        rx.recharts.y_axis(tick_formatter=y_ticks, width=60),
        *extra,
        rx.foreach(
            lines,
            lambda line, rank: rx.recharts.line(
                data_key=line["key"],
                name=line["name"],
                stroke=line["colour"],
                type_="monotone",
                is_animation_active=False,
                custom_attrs=LEGEND_RANK(rank),
            ),
        ),
        ordered_legend(),
        rx.recharts.graphing_tooltip(),
        data=data,
        width="100%",
        height=CHART_HEIGHT,
        id=chart_id,
    )
