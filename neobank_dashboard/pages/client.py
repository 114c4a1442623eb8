"""/clients/[client_id]: the gauge first, then why, the data, what-if, history, decision."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.explanation import contribution_chart, reasons_list
from neobank_dashboard.components.forms import field_label
from neobank_dashboard.components.gauge import gauge
from neobank_dashboard.components.style import RECOMMENDATION_COLOR
from neobank_dashboard.state.client import OUTCOMES, ClientState
from neobank_dashboard.views.contest import contest_panel
from neobank_dashboard.views.page import page

T = ClientState.t


def recommendation_badge(value, size: str = "3") -> rx.Component:
    return rx.match(
        value,
        *[
            (
                key,
                badge(
                    T[f"recommendation.{key}"],
                    color_scheme=color,
                    size=size,
                    variant="solid" if key != "review" else "soft",
                ),
            )
            for key, color in RECOMMENDATION_COLOR.items()
        ],
        rx.fragment(),
    )


def score_summary() -> rx.Component:
    """The top card: visible without scrolling on a 1366x768 screen."""
    return rx.card(
        rx.flex(
            gauge(
                ClientState.gauge,
                ClientState.probability_text,
                T["client.gauge_label"],
                T["client.gauge_caption"],
            ),
            rx.vstack(
                rx.text(T["client.human_decides"], size="1", color_scheme="gray"),
                rx.hstack(
                    recommendation_badge(ClientState.recommendation),
                    badge(
                        T["client.risk_band"],
                        " ",
                        ClientState.risk_band,
                        " · ",
                        T["risk_band." + ClientState.risk_band],
                        size="3",
                        variant="outline",
                        id="risk-band",
                    ),
                    spacing="3",
                    align="center",
                    wrap="wrap",
                    id="recommendation",
                ),
                rx.foreach(ClientState.recommendation_notes, lambda note: rx.text(note, size="2")),
                rx.text(ClientState.threshold_text, size="2", color_scheme="gray"),
                rx.text(ClientState.model_line, size="1", color_scheme="gray"),
                spacing="2",
                flex="1",
                min_width="16rem",
            ),
            spacing="5",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        width="100%",
    )


def banners() -> rx.Component:
    return rx.fragment(
        rx.cond(
            ClientState.scoring_message != "",
            rx.callout(
                T[ClientState.scoring_message],
                icon="octagon-pause",
                color_scheme="amber",
                high_contrast=True,
                role="alert",
                id="scoring-banner",
            ),
        ),
        rx.cond(
            ClientState.needs_refresh,
            # High contrast: amber text on amber is 4.1:1, under WCAG AA's 4.5:1.
            rx.callout(
                T["client.refresh_banner"],
                icon="clock-alert",
                color_scheme="amber",
                high_contrast=True,
                role="alert",
                id="refresh-banner",
            ),
        ),
    )


def features_table() -> rx.Component:
    return rx.vstack(
        rx.heading(T["client.features"], size="3", as_="h2"),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(T[k])
                        for k in ("client.variable", "client.value", "client.percentile", "client.as_of")
                    ]
                )
            ),
            rx.table.body(
                rx.foreach(
                    ClientState.features,
                    lambda f: rx.table.row(
                        rx.table.row_header_cell(f["label"]),
                        rx.table.cell(f["value"], font_variant_numeric="tabular-nums"),
                        rx.table.cell(f["percentile"]),
                        rx.table.cell(
                            rx.hstack(
                                rx.text(f["as_of"]),
                                rx.cond(
                                    f["stale"] != "",
                                    badge(
                                        rx.icon("clock", size=12),
                                        T["client.stale"],
                                        color_scheme="amber",
                                        class_name="stale-badge",
                                    ),
                                ),
                                spacing="2",
                                align="center",
                                wrap="wrap",
                            )
                        ),
                        data_feature=f["name"],
                    ),
                )
            ),
            variant="surface",
            size="1",
            width="100%",
            id="features-table",
        ),
        spacing="2",
        width="100%",
    )


def what_if_control(control) -> rx.Component:
    """A native range input: keyboard- and screen-reader-friendly without extra wiring."""
    input_id = "whatif-" + control["name"]
    return rx.vstack(
        rx.hstack(
            field_label(control["label"], input_id),
            rx.spacer(),
            rx.text(control["text"], size="2"),
            width="100%",
        ),
        rx.el.input(
            type="range",
            id=input_id,
            min=control["min"],
            max=control["max"],
            step=control["step"],
            value=control["value"],
            on_change=lambda value: ClientState.set_what_if(control["name"], value).throttle(150),
            style={"width": "100%", "accent_color": "var(--accent-9)"},
        ),
        spacing="1",
        width="100%",
    )


def what_if_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T["whatif.title"], size="3", as_="h2"),
            rx.text(T["whatif.hint"], size="1", color_scheme="gray"),
            rx.flex(
                gauge(
                    ClientState.what_if_gauge,
                    ClientState.what_if_probability_text,
                    T["whatif.new_probability"],
                    ClientState.what_if_delta_text,
                    element_id="whatif-gauge",
                ),
                rx.vstack(
                    rx.foreach(ClientState.what_if_controls, what_if_control),
                    # Wraps instead of overflowing the card on narrow columns.
                    rx.flex(
                        recommendation_badge(ClientState.what_if_recommendation, "2"),
                        rx.button(
                            T["whatif.reset"],
                            size="1",
                            variant="soft",
                            on_click=ClientState.reset_what_if,
                            id="whatif-reset",
                        ),
                        wrap="wrap",
                        gap="2",
                        justify="between",
                        align="center",
                        width="100%",
                    ),
                    spacing="3",
                    flex="1",
                    min_width="14rem",
                ),
                spacing="4",
                wrap="wrap",
                width="100%",
                align="center",
            ),
            rx.cond(
                ClientState.what_if_error != "",
                rx.text(T[ClientState.what_if_error], color_scheme="red", size="2", role="alert"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="whatif",
    )


def history_panel() -> rx.Component:
    return rx.vstack(
        rx.heading(T["history.title"], size="3", as_="h2"),
        rx.cond(
            ClientState.history.length() > 0,
            rx.table.root(
                rx.table.body(
                    rx.foreach(
                        ClientState.history,
                        lambda h: rx.table.row(
                            rx.table.cell(h["when"], white_space="nowrap"),
                            rx.table.cell(
                                badge(
                                    T["history." + h["kind"]],
                                    variant="soft",
                                    color_scheme=rx.cond(h["kind"] == "score", "gray", "indigo"),
                                )
                            ),
                            rx.table.cell(rx.text(h["what"], weight="medium")),
                            rx.table.cell(rx.text(h["detail"], size="1")),
                            rx.table.cell(
                                rx.cond(h["note"] != "", badge(h["note"], color_scheme="amber", size="1"))
                            ),
                        ),
                    )
                ),
                variant="surface",
                size="1",
                width="100%",
                id="history",
            ),
            rx.text(T["history.empty"], color_scheme="gray", size="2"),
        ),
        spacing="2",
        width="100%",
    )


def decision_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(T["decision.title"], size="3", as_="h2"),
                rx.radio_group.root(
                    rx.hstack(
                        *[
                            rx.el.label(
                                rx.hstack(
                                    rx.radio_group.item(value=o, id=f"outcome-{o}"),
                                    rx.text(T[f"decision.{o}"], size="2"),
                                    spacing="1",
                                    align="center",
                                )
                            )
                            for o in OUTCOMES
                        ],
                        spacing="4",
                    ),
                    value=ClientState.decision_outcome,
                    on_change=ClientState.set_decision_outcome,
                    aria_label=T["decision.title"],
                ),
                field_label(T["decision.justification"], "justification"),
                rx.text_area(
                    id="justification",
                    name="justification",
                    key=ClientState.decision_form_key,
                    placeholder=T["decision.no_names"],
                    rows="3",
                    width="100%",
                    max_length=2000,
                ),
                rx.text(
                    rx.cond(
                        ClientState.justification_required,
                        T["decision.required_hint"],
                        T["decision.optional_hint"],
                    ),
                    size="1",
                    color_scheme=rx.cond(ClientState.justification_required, "amber", "gray"),
                ),
                rx.cond(
                    ClientState.decision_error != "",
                    rx.callout(
                        T[ClientState.decision_error],
                        icon="triangle-alert",
                        color_scheme="red",
                        role="alert",
                        id="decision-error",
                        width="100%",
                    ),
                ),
                rx.cond(
                    ClientState.decision_notice != "",
                    rx.callout(
                        T[ClientState.decision_notice],
                        icon="check",
                        color_scheme="green",
                        role="status",
                        id="decision-notice",
                        width="100%",
                    ),
                ),
                rx.button(
                    T["decision.submit"], type="submit", id="decision-submit", disabled=~ClientState.has_score
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=ClientState.submit_decision,
            reset_on_submit=False,
        ),
        width="100%",
        id="decision",
    )


def client_details() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.link(
                rx.hstack(rx.icon("arrow-left", size=16), T["client.back"], spacing="1", align="center"),
                href="/clients",
                size="2",
                white_space="nowrap",
            ),
            rx.heading(T["client.title"], size="5", as_="h1"),
            rx.code(ClientState.client_id, id="client-id"),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        score_summary(),
        banners(),
        rx.grid(
            rx.card(
                rx.vstack(
                    reasons_list(ClientState.reasons, T["client.reasons"]),
                    contribution_chart(
                        ClientState.contributions, T["client.contributions"], ClientState.base_text
                    ),
                    spacing="5",
                    width="100%",
                )
            ),
            rx.vstack(rx.card(features_table(), width="100%"), what_if_panel(), spacing="4", width="100%"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            rx.vstack(decision_form(), contest_panel(), spacing="4", width="100%"),
            rx.card(history_panel()),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def not_found() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("search-x")),
        rx.callout.text(
            rx.text(T["client.not_found_title"], weight="bold", as_="span"), " — ", T["client.not_found_body"]
        ),
        color_scheme="gray",
        id="client-not-found",
        role="alert",
    )


@page("/clients/[client_id]", "client.title", on_load=ClientState.load)
def client_page() -> rx.Component:
    return rx.cond(
        ClientState.loaded,
        rx.cond(ClientState.found, client_details(), not_found()),
        rx.center(rx.spinner(size="3"), padding="4rem"),
    )
