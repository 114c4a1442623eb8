"""The probability-of-default gauge: a half dial with coloured zones, the
threshold marker and the number, exposed to assistive technology as a meter.

Geometry is computed in Python (:func:`gauge_geometry`) and rendered as SVG,
so the browser needs no charting library.
"""

from __future__ import annotations

import math

import reflex as rx

CENTER_X, CENTER_Y, RADIUS, STROKE = 120.0, 120.0, 100.0, 22.0
ZONE_COLORS = {"low": "var(--green-9)", "grey": "var(--amber-9)", "high": "var(--red-9)"}


def gauge_scale_max(grey_high: float) -> float:
    """The dial's full scale: wide enough to show the grey zone well, in 10 % steps."""
    return min(1.0, max(0.3, math.ceil(grey_high * 2.5 * 10) / 10))


def _point(fraction: float, radius: float = RADIUS) -> tuple[float, float]:
    angle = math.pi * (1 - min(max(fraction, 0.0), 1.0))
    return CENTER_X + radius * math.cos(angle), CENTER_Y - radius * math.sin(angle)


def _arc(start: float, end: float) -> str:
    (x0, y0), (x1, y1) = _point(start), _point(end)
    return f"M {x0:.2f} {y0:.2f} A {RADIUS} {RADIUS} 0 0 1 {x1:.2f} {y1:.2f}"


def gauge_geometry(probability: float, threshold: float, grey_low: float, grey_high: float) -> dict[str, str]:
    """SVG paths and coordinates for one probability (every value a string for the state)."""
    scale = gauge_scale_max(grey_high)
    low, high = grey_low / scale, grey_high / scale
    needle_x, needle_y = _point(probability / scale, RADIUS - STROKE)
    mark_in_x, mark_in_y = _point(threshold / scale, RADIUS - STROKE / 2 - 4)
    mark_out_x, mark_out_y = _point(threshold / scale, RADIUS + STROKE / 2 + 4)
    return {
        "zone_low": _arc(0.0, low),
        "zone_grey": _arc(low, high),
        "zone_high": _arc(high, 1.0),
        "needle_x": f"{needle_x:.2f}",
        "needle_y": f"{needle_y:.2f}",
        "mark_x1": f"{mark_in_x:.2f}",
        "mark_y1": f"{mark_in_y:.2f}",
        "mark_x2": f"{mark_out_x:.2f}",
        "mark_y2": f"{mark_out_y:.2f}",
        "scale_max": f"{scale * 100:.0f}",
        "value_now": f"{probability * 100:.1f}",
    }


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
