"""The champion's global shap explanation as the /model page draws it.

Pure: the artefact's ``global_explanation.json`` (:mod:`modeling.global_explain`) in,
chart rows out. SHAP values stay in the model's raw log-odds (the space in which
they add up); the page says so. Points are coloured like shap's own plots: the
feature's value, scaled between its 5th and 95th percentile in the sample, from
blue (low) to red (high), in :data:`COLOUR_LEVELS` steps, one chart series each.
"""

from __future__ import annotations

import numpy as np

from neobank_dashboard.display.texts import translate

# shap's blue-to-red scale, one colour per level (low → high).
COLOURS = ("#008bfb", "#4068d1", "#8046a6", "#bf237c", "#ff0051")
COLOUR_LEVELS = len(COLOURS)
SWARM_BINS = 40
"""Each feature's SHAP range is cut into this many bins; points sharing a bin are
stacked vertically, which draws the beeswarm's density."""
SWARM_HALF_HEIGHT = 0.4
"""How far (in rows, 1 between features) the widest stack reaches from its row."""
DECIMALS = 4


def feature_label(name: str, lang: str) -> str:
    return translate(f"feature.{name}", lang)


def colour_levels(values: np.ndarray) -> np.ndarray:
    """Level 0 (low) … ``COLOUR_LEVELS - 1`` (high) per value, scaled between the 5th and
    95th percentiles (the whole range when those meet, the middle level when all are equal)."""
    values = np.asarray(values, dtype=np.float64)
    low, high = np.percentile(values, [5, 95])
    if high <= low:
        low, high = values.min(), values.max()
    if high <= low:
        return np.full(len(values), COLOUR_LEVELS // 2)
    scaled = np.clip((values - low) / (high - low), 0.0, 1.0)
    return np.minimum((scaled * COLOUR_LEVELS).astype(int), COLOUR_LEVELS - 1)


def swarm_offsets(shap_values: np.ndarray) -> np.ndarray:
    """Vertical offsets (within ±``SWARM_HALF_HEIGHT``) that stack the points of one
    feature sharing a SHAP bin: 0, +1, −1, +2, −2 … times a step that fits the widest stack."""
    shap_values = np.asarray(shap_values, dtype=np.float64)
    if len(shap_values) == 0:
        return shap_values
    span = float(shap_values.max() - shap_values.min()) or 1.0
    bins = np.minimum(((shap_values - shap_values.min()) / span * SWARM_BINS).astype(int), SWARM_BINS - 1)
    order = np.argsort(bins, kind="stable")
    ranked = bins[order]
    starts = np.searchsorted(ranked, ranked, side="left")
    rank = np.empty(len(bins), dtype=np.int64)
    rank[order] = np.arange(len(bins)) - starts
    steps = np.ceil(rank / 2) * np.where(rank % 2 == 1, 1.0, -1.0)
    widest = float(np.abs(steps).max()) or 1.0
    return steps * SWARM_HALF_HEIGHT / widest


def _levels(lang: str) -> list[str]:
    return [translate(f"model.shap.level.{level}", lang) for level in range(COLOUR_LEVELS)]


def _series(levels: np.ndarray, points: list[dict[str, float]], lang: str) -> list[dict]:
    """One series per colour level that has points, low first."""
    names = _levels(lang)
    return [
        {
            "name": names[level],
            "colour": COLOURS[level],
            "points": [point for point, at in zip(points, levels, strict=True) if at == level],
        }
        for level in range(COLOUR_LEVELS)
        if np.any(levels == level)
    ]


def importance_rows(explanation: dict, lang: str) -> list[dict]:
    """Mean |SHAP| per feature, largest first: ``{"feature", "mean_abs_shap"}``."""
    return [
        {
            "feature": feature_label(entry["feature"], lang),
            "mean_abs_shap": round(float(entry["mean_abs_shap"]), DECIMALS),
        }
        for entry in explanation["summary"]
    ]


def beeswarm_labels(explanation: dict, lang: str) -> list[str]:
    """The feature label of each beeswarm row, row 0 (bottom, least important) first."""
    return [feature_label(entry["feature"], lang) for entry in reversed(explanation["summary"])]


def beeswarm_series(explanation: dict, lang: str) -> list[dict]:
    """The beeswarm's points ``{"shap", "row"}`` grouped by colour level of the feature's
    value; the most important feature on the top row."""
    summary = explanation["summary"]
    points: list[dict[str, float]] = []
    levels = []
    for rank, entry in enumerate(summary):
        shap_values = np.asarray(entry["shap"], dtype=np.float64)
        rows = len(summary) - 1 - rank + swarm_offsets(shap_values)
        points += [
            {"shap": round(s, DECIMALS), "row": round(r, 3)}
            for s, r in zip(shap_values.tolist(), rows.tolist(), strict=True)
        ]
        levels.append(colour_levels(np.asarray(entry["values"], dtype=np.float64)))
    return _series(np.concatenate(levels) if levels else np.array([], dtype=int), points, lang)


def dependence_features(explanation: dict, lang: str) -> list[dict[str, str]]:
    """The features a dependence plot can show: ``{"name", "label"}``, most important first."""
    return [
        {"name": entry["feature"], "label": feature_label(entry["feature"], lang)}
        for entry in explanation["summary"]
    ]


def dependence_plot(explanation: dict, feature: str, lang: str) -> dict:
    """``feature``'s value against its SHAP value, coloured by the feature it interacts
    with most: ``{"feature", "interacts_with", "series"}`` with points ``{"value", "shap"}``.
    An unknown feature gives no series."""
    entry = next((d for d in explanation["dependence"] if d["feature"] == feature), None)
    if entry is None:
        return {"feature": "", "interacts_with": "", "series": []}
    points = [
        {"value": round(v, DECIMALS), "shap": round(s, DECIMALS)}
        for v, s in zip(entry["values"], entry["shap"], strict=True)
    ]
    levels = colour_levels(np.asarray(entry["colour_values"], dtype=np.float64))
    return {
        "feature": feature_label(feature, lang),
        "interacts_with": feature_label(entry["interacts_with"], lang),
        "series": _series(levels, points, lang),
    }
