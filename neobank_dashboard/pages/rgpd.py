"""/rgpd: the advisors' guide to data protection in this application."""

from __future__ import annotations

import reflex as rx

from modeling.features import FEATURES
from neobank_dashboard.components.forms import labelled
from neobank_dashboard.components.style import NATIVE_SELECT_STYLE
from neobank_dashboard.state.rgpd import RESTRICTION_GROUNDS, RgpdActionsState, RgpdState
from neobank_dashboard.views.page import page

T = RgpdState.t
RIGHTS = ("access", "rectification", "erasure", "restriction", "objection", "human")


def section(title_key: str, *children, **props) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(T[title_key], size="4", as_="h2"), *children, spacing="3", width="100%"),
        width="100%",
        as_="section",
        **props,
    )


def variables_table() -> rx.Component:
    return rx.table.root(
        rx.table.body(
            rx.foreach(
                RgpdState.variables,
                lambda v: rx.table.row(
                    rx.table.row_header_cell(v["label"]),
                    rx.table.cell(v["why"]),
                    rx.table.cell(v["range"], " ", v["unit"], white_space="nowrap"),
                ),
            )
        ),
        variant="surface",
        size="1",
        width="100%",
    )


def retention_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(T["rgpd.retention.category"]),
                rx.table.column_header_cell(T["rgpd.retention.duration"]),
                rx.table.column_header_cell(T["rgpd.retention.trigger"]),
                rx.table.column_header_cell(T["rgpd.retention.basis"]),
            )
        ),
        rx.table.body(
            rx.foreach(
                RgpdState.policies,
                lambda p: rx.table.row(
                    rx.table.row_header_cell(p["label"]),
                    rx.table.cell(rx.text(p["duration"], weight="bold"), white_space="nowrap"),
                    rx.table.cell(p["trigger"]),
                    rx.table.cell(rx.text(p["basis"], size="1")),
                    data_category=p["category"],
                ),
            )
        ),
        variant="surface",
        size="1",
        width="100%",
        id="retention-table",
    )


def rights_list() -> rx.Component:
    return rx.grid(
        *[
            rx.box(
                rx.text(T[f"rgpd.right.{right}"], weight="bold", size="2", as_="p"),
                rx.text(T[f"rgpd.right.{right}.how"], size="2", as_="p"),
                padding="0.75rem",
                border="1px solid var(--gray-5)",
                border_radius="var(--radius-3)",
            )
            for right in RIGHTS
        ],
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="3",
        width="100%",
    )


def _field(label_key: str, control: rx.Component, html_for: str) -> rx.Component:
    return labelled(T[label_key], control, html_for)


def _input(name: str, **props) -> rx.Component:
    return rx.input(
        id=f"rgpd-{name}",
        value=getattr(RgpdActionsState, name),
        on_change=lambda v: RgpdActionsState.set_field(name, v),
        width="100%",
        **props,
    )


def requests_panel() -> rx.Component:
    """Working actions for supervisors: export, rectify, restrict, object, erase."""
    S = RgpdActionsState
    return section(
        "rgpd.actions.title",
        _field(
            "rgpd.actions.client", _input("target_id", placeholder="xxxxxxxx-xxxx-4xxx-…"), "rgpd-target_id"
        ),
        rx.hstack(
            rx.button(
                rx.icon("download", size=16), T["rgpd.actions.export"], on_click=S.export, id="rgpd-export"
            ),
            rx.button(
                rx.icon("ban", size=16),
                T["rgpd.actions.object"],
                variant="soft",
                on_click=S.object_to_processing,
                id="rgpd-object",
            ),
            spacing="3",
            wrap="wrap",
        ),
        rx.grid(
            _field(
                "rgpd.actions.feature",
                rx.el.select(
                    *[rx.el.option(T[f"feature.{f.name}"], value=f.name) for f in FEATURES],
                    id="rgpd-feature",
                    value=S.feature,
                    style=NATIVE_SELECT_STYLE,
                    on_change=lambda v: S.set_field("feature", v),
                ),
                "rgpd-feature",
            ),
            _field("rgpd.actions.value", _input("value", inputmode="decimal"), "rgpd-value"),
            _field("rgpd.actions.as_of", _input("as_of", type="date"), "rgpd-as_of"),
            rx.button(T["rgpd.actions.rectify"], on_click=S.rectify, align_self="end", id="rgpd-rectify"),
            columns=rx.breakpoints(initial="1", md="4"),
            spacing="3",
            width="100%",
        ),
        rx.hstack(
            _field(
                "rgpd.actions.ground",
                rx.el.select(
                    *[rx.el.option(T[f"rgpd.ground.{g}"], value=g) for g in RESTRICTION_GROUNDS],
                    id="rgpd-ground",
                    value=S.ground,
                    style=NATIVE_SELECT_STYLE,
                    on_change=lambda v: S.set_field("ground", v),
                ),
                "rgpd-ground",
            ),
            rx.button(
                T["rgpd.actions.restrict"],
                variant="soft",
                color_scheme="amber",
                on_click=S.restrict,
                align_self="end",
                id="rgpd-restrict",
            ),
            spacing="3",
            align="end",
            width="100%",
        ),
        rx.hstack(
            rx.el.label(
                rx.hstack(
                    rx.checkbox(
                        checked=S.confirm_erase,
                        aria_label=T["rgpd.actions.erase_confirm"],
                        on_change=S.set_confirm_erase,
                        id="rgpd-confirm",
                    ),
                    rx.text(T["rgpd.actions.erase_confirm"], size="2"),
                    spacing="2",
                    align="center",
                )
            ),
            rx.button(
                rx.icon("trash-2", size=16),
                T["rgpd.actions.erase"],
                color_scheme="red",
                on_click=S.erase,
                id="rgpd-erase",
            ),
            spacing="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(
            S.message != "",
            rx.cond(
                S.failed,
                rx.callout(
                    T[S.message] + S.message_detail,
                    icon="triangle-alert",
                    color_scheme="red",
                    role="alert",
                    id="rgpd-message",
                ),
                rx.callout(
                    T[S.message], icon="check", color_scheme="green", role="status", id="rgpd-message"
                ),
            ),
        ),
        id="requests",
    )


@page("/rgpd", "nav.rgpd", on_load=RgpdState.load)
def rgpd_page() -> rx.Component:
    return rx.vstack(
        rx.heading(T["rgpd.title"], size="6", as_="h1"),
        rx.text(T["rgpd.intro"], size="3"),
        section("rgpd.purposes.title", rx.text(T["rgpd.purposes.body"])),
        section(
            "rgpd.variables.title",
            variables_table(),
            rx.callout(T["rgpd.variables.never"], icon="shield-off", color_scheme="gray"),
        ),
        section("rgpd.pseudonym.title", rx.text(T["rgpd.pseudonym.body"])),
        section("rgpd.retention.title", retention_table(), id="retention"),
        section("rgpd.rights.title", rights_list()),
        rx.cond(RgpdState.is_supervising, requests_panel()),
        section("rgpd.security.title", rx.text(T["rgpd.security.body"])),
        section("rgpd.contact.title", rx.text(T["rgpd.contact.body"])),
        spacing="4",
        width="100%",
        max_width="60rem",
    )
