"""The portfolio filter panel. Every field maps to one query-string parameter."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.forms import field_label
from neobank_dashboard.components.style import INVALID_OUTLINE, NATIVE_SELECT_STYLE
from neobank_dashboard.state.clients import RANGE_FIELDS, RECOMMENDATIONS, ClientsState
from neobank_dashboard.views.worklist import advanced_filters, choice_filter, filter_value

T = ClientsState.t


def field_error(name: str) -> rx.Component:
    return rx.cond(
        ClientsState.error_messages.contains(name),
        rx.text(
            ClientsState.error_messages[name], color_scheme="red", size="1", role="alert", id=f"error-{name}"
        ),
    )


def invalid_props(name: str) -> dict:
    """A field in error: a red border, and announced as invalid with its message."""
    invalid = ClientsState.error_messages.contains(name)
    return {
        "custom_attrs": {
            "aria-invalid": rx.cond(invalid, "true", "false"),
            "aria-describedby": rx.cond(invalid, f"error-{name}", ""),
        },
        "style": rx.cond(invalid, INVALID_OUTLINE, {}),
    }


def number_filter(name: str) -> rx.Component:
    return rx.vstack(
        field_label(T[f"filters.{name}"], f"filter-{name}"),
        rx.input(
            id=f"filter-{name}",
            value=filter_value(name),
            inputmode="decimal",
            on_change=lambda value: ClientsState.set_filter(name, value),
            size="2",
            width="100%",
            **invalid_props(name),
        ),
        field_error(name),
        spacing="1",
        width="100%",
    )


def recommendation_filter() -> rx.Component:
    return rx.vstack(
        field_label(T["clients.recommendation"], "filter-recommendation"),
        rx.el.select(
            rx.el.option(T["filters.any"], value=""),
            *[rx.el.option(T[f"recommendation.{key}"], value=key) for key in RECOMMENDATIONS],
            id="filter-recommendation",
            value=filter_value("recommendation"),
            on_change=lambda value: ClientsState.set_filter("recommendation", value),
            custom_attrs=invalid_props("recommendation")["custom_attrs"],
            style=rx.cond(
                ClientsState.error_messages.contains("recommendation"),
                NATIVE_SELECT_STYLE | INVALID_OUTLINE,
                NATIVE_SELECT_STYLE,
            ),
        ),
        field_error("recommendation"),
        spacing="1",
        width="100%",
    )


def search_filter() -> rx.Component:
    return rx.vstack(
        field_label(T["filters.id_prefix"], "filter-id_prefix"),
        rx.input(
            id="filter-id_prefix",
            value=filter_value("id_prefix"),
            placeholder=T["filters.search_placeholder"],
            on_change=lambda value: ClientsState.set_filter("id_prefix", value),
            size="2",
            width="100%",
            **invalid_props("id_prefix"),
        ),
        field_error("id_prefix"),
        spacing="1",
        width="100%",
    )


def flag_filter(name: str) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.checkbox(
                id=f"filter-{name}",
                aria_label=T[f"filters.{name}"],
                checked=filter_value(name) == "1",
                on_change=lambda checked: ClientsState.set_filter(name, checked),
            ),
            rx.text(T[f"filters.{name}"], size="2"),
            spacing="2",
            align="center",
        ),
    )


def filter_panel() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.grid(
                    search_filter(),
                    recommendation_filter(),
                    choice_filter("risk_band"),
                    choice_filter("decision_status"),
                    columns=rx.breakpoints(initial="2", md="4"),
                    spacing="3",
                    width="100%",
                ),
                advanced_filters(*[number_filter(name) for name in RANGE_FIELDS]),
                rx.hstack(
                    flag_filter("stale_only"),
                    rx.cond(ClientsState.is_supervising, flag_filter("mine_only")),
                    rx.spacer(),
                    rx.button(
                        T["filters.reset"],
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        on_click=ClientsState.reset_filters,
                        id="filters-reset",
                    ),
                    rx.button(
                        rx.icon("filter", size=16), T["filters.apply"], type="submit", id="filters-apply"
                    ),
                    spacing="4",
                    align="center",
                    width="100%",
                    wrap="wrap",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=lambda _: ClientsState.apply_filters(),
            reset_on_submit=False,
            aria_label=T["filters.title"],
        ),
        width="100%",
    )
