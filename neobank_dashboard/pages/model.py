"""/model: the candidates compared, plots, threshold rationale, importance, odds ratios, card."""

from __future__ import annotations

import reflex as rx
from reflex.vars.function import FunctionStringVar

from modeling.features import FEATURE_NAMES
from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.charts import LEGEND_RANK, locale_ticks, ordered_legend
from neobank_dashboard.components.forms import labelled
from neobank_dashboard.components.style import NATIVE_SELECT_STYLE
from neobank_dashboard.state.model import ModelState
from neobank_dashboard.views.page import page

T = ModelState.t
# The artefact's card is a document of its own: its headings sit below the page's h1 and h2.
CARD_HEADINGS = {
    "h1": lambda text: rx.heading(text, as_="h3", size="3"),
    "h2": lambda text: rx.heading(text, as_="h4", size="2"),
    "h3": lambda text: rx.heading(text, as_="h5", size="2"),
}
ROC_COLORS = ("#6e56cf", "#12a594", "#e5484d", "#f76b15", "#0090ff", "#8d8d8d")
CHART_HEIGHT = 260
MARKDOWN_TABLES = {
    "& table": {"border_collapse": "collapse", "margin": "0.5rem 0"},
    "& th, & td": {
        "border": "1px solid var(--gray-6)",
        "padding": "2px 8px",
        "font_size": "var(--font-size-1)",
    },
}


def ticks(unit: str = "") -> FunctionStringVar:
    """Axis ticks in the page's language ("0,25", "25 %" in French; "0.25", "25%" in English)."""
    return locale_ticks(ModelState.lang, unit)


def row_ticks(labels) -> FunctionStringVar:
    """Ticks of a numeric axis whose integer positions are rows named by ``labels`` (a list Var)."""
    return FunctionStringVar.create(
        f'(value) => ({labels!s})[Math.round(value)] ?? ""',
        _var_data=labels._get_all_var_data(),
    )


def fact(label_key: str, value, **props) -> rx.Component:
    return rx.vstack(
        rx.text(T[label_key], size="1", color_scheme="gray"),
        rx.text(value, size="3", weight="bold", **props),
        spacing="0",
    )


def overview() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                fact("model.champion", ModelState.summary["name"], id="model-name"),
                fact("model.threshold", ModelState.summary["threshold"], id="model-threshold"),
                fact("model.grey_zone", ModelState.summary["grey_zone"]),
                spacing="6",
                wrap="wrap",
            ),
            rx.text(
                T["model.version"],
                " : ",
                rx.code(ModelState.summary["version"], word_break="break-all"),
                size="1",
            ),
            rx.text(ModelState.summary["why"], size="2"),
            rx.text(T["model.metrics_why"], size="2", color_scheme="gray"),
            spacing="3",
        ),
        width="100%",
    )


def candidates_table() -> rx.Component:
    columns = ("model.candidate", "model.cv_auc", "model.pr_auc", "model.brier", "model.ks", "model.cost")
    return rx.card(
        rx.vstack(
            rx.heading(T["model.candidates"], size="3", as_="h2"),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[c]) for c in columns])),
                rx.table.body(
                    rx.foreach(
                        ModelState.candidates,
                        lambda c: rx.table.row(
                            rx.table.row_header_cell(
                                rx.hstack(
                                    rx.code(c["name"]),
                                    rx.cond(
                                        c["champion"] != "", badge(T["model.champion"], color_scheme="green")
                                    ),
                                    spacing="2",
                                )
                            ),
                            rx.table.cell(c["cv_auc"]),
                            rx.table.cell(c["pr_auc"]),
                            rx.table.cell(c["brier"]),
                            rx.table.cell(c["ks"]),
                            rx.table.cell(c["cost"]),
                        ),
                    )
                ),
                variant="surface",
                size="1",
                width="100%",
                id="candidates-table",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def chart_card(title_key: str, chart: rx.Component, hint=None) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T[title_key], size="3", as_="h2"),
            chart,
            rx.cond(hint is not None, rx.text(hint, size="1", color_scheme="gray"))
            if hint is not None
            else rx.fragment(),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def calibration_chart() -> rx.Component:
    return rx.recharts.scatter_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(
            data_key="predicted", type_="number", name=T["model.predicted"], tick_formatter=ticks("%")
        ),
        rx.recharts.y_axis(
            data_key="observed", type_="number", name=T["model.observed"], tick_formatter=ticks("%")
        ),
        rx.recharts.scatter(data=ModelState.calibration_diagonal, line=True, fill="#8d8d8d", name="y = x"),
        rx.recharts.scatter(data=ModelState.calibration, fill="#6e56cf", line=True, name=T["model.observed"]),
        rx.recharts.graphing_tooltip(),
        width="100%",
        height=CHART_HEIGHT,
    )


def cost_chart() -> rx.Component:
    return rx.recharts.line_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.line(data_key="cost", stroke="#e5484d", dot=False, type_="monotone"),
        rx.recharts.x_axis(data_key="threshold", type_="number", tick_formatter=ticks("%")),
        rx.recharts.y_axis(tick_formatter=ticks()),
        rx.recharts.reference_line(
            x=ModelState.threshold_percent.to(int),
            stroke="#1c2024",
            stroke_dasharray="4 2",
            label=T["model.threshold"],
        ),
        rx.recharts.graphing_tooltip(),
        data=ModelState.cost_curve,
        width="100%",
        height=CHART_HEIGHT,
    )


