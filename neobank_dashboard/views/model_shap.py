"""/model's charts in the page's language, and the champion's global shap explanation:
mean |SHAP| bars, a beeswarm coloured by feature value, dependence plots."""

from __future__ import annotations

import reflex as rx
from reflex.vars.function import FunctionStringVar

from modeling.features import FEATURE_NAMES
from neobank_dashboard.components.charts import CHART_HEIGHT, LEGEND_RANK, locale_ticks, ordered_legend
from neobank_dashboard.components.forms import labelled
from neobank_dashboard.components.style import NATIVE_SELECT_STYLE
from neobank_dashboard.state.model import ModelState

T = ModelState.t


def ticks(unit: str = "") -> FunctionStringVar:
    """Axis ticks in the page's language ("0,25", "25 %" in French; "0.25", "25%" in English)."""
    return locale_ticks(ModelState.lang, unit)


def row_ticks(labels) -> FunctionStringVar:
    """Ticks of a numeric axis whose integer positions are rows named by ``labels`` (a list Var)."""
    return FunctionStringVar.create(
        f'(value) => ({labels!s})[Math.round(value)] ?? ""',
        _var_data=labels._get_all_var_data(),
    )


def shap_importance_chart() -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", horizontal=False),
        rx.recharts.bar(data_key="mean_abs_shap", fill="#008bfb", name=T["model.shap.mean_abs"]),
        rx.recharts.x_axis(type_="number", tick_formatter=ticks()),
        rx.recharts.y_axis(data_key="feature", type_="category", width=150),
        rx.recharts.graphing_tooltip(),
        data=ModelState.shap_importance,
        layout="vertical",
        width="100%",
        height=CHART_HEIGHT,
        id="shap-importance",
    )


def colour_series(series) -> rx.Component:
    """One scatter series per colour level (``{"name", "colour", "points"}`` from the state)."""
    return rx.foreach(
        series,
        lambda s, rank: rx.recharts.scatter(
            data=s["points"], fill=s["colour"], name=s["name"], custom_attrs=LEGEND_RANK(rank)
        ),
    )


def shap_beeswarm_chart() -> rx.Component:
    rows = len(FEATURE_NAMES)
    return rx.recharts.scatter_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(
            data_key="shap", type_="number", name=T["model.shap.value"], tick_formatter=ticks()
        ),
        rx.recharts.y_axis(
            data_key="row",
            type_="number",
            domain=[-0.5, rows - 0.5],
            ticks=list(range(rows)),
            tick_formatter=row_ticks(ModelState.shap_rows),
            width=150,
        ),
        rx.recharts.z_axis(range=[14, 14]),
        rx.recharts.reference_line(x=0, stroke="#8d8d8d"),
        colour_series(ModelState.shap_beeswarm),
        ordered_legend(),
        width="100%",
        height=CHART_HEIGHT + 60,
        id="shap-beeswarm",
    )


def shap_dependence_chart() -> rx.Component:
    return rx.recharts.scatter_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(
            data_key="value", type_="number", name=ModelState.shap_dependence_feature, tick_formatter=ticks()
        ),
        rx.recharts.y_axis(
            data_key="shap", type_="number", name=T["model.shap.value"], tick_formatter=ticks()
        ),
        rx.recharts.z_axis(range=[18, 18]),
        rx.recharts.reference_line(y=0, stroke="#8d8d8d"),
        colour_series(ModelState.shap_dependence),
        ordered_legend(),
        rx.recharts.graphing_tooltip(),
        width="100%",
        height=CHART_HEIGHT + 40,
        id="shap-dependence",
    )


def shap_feature_select() -> rx.Component:
    return labelled(
        T["model.shap.feature"],
        rx.el.select(
            rx.foreach(ModelState.shap_features, lambda f: rx.el.option(f["label"], value=f["name"])),
            id="shap-feature",
            value=ModelState.shap_feature,
            on_change=ModelState.choose_shap_feature,
            style=NATIVE_SELECT_STYLE | {"max_width": "20rem"},
        ),
        "shap-feature",
    )


def shap_section() -> rx.Component:
    """The champion's global shap explanation; a linear champion's is its coefficients."""
    return rx.cond(
        ModelState.has_shap,
        rx.card(
            rx.vstack(
                rx.heading(T["model.shap"], size="3", as_="h2"),
                rx.text(ModelState.shap_intro, size="2"),
                rx.grid(
                    rx.vstack(
                        rx.heading(T["model.shap.importance"], size="2", as_="h3"),
                        shap_importance_chart(),
                        width="100%",
                    ),
                    rx.vstack(
                        rx.heading(T["model.shap.summary"], size="2", as_="h3"),
                        shap_beeswarm_chart(),
                        rx.text(T["model.shap.summary_hint"], size="1", color_scheme="gray"),
                        width="100%",
                    ),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="4",
                    width="100%",
                ),
                rx.heading(T["model.shap.dependence"], size="2", as_="h3"),
                shap_feature_select(),
                rx.text(
                    T["model.shap.colour_by"],
                    " ",
                    rx.text.strong(ModelState.shap_interacts_with, id="shap-interacts-with"),
                    size="2",
                ),
                shap_dependence_chart(),
                rx.text(T["model.shap.dependence_hint"], size="1", color_scheme="gray"),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="shap-section",
        ),
        rx.callout(T["model.shap.linear"], icon="info", color_scheme="gray", id="shap-linear", width="100%"),
    )
