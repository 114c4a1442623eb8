"""The monitoring history as chart series: one point per calendar month, oldest first.

Pure: the rows of ``services/monitoring_history.history`` in, the data the page's
line charts draw out. A month whose section had no data gives ``None``, which the
charts draw as a gap rather than a fall to zero.
"""

from __future__ import annotations

from modeling import monitoring as rules
from modeling.features import FEATURE_NAMES, FEATURES_BY_NAME
from neobank_dashboard.display.texts import translate
from neobank_dashboard.i18n import format_number

POPULATION_KEY = "population"
# One colour per line, the score first; the 0.1 / 0.25 level lines are amber and red.
LINE_COLOURS = ("#1f2937", "#6e56cf", "#12a594", "#0090ff", "#f76b15", "#d6409f")
LEVEL_LINES = ({"at": rules.WATCH_AT, "colour": "#ffb224"}, {"at": rules.ALERT_AT, "colour": "#e5484d"})
PERCENT_DECIMALS = 1


def month_label(month: str) -> str:
    """'2026-07' → '07/2026': the same in both languages and never ambiguous."""
    year, _, number = month.partition("-")
    return f"{number}/{year}"


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, PERCENT_DECIMALS)


def _index(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def stability_series(history: list[dict]) -> list[dict]:
    """Per month the score's PSI and each feature's CSI, keyed by feature name."""
    return [
        {
            "month": month_label(row["month"]),
            POPULATION_KEY: _index(row.get("psi")),
            **{name: _index((row.get("csi") or {}).get(name)) for name in FEATURE_NAMES},
        }
        for row in history
    ]


def stability_lines(lang: str, population_label: str) -> list[dict[str, str]]:
    """The stability chart's lines: the score, then the five features in their own words."""
    names = [(POPULATION_KEY, population_label)] + [
        (name, FEATURES_BY_NAME[name].label_fr if lang == "fr" else FEATURES_BY_NAME[name].label_en)
        for name in FEATURE_NAMES
    ]
    return [
        {"key": key, "name": label, "colour": LINE_COLOURS[i % len(LINE_COLOURS)]}
        for i, (key, label) in enumerate(names)
    ]


def default_rate_series(history: list[dict]) -> list[dict]:
    """Per month the mean predicted probability and the observed default rate, in %."""
    return [
        {
            "month": month_label(row["month"]),
            "predicted": _percent(row.get("predicted")),
            "observed": _percent(row.get("observed")) if row.get("outcomes") else None,
        }
        for row in history
    ]


def approval_series(history: list[dict]) -> list[dict]:
    """Per month the approval rate of each age band, in %, keyed by the band's label."""
    return [
        {
            "month": month_label(row["month"]),
            **{band: _percent((row.get("approval_rate") or {}).get(band)) for band, _, _ in rules.AGE_BANDS},
        }
        for row in history
    ]


def approval_lines() -> list[dict[str, str]]:
    return [
        {"key": band, "name": band, "colour": LINE_COLOURS[(i + 1) % len(LINE_COLOURS)]}
        for i, (band, _, _) in enumerate(rules.AGE_BANDS)
    ]


def levels_note(lang: str) -> str:
    """What the stability chart's two horizontal lines mean, with their values."""
    return translate("monitoring.history.levels", lang).format(
        watch=_level(rules.WATCH_AT, lang), alert=_level(rules.ALERT_AT, lang)
    )


def _level(value: float, lang: str) -> str:
    return format_number(value, lang, 2).rstrip("0")  # "0,1", "0,25"