def roc_chart() -> rx.Component:
    return rx.recharts.line_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.foreach(
            ModelState.roc_names,
            lambda name, i: rx.recharts.line(
                data_key=name,
                dot=False,
                stroke=rx.Var.create(list(ROC_COLORS))[i % len(ROC_COLORS)],
                connect_nulls=True,
                type_="monotone",
            ),
        ),
        rx.recharts.x_axis(data_key="fpr", type_="number", domain=[0, 1], tick_formatter=ticks()),
        rx.recharts.y_axis(domain=[0, 1], tick_formatter=ticks()),
        rx.recharts.legend(),
        data=ModelState.roc_curves,
        width="100%",
        height=CHART_HEIGHT,
    )


def importance_bars() -> rx.Component:
    return rx.vstack(
        rx.foreach(
            ModelState.importance,
            lambda item: rx.hstack(
                rx.text(item["label"], size="1", width="11rem", flex_shrink="0"),
                rx.box(
                    rx.box(
                        width=item["width"], height="100%", background="var(--accent-9)", border_radius="2px"
                    ),
                    flex="1",
                    height="0.9rem",
                    background="var(--gray-3)",
                    border_radius="2px",
                ),
                rx.text(item["value"], size="1", width="5rem", text_align="right"),
                width="100%",
                align="center",
            ),
        ),
        width="100%",
        spacing="2",
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


def odds_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *[
                    rx.table.column_header_cell(T[k])
                    for k in ("model.parameter", "model.odds_ratio", "model.ci", "model.p_value")
                ]
            )
        ),
        rx.table.body(
            rx.foreach(
                ModelState.odds_ratios,
                lambda row: rx.table.row(
                    rx.table.row_header_cell(rx.code(row["parameter"])),
                    rx.table.cell(row["odds_ratio"]),
                    rx.table.cell(row["ci"]),
                    rx.table.cell(row["p_value"]),
                ),
            )
        ),
        variant="surface",
        size="1",
        width="100%",
        id="odds-table",
    )


def card_inputs_table() -> rx.Component:
    columns = ("model.card.feature", "model.card.unit", "model.card.range", "model.card.effect")
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *[rx.table.column_header_cell(T[c]) for c in columns],
                rx.table.column_header_cell(T["model.card.actionable"]),
            )
        ),
        rx.table.body(
            rx.foreach(
                ModelState.card_inputs,
                lambda f: rx.table.row(
                    rx.table.row_header_cell(f["label"]),
                    rx.table.cell(f["unit"]),
                    rx.table.cell(f["range"], white_space="nowrap"),
                    rx.table.cell(f["effect"], min_width="10rem"),
                    rx.table.cell(f["actionable"]),
                ),
            )
        ),
        variant="surface",
        size="1",
        width="100%",
    )


def model_card() -> rx.Component:
    """The card in the page's language; the artefact's own (English) card folds out below,
    marked as English for screen readers."""
    return rx.card(
        rx.vstack(
            rx.heading(T["model.card"], size="3", as_="h2"),
            rx.heading(T["model.card.use_title"], size="2", as_="h3"),
            rx.text(T["model.card.use"], size="2"),
            rx.heading(T["model.card.inputs"], size="2", as_="h3"),
            card_inputs_table(),
            rx.heading(T["model.card.limits_title"], size="2", as_="h3"),
            rx.unordered_list(
                *[rx.list_item(T[f"model.card.limit_{key}"], size="2") for key in ("data", "age", "stale")]
            ),
            rx.el.details(
                rx.el.summary(T["model.card.technical"], style={"cursor": "pointer"}),
                rx.box(
                    rx.markdown(ModelState.model_card, component_map=CARD_HEADINGS),
                    lang="en",
                    style=MARKDOWN_TABLES,
                    overflow_x="auto",
                ),
                width="100%",
            ),
            width="100%",
        ),
        width="100%",
        id="model-card",
    )


def model_details() -> rx.Component:
    return rx.vstack(
        overview(),
        candidates_table(),
        rx.grid(
            chart_card("model.roc", roc_chart()),
            chart_card("model.calibration", calibration_chart(), T["model.calibration_hint"]),
            chart_card("model.cost_curve", cost_chart()),
            chart_card("model.importance", importance_bars()),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        shap_section(),
        chart_card("model.odds", odds_table()),
        model_card(),
        spacing="4",
        width="100%",
    )


@page("/model", "nav.model", on_load=ModelState.load)
def model_page() -> rx.Component:
    return rx.vstack(
        rx.heading(T["model.title"], size="6", as_="h1"),
        rx.cond(
            ModelState.loaded_model,
            model_details(),
            rx.callout(
                T["model.none"],
                icon="octagon-pause",
                color_scheme="amber",
                high_contrast=True,
                role="alert",
            ),
        ),
        spacing="4",
        width="100%",
    )
