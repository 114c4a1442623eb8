"""/clients: the advisor's portfolio, one page at a time."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.layout import app_shell
from neobank_dashboard.components.style import RECOMMENDATION_COLOR
from neobank_dashboard.state.clients import ClientsState

T = ClientsState.t


def recommendation_badge(value) -> rx.Component:
    return rx.cond(
        value != "",
        rx.match(
            value,
            *[(key, rx.badge(T[f"recommendation.{key}"], color_scheme=color))
              for key, color in RECOMMENDATION_COLOR.items()],
            rx.text(value),
        ),
        rx.text(T["clients.not_scored"], color_scheme="gray", size="2"),
    )


def client_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(rx.code(row["id"]), href="/clients/" + row["id"])),
        rx.table.cell(row["probability"]),
        rx.table.cell(recommendation_badge(row["recommendation"])),
        rx.table.cell(
            rx.hstack(
                rx.text(row["data_as_of"]),
                rx.cond(row["stale"] != "", rx.badge(rx.icon("clock", size=12),
                                                     T["clients.stale"], color_scheme="amber")),
                spacing="2", align="center",
            )
        ),
    )


def pagination() -> rx.Component:
    return rx.hstack(
        rx.button(T["clients.previous"], variant="soft", disabled=ClientsState.page <= 1,
                  on_click=ClientsState.go_to_page(ClientsState.page - 1)),
        rx.text(T["clients.page"], " ", ClientsState.page, " / ", ClientsState.page_count,
                size="2"),
        rx.button(T["clients.next"], variant="soft",
                  disabled=ClientsState.page >= ClientsState.page_count,
                  on_click=ClientsState.go_to_page(ClientsState.page + 1)),
        align="center", spacing="3", justify="end", width="100%",
    )


def clients_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            rx.hstack(
                rx.heading(T["clients.title"], size="6", as_="h1"),
                rx.badge(ClientsState.total, " ", T["clients.count"], size="2",
                         id="clients-total"),
                align="center", spacing="3",
            ),
            rx.card(
                rx.table.root(
                    rx.table.header(rx.table.row(
                        rx.table.column_header_cell(T["clients.id"]),
                        rx.table.column_header_cell(T["clients.probability"]),
                        rx.table.column_header_cell(T["clients.recommendation"]),
                        rx.table.column_header_cell(T["clients.data_as_of"]),
                    )),
                    rx.table.body(rx.foreach(ClientsState.rows, client_row)),
                    width="100%", variant="surface", id="clients-table",
                ),
                rx.cond(ClientsState.total == 0,
                        rx.text(T["clients.empty"], color_scheme="gray", padding="4")),
                width="100%",
            ),
            pagination(),
            spacing="4", width="100%",
        )
    )
