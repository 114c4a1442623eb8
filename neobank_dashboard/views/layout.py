"""The shell around every page (document language, skip link, focus) and the signed-in
layout: navigation by role, language, logout.

The header fits one line from a phone up: below 992 px the navigation shows its icons
(each still named for screen readers) and the app's name hides; the advisor's name and
role show from 1280 px.
"""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.style import CONTENT_MAX_WIDTH, FOCUS_STYLE
from neobank_dashboard.state.session import SessionState

T = SessionState.t
WIDE = rx.breakpoints(initial="none", lg="inline")  # shown from 992 px
WIDEST = rx.breakpoints(initial="none", xl="flex")  # shown from 1280 px


class DocumentEffects(rx.Fragment):
    """What a page sets on the document, compiled into the bundle (no script evaluated:
    the CSP forbids it): ``<html lang>`` follows the UI language, and after a navigation
    inside the app the focus moves to the new page's main region, as a page load would
    leave it at the top (the first page load keeps the skip link first). A table too wide
    for the screen scrolls inside Radix's viewport: that viewport joins the Tab order
    while it scrolls, so a keyboard can scroll it too (and only then: no extra stops)."""

    lang: rx.Var[str]

    def add_hooks(self) -> list[str | rx.Var]:
        lang = self.lang
        return [
            rx.Var(
                f"useEffect(() => {{ document.documentElement.lang = {lang!s}; }}, [{lang!s}])",
                _var_data=lang._get_all_var_data(),
            ),
            """useEffect(() => {
    if (window.neobankNavigated) { document.getElementById("main")?.focus(); }
    window.neobankNavigated = true;
  }, [])""",
            """useEffect(() => {
    const reachable = () => document.querySelectorAll(".rt-TableRoot .rt-ScrollAreaViewport").forEach((v) => {
      if (v.scrollWidth > v.clientWidth) { v.tabIndex = 0; } else { v.removeAttribute("tabindex"); }
    });
    reachable();
    const observer = new MutationObserver(reachable);
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener("resize", reachable);
    return () => { observer.disconnect(); window.removeEventListener("resize", reachable); };
  }, [])""",
        ]

    def add_imports(self) -> dict:
        return {"react": ["useEffect"]}

    def _render(self):
        return super()._render().remove_props("lang")  # for the hook only: no Fragment prop


def skip_link() -> rx.Component:
    """The first stop of the Tab key on every page: straight to the content. The router
    would treat "#main" as a navigation (no focus move), so the click focuses it itself."""
    return rx.el.a(
        T["nav.skip"],
        href="#main",
        on_click=[rx.prevent_default, rx.set_focus("main")],
        class_name="skip-link",
        style={
            "position": "absolute",
            "left": "0.5rem",
            "top": "-3rem",
            "z_index": "10",
            "padding": "0.5rem 1rem",
            "background": "var(--color-panel-solid)",
            "border_radius": "var(--radius-2)",
            "&:focus": {"top": "0.5rem"},
        },
    )


def document(page_content: rx.Component) -> rx.Component:
    """Every page, signed in or not: language, skip link, focus ring."""
    return rx.box(
        DocumentEffects.create(lang=SessionState.lang),
        skip_link(),
        page_content,
        style=FOCUS_STYLE,
    )


def language_switch() -> rx.Component:
    return rx.button(
        rx.icon("languages", size=16),
        rx.text(T["nav.language"], display=rx.breakpoints(initial="none", sm="inline")),
        variant="ghost",
        size="2",
        on_click=SessionState.toggle_language,
        aria_label=T["nav.language_label"],
        id="language-switch",
    )


def nav_link(label_key: str, href: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=18), rx.text(T[label_key], display=WIDE), align="center", spacing="2"),
        href=href,
        aria_label=T[label_key],
        title=T[label_key],
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
        rx.cond(SessionState.is_supervising, nav_link("nav.monitoring", "/monitoring", "activity")),
        rx.cond(SessionState.is_supervising, nav_link("nav.admin", "/admin", "settings")),
        spacing=rx.breakpoints(initial="4", lg="5"),
        align="center",
        as_="nav",
        aria_label="Navigation",
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.hstack(
                rx.icon("landmark", size=22, color="var(--accent-9)", aria_hidden="true"),
                rx.text(T["app.name"], size="4", weight="bold", display=WIDE, white_space="nowrap"),
                align="center",
                spacing="2",
            ),
            navigation(),
            rx.spacer(),
            rx.hstack(
                rx.hstack(
                    rx.text(SessionState.advisor_name, size="2", weight="medium", white_space="nowrap"),
                    badge(T["role." + SessionState.role], variant="soft"),
                    display=WIDEST,
                    align="center",
                    spacing="2",
                ),
                language_switch(),
                rx.button(
                    rx.icon("log-out", size=16),
                    # A phone shows the icon only (the six navigation icons of a supervisor
                    # and the text would not fit 390 px); the label still names the button.
                    rx.text(T["nav.logout"], display=rx.breakpoints(initial="none", sm="inline")),
                    aria_label=T["nav.logout"],
                    title=T["nav.logout"],
                    variant="soft",
                    color_scheme="gray",
                    size="2",
                    on_click=SessionState.logout,
                    id="logout",
                    white_space="nowrap",
                ),
                align="center",
                spacing=rx.breakpoints(initial="2", sm="3"),
            ),
            align="center",
            spacing=rx.breakpoints(initial="3", sm="6"),
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding=rx.breakpoints(initial="0.5rem 0.75rem", sm="0.75rem 1.5rem"),
        ),
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


def monitoring_alert_banner() -> rx.Component:
    """While the latest stored monitoring report has an alert (supervisors follow the link)."""
    return rx.cond(
        SessionState.monitoring_alert,
        rx.callout(
            rx.cond(
                SessionState.is_supervising,
                rx.link(T["monitoring.alert_banner"], href="/monitoring"),
                rx.text(T["monitoring.alert_banner"]),
            ),
            icon="siren",
            color_scheme="red",
            role="alert",
            id="monitoring-alert",
            margin_bottom="1rem",
        ),
    )


def app_shell(*children: rx.Component) -> rx.Component:
    """A signed-in page: header, then the page's own content."""
    return rx.box(
        header(),
        rx.el.main(
            backend_error_banner(),
            monitoring_alert_banner(),
            *children,
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding=rx.breakpoints(initial="1rem 0.75rem", sm="1.5rem"),
            id="main",
            tab_index=-1,
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )
