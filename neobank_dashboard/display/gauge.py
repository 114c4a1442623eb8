"""The probability-of-default gauge's geometry: a half dial with coloured zones, the
threshold marker and the needle, as SVG paths and coordinates.

Pure arithmetic, shared by the state (which computes a gauge per score) and the
gauge component (which draws it), so neither imports the other.
"""

from __future__ import annotations

import math

CENTER_X, CENTER_Y, RADIUS, STROKE = 120.0, 120.0, 100.0, 22.0


def gauge_scale_max(grey_high: float) -> float:
    """The dial's full scale: wide enough to show the grey zone well, in 10 % steps."""
    return min(1.0, max(0.3, math.ceil(grey_high * 2.5 * 10) / 10))


def _point(fraction: float, radius: float = RADIUS) -> tuple[float, float]:
    angle = math.pi * (1 - min(max(fraction, 0.0), 1.0))
    return CENTER_X + radius * math.cos(angle), CENTER_Y - radius * math.sin(angle)


def _arc(start: float, end: float) -> str:
    (x0, y0), (x1, y1) = _point(start), _point(end)
    return f"M {x0:.2f} {y0:.2f} A {RADIUS} {RADIUS} 0 0 1 {x1:.2f} {y1:.2f}"


TICKS = ("zero", "low", "threshold", "high", "max")
"""The dial's labelled ticks: its ends, the grey zone's bounds and the threshold."""
_LABEL_GAP = 13.0


def _tick(key: str, fraction: float) -> dict[str, str]:
    """Where a tick's label sits: the ends under the arc, the threshold inside, the bounds outside."""
    if key in ("zero", "max"):
        x, _ = _point(fraction)
        x, y, anchor = x, CENTER_Y + _LABEL_GAP + 2, "middle"
    else:
        inside = key == "threshold"
        radius = RADIUS - STROKE / 2 - _LABEL_GAP if inside else RADIUS + STROKE / 2 + 4
        x, y = _point(fraction, radius)
        side = x - CENTER_X
        anchor = "middle" if abs(side) < 25 else ("start" if (side > 0) != inside else "end")
        y += 4  # the label's middle, not its baseline, on the radius
    return {f"tick_{key}_x": f"{x:.2f}", f"tick_{key}_y": f"{y:.2f}", f"tick_{key}_anchor": anchor}


def gauge_geometry(
    probability: float,
    threshold: float,
    grey_low: float,
    grey_high: float,
    ghost_probability: float | None = None,
) -> dict[str, str]:
    """SVG paths and coordinates for one probability (every value a string for the state).

    ``ghost_probability`` draws a second, faint needle: the real score under a simulation.
    """
    scale = gauge_scale_max(grey_high)
    low, high = grey_low / scale, grey_high / scale
    needle_x, needle_y = _point(probability / scale, RADIUS - STROKE)
    ghost = probability if ghost_probability is None else ghost_probability
    ghost_x, ghost_y = _point(ghost / scale, RADIUS - STROKE)
    mark_in_x, mark_in_y = _point(threshold / scale, RADIUS - STROKE / 2 - 4)
    mark_out_x, mark_out_y = _point(threshold / scale, RADIUS + STROKE / 2 + 4)
    ticks: dict[str, str] = {}
    for key, fraction in zip(TICKS, (0.0, low, threshold / scale, high, 1.0), strict=True):
        ticks |= _tick(key, fraction)
    return {
        "zone_low": _arc(0.0, low),
        "zone_grey": _arc(low, high),
        "zone_high": _arc(high, 1.0),
        "needle_x": f"{needle_x:.2f}",
        "needle_y": f"{needle_y:.2f}",
        "ghost_x": f"{ghost_x:.2f}",
        "ghost_y": f"{ghost_y:.2f}",
        "has_ghost": "" if ghost_probability is None else "1",
        "mark_x1": f"{mark_in_x:.2f}",
        "mark_y1": f"{mark_in_y:.2f}",
        "mark_x2": f"{mark_out_x:.2f}",
        "mark_y2": f"{mark_out_y:.2f}",
        "scale_max": f"{scale * 100:.0f}",
        "value_now": f"{probability * 100:.1f}",
        **ticks,
    }
