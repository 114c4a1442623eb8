"""Badges with WCAG AA contrast: Radix's soft amber and green fall short on small text."""

from __future__ import annotations

import reflex as rx


def badge(*children, **props) -> rx.Component:
    props.setdefault("high_contrast", True)
    return rx.badge(*children, **props)
