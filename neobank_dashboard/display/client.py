"""The client page's texts: a score, a client's features and history in one language.

Pure functions of the plain data the client state holds (see
``state.client._score_summary``), so the state's computed vars stay one line each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from modeling.features import FEATURE_NAMES, FEATURES_BY_NAME, what_if_range
from neobank_dashboard.display.gauge import gauge_geometry, gauge_scale_max
from neobank_dashboard.display.texts import translate
from neobank_dashboard.i18n import format_date, format_number, format_percent, format_quantity
from neobank_dashboard.services.freshness import is_stale
from neobank_dashboard.services.recommendation import NoteCode

WHAT_IF_FEATURES = tuple(f for f in FEATURE_NAMES if FEATURES_BY_NAME[f].actionable)
NO_SCORE = "—"
TOP_REASONS = 3
"""Reasons on the first screen; the contribution chart shows every feature."""


def format_feature(name: str, value: float, lang: str) -> str:
    feature = FEATURES_BY_NAME[name]
    unit = feature.unit_en if lang == "en" else feature.unit_fr
    decimals = 0 if feature.kind is int or float(value).is_integer() else 1
    return format_quantity(value, unit, lang, decimals)


def points_text(points: float, lang: str) -> str:
    """A contribution in percentage points ("points de %"): the credit score alone has "points"."""
    number = format_number(abs(points) * 100, lang, 1)
    sign = "" if round(abs(points) * 100, 1) == 0 else ("+" if points > 0 else "−")  # no "−0,0"
    return translate("client.pct_points", lang).format(value=f"{sign}{number}")


def gauge_of(score: Mapping, real: Mapping | None = None) -> dict[str, str]:
    """The dial of ``score``; with ``real``, a ghost needle for the real score under a simulation."""
    if not score:
        return gauge_geometry(0.0, 0.5, 0.4, 0.6)
    low, high = score["grey_zone"]
    ghost = real["probability"] if real else None
    return gauge_geometry(score["probability"], score["threshold"], low, high, ghost)


def gauge_labels(score: Mapping, lang: str) -> dict[str, str]:
    """The tick texts and the scale sentence (the dial stops at its scale, not at 100 %)."""
    if not score:
        return {key: "" for key in ("zero", "low", "threshold", "high", "max", "scale")}
    low, high = score["grey_zone"]
    scale = gauge_scale_max(high)
    pct = lambda value: format_percent(value, lang, 0 if round(value * 100, 1).is_integer() else 1)  # noqa: E731
    return {
        "zero": pct(0.0),
        "low": pct(low),
        "threshold": pct(score["threshold"]),
        "high": pct(high),
        "max": pct(scale),
        "scale": translate("client.gauge_scale" if scale < 1 else "client.gauge_scale_full", lang).format(
            max=pct(scale)
        ),
    }


def probability_text(score: Mapping, lang: str) -> str:
    return format_percent(score["probability"], lang) if score else NO_SCORE


def delta_text(what_if: Mapping, score: Mapping, lang: str) -> str:
    if not (what_if and score):
        return ""
    return points_text(what_if["probability"] - score["probability"], lang)


def threshold_text(score: Mapping, lang: str) -> str:
    if not score:
        return ""
    return translate("client.threshold_is", lang).format(threshold=format_percent(score["threshold"], lang))


def notes(score: Mapping, lang: str) -> list[str]:
    """The recommendation's notes, but stale data: the freshness line says it once."""
    return [
        note["en" if lang == "en" else "fr"]
        for note in score.get("notes", [])
        if note["code"] != NoteCode.stale_critical_data
    ]


def stale_critical(score: Mapping) -> list[str]:
    """The critical features whose data is stale (age is not critical)."""
    return [n for n, f in score.get("freshness", {}).items() if f["stale"] and f["critical"]]


def freshness_text(client: Mapping, score: Mapping, lang: str) -> str:
    """One line: the stale critical data to update, or the oldest observation date."""
    stale = stale_critical(score)
    if stale:
        labels = ", ".join(translate(f"feature.{n}", lang).lower() for n in stale)
        return translate("client.stale_warning", lang).format(features=labels)
    if not client:
        return ""
    oldest = min(client[f"{n}_as_of"] for n in FEATURE_NAMES)
    return translate("client.fresh", lang).format(date=format_date(oldest, lang))


def eligible_if_text(options: Sequence[Mapping], lang: str) -> str:
    """ "Éligible si …" from the best (smallest) option; '' when there is none."""
    if not options:
        return ""
    changes = options[0]["en" if lang == "en" else "fr"]
    return translate("client.eligible_if", lang).format(changes=changes[:1].lower() + changes[1:])


def _targets(options: Sequence[Mapping]) -> dict[str, float]:
    """Per feature, the value the first option that moves it asks for."""
    targets: dict[str, float] = {}
    for option in options:
        for change in option["changes"]:
            targets.setdefault(change["feature"], change["to"])
    return targets


def model_line(score: Mapping, lang: str) -> str:
    if not score:
        return ""
    return (
        f"{translate('client.model', lang)} {score['model_version'][:12]} · "
        f"{translate('client.scored_at', lang)} {format_date(score['scored_at'], lang)}"
    )


def base_text(score: Mapping, lang: str) -> str:
    if not score:
        return ""
    return translate("client.base", lang).format(base=format_percent(score["base_probability"], lang))


