"""The probability-of-default gauge: a half dial with coloured zones, the
threshold marker and the number, exposed to assistive technology as a meter.

Geometry is computed in Python (:func:`neobank_dashboard.display.gauge.gauge_geometry`)
and rendered as SVG, so the browser needs no charting library.
"""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.display.gauge import CENTER_X, CENTER_Y, STROKE

ZONE_COLORS = {"low": "var(--green-9)", "grey": "var(--amber-9)", "high": "var(--red-9)"}


def gauge(geometry, value_text, label, caption, element_id: str = "pd-gauge") -> rx.Component:
    """``geometry`` is a Var of :func:`gauge_geometry`'s dict; texts are Vars too."""
    zone = lambda key: rx.el.path(  # noqa: E731
        d=geometry[f"zone_{key}"], stroke=ZONE_COLORS[key], stroke_width=STROKE, fill="none"
    )
    return rx.box(
        rx.el.svg(
            zone("low"),
            zone("grey"),
            zone("high"),
            rx.el.line(
                x1=geometry["mark_x1"],
                y1=geometry["mark_y1"],
                x2=geometry["mark_x2"],
                y2=geometry["mark_y2"],
                stroke="var(--gray-12)",
                stroke_width="4",
            ),
            rx.el.line(
                x1=str(CENTER_X),
                y1=str(CENTER_Y),
                x2=geometry["needle_x"],
                y2=geometry["needle_y"],
                stroke="var(--gray-12)",
                stroke_width="5",
                stroke_linecap="round",
            ),
            rx.el.circle(cx=str(CENTER_X), cy=str(CENTER_Y), r="9", fill="var(--gray-12)"),
            view_box="0 0 240 132",
            width="100%",
            aria_hidden="true",
            focusable="false",
        ),
        rx.text(value_text, size="8", weight="bold", text_align="center", as_="p", id=f"{element_id}-value"),
        rx.text(caption, size="1", color_scheme="gray", text_align="center", as_="p"),
        # "meter" is a valid ARIA role that Reflex's typed `role` prop does not list.
        custom_attrs={
            "role": "meter",
            "aria-label": label,
            "aria-valuenow": geometry["value_now"],
            "aria-valuemin": "0",
            "aria-valuemax": "100",
            "aria-valuetext": value_text,
        },
        id=element_id,
        width="100%",
        max_width="17rem",
    )
