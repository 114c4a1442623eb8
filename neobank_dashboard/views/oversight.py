"""The human-oversight figures (services/oversight.py): per advisor, then all advisors."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.services.oversight import OversightFlag
from neobank_dashboard.state.reviews import ReviewsState

T = ReviewsState.t
COLUMNS = ("decisions", "override_rate", "agreement_rate", "median_time", "without_reasons")


def flags_cell(flags) -> rx.Component:
    """Each flag in words, with an icon: never colour alone."""
    return rx.hstack(
        *[
            rx.cond(
                flags.contains(flag.value),
                badge(rx.icon("flag", size=12), T[f"oversight.flag.{flag.value}"], color_scheme="red"),
            )
            for flag in OversightFlag
        ],
        spacing="1",
        wrap="wrap",
    )


def oversight_row(row) -> rx.Component:
    total = row["name"] == ""
    return rx.table.row(
        rx.table.row_header_cell(
            rx.cond(total, rx.text(T["oversight.total"], weight="bold"), rx.text(row["name"]))
        ),
        *[rx.table.cell(row[column], font_variant_numeric="tabular-nums") for column in COLUMNS],
        rx.table.cell(flags_cell(row["flags"])),
        background=rx.cond(total, "var(--gray-3)", "transparent"),
    )


def oversight_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T["oversight.title"], size="4", as_="h2"),
            rx.text(T["oversight.intro"], size="2", color_scheme="gray"),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(T["oversight.advisor"]),
                        *[rx.table.column_header_cell(T[f"oversight.{column}"]) for column in COLUMNS],
                        rx.table.column_header_cell(T["oversight.flags"]),
                    )
                ),
                rx.table.body(rx.foreach(ReviewsState.oversight_rows, oversight_row)),
                variant="surface",
                size="1",
                width="100%",
                id="oversight-table",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="oversight",
    )
