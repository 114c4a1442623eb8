"""Gates a model must pass before promotion, and the age-alone refusal share.

- Monotonicity: along every feature with a risk direction, the log-odds
  never move against it. Checked on probe clients (every combination of the
  training 1st, 50th and 99th percentiles of the features) over a grid
  spanning the feature's 1st-99th percentile range: a monotone constraint
  or a coefficient sign is global, so a violation anywhere is a bug or a
  sign flip (collinear or small data), and any reasonable grid finds it.
- Coefficient signs: each linear coefficient on an application feature has
  the feature spec's sign (or is 0).
- Age alone: among the test split's refusals, the share that would be
  eligible at the portfolio's median age, everything else equal, is at most
  ``AGE_ALONE_REFUSAL_LIMIT``.

The registry records these results in the artefact and :func:`check_gates`
recomputes the first two from the artefact itself before promotion.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from modeling.constants import AGE_ALONE_REFUSAL_LIMIT
from modeling.features import FEATURE_NAMES, FEATURES, FEATURES_BY_NAME

PROBE_QUANTILES = (0.01, 0.5, 0.99)
GRID_POINTS = 41
MONOTONE_TOLERANCE = 1e-9
"""Log-odds may move against the direction by float rounding only."""

LogOdds = Callable[[np.ndarray], np.ndarray]
"""Raw log-odds (n,) from floats (n, 5) in ``FEATURE_NAMES`` order."""


class GateError(Exception):
    """A model failed a gate: it must not be promoted."""


def feature_quantiles(X: pd.DataFrame) -> dict[str, list[float]]:
    """The training :data:`PROBE_QUANTILES` of each feature (aggregates only,
    no client's data), stored in the artefact for :func:`check_gates`."""
    return {name: X[name].quantile(list(PROBE_QUANTILES)).astype(float).tolist() for name in FEATURE_NAMES}


def monotonicity_violations(log_odds: LogOdds, quantiles: dict[str, list[float]]) -> list[str]:
    """One message per feature whose log-odds move against its risk direction."""
    probes = np.array(list(itertools.product(*(quantiles[name] for name in FEATURE_NAMES))), dtype=np.float64)
    violations = []
    for index, feature in enumerate(FEATURES):
        if feature.risk_direction == 0:
            continue
        low, high = quantiles[feature.name][0], quantiles[feature.name][-1]
        grid = np.linspace(low, high, GRID_POINTS)
        rows = np.repeat(probes, GRID_POINTS, axis=0)
        rows[:, index] = np.tile(grid, len(probes))
        if feature.name == "seniority":  # the scoring contract: seniority <= age - 14
            rows[:, index] = np.minimum(rows[:, index], rows[:, FEATURE_NAMES.index("age")] - 14)
        steps = np.diff(log_odds(rows).reshape(len(probes), GRID_POINTS), axis=1) * feature.risk_direction
        worst = float(steps.min(initial=0.0))
        if worst < -MONOTONE_TOLERANCE:
            violations.append(
                f"{feature.name}: log-odds move against the spec's direction by {-worst:.3g} "
                f"between {low:g} and {high:g}"
            )
    return violations


def coefficient_sign_violations(pipeline: Pipeline) -> list[str]:
    """One message per linear coefficient on an application feature whose
    sign is the opposite of the feature's risk direction."""
    model = pipeline[-1]
    if not hasattr(model, "coef_"):
        return []
    columns = pipeline[:-1].get_feature_names_out()
    return [
        f"{name}: coefficient {coefficient:.3g} has the wrong sign"
        for name, coefficient in zip(columns, np.ravel(model.coef_), strict=True)
        if name in FEATURES_BY_NAME and coefficient * FEATURES_BY_NAME[name].risk_direction < 0
    ]


def age_alone_refusals(
    probability: Callable[[pd.DataFrame], np.ndarray], X: pd.DataFrame, threshold: float, median_age: float
) -> dict[str, float]:
    """Refusals of ``X`` (probability >= ``threshold``) and the share of them
    that ``median_age`` would turn eligible, all else equal."""
    refused = probability(X) >= threshold
    at_median_age = probability(X.assign(age=median_age)) >= threshold
    decided_by_age = int(np.sum(refused & ~at_median_age))
    return {
        "refusals": int(refused.sum()),
        "decided_by_age_alone": decided_by_age,
        "share": decided_by_age / max(int(refused.sum()), 1),
        "median_age": float(median_age),
        "limit": AGE_ALONE_REFUSAL_LIMIT,
    }


def gate_failures(gates: dict) -> list[str]:
    """Every failure in a gates record (see :func:`evaluate_gates`)."""
    failures = [*gates["monotonicity"], *gates["coefficient_signs"]]
    age = gates.get("age_alone")
    if age is not None and age["share"] > age["limit"]:
        failures.append(f"age alone decides {age['share']:.1%} of refusals (limit {age['limit']:.0%})")
    return failures


def evaluate_gates(
    log_odds: LogOdds,
    pipeline: Pipeline,
    quantiles: dict[str, list[float]],
    age_alone: dict[str, float] | None,
) -> dict:
    """The gates record of one fitted application model (JSON-serialisable)."""
    gates: dict[str, Any] = {
        "monotonicity": monotonicity_violations(log_odds, quantiles),
        "coefficient_signs": coefficient_sign_violations(pipeline),
        "age_alone": age_alone,
    }
    gates["passed"] = not gate_failures(gates)
    return gates


def check_gates(log_odds: LogOdds, gates: dict, quantiles: dict[str, list[float]]) -> None:
    """Raise :class:`GateError` unless the recorded gates passed and the
    monotonicity check, recomputed on ``log_odds``, still passes."""
    failures = gate_failures(gates) + monotonicity_violations(log_odds, quantiles)
    if failures:
        raise GateError("the model fails its promotion gates: " + "; ".join(dict.fromkeys(failures)))
