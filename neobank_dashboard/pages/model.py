"""/model: the candidates compared, plots, threshold rationale, importance, odds ratios, card."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.charts import CHART_HEIGHT
from neobank_dashboard.state.model import ModelState
from neobank_dashboard.views.model_shap import shap_section, ticks
from neobank_dashboard.views.page import page

T = ModelState.t
# The artefact's card is a document of its own: its headings sit below the page's h1 and h2.
CARD_HEADINGS = {
    "h1": lambda text: rx.heading(text, as_="h3", size="3"),
    "h2": lambda text: rx.heading(text, as_="h4", size="2"),
    "h3": lambda text: rx.heading(text, as_="h5", size="2"),
}
ROC_COLORS = ("#6e56cf", "#12a594", "#e5484d", "#f76b15", "#0090ff", "#8d8d8d")
MARKDOWN_TABLES = {
    "& table": {"border_collapse": "collapse", "margin": "0.5rem 0"},
    "& th, & td": {
        "border": "1px solid var(--gray-6)",
        "padding": "2px 8px",
        "font_size": "var(--font-size-1)",
    },
}


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
