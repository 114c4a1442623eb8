"""The client page's texts: a score, a client's features and history in one language.

Pure functions of the plain data the client state holds (see
``state.client._score_summary``), so the state's computed vars stay one line each.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from modeling.features import FEATURE_NAMES, FEATURES_BY_NAME, what_if_range
from neobank_dashboard.display.gauge import gauge_geometry
from neobank_dashboard.display.texts import translate
from neobank_dashboard.i18n import format_date, format_money, format_number, format_percent
from neobank_dashboard.services.freshness import is_stale

WHAT_IF_FEATURES = tuple(f for f in FEATURE_NAMES if FEATURES_BY_NAME[f].actionable)
NO_SCORE = "—"


def format_feature(name: str, value: float, lang: str) -> str:
    feature = FEATURES_BY_NAME[name]
    if name == "income":
        return format_money(value, lang)
    unit = feature.unit_en if lang == "en" else feature.unit_fr
    decimals = 0 if feature.kind is int or float(value).is_integer() else 1
    return f"{format_number(value, lang, decimals)} {unit}"


def points_text(points: float, lang: str) -> str:
    sign = "+" if points >= 0 else "−"
    return f"{sign}{format_number(abs(points) * 100, lang, 1)} pts"


def gauge_of(score: Mapping) -> dict[str, str]:
    if not score:
        return gauge_geometry(0.0, 0.5, 0.4, 0.6)
    low, high = score["grey_zone"]
    return gauge_geometry(score["probability"], score["threshold"], low, high)


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
    return [note["en" if lang == "en" else "fr"] for note in score.get("notes", [])]


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


def reason_rows(score: Mapping, lang: str) -> list[dict[str, str]]:
    text = "en" if lang == "en" else "fr"
    return [
        {
            "text": r[text],
            "direction": r["direction"],
            "direction_text": translate(f"reason.{r['direction']}", lang),
            "points_text": points_text(r["points"], lang),
            "actionable_text": translate("reason.actionable", lang) if r["actionable"] else "",
        }
        for r in score.get("reasons", [])
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


def _percentile_text(percentile: float | None, lang: str) -> str:
    if percentile is None:
        return NO_SCORE
    rank = format_number(min(100, max(1, round(percentile))), lang)
    return translate("client.percentile_value", lang).format(rank=rank)


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
        stale = freshness.get(name, {}).get("stale", is_stale(as_of, today))
        rows.append(
            {
                "name": name,
                "label": translate(f"feature.{name}", lang),
                "value": format_feature(name, client[name], lang),
                "percentile": _percentile_text(percentiles.get(name), lang),
                "as_of": format_date(as_of, lang),
                "stale": "1" if stale else "",
            }
        )
    return rows


def what_if_controls(client: Mapping, what_if: Mapping[str, float], lang: str) -> list[dict[str, str]]:
    if not client:
        return []
    controls = []
    for name in WHAT_IF_FEATURES:
        low, high = what_if_range(name, client)
        value = what_if.get(name, client[name])
        controls.append(
            {
                "name": name,
                "label": translate(f"feature.{name}", lang),
                "min": str(low),
                "max": str(high),
                "step": str(FEATURES_BY_NAME[name].step),
                "value": str(value),
                "text": format_feature(name, value, lang),
            }
        )
    return controls


def history_rows(history: list[Mapping], lang: str) -> list[dict[str, str]]:
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
