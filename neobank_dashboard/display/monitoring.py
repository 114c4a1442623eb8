"""The monitoring report in words and numbers of the page's language.

Pure: the report's JSON sections (``services/monitoring.build_report``) in, the rows
the page shows out, every number formatted by :mod:`neobank_dashboard.i18n`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from modeling.features import FEATURES_BY_NAME
from neobank_dashboard.display.texts import translate
from neobank_dashboard.i18n import format_date, format_number, format_percent
from neobank_dashboard.services.oversight import OversightFigures

INDEX_DECIMALS = 3
# The badge colour of each level, stability and traffic light alike (the text says it too).
LEVEL_COLOURS = {
    "ok": "green",
    "watch": "amber",
    "alert": "red",
    "green": "green",
    "amber": "amber",
    "red": "red",
}
NO_VALUE = "—"


def _number(value: float | None, lang: str, decimals: int = INDEX_DECIMALS) -> str:
    return NO_VALUE if value is None else format_number(value, lang, decimals)


def _percent(value: float | None, lang: str) -> str:
    return NO_VALUE if value is None else format_percent(value, lang)


def _level(level: str | None, lang: str) -> dict[str, str]:
    if level is None:
        return {"level": translate("monitoring.no_data", lang), "colour": "gray"}
    kind = "light" if level in ("green", "amber", "red") else "level"
    return {"level": translate(f"monitoring.{kind}.{level}", lang), "colour": LEVEL_COLOURS[level]}


def _feature_label(name: str, lang: str) -> str:
    if name == "score":
        return translate("monitoring.score", lang)
    return FEATURES_BY_NAME[name].label_fr if lang == "fr" else FEATURES_BY_NAME[name].label_en


def has_data(section: dict) -> bool:
    return section.get("status") == "ok"


def stability_rows(report: dict, lang: str) -> list[dict[str, str]]:
    """The score's PSI first, then each feature's CSI."""
    entries = [{"name": "score", **report["population"]}, *report["features"]]
    return [
        {
            "name": _feature_label(entry["name"], lang),
            "psi": _number(entry.get("psi"), lang),
            "n": format_number(entry.get("n") or 0, lang),
            **_level(entry.get("level"), lang),
        }
        for entry in entries
    ]


def backtest_rows(backtest: dict, lang: str) -> list[dict[str, str]]:
    return [
        {
            "band": translate(f"risk_band.{band['band']}", lang),
            "n": format_number(band["n"], lang),
            "predicted": _percent(band["predicted"], lang),
            "observed": _percent(band["observed"], lang),
            **_level(band["level"], lang),
        }
        for band in backtest.get("bands", [])
    ]


def fairness_rows(fairness: dict, lang: str) -> list[dict[str, str]]:
    return [
        {
            "band": band["band"],
            "n": format_number(band["n"], lang),
            "approval_rate": _percent(band["approval_rate"], lang),
            "mean_probability": _percent(band["mean_probability"], lang),
        }
        for band in fairness.get("age_bands", [])
    ]


def challenger_rows(challenger: dict, lang: str) -> list[dict[str, str]]:
    """Champion and challenger side by side: AUC and Brier score on the same outcomes."""
    if not has_data(challenger):
        return []
    return [
        {
            "model": translate(f"monitoring.{who}", lang),
            "auc": _number(challenger[who]["auc"], lang),
            "brier": _number(challenger[who]["brier"], lang, 4),
        }
        for who in ("champion", "challenger")
    ]


def report_rows(report: dict, lang: str) -> dict[str, list[dict[str, str]]]:
    """The tables of one report, by section."""
    return {
        "stability": stability_rows(report, lang),
        "backtest": backtest_rows(report["backtest"], lang),
        "fairness": fairness_rows(report["fairness"], lang),
        "challenger": challenger_rows(report["challenger"], lang),
    }


def report_figures(report: dict, lang: str) -> dict[str, str]:
    """The single numbers of one report beside its tables."""
    challenger = report["challenger"]
    return {
        "auc": _number(report["backtest"].get("auc"), lang),
        "adverse_impact_ratio": _number(report["fairness"].get("adverse_impact_ratio"), lang, 2),
        "age_alone": age_alone_figure(report["fairness"].get("age_alone"), lang),
        "challenger_name": challenger.get("name") or "",
        "challenger_n": format_number(challenger.get("n") or 0, lang),
    }


def report_note(report: dict, stored: bool, lang: str) -> str:
    """When the report shown was computed, and whether it is the stored one."""
    at = datetime.fromisoformat(report["computed_at"]).astimezone(UTC)
    key = "monitoring.note_stored" if stored else "monitoring.note_live"
    return translate(key, lang).format(date=format_date(at.date(), lang), time=at.strftime("%H:%M"))


def age_alone_figure(age_alone: dict | None, lang: str) -> str:
    """ "2,5 % (3 / 120)": the window's refusals that the median age would turn eligible."""
    if not age_alone or age_alone.get("share") is None:
        return translate("monitoring.no_data", lang)
    decided, refusals = (format_number(age_alone[key], lang) for key in ("decided_by_age_alone", "refusals"))
    counts = f"{decided} / {refusals}"
    return f"{_percent(age_alone['share'], lang)} ({counts})"


def sections_with_data(report: dict) -> dict[str, bool]:
    """Which sections have data: the others show their "no data" message."""
    stability = has_data(report["population"]) or any(has_data(f) for f in report["features"])
    return {
        "stability": stability,
        **{name: has_data(report[name]) for name in ("backtest", "fairness", "challenger")},
    }


def oversight_rows(figures: OversightFigures, lang: str) -> list[dict[str, str]]:
    """The human-oversight figures of all advisors over the window; none without decisions."""
    if not figures.decisions:
        return []
    seconds = figures.median_seconds_to_decide
    return [
        {"label": translate(f"oversight.{key}", lang), "value": value}
        for key, value in (
            ("decisions", format_number(figures.decisions, lang)),
            ("override_rate", _percent(figures.override_rate, lang)),
            ("agreement_rate", _percent(figures.agreement_rate, lang)),
            ("median_time", NO_VALUE if seconds is None else f"{format_number(seconds, lang)} s"),
            ("without_reasons", _percent(figures.without_reasons_share, lang)),
        )
    ]
