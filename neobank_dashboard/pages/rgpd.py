"""/rgpd: the advisors' guide to data protection in this application."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.layout import app_shell
from neobank_dashboard.state.rgpd import RgpdState

T = RgpdState.t
RIGHTS = ("access", "rectification", "erasure", "restriction", "objection", "human")


def section(title_key: str, *children, **props) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(T[title_key], size="4", as_="h2"), *children, spacing="3",
                  width="100%"),
        width="100%", as_="section", **props,
    )


def variables_table() -> rx.Component:
    return rx.table.root(
        rx.table.body(rx.foreach(RgpdState.variables, lambda v: rx.table.row(
            rx.table.row_header_cell(v["label"]),
            rx.table.cell(v["why"]),
            rx.table.cell(v["range"], " ", v["unit"], white_space="nowrap"),
        ))),
        variant="surface", size="1", width="100%",
    )


def retention_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell(T["rgpd.retention.category"]),
            rx.table.column_header_cell(T["rgpd.retention.duration"]),
            rx.table.column_header_cell(T["rgpd.retention.trigger"]),
            rx.table.column_header_cell(T["rgpd.retention.basis"]),
        )),
        rx.table.body(rx.foreach(RgpdState.policies, lambda p: rx.table.row(
            rx.table.row_header_cell(p["label"]),
            rx.table.cell(rx.text(p["duration"], weight="bold"), white_space="nowrap"),
            rx.table.cell(p["trigger"]),
            rx.table.cell(rx.text(p["basis"], size="1")),
            data_category=p["category"],
        ))),
        variant="surface", size="1", width="100%", id="retention-table",
    )


def rights_list() -> rx.Component:
    return rx.grid(
        *[rx.box(
            rx.text(T[f"rgpd.right.{right}"], weight="bold", size="2", as_="p"),
            rx.text(T[f"rgpd.right.{right}.how"], size="2", as_="p"),
            padding="0.75rem", border="1px solid var(--gray-5)", border_radius="var(--radius-3)",
        ) for right in RIGHTS],
        columns=rx.breakpoints(initial="1", md="2"), spacing="3", width="100%",
    )


def rgpd_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            rx.heading(T["rgpd.title"], size="6", as_="h1"),
            rx.text(T["rgpd.intro"], size="3"),
            section("rgpd.purposes.title", rx.text(T["rgpd.purposes.body"])),
            section("rgpd.variables.title", variables_table(),
                    rx.callout(T["rgpd.variables.never"], icon="shield-off", color_scheme="gray")),
            section("rgpd.pseudonym.title", rx.text(T["rgpd.pseudonym.body"])),
            section("rgpd.retention.title", retention_table(), id="retention"),
            section("rgpd.rights.title", rights_list()),
            section("rgpd.security.title", rx.text(T["rgpd.security.body"])),
            section("rgpd.contact.title", rx.text(T["rgpd.contact.body"])),
            spacing="4", width="100%", max_width="60rem",
        )
    )
