"""The decision controls of the client page: outcome, the justification with the rule
that applies to this case and a character counter, the latest decision and its letter.

The rule shown is the one services/decisions enforces (``justification_rule``), so the
page never states a rule the service does not apply.
"""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.forms import field_label
from neobank_dashboard.i18n import LANGUAGES
from neobank_dashboard.services.decisions import MAX_JUSTIFICATION_LENGTH, JustificationRule
from neobank_dashboard.state.client import OUTCOMES, ClientState

T = ClientState.t


def _outcomes() -> rx.Component:
    return rx.radio_group.root(
        rx.hstack(
            *[
                rx.el.label(
                    rx.hstack(
                        rx.radio_group.item(value=o, id=f"outcome-{o}"),
                        rx.text(T[f"decision.{o}"], size="2", weight="medium"),
                        spacing="1",
                        align="center",
                    )
                )
                for o in OUTCOMES
            ],
            spacing="4",
        ),
        value=ClientState.decision_outcome,
        on_change=ClientState.set_decision_outcome,
        aria_label=T["decision.title"],
    )


def _rule() -> rx.Component:
    """The one rule for this case; 'optional' when none applies."""
    return rx.text(
        rx.match(
            ClientState.justification_rule,
            *[(rule.value, T[f"decision.rule.{rule.value}"]) for rule in JustificationRule],
            T["decision.optional_hint"],
        ),
        size="1",
        color_scheme=rx.cond(ClientState.justification_rule != "", "amber", "gray"),
        high_contrast=True,
        id="justification-rule",
    )


def _callout(message_key, icon: str, color: str, element_id: str, role: str = "alert") -> rx.Component:
    return rx.cond(
        message_key != "",
        rx.callout(
            T[message_key], icon=icon, color_scheme=color, role=role, id=element_id, size="1", width="100%"
        ),
    )


def _letter() -> rx.Component:
    """The latest decision and its letter to the client, in either language."""
    return rx.cond(
        ClientState.latest_decision != "",
        rx.vstack(
            rx.text(ClientState.latest_decision, size="2", weight="medium", id="latest-decision"),
            rx.hstack(
                rx.text(T["decision.letter"], size="1"),
                *[
                    rx.button(
                        rx.icon("file-down", size=14),
                        T[f"decision.letter_{lang}"],
                        size="1",
                        variant="soft",
                        on_click=ClientState.download_letter(lang),
                        id=f"letter-{lang}",
                    )
                    for lang in LANGUAGES
                ],
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            _callout(ClientState.letter_error, "triangle-alert", "red", "letter-error"),
            spacing="1",
            width="100%",
            padding_top="var(--space-2)",
            border_top="1px solid var(--gray-5)",
        ),
    )


def decision_controls() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(T["decision.title"], size="3", as_="h2"),
            _outcomes(),
            field_label(T["decision.justification"], "justification"),
            rx.text_area(
                id="justification",
                name="justification",
                value=ClientState.justification,
                on_change=ClientState.set_justification,
                placeholder=T["decision.no_names"],
                rows="3",
                width="100%",
                max_length=MAX_JUSTIFICATION_LENGTH,
                aria_describedby="justification-rule justification-counter",
            ),
            rx.hstack(
                _rule(),
                rx.spacer(),
                rx.text(
                    ClientState.justification_counter,
                    size="1",
                    color_scheme="gray",
                    high_contrast=True,
                    white_space="nowrap",
                    id="justification-counter",
                    aria_live="polite",
                ),
                width="100%",
                align="start",
            ),
            _callout(ClientState.decision_error, "triangle-alert", "red", "decision-error"),
            _callout(ClientState.decision_notice, "check", "green", "decision-notice", "status"),
            rx.button(
                T["decision.submit"], type="submit", id="decision-submit", disabled=~ClientState.has_score
            ),
            _letter(),
            spacing="2",
            width="100%",
        ),
        on_submit=ClientState.submit_decision,
        reset_on_submit=False,
        id="decision",
    )
