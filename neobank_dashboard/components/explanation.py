"""Why the model scored what it did: ranked reasons and contribution bars.

Red raises the risk of default, green lowers it, and every factor also carries
an arrow and words, so colour is never the only signal.
"""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.components.badge import badge
from neobank_dashboard.components.style import RISK_DOWN, RISK_UP


def _direction_icon(direction) -> rx.Component:
    return rx.cond(
        direction == "raises",
        rx.icon("circle-arrow-up", color=RISK_UP, size=20, aria_hidden="true"),
        rx.icon("circle-arrow-down", color=RISK_DOWN, size=20, aria_hidden="true"),
    )


def reason_item(reason) -> rx.Component:
    """``reason``: dict with text, direction ('raises'|'lowers'), direction_text, points_text,
    actionable_text."""
    return rx.el.li(
        rx.hstack(
            _direction_icon(reason["direction"]),
            rx.vstack(
                rx.text(reason["text"], size="2", weight="medium"),
                rx.hstack(
                    rx.text(
                        reason["direction_text"],
                        size="1",
                        color=rx.cond(reason["direction"] == "raises", RISK_UP, RISK_DOWN),
                        weight="bold",
                    ),
                    rx.text(reason["points_text"], size="1", color_scheme="gray"),
                    rx.cond(
                        reason["actionable_text"] != "",
                        badge(reason["actionable_text"], size="1", variant="outline"),
                    ),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                spacing="0",
            ),
            spacing="2",
            align="start",
        ),
        class_name="reason",
        data_direction=reason["direction"],
    )


def reasons_list(reasons, heading) -> rx.Component:
    return rx.vstack(
        rx.heading(heading, size="3", as_="h2"),
        rx.el.ol(
            rx.foreach(reasons, reason_item),
            id="reasons",
            style={
                "list_style": "none",
                "padding": 0,
                "margin": 0,
                "display": "grid",
                "gap": "var(--space-3)",
            },
        ),
        spacing="2",
        width="100%",
    )


def contribution_bar(item) -> rx.Component:
    """``item``: dict with label, points_text, direction, left (%), width (%) of a diverging bar."""
    return rx.hstack(
        rx.text(item["label"], size="1", width="11rem", flex_shrink="0"),
        rx.box(
            rx.box(
                position="absolute", left="50%", top="0", bottom="0", width="1px", background="var(--gray-8)"
            ),
            rx.box(
                position="absolute",
                left=item["left"],
                width=item["width"],
                top="2px",
                bottom="2px",
                border_radius="2px",
                background=rx.cond(item["direction"] == "raises", RISK_UP, RISK_DOWN),
            ),
            position="relative",
            height="1.1rem",
            flex="1",
            background="var(--gray-3)",
            border_radius="2px",
        ),
        rx.text(
            item["points_text"],
            size="1",
            width="8rem",
            white_space="nowrap",
            text_align="right",
            flex_shrink="0",
            font_variant_numeric="tabular-nums",
        ),
        width="100%",
        align="center",
        spacing="2",
    )


def contribution_chart(items, heading, caption) -> rx.Component:
    return rx.vstack(
        rx.heading(heading, size="3", as_="h2"),
        rx.foreach(items, contribution_bar),
        rx.text(caption, size="1", color_scheme="gray"),
        spacing="2",
        width="100%",
        id="contribution-chart",
    )
