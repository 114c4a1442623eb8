"""The probability-of-default gauge: a half dial with coloured zones, labelled ticks
(its ends, the grey zone's bounds, the threshold), the needle and the number, exposed
to assistive technology as a meter. A simulation's gauge also shows a ghost needle:
the real score.

Geometry is computed in Python (:func:`neobank_dashboard.display.gauge.gauge_geometry`)
and rendered as SVG, so the browser needs no charting library.
"""

from __future__ import annotations

import reflex as rx

from neobank_dashboard.display.gauge import CENTER_X, CENTER_Y, STROKE, TICKS

ZONE_COLORS = {"low": "var(--green-9)", "grey": "var(--amber-9)", "high": "var(--red-9)"}


def _needle(x, y, color: str, width: str, dash: str = "", class_name: str = "needle") -> rx.Component:
    return rx.el.line(
        x1=str(CENTER_X),
        y1=str(CENTER_Y),
        x2=x,
        y2=y,
        stroke=color,
        stroke_width=width,
        stroke_linecap="round",
        stroke_dasharray=dash,
        class_name=class_name,
    )


def _tick_label(geometry, labels, key: str) -> rx.Component:
    return rx.el.text(
        labels[key],
        x=geometry[f"tick_{key}_x"],
        y=geometry[f"tick_{key}_y"],
        text_anchor=geometry[f"tick_{key}_anchor"],
        font_size="11",
        font_weight="bold" if key == "threshold" else "normal",
        fill="var(--gray-12)",
    )


def gauge(geometry, labels, value_text, label, caption, element_id: str = "pd-gauge") -> rx.Component:
    """``geometry``: a Var of :func:`gauge_geometry`'s dict; ``labels``: the tick texts by
    tick name (see :data:`TICKS`) and ``scale``; texts are Vars too."""
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
            *[_tick_label(geometry, labels, key) for key in TICKS],
            rx.cond(
                geometry["has_ghost"] != "",
                _needle(
                    geometry["ghost_x"], geometry["ghost_y"], "var(--gray-9)", "4", "5 4", "ghost-needle"
                ),
            ),
            _needle(geometry["needle_x"], geometry["needle_y"], "var(--gray-12)", "5"),
            rx.el.circle(cx=str(CENTER_X), cy=str(CENTER_Y), r="9", fill="var(--gray-12)"),
            view_box="-34 -8 308 150",
            width="100%",
            aria_hidden="true",
            focusable="false",
        ),
        rx.text(value_text, size="7", weight="bold", text_align="center", as_="p", id=f"{element_id}-value"),
        rx.text(labels["scale"], size="1", color_scheme="gray", text_align="center", as_="p"),
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
        max_width="16rem",
    )