def _actionable_text(reason: Mapping, targets: Mapping[str, float], lang: str) -> str:
    """'The client can act' only on a factor that raises the risk, with the option's target."""
    if not (reason["actionable"] and reason["direction"] == "raises"):
        return ""
    target = targets.get(reason["feature"])
    if target is None:
        return translate("reason.actionable", lang)
    return translate("reason.actionable_to", lang).format(
        target=format_feature(reason["feature"], target, lang)
    )


def reason_rows(
    score: Mapping, lang: str, options: Sequence[Mapping] = (), top: int | None = TOP_REASONS
) -> list[dict[str, str]]:
    text = "en" if lang == "en" else "fr"
    targets = _targets(list(options))
    return [
        {
            "text": r[text],
            "direction": r["direction"],
            "direction_text": translate(f"reason.{r['direction']}", lang),
            "points_text": points_text(r["points"], lang),
            "actionable_text": _actionable_text(r, targets, lang),
        }
        for r in score.get("reasons", [])[:top]
    ]


def contribution_rows(score: Mapping, lang: str) -> list[dict[str, str]]:
    """One bar per feature, largest first, centred on 50 % (raises right, lowers left)."""
    points = score.get("points", {})
    if not points:
        return []
    largest = max(abs(v) for v in points.values()) or 1.0
    rows = []
    for name in sorted(points, key=lambda n: -abs(points[n])):
        value = points[name]
        width = 50.0 * abs(value) / largest
        rows.append(
            {
                "label": translate(f"feature.{name}", lang),
                "points_text": points_text(value, lang),
                "direction": "raises" if value >= 0 else "lowers",
                "left": f"{50.0 if value >= 0 else 50.0 - width:.2f}%",
                "width": f"{width:.2f}%",
            }
        )
    return rows


_PERCENTILE_KEYS = {-1: "client.percentile_higher_better", 1: "client.percentile_lower_better"}


def _percentile_text(name: str, percentile: float | None, lang: str) -> str:
    """Where the value stands, saying which way is better; for age, which the client
    cannot change, no way is called better (no age preference)."""
    if percentile is None:
        return NO_SCORE
    rank = format_number(min(100, max(1, round(percentile))), lang)
    feature = FEATURES_BY_NAME[name]
    key = _PERCENTILE_KEYS[feature.risk_direction] if feature.actionable else "client.percentile"
    return translate(f"{key}_value", lang).format(rank=rank)


def feature_rows(
    client: Mapping, score: Mapping, percentiles: Mapping[str, float], lang: str
) -> list[dict[str, str]]:
    """The five features, where each stands in the portfolio, their dates and freshness."""
    if not client:
        return []
    today = date.today()
    freshness = score.get("freshness", {})
    rows = []
    for name in FEATURE_NAMES:
        as_of = client[f"{name}_as_of"]
        stale = FEATURES_BY_NAME[name].critical and freshness.get(name, {}).get(
            "stale", is_stale(as_of, today)
        )
        rows.append(
            {
                "name": name,
                "label": translate(f"feature.{name}", lang),
                "value": format_feature(name, client[name], lang),
                "percentile": _percentile_text(name, percentiles.get(name), lang),
                "as_of": format_date(as_of, lang),
                "stale": "1" if stale else "",
            }
        )
    return rows


def slider_bounds(name: str, client: Mapping) -> tuple[float, float]:
    """The what-if range on the grid of the feature's step through the client's own value.

    A range input snaps its value to ``min + k * step``: anchoring the grid at the
    client's value makes the slider start exactly there (211 400 €, not 211 000 €).
    """
    low, high = what_if_range(name, client)
    step, value = FEATURES_BY_NAME[name].step, client[name]
    return value - ((value - low) // step) * step, value + ((high - value) // step) * step


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def what_if_controls(client: Mapping, what_if: Mapping[str, float], lang: str) -> list[dict[str, str]]:
    if not client:
        return []
    controls = []
    for name in WHAT_IF_FEATURES:
        low, high = slider_bounds(name, client)
        value = what_if.get(name, client[name])
        controls.append(
            {
                "name": name,
                "label": translate(f"feature.{name}", lang),
                "min": _number(low),
                "max": _number(high),
                "step": _number(FEATURES_BY_NAME[name].step),
                "initial": _number(client[name]),
                "text": format_feature(name, value, lang),
            }
        )
    return controls


def latest_decision_text(decision: Mapping, lang: str) -> str:
    if not decision:
        return ""
    return translate("decision.latest", lang).format(
        outcome=translate(f"decision.{decision['outcome']}", lang), date=format_date(decision["at"], lang)
    )


def history_rows(history: Sequence[Mapping], lang: str) -> list[dict[str, str]]:
    rows = []
    for item in history:
        when = format_date(item["at"], lang)
        if item["kind"] == "score":
            rows.append(
                {
                    "kind": "score",
                    "when": when,
                    "what": format_percent(item["probability"], lang),
                    "detail": translate(f"recommendation.{item['recommendation']}", lang),
                    "note": translate("history.superseded", lang) if item["superseded"] else "",
                }
            )
        else:
            rows.append(
                {
                    "kind": "decision",
                    "when": when,
                    "what": translate(f"decision.{item['outcome']}", lang),
                    "detail": item["justification"] or "",
                    "note": translate("history.override", lang) if item["override"] else "",
                }
            )
    return rows
