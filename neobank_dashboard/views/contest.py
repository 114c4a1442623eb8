"""The contest form on the client page: one card, included with one line."""

from __future__ import annotations

import functools
import operator

import reflex as rx

from modeling.features import FEATURE_NAMES
from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.forms import field_label
from neobank_dashboard.state.contest import ContestState

T = ContestState.t


def contest_error(field: str) -> rx.Component:
    return rx.cond(
        ContestState.contest_messages.contains(field),
        rx.text(
            ContestState.contest_messages[field],
            color_scheme="red",
            size="1",
            role="alert",
            id=f"contest-error-{field}",
        ),
    )


def correction_field(name: str) -> rx.Component:
    value_id, date_id = f"correction-{name}", f"correction-{name}-as_of"
    return rx.vstack(
        field_label(T[f"feature.{name}"], value_id),
        rx.hstack(
            rx.input(id=value_id, name=value_id, inputmode="decimal", size="2", width="8rem"),
            rx.el.label(T["contest.as_of"], html_for=date_id, class_name="rt-Text rt-r-size-1"),
            rx.input(id=date_id, name=date_id, type="date", size="2"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        contest_error(name),
        spacing="1",
    )


def contest_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(
                T["contest.decision"],
                " : ",
                T["decision_status." + ContestState.contest_decision["outcome"]],
                " (",
                ContestState.contest_decision["at"],
                ")",
                size="2",
            ),
            field_label(T["contest.statement"], "contest-statement"),
            rx.text_area(
                id="contest-statement",
                name="statement",
                rows="3",
                width="100%",
                max_length=4000,
                aria_invalid=rx.cond(ContestState.contest_messages.contains("statement"), "true", "false"),
            ),
            contest_error("statement"),
            rx.el.details(
                rx.el.summary(
                    T["contest.corrections"], style={"cursor": "pointer", "font_size": "var(--font-size-2)"}
                ),
                rx.text(T["contest.corrections_hint"], size="1", color_scheme="gray"),
                rx.grid(
                    *[correction_field(n) for n in FEATURE_NAMES],
                    columns="1",
                    spacing="2",
                    padding_top="0.5rem",
                ),
                open=functools.reduce(
                    operator.or_, [ContestState.contest_messages.contains(n) for n in FEATURE_NAMES]
                ),
                id="contest-corrections",
            ),
            contest_error("form"),
            rx.button(T["contest.submit"], type="submit", id="contest-submit"),
            spacing="2",
            width="100%",
        ),
        key=ContestState.contest_form_key,
        on_submit=ContestState.submit_contest,
        reset_on_submit=False,
    )


def contest_panel() -> rx.Component:
    """Recorded or pending: say so, with the score now in force; otherwise the form."""
    return rx.card(
        rx.vstack(
            rx.heading(T["contest.open"], size="3", as_="h2"),
            rx.text(T["contest.intro"], size="1", color_scheme="gray"),
            rx.cond(
                ContestState.contest_notice != "",
                rx.callout(
                    rx.text(
                        T[ContestState.contest_notice],
                        " ",
                        T["contest.new_score"],
                        " : ",
                        ContestState.probability_text,
                    ),
                    icon="check",
                    color_scheme="green",
                    role="status",
                    id="contest-notice",
                ),
            ),
            rx.cond(
                ContestState.contest_decision_id == 0,
                rx.text(T["contest.no_decision"], size="2", color_scheme="gray"),
                rx.cond(
                    ContestState.contest_pending,
                    badge(
                        rx.icon("hourglass", size=12),
                        T["contest.pending"],
                        color_scheme="purple",
                        id="contest-pending",
                    ),
                    contest_form(),
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="contest",
        on_mount=ContestState.load_contest,
    )
