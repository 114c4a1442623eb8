"""The client page's first screen, all within 768 px at 1366 wide: the gauge and the
recommendation, the top reasons with what would make the client eligible and the data's
freshness, and the decision controls."""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.explanation import reasons_list
from neobank_dashboard.components.gauge import gauge
from neobank_dashboard.components.style import RECOMMENDATION_COLOR
from neobank_dashboard.state.client import ClientState
from neobank_dashboard.views.decision import decision_controls

T = ClientState.t


def recommendation_badge(value, size: str = "3") -> rx.Component:
    return rx.match(
        value,
        *[
            (
                key,
                badge(
                    T[f"recommendation.{key}"],
                    color_scheme=color,
                    size=size,
                    variant="solid" if key != "review" else "soft",
                ),
            )
            for key, color in RECOMMENDATION_COLOR.items()
        ],
        rx.fragment(),
    )


def _score_column() -> rx.Component:
    return rx.vstack(
        gauge(
            ClientState.gauge,
            ClientState.gauge_labels,
            ClientState.probability_text,
            T["client.gauge_label"],
            T["client.gauge_caption"],
        ),
        rx.text(T["client.human_decides"], size="1", color_scheme="gray", high_contrast=True),
        rx.hstack(
            recommendation_badge(ClientState.recommendation),
            badge(
                T["client.risk_band"],
                " ",
                ClientState.risk_band,
                " · ",
                T["risk_band." + ClientState.risk_band],
                size="2",
                variant="outline",
                id="risk-band",
            ),
            spacing="2",
            align="center",
            wrap="wrap",
            id="recommendation",
        ),
        rx.foreach(ClientState.recommendation_notes, lambda note: rx.text(note, size="1")),
        rx.text(ClientState.threshold_text, size="1", color_scheme="gray", high_contrast=True),
        rx.text(ClientState.model_line, size="1", color_scheme="gray", high_contrast=True),
        spacing="2",
        align="center",
        width="100%",
    )


def _freshness() -> rx.Component:
    """The stale-data warning, said once here; otherwise the oldest observation date."""
    return rx.cond(
        ClientState.needs_refresh,
        rx.callout(
            ClientState.freshness_text,
            icon="clock-alert",
            color_scheme="amber",
            high_contrast=True,
            size="1",
            role="alert",
            id="freshness",
            width="100%",
        ),
        rx.hstack(
            rx.icon("clock", size=14, aria_hidden="true"),
            rx.text(ClientState.freshness_text, size="1", color_scheme="gray", high_contrast=True),
            spacing="1",
            align="center",
            id="freshness",
        ),
    )


def _why_column() -> rx.Component:
    return rx.vstack(
        reasons_list(ClientState.reasons, T["client.reasons"]),
        rx.cond(
            ClientState.eligible_if != "",
            rx.callout(
                ClientState.eligible_if,
                icon="lightbulb",
                color_scheme="blue",
                size="1",
                id="eligible-if",
                width="100%",
            ),
        ),
        rx.cond(
            ClientState.age_first,
            rx.callout(
                T["client.age_first"],
                icon="scale",
                color_scheme="orange",
                high_contrast=True,
                size="1",
                role="alert",
                id="age-first",
                width="100%",
            ),
        ),
        _freshness(),
        spacing="3",
        width="100%",
    )


def decision_screen() -> rx.Component:
    return rx.card(
        rx.grid(
            _score_column(),
            _why_column(),
            decision_controls(),
            columns=rx.breakpoints(initial="1", md="17rem 1fr 1fr"),
            gap="5",
            width="100%",
            align="start",
        ),
        width="100%",
        id="decision-screen",
    )
