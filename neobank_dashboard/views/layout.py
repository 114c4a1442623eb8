"""The shell around every signed-in page: navigation by role, language, logout."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.style import CONTENT_MAX_WIDTH
from neobank_dashboard.state.session import SessionState

T = SessionState.t


def language_switch() -> rx.Component:
    return rx.button(
        rx.icon("languages", size=16),
        T["nav.language"],
        variant="ghost",
        size="2",
        on_click=SessionState.toggle_language,
        aria_label=T["nav.language_label"],
        id="language-switch",
    )


def nav_link(label_key: str, href: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=16), rx.text(T[label_key]), align="center", spacing="2"),
        href=href,
        underline="none",
        weight="medium",
        size="2",
    )


def navigation() -> rx.Component:
    return rx.hstack(
        nav_link("nav.clients", "/clients", "users"),
        rx.cond(SessionState.is_supervising, nav_link("nav.reviews", "/reviews", "list-checks")),
        nav_link("nav.model", "/model", "chart-line"),
        nav_link("nav.rgpd", "/rgpd", "shield-check"),
        rx.cond(SessionState.is_supervising, nav_link("nav.admin", "/admin", "settings")),
        spacing="4",
        align="center",
        as_="nav",
        aria_label="Navigation",
    )


def header() -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.hstack(
                rx.icon("landmark", size=22, color="var(--accent-9)"),
                rx.text(T["app.name"], size="4", weight="bold"),
                align="center",
                spacing="2",
            ),
            navigation(),
            rx.spacer(),
            rx.hstack(
                rx.text(SessionState.advisor_name, size="2", weight="medium"),
                badge(T["role." + SessionState.role], variant="soft"),
                language_switch(),
                rx.button(
                    rx.icon("log-out", size=16),
                    T["nav.logout"],
                    variant="soft",
                    color_scheme="gray",
                    size="2",
                    on_click=SessionState.logout,
                    id="logout",
                ),
                align="center",
                spacing="3",
            ),
            align="center",
            spacing="4",
            wrap="wrap",
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding="0.75rem 1.5rem",
        ),
        as_="header",
        border_bottom="1px solid var(--gray-5)",
        background="var(--color-panel)",
    )


def backend_error_banner() -> rx.Component:
    return rx.cond(
        SessionState.backend_error,
        rx.callout(
            rx.hstack(
                rx.text(T["error.generic"]),
                rx.button(
                    T["error.dismiss"],
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=SessionState.dismiss_backend_error,
                ),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            icon="triangle-alert",
            color_scheme="red",
            role="alert",
            id="backend-error",
            margin_bottom="1rem",
        ),
    )


def app_shell(*children: rx.Component) -> rx.Component:
    """A signed-in page: header, then the page's own content."""
    return rx.box(
        header(),
        rx.box(
            backend_error_banner(),
            *children,
            as_="main",
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding="1.5rem",
            id="main",
        ),
        min_height="100vh",
        background="var(--gray-2)",
        lang=SessionState.lang,
    )
