"""The clients page's worklist pieces: decision status, quick-filter chips, the sort
shown on its header, the risk band and status selects, the folded range filters."""

from __future__ import annotations

import functools
import operator

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.forms import field_label
from neobank_dashboard.components.style import NATIVE_SELECT_STYLE
from neobank_dashboard.services.recommendation import RiskBand
from neobank_dashboard.services.worklist import DecisionStatus
from neobank_dashboard.state.clients import RANGE_FIELDS, ClientsState

T = ClientsState.t

STATUS_COLOR = {
    DecisionStatus.none: "gray",
    DecisionStatus.approved: "green",
    DecisionStatus.refused: "red",
    DecisionStatus.referred: "amber",
    DecisionStatus.contested: "purple",
}
# One line per row, so that 15 rows fit under the filters on a 1366x768 screen.
COMPACT_ROWS = {
    "--table-cell-padding": "var(--space-1) var(--space-2)",
    "--table-cell-min-height": "28px",
    "& .rt-TableRowHeaderCell, & .rt-TableColumnHeaderCell": {"white_space": "nowrap"},
}
# Where each choice's label lives in the catalogue.
CHOICES = {
    "risk_band": ("clients.risk_band", "risk_band.", [b.value for b in RiskBand]),
    "decision_status": ("decision_status.label", "decision_status.", [s.value for s in DecisionStatus]),
}


def filter_value(name: str) -> rx.Var[str]:
    """The form's value of filter ``name``, as a string Var."""
    # Reflex: a state field read on the class is a Var, the stub says dict[str, str].
    return ClientsState.filters[name].to(str)  # type: ignore[attr-defined]


def decision_status_cell(row) -> rx.Component:
    """The status in words (colour only repeats it) and since when."""
    return rx.hstack(
        rx.match(
            row["decision_status"],
            *[
                (
                    status.value,
                    badge(T[f"decision_status.{status.value}"], color_scheme=color, variant="soft"),
                )
                for status, color in STATUS_COLOR.items()
            ],
            rx.text(row["decision_status"]),
        ),
        rx.cond(row["decision_at"] != "", rx.text(row["decision_at"], size="1", color_scheme="gray")),
        spacing="2",
        align="center",
        class_name="decision-status",
    )


def quick_chip(chip) -> rx.Component:
    active = chip["active"] != ""
    return rx.link(
        badge(
            rx.cond(active, rx.icon("check", size=12)),
            T["quick." + chip["key"]],
            rx.text(chip["count"], weight="bold", as_="span"),
            size="2",
            radius="full",
            variant=rx.cond(active, "solid", "surface"),
        ),
        href=chip["href"],
        underline="none",
        aria_current=rx.cond(active, "true", "false"),
        id="quick-" + chip["key"],
    )


def quick_filters() -> rx.Component:
    return rx.hstack(
        rx.text(T["quick.label"], size="2", weight="medium", as_="span"),
        rx.foreach(ClientsState.quick_links, quick_chip),
        rx.cond(
            ClientsState.error_messages.contains("quick"),
            rx.text(ClientsState.error_messages["quick"], color_scheme="red", size="1", role="alert"),
        ),
        spacing="2",
        align="center",
        wrap="wrap",
        role="group",
        aria_label=T["quick.label"],
        id="quick-filters",
    )


def sort_header(label_key: str, column: str, **props) -> rx.Component:
    """A sortable column's header: its button, the direction drawn, ``aria-sort`` said."""
    sorted_here = ClientsState.sort_column == column
    direction = rx.cond(ClientsState.sort_descending, "descending", "ascending")
    return rx.table.column_header_cell(
        rx.button(
            T[label_key],
            rx.cond(
                sorted_here,
                rx.cond(
                    ClientsState.sort_descending,
                    rx.icon("arrow-down", size=14, aria_hidden="true"),
                    rx.icon("arrow-up", size=14, aria_hidden="true"),
                ),
                rx.icon("arrow-up-down", size=12, aria_hidden="true", color="var(--gray-9)"),
            ),
            variant=rx.cond(sorted_here, "soft", "ghost"),
            size="1",
            on_click=ClientsState.sort_by(column),
            id=f"sort-{column}",
        ),
        aria_sort=rx.cond(sorted_here, direction, "none"),
        **props,
    )


def choice_filter(name: str) -> rx.Component:
    label_key, prefix, values = CHOICES[name]
    return rx.vstack(
        field_label(T[label_key], f"filter-{name}"),
        rx.el.select(
            rx.el.option(T["filters.any"], value=""),
            *[
                rx.el.option(
                    value + " · " + T[prefix + value] if name == "risk_band" else T[prefix + value],
                    value=value,
                )
                for value in values
            ],
            id=f"filter-{name}",
            name=name,
            value=filter_value(name),
            on_change=lambda value: ClientsState.set_filter(name, value),
            aria_invalid=rx.cond(ClientsState.error_messages.contains(name), "true", "false"),
            aria_describedby=f"error-{name}",
            style=NATIVE_SELECT_STYLE,
        ),
        rx.cond(
            ClientsState.error_messages.contains(name),
            rx.text(
                ClientsState.error_messages[name],
                color_scheme="red",
                size="1",
                role="alert",
                id=f"error-{name}",
            ),
        ),
        spacing="1",
        width="100%",
        min_width="0",  # a grid cell may shrink below its select's longest option
    )


def advanced_filters(*fields: rx.Component) -> rx.Component:
    """The range filters, folded away unless one is set or wrong: the rows come first."""
    in_use = functools.reduce(
        operator.or_,
        [(filter_value(n) != "") | ClientsState.error_messages.contains(n) for n in RANGE_FIELDS],
    )
    return rx.el.details(
        rx.el.summary(T["filters.advanced"], style={"cursor": "pointer", "font_size": "var(--font-size-2)"}),
        rx.grid(
            *fields,
            columns=rx.breakpoints(initial="2", sm="4", md="8"),
            spacing="3",
            width="100%",
            padding_top="0.5rem",
        ),
        open=in_use,
        id="advanced-filters",
        width="100%",
    )
