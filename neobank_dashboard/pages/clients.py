"""/clients: the portfolio, filtered on the server, one page at a time."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.style import RECOMMENDATION_COLOR
from neobank_dashboard.state.clients import ClientsState
from neobank_dashboard.views.filters import filter_panel
from neobank_dashboard.views.page import page
from neobank_dashboard.views.worklist import COMPACT_ROWS, decision_status_cell, quick_filters, sort_header

T = ClientsState.t
# A client id (a UUID) on one line, cut with an ellipsis: the link's title holds it whole.
TRUNCATED_ID = {
    "display": "inline-block",
    "max_width": "10ch",
    "overflow": "hidden",
    "text_overflow": "ellipsis",
    "white_space": "nowrap",
    "vertical_align": "bottom",
}


def recommendation_badge(value) -> rx.Component:
    return rx.cond(
        value != "",
        rx.match(
            value,
            *[
                (key, badge(T[f"recommendation.{key}"], color_scheme=color, variant="soft"))
                for key, color in RECOMMENDATION_COLOR.items()
            ],
            rx.text(value),
        ),
        rx.text(T["clients.not_scored"], color_scheme="gray", size="2"),
    )


def client_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                rx.code(row["id"], variant="ghost", style=TRUNCATED_ID),
                href="/clients/" + row["id"],
                aria_label=T["clients.open"] + " " + row["id"],
                title=row["id"],
            )
        ),
        rx.table.cell(row["probability"], class_name="probability"),
        rx.table.cell(recommendation_badge(row["recommendation"])),
        rx.table.cell(decision_status_cell(row)),
        rx.table.cell(row["age"]),
        rx.table.cell(row["income"]),
        rx.table.cell(row["incidents"]),
        rx.table.cell(
            rx.hstack(
                rx.text(row["data_as_of"], white_space="nowrap"),
                rx.cond(
                    row["stale"] != "",
                    badge(rx.icon("clock", size=12), T["clients.stale"], color_scheme="amber"),
                ),
                spacing="2",
                align="center",
            )
        ),
    )


def clients_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(T["clients.id"], white_space="nowrap"),
                sort_header("clients.probability", "probability"),
                rx.table.column_header_cell(T["clients.recommendation"], white_space="nowrap"),
                rx.table.column_header_cell(T["decision_status.label"], white_space="nowrap"),
                sort_header("clients.age", "age"),
                sort_header("clients.income", "income"),
                sort_header("clients.incidents", "payment_incidents"),
                sort_header("clients.data_as_of", "data_as_of"),
            )
        ),
        rx.table.body(rx.foreach(ClientsState.rows, client_row)),
        width="100%",
        variant="surface",
        size="1",
        style=COMPACT_ROWS,
        id="clients-table",
    )


def pagination() -> rx.Component:
    return rx.hstack(
        rx.button(
            T["clients.previous"],
            variant="soft",
            disabled=ClientsState.page <= 1,
            on_click=ClientsState.go_to_page(ClientsState.page - 1),
            id="page-previous",
        ),
        rx.text(
            T["clients.page"],
            " ",
            ClientsState.page,
            " / ",
            ClientsState.page_count,
            size="2",
            id="page-indicator",
        ),
        rx.button(
            T["clients.next"],
            variant="soft",
            disabled=ClientsState.page >= ClientsState.page_count,
            on_click=ClientsState.go_to_page(ClientsState.page + 1),
            id="page-next",
        ),
        align="center",
        spacing="3",
        justify="end",
        width="100%",
    )


def results() -> rx.Component:
    return rx.cond(
        ClientsState.has_errors,
        rx.callout(T["filters.error.fix"], icon="triangle-alert", color_scheme="red", id="clients-invalid"),
        rx.cond(
            ClientsState.load_failed,
            rx.callout(T["clients.load_failed"], icon="triangle-alert", color_scheme="red", role="alert"),
            rx.cond(
                (ClientsState.total == 0) & ~ClientsState.loading,
                rx.callout(T["clients.empty"], icon="search-x", color_scheme="gray", id="clients-empty"),
                rx.vstack(clients_table(), pagination(), spacing="3", width="100%"),
            ),
        ),
    )


@page("/clients", "nav.clients", on_load=ClientsState.load)
def clients_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(T["clients.title"], size="6", as_="h1"),
            rx.cond(
                ~ClientsState.has_errors,
                badge(ClientsState.count_label, size="2", id="clients-total", white_space="nowrap"),
            ),
            quick_filters(),
            rx.cond(
                ClientsState.loading,
                rx.hstack(
                    rx.spinner(size="1"),
                    rx.text(T["common.loading"], size="1"),
                    align="center",
                    role="status",
                ),
            ),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(
            ClientsState.refused_page != "",
            rx.callout(
                T["clients." + ClientsState.refused_page + "_refused"],
                icon="lock",
                color_scheme="amber",
                role="status",
                id=ClientsState.refused_page + "-refused",
            ),
        ),
        filter_panel(),
        results(),
        spacing="3",
        width="100%",
    )
