"""Stable reason codes with French and English sentences, from explanations.

A reason is one feature's contribution to one client's score, against the
portfolio's average client (contributions are centred on the portfolio, see
:mod:`modeling.explain`). Its code depends on the feature and on whether the
contribution raises or lowers the risk. Codes are stable identifiers for
logs and API clients; the sentences use the feature spec's labels and units.

Value guard: a reason never contradicts the client's value. For a feature
with a risk direction, a contribution that lowers the risk while the value
is worse than the portfolio's typical one (its training median), or raises
it while the value is better, gives no reason (its points stay in the
contributions, which must add up). Such contributions come from
interactions: the feature's value is bad, but less so with this client's
other values.

Age texts state no age preference: they say that age counts only within
the bounded effect the bank sets (``AGE_MODELLED_RANGE``), and in which
direction it moved this estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from modeling.explain import Explanation
from modeling.features import FEATURES_BY_NAME, Feature


@dataclass(frozen=True)
class Reason:
    """One feature's part in one score. ``points``: probability points (0-1
    scale) added to the probability of default; ``direction``: "raises" or
    "lowers" the risk."""

    code: str
    feature: str
    direction: str
    points: float
    actionable: bool
    text_fr: str
    text_en: str


RAISES, LOWERS = "raises", "lowers"

REASON_TEXTS: dict[str, tuple[str, str]] = {
    "AGE_RAISES": (
        (
            "{label} : {value}. L'âge ne compte que dans une limite fixée et contrôlée par la "
            "banque ; ici, il augmente le risque estimé."
        ),
        (
            "{label}: {value}. Age counts only within a limit the bank sets and checks; here it "
            "raises the estimated risk."
        ),
    ),
    "AGE_LOWERS": (
        (
            "{label} : {value}. L'âge ne compte que dans une limite fixée et contrôlée par la "
            "banque ; ici, il diminue le risque estimé."
        ),
        (
            "{label}: {value}. Age counts only within a limit the bank sets and checks; here it "
            "lowers the estimated risk."
        ),
    ),
    "INCOME_LOW": (
        "{label} : {value}. Un revenu à ce niveau augmente le risque estimé.",
        "{label}: {value}. Income at this level raises the estimated risk.",
    ),
    "INCOME_HIGH": (
        "{label} : {value}. Ce revenu diminue le risque estimé.",
        "{label}: {value}. This income lowers the estimated risk.",
    ),
    "SENIORITY_SHORT": (
        "{label} : {value}. Une ancienneté courte dans l'emploi actuel augmente le risque estimé.",
        "{label}: {value}. A short time in the current job raises the estimated risk.",
    ),
    "SENIORITY_LONG": (
        "{label} : {value}. Un emploi stable depuis longtemps diminue le risque estimé.",
        "{label}: {value}. Long, stable employment lowers the estimated risk.",
    ),
    "INCIDENTS_HIGH": (
        "{label} : {value}. Les incidents de paiement passés augmentent le risque estimé.",
        "{label}: {value}. Past payment incidents raise the estimated risk.",
    ),
    "INCIDENTS_NONE": (
        "{label} : aucun. Un historique de paiement sans incident diminue le risque estimé.",
        "{label}: none. A clean payment record lowers the estimated risk.",
    ),
    "INCIDENTS_FEW": (
        "{label} : {value}. Ce petit nombre d'incidents diminue le risque estimé.",
        "{label}: {value}. This low number of incidents lowers the estimated risk.",
    ),
    "CREDIT_SCORE_LOW": (
        "{label} : {value}. Un score de crédit à ce niveau augmente le risque estimé.",
        "{label}: {value}. A credit score at this level raises the estimated risk.",
    ),
    "CREDIT_SCORE_HIGH": (
        "{label} : {value}. Un bon score de crédit diminue le risque estimé.",
        "{label}: {value}. A good credit score lowers the estimated risk.",
    ),
}
"""Every reason code, with its French and English sentence templates."""

_CODES_BY_DIRECTION = {
    "age": {RAISES: "AGE_RAISES", LOWERS: "AGE_LOWERS"},
    "income": {RAISES: "INCOME_LOW", LOWERS: "INCOME_HIGH"},
    "seniority": {RAISES: "SENIORITY_SHORT", LOWERS: "SENIORITY_LONG"},
    "credit_score": {RAISES: "CREDIT_SCORE_LOW", LOWERS: "CREDIT_SCORE_HIGH"},
}


def reason_code(feature: str, direction: str, value: float) -> str:
    """The stable code for a feature's contribution in ``direction``."""
    if feature == "payment_incidents":
        if direction == RAISES:
            return "INCIDENTS_HIGH"
        return "INCIDENTS_NONE" if value == 0 else "INCIDENTS_FEW"
    return _CODES_BY_DIRECTION[feature][direction]


def format_value(feature: Feature, value: float, language: str) -> str:
    """``value`` with the feature's unit, in French or English number style. The same
    rule as the dashboard's ``format_quantity`` (modeling imports nothing of the
    dashboard; a unit test holds the two equal): euros as money, "€31,100 / year"."""
    decimals = 0 if feature.kind is int or feature.step >= 1 else 1
    number = f"{value:,.{decimals}f}"
    unit = feature.unit_fr if language == "fr" else feature.unit_en
    if language == "fr":
        number = number.replace(",", "\u202f").replace(".", ",")
        if unit.startswith("€"):
            return f"{number}\u00a0{unit}"
    elif unit.startswith("€"):
        return f"€{number}{unit.removeprefix('€')}"
    if (abs(value) < 2) if language == "fr" else (value == 1):
        unit = unit.removesuffix("s")  # "1 incident", "0,5 an": CLDR's singular
    return f"{number} {unit}"


def contradicts_value(feature: Feature, direction: str, value: float, typical: float) -> bool:
    """True when ``direction`` disagrees with the side of the portfolio's
    ``typical`` value that ``value`` lies on (the value guard)."""
    worse = (value - typical) * feature.risk_direction
    return worse > 0 if direction == LOWERS else worse < 0


def _reason(name: str, points: float, value: float) -> Reason:
    feature = FEATURES_BY_NAME[name]
    direction = RAISES if points > 0 else LOWERS
    code = reason_code(name, direction, value)
    template_fr, template_en = REASON_TEXTS[code]
    return Reason(
        code=code,
        feature=name,
        direction=direction,
        points=float(points),
        actionable=feature.actionable,
        text_fr=template_fr.format(label=feature.label_fr, value=format_value(feature, value, "fr")),
        text_en=template_en.format(label=feature.label_en, value=format_value(feature, value, "en")),
    )


def reasons(explanation: Explanation, X: pd.DataFrame, top: int | None = None) -> list[list[Reason]]:
    """Per client (row of ``X``), the reasons ranked by ``|points|``, largest
    first, at most ``top``; features contributing exactly 0 give no reason,
    nor do contributions the value guard rejects (module docstring)."""
    if explanation.reference_values is None:
        raise ValueError("reasons need the explanation's reference values (training medians)")
    names = explanation.feature_names
    values = X[list(names)].to_numpy(dtype=np.float64)
    medians = explanation.reference_values
    points = explanation.contributions_points
    ranked = []
    for row in range(len(values)):
        order = [
            j
            for j in np.argsort(-np.abs(points[row]), kind="stable")
            if points[row, j] != 0
            and not contradicts_value(
                FEATURES_BY_NAME[names[j]],
                RAISES if points[row, j] > 0 else LOWERS,
                values[row, j],
                medians[j],
            )
        ]
        ranked.append([_reason(names[j], points[row, j], values[row, j]) for j in order[:top]])
    return ranked
