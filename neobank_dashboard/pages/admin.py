"""/admin: staff accounts, the audit log and the retention purge."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.forms import labelled as form_field
from neobank_dashboard.components.style import NATIVE_SELECT_STYLE
from neobank_dashboard.state.admin import ROLES, AdminState
from neobank_dashboard.views.page import page

T = AdminState.t


def labelled(label_key: str, control: rx.Component, html_for: str) -> rx.Component:
    return form_field(T[label_key], control, html_for)


def role_select(account) -> rx.Component:
    return rx.el.select(
        *[rx.el.option(T[f"role.{role}"], value=role) for role in ROLES],
        value=account["role"],
        disabled=account["self"] != "",
        on_change=lambda role: AdminState.ask("role", account["id"], role),
        aria_label=T["admin.role"],
        style=NATIVE_SELECT_STYLE | {"min_width": "9rem"},
    )


def account_row(account) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(account["email"]),
        rx.table.cell(account["full_name"]),
        rx.table.cell(role_select(account)),
        rx.table.cell(
            rx.hstack(
                rx.cond(
                    account["active"] != "",
                    badge(T["admin.active"], color_scheme="green"),
                    badge(T["admin.inactive"], color_scheme="gray"),
                ),
                rx.cond(account["locked"] != "", badge(T["admin.locked"], color_scheme="red")),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.hstack(
                rx.cond(
                    account["locked"] != "",
                    rx.button(
                        T["admin.unlock"], size="1", variant="soft", on_click=AdminState.unlock(account["id"])
                    ),
                ),
                rx.cond(
                    account["self"] == "",
                    rx.cond(
                        account["active"] != "",
                        rx.button(
                            T["admin.deactivate"],
                            size="1",
                            variant="soft",
                            color_scheme="red",
                            on_click=AdminState.ask("deactivate", account["id"], ""),
                        ),
                        rx.button(
                            T["admin.activate"],
                            size="1",
                            variant="soft",
                            on_click=AdminState.set_active(account["id"], True),
                        ),
                    ),
                ),
                spacing="2",
            )
        ),
    )


def create_account_form() -> rx.Component:
    return rx.form(
        rx.grid(
            labelled(
                "admin.email",
                rx.input(name="email", id="new-email", type="email", required=True, width="100%"),
                "new-email",
            ),
            labelled(
                "admin.full_name",
                rx.input(name="full_name", id="new-name", required=True, width="100%"),
                "new-name",
            ),
            labelled(
                "admin.password",
                rx.input(
                    name="password",
                    id="new-password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                    width="100%",
                ),
                "new-password",
            ),
            labelled(
                "admin.role",
                rx.el.select(
                    *[rx.el.option(T[f"role.{role}"], value=role) for role in ROLES],
                    name="role",
                    id="new-role",
                    default_value="advisor",
                    style=NATIVE_SELECT_STYLE,
                ),
                "new-role",
            ),
            rx.button(T["admin.create"], type="submit", align_self="end", id="create-account"),
            columns=rx.breakpoints(initial="1", md="5"),
            spacing="3",
            width="100%",
        ),
        on_submit=AdminState.create_account,
        reset_on_submit=True,
    )


def accounts_panel() -> rx.Component:
    return rx.vstack(
        rx.cond(
            AdminState.account_error != "",
            rx.callout(
                T[AdminState.account_error],
                icon="triangle-alert",
                color_scheme="red",
                role="alert",
                id="account-error",
            ),
        ),
        rx.cond(
            AdminState.account_notice != "",
            rx.callout(T[AdminState.account_notice], icon="check", color_scheme="green", role="status"),
        ),
        create_account_form(),
        confirmation_dialog(),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(T[key])
                        for key in (
                            "admin.email",
                            "admin.full_name",
                            "admin.role",
                            "admin.status",
                            "admin.actions",
                        )
                    ]
                )
            ),
            rx.table.body(rx.foreach(AdminState.accounts, account_row)),
            variant="surface",
            size="1",
            width="100%",
            id="accounts-table",
        ),
        spacing="3",
        width="100%",
    )


def audit_filters() -> rx.Component:
    return rx.form(
        rx.grid(
            labelled(
                "audit.action",
                rx.el.select(
                    rx.el.option(T["audit.all_actions"], value=""),
                    rx.foreach(
                        AdminState.action_options, lambda a: rx.el.option(a["label"], value=a["code"])
                    ),
                    value=AdminState.audit_filter["action"],
                    on_change=lambda v: AdminState.set_audit_filter("action", v),
                    id="audit-action",
                    style=NATIVE_SELECT_STYLE,
                ),
                "audit-action",
            ),
            labelled(
                "audit.outcome",
                rx.el.select(
                    rx.el.option(T["audit.all_outcomes"], value=""),
                    rx.foreach(
                        AdminState.outcome_options, lambda o: rx.el.option(o["label"], value=o["code"])
                    ),
                    value=AdminState.audit_filter["outcome"],
                    on_change=lambda v: AdminState.set_audit_filter("outcome", v),
                    id="audit-outcome",
                    style=NATIVE_SELECT_STYLE,
                ),
                "audit-outcome",
            ),
            labelled(
                "audit.actor",
                rx.input(
                    id="audit-actor",
                    placeholder=T["audit.filter_actor"],
                    value=AdminState.audit_filter["actor"],
                    on_change=lambda v: AdminState.set_audit_filter("actor", v),
                    width="100%",
                ),
                "audit-actor",
            ),
            labelled(
                "audit.object",
                rx.input(
                    id="audit-object",
                    placeholder=T["audit.filter_object"],
                    value=AdminState.audit_filter["object_id"],
                    on_change=lambda v: AdminState.set_audit_filter("object_id", v),
                    width="100%",
                ),
                "audit-object",
            ),
            rx.button(
                rx.icon("filter", size=16),
                T["filters.apply"],
                type="submit",
                id="audit-apply",
                align_self="end",
            ),
            columns=rx.breakpoints(initial="1", sm="2", md="5"),
            spacing="3",
            width="100%",
        ),
        on_submit=lambda _: AdminState.apply_audit_filter(),
        reset_on_submit=False,
        aria_label=T["audit.filters"],
        width="100%",
    )


def confirmation_dialog() -> rx.Component:
    """A role change or a deactivation waits for this 'Confirm'."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(T["admin.confirm.title"]),
            rx.alert_dialog.description(AdminState.pending_question),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button(
                        T["admin.confirm.cancel"],
                        variant="soft",
                        color_scheme="gray",
                        on_click=AdminState.cancel_pending,
                        id="confirm-cancel",
                    )
                ),
                rx.alert_dialog.action(
                    rx.button(
                        T["admin.confirm.ok"],
                        color_scheme="red",
                        on_click=AdminState.confirm_pending,
                        id="confirm-ok",
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
            id="confirm-dialog",
        ),
        open=AdminState.pending_question != "",
    )


