"""/login: the only page anonymous visitors can see."""

from __future__ import annotations

import reflex as rx

# Reflex aliases reflex.components.el to reflex_components_core at run time; that ships no stubs.
from reflex.components.el.elements.base import BaseHTML  # type: ignore[import-not-found]
from reflex.config import get_config
from reflex.utils.exec import is_prod_mode

from neobank_dashboard.api.routes.browser_session import SESSION_PATH
from neobank_dashboard.components.forms import field_label
from neobank_dashboard.state.login import LoginState
from neobank_dashboard.views.layout import language_switch
from neobank_dashboard.views.page import page

T = LoginState.t


class PostedForm(BaseHTML):
    """A form the browser submits itself: ``rx.el.form`` always cancels the submission
    to send a Reflex event instead."""

    tag = "form"
    action: rx.Var[str]
    method: rx.Var[str]


def session_url() -> str:
    """Where the form posts: this origin in production (one port); in development the
    backend's, since `reflex run` serves the pages from a port of their own."""
    return SESSION_PATH if is_prod_mode() else get_config().api_url.rstrip("/") + SESSION_PATH


def login_form() -> rx.Component:
    """A plain HTML POST, not a Reflex event: only a response can set an HttpOnly cookie."""
    return PostedForm.create(
        rx.el.input(type="hidden", name="next", value=LoginState.next_page),
        rx.vstack(
            rx.vstack(
                field_label(T["login.email"], "email"),
                rx.input(
                    id="email",
                    name="email",
                    type="email",
                    auto_complete="username",
                    required=True,
                    width="100%",
                    size="3",
                ),
                spacing="1",
                width="100%",
            ),
            rx.vstack(
                field_label(T["login.password"], "password"),
                rx.input(
                    id="password",
                    name="password",
                    type="password",
                    auto_complete="current-password",
                    required=True,
                    width="100%",
                    size="3",
                ),
                spacing="1",
                width="100%",
            ),
            rx.cond(
                LoginState.error_key != "",
                rx.callout(
                    T[LoginState.error_key],
                    icon="triangle-alert",
                    color_scheme="red",
                    role="alert",
                    width="100%",
                    id="login-error",
                ),
            ),
            rx.button(
                T["login.submit"],
                type="submit",
                size="3",
                width="100%",
                id="login-submit",
            ),
            spacing="4",
            width="100%",
        ),
        action=session_url(),
        method="post",
    )


@page("/", "app.name", on_load=LoginState.open_login, shell=False)
@page("/login", "login.title", on_load=LoginState.open_login, shell=False)
def login_page() -> rx.Component:
    return rx.el.main(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.hstack(rx.spacer(), language_switch(), width="100%"),
                    rx.icon("landmark", size=36, color="var(--accent-9)"),
                    rx.heading(T["app.name"], size="6", as_="h1"),
                    rx.text(T["login.subtitle"], color_scheme="gray", size="2"),
                    login_form(),
                    spacing="4",
                    align="center",
                    width="100%",
                ),
                size="4",
                width="100%",
                max_width="26rem",
            ),
            min_height="100vh",
            padding="4",
            background="var(--gray-2)",
        ),
        id="main",
        tab_index=-1,
    )
