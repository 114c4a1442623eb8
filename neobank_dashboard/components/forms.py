"""Form pieces that keep every control labelled for assistive technology."""

from __future__ import annotations

import reflex as rx


def field_label(text, html_for: str) -> rx.Component:
    """A real <label for=...>: Radix Text rendered as a label drops the `for` attribute."""
    return rx.el.label(
        text, html_for=html_for, style={"font_size": "var(--font-size-1)", "font_weight": "500"}
    )


def labelled(text, control: rx.Component, html_for: str) -> rx.Component:
    return rx.vstack(field_label(text, html_for), control, spacing="1", width="100%")