def audit_panel() -> rx.Component:
    return rx.vstack(
        audit_filters(),
        rx.text(AdminState.event_total_label, size="2", id="audit-total"),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(T[key])
                        for key in (
                            "audit.when",
                            "audit.actor",
                            "audit.action",
                            "audit.object",
                            "audit.outcome",
                            "audit.request",
                        )
                    ]
                )
            ),
            rx.table.body(
                rx.foreach(
                    AdminState.events,
                    lambda e: rx.table.row(
                        rx.table.cell(e["when"], white_space="nowrap"),
                        rx.table.cell(e["actor"], white_space="nowrap"),
                        rx.table.cell(e["action"]),
                        rx.table.cell(rx.text(e["object"], size="1")),
                        rx.table.cell(
                            badge(
                                e["outcome_label"],
                                color_scheme=rx.match(
                                    e["outcome"], ("success", "green"), ("denied", "amber"), "red"
                                ),
                            )
                        ),
                        rx.table.cell(rx.cond(e["request"] != "", rx.code(e["request"]))),
                    ),
                )
            ),
            variant="surface",
            size="1",
            width="100%",
            id="audit-table",
        ),
        rx.hstack(
            rx.button(
                T["clients.previous"],
                variant="soft",
                disabled=AdminState.event_page <= 1,
                on_click=AdminState.go_to_event_page(AdminState.event_page - 1),
            ),
            rx.text(AdminState.event_page, " / ", AdminState.event_page_count, size="2"),
            rx.button(
                T["clients.next"],
                variant="soft",
                disabled=AdminState.event_page >= AdminState.event_page_count,
                on_click=AdminState.go_to_event_page(AdminState.event_page + 1),
            ),
            spacing="3",
            align="center",
            justify="end",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def purge_panel() -> rx.Component:
    return rx.vstack(
        rx.text(T["purge.daily"], size="2", color_scheme="gray"),
        rx.cond(
            AdminState.purge_total > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(T[k])
                            for k in ("purge.category", "purge.table", "purge.rows")
                        ]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        AdminState.purge_steps,
                        lambda step: rx.table.row(
                            rx.table.cell(step["category"]),
                            rx.table.cell(rx.code(step["table"])),
                            rx.table.cell(step["rows"]),
                        ),
                    )
                ),
                variant="surface",
                size="1",
                width="100%",
                id="purge-preview",
            ),
            rx.callout(T["purge.nothing"], icon="check", color_scheme="gray"),
        ),
        rx.hstack(
            rx.button(T["purge.refresh"], variant="soft", on_click=AdminState.refresh_purge_plan),
            rx.button(
                rx.icon("trash-2", size=16),
                T["purge.run"],
                color_scheme="red",
                disabled=AdminState.purge_total == 0,
                on_click=AdminState.run_purge,
                id="purge-run",
            ),
            spacing="3",
        ),
        rx.cond(
            AdminState.purge_notice != "",
            rx.callout(AdminState.purge_notice, icon="check", color_scheme="green", role="status"),
        ),
        spacing="3",
        width="100%",
    )


@page("/admin", "nav.admin", on_load=AdminState.load)
def admin_page() -> rx.Component:
    return rx.vstack(
        rx.heading(T["admin.title"], size="6", as_="h1"),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(T["admin.accounts"], value="accounts"),
                rx.tabs.trigger(T["admin.audit"], value="audit", id="tab-audit"),
                rx.tabs.trigger(T["admin.purge"], value="purge", id="tab-purge"),
                style={"flex_wrap": "wrap"},
            ),
            rx.tabs.content(accounts_panel(), value="accounts", padding_top="1rem"),
            rx.tabs.content(audit_panel(), value="audit", padding_top="1rem"),
            rx.tabs.content(purge_panel(), value="purge", padding_top="1rem"),
            default_value="accounts",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
