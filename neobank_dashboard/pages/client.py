"""/clients/[client_id]: the decision screen first, then the details, what-if and history."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.explanation import contribution_chart
from neobank_dashboard.components.forms import field_label
from neobank_dashboard.components.gauge import gauge
from neobank_dashboard.state.client import ClientState
from neobank_dashboard.views.contest import contest_panel
from neobank_dashboard.views.decision_screen import decision_screen, recommendation_badge
from neobank_dashboard.views.page import page

T = ClientState.t


def scoring_banner() -> rx.Component:
    return rx.cond(
        ClientState.scoring_message != "",
        rx.callout(
            T[ClientState.scoring_message],
            icon="octagon-pause",
            color_scheme="amber",
            high_contrast=True,
            role="alert",
            id="scoring-banner",
        ),
    )


# A phone has no room for a fourth column: the observation date goes under the value.
FROM_SM = rx.breakpoints(initial="none", sm="table-cell")
BELOW_SM = rx.breakpoints(initial="block", sm="none")


def as_of_cell(f, text, badge_class: str = "stale-badge") -> rx.Component:
    return rx.hstack(
        rx.text(text, size=rx.breakpoints(initial="1", sm="2")),
        rx.cond(
            f["stale"] != "",
            badge(rx.icon("clock", size=12), T["client.stale"], color_scheme="amber", class_name=badge_class),
        ),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def features_table() -> rx.Component:
    return rx.vstack(
        rx.heading(T["client.features"], size="3", as_="h2"),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(T[k])
                        for k in ("client.variable", "client.value", "client.percentile")
                    ],
                    rx.table.column_header_cell(T["client.as_of"], display=FROM_SM),
                )
            ),
            rx.table.body(
                rx.foreach(
                    ClientState.features,
                    lambda f: rx.table.row(
                        rx.table.row_header_cell(f["label"]),
                        rx.table.cell(
                            rx.text(f["value"]),
                            rx.box(
                                as_of_cell(f, T["client.as_of"] + " " + f["as_of"], "stale-badge-phone"),
                                display=BELOW_SM,
                            ),
                            font_variant_numeric="tabular-nums",
                        ),
                        rx.table.cell(f["percentile"]),
                        rx.table.cell(as_of_cell(f, f["as_of"]), display=FROM_SM),
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
    """A native range input, keyboard- and screen-reader-friendly. It keeps its value in
    the browser (uncontrolled) and rescoring waits for a pause, so no key press is lost to
    a server round trip; ``key`` remounts it at the client's value on reset."""
    input_id = "whatif-" + control["name"]
    return rx.vstack(
        rx.hstack(
            field_label(control["label"], input_id),
            rx.spacer(),
            rx.text(control["text"], size="2", id=input_id + "-text"),
            width="100%",
        ),
        rx.el.input(
            type="range",
            id=input_id,
            # Reflex: a state field read on the class is a Var.
            key=ClientState.what_if_key.to_string() + control["name"],  # type: ignore[attr-defined]
            min=control["min"],
            max=control["max"],
            step=control["step"],
            default_value=control["initial"],
            on_change=lambda value: ClientState.set_what_if(control["name"], value).debounce(250),
            style={"width": "100%", "accent_color": "var(--violet-9)"},
        ),
        spacing="1",
        width="100%",
    )


def what_if_panel() -> rx.Component:
    """The simulation has its own look (violet, dashed) so it is never taken for the score."""
    return rx.card(
        rx.vstack(
            rx.heading(T["whatif.title"], size="3", as_="h2"),
            rx.text(
                T["whatif.hint"], " ", T["whatif.ghost"], size="1", color_scheme="gray", high_contrast=True
            ),
            rx.flex(
                gauge(
                    ClientState.what_if_gauge,
                    ClientState.gauge_labels,
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
                            color_scheme="violet",
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
        style={"background": "var(--violet-2)", "border": "2px dashed var(--violet-8)"},
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
        scoring_banner(),
        decision_screen(),
        contest_panel(),  # the client's contest of the latest decision, under the decision
        rx.heading(T["client.more"], size="4", as_="h2", padding_top="var(--space-3)"),
        rx.grid(
            rx.vstack(
                rx.card(
                    contribution_chart(
                        ClientState.contributions, T["client.contributions"], ClientState.base_text
                    ),
                    width="100%",
                ),
                rx.card(features_table(), width="100%"),
                spacing="4",
                width="100%",
            ),
            rx.vstack(what_if_panel(), rx.card(history_panel(), width="100%"), spacing="4", width="100%"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def not_found() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("search-x")),
        rx.callout.text(
            rx.text(T["client.not_found_title"], weight="bold", as_="span"), " — ", T["client.not_found_body"]
        ),
        rx.link(T["client.back_to_list"], href="/clients", id="back-to-clients"),
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
