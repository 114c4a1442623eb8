"""Post-market monitoring maths: stability, backtest, fairness. Pure numpy/scipy.

Every rule the monitoring report applies is defined here, once:

- **Stability** (population stability index, PSI, of the score; characteristic
  stability index, CSI, of each feature): the window's distribution over the
  training reference's bins, ``sum((a - e) * ln(a / e))`` over bins with shares
  ``a`` (window) and ``e`` (training). Shares are floored at
  :data:`SHARE_FLOOR` so that an empty bin gives a large, finite index.
  Levels: ``ok`` < :data:`WATCH_AT` <= ``watch`` < :data:`ALERT_AT` <= ``alert``
  (the industry's 0.1 / 0.25 rule of thumb).
- **Backtest** per risk band: mean predicted probability against the observed
  default rate, with the Jeffreys test of the ECB's validation reporting
  (posterior ``Beta(d + 1/2, n - d + 1/2)`` of the default rate given ``d``
  defaults in ``n``), here two-sided: over-predicting refuses good clients,
  under-predicting lends to bad ones. Traffic light: ``green`` when the
  p-value is at least :data:`AMBER_BELOW`, ``red`` below :data:`RED_BELOW`,
  ``amber`` between. Each band also carries the central Jeffreys interval
  (:data:`INTERVAL_LEVEL`) of its default rate: the light is ``green``
  exactly when the predicted rate lies inside it (the two-sided p-value is
  at least ``1 - INTERVAL_LEVEL``), which is what the page's chart draws.
- **Fairness** by age band (:data:`AGE_BANDS`), with ``fairlearn``'s
  ``MetricFrame``; the adverse impact ratio is each band's approval rate over
  the best band's (the "four-fifths" rule flags a ratio below
  :data:`ADVERSE_IMPACT_FLOOR`).

The report aggregates in SQL: backtest inputs arrive as probability buckets
(:data:`PROBABILITY_DECIMALS` decimals) with counts and sums, fairness inputs
as groups with a weight. AUC from buckets counts a default and a repaid
client in the same bucket as a tie (one half), exactly like the AUC of the
rounded probabilities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import numpy as np
import pandas as pd
from scipy.stats import beta

STABILITY_BINS = 10
"""Training-quantile bins per distribution (fewer when a feature has few values)."""
SHARE_FLOOR = 1e-4
WATCH_AT = 0.1
ALERT_AT = 0.25
AMBER_BELOW = 0.05
RED_BELOW = 0.01
INTERVAL_LEVEL = 1 - AMBER_BELOW
ADVERSE_IMPACT_FLOOR = 0.8
PROBABILITY_DECIMALS = 4
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("18-25", 18, 25),
    ("26-35", 26, 35),
    ("36-50", 36, 50),
    ("51-65", 51, 65),
    ("66+", 66, None),
)
"""(label, first age, last age or None) of each fairness band, youngest first."""


class StabilityLevel(StrEnum):
    ok = "ok"
    watch = "watch"
    alert = "alert"


class TrafficLight(StrEnum):
    green = "green"
    amber = "amber"
    red = "red"


# ------------------------------------------------------------------ stability


def reference_bins(values: np.ndarray, bins: int = STABILITY_BINS) -> dict[str, list[float]]:
    """Bins of a training distribution: inner ``edges`` (ascending, at most
    ``bins - 1``, bin ``i`` is ``(edges[i-1], edges[i]]``) at its quantiles, and
    the training ``shares`` of the ``len(edges) + 1`` bins."""
    values = np.asarray(values, dtype=np.float64)
    quantiles = np.quantile(values, np.arange(1, bins) / bins, method="lower")  # observed values
    edges = np.unique(quantiles[quantiles < values.max()])
    counts = np.bincount(bin_index(values, edges), minlength=len(edges) + 1)
    return {"edges": edges.tolist(), "shares": (counts / len(values)).tolist()}


def bin_index(values: np.ndarray, edges: Sequence[float] | np.ndarray) -> np.ndarray:
    """Bin of each value (n,): the number of edges strictly below it."""
    return np.searchsorted(np.asarray(edges, dtype=np.float64), values, side="left")


def stability_index(reference_shares: Sequence[float], counts: Sequence[float]) -> float | None:
    """PSI/CSI of the window's bin ``counts`` against the training shares;
    None for an empty window."""
    observed = np.asarray(counts, dtype=np.float64)
    if observed.sum() <= 0:
        return None
    expected = np.maximum(np.asarray(reference_shares, dtype=np.float64), SHARE_FLOOR)
    actual = np.maximum(observed / observed.sum(), SHARE_FLOOR)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def stability_level(index: float) -> StabilityLevel:
    if index >= ALERT_AT:
        return StabilityLevel.alert
    return StabilityLevel.watch if index >= WATCH_AT else StabilityLevel.ok


# ------------------------------------------------------------------- backtest


def jeffreys_p_value(n: int, defaults: int, predicted: float) -> float:
    """Two-sided Jeffreys p-value that ``defaults`` out of ``n`` are consistent
    with a mean predicted probability of default ``predicted`` (0-1)."""
    below = float(beta.cdf(predicted, defaults + 0.5, n - defaults + 0.5))
    return min(1.0, 2 * min(below, 1 - below))


def jeffreys_interval(n: int, defaults: int, level: float = INTERVAL_LEVEL) -> tuple[float, float]:
    """Central Jeffreys interval of the default rate given ``defaults`` out of ``n``:
    the posterior's quantiles, unclamped, so that it agrees with :func:`jeffreys_p_value`."""
    tail = (1 - level) / 2
    posterior = beta(defaults + 0.5, n - defaults + 0.5)
    return float(posterior.ppf(tail)), float(posterior.ppf(1 - tail))


def traffic_light(p_value: float) -> TrafficLight:
    if p_value < RED_BELOW:
        return TrafficLight.red
    return TrafficLight.amber if p_value < AMBER_BELOW else TrafficLight.green


Level = TypeVar("Level", bound=StrEnum)


def worst(levels: Sequence[Level], order: Sequence[Level]) -> Level | None:
    """The most severe of ``levels`` by their place in ``order`` (mildest first)."""
    return max(levels, key=order.index) if levels else None


@dataclass(frozen=True)
class Buckets:
    """Outcomes grouped by rounded probability, ascending; arrays of shape (k,).

    ``key`` orders the buckets (the rounded probability), ``n`` clients, ``defaults`` among them,
    ``sum_p`` / ``sum_p2`` / ``sum_py``: sums of the exact probability, its
    square and probability times outcome (for the Brier score).
    """

    key: np.ndarray
    n: np.ndarray
    defaults: np.ndarray
    sum_p: np.ndarray
    sum_p2: np.ndarray
    sum_py: np.ndarray

    @classmethod
    def of(cls, rows: Sequence[Sequence[float]]) -> Buckets:
        """From rows ``(bucket key, n, defaults, sum_p, sum_p2, sum_py)`` in any order,
        rows with the same key merged (the key only orders the buckets)."""
        table = np.asarray(rows, dtype=np.float64).reshape(-1, 6)
        keys, group = np.unique(table[:, 0], return_inverse=True)  # one bucket per key
        sums = [np.bincount(group, weights=table[:, i], minlength=len(keys)) for i in range(1, 6)]
        return cls(keys, *sums)

    @property
    def total(self) -> int:
        return int(self.n.sum())


def auc(buckets: Buckets) -> float | None:
    """ROC AUC of the bucketed probabilities; None without both outcomes."""
    positives = buckets.defaults
    negatives = buckets.n - buckets.defaults
    if positives.sum() == 0 or negatives.sum() == 0:
        return None
    negatives_below = np.cumsum(negatives) - negatives
    concordant = np.sum(positives * (negatives_below + 0.5 * negatives))
    return float(concordant / (positives.sum() * negatives.sum()))


def calibration(buckets: Buckets) -> dict[str, float | None]:
    """Brier score, mean predicted and observed rates, and the calibration
    intercept and slope (logistic regression of the outcome on the bucket's
    log-odds; 0 and 1 when perfectly calibrated, None without both outcomes)."""
    n, defaults = buckets.n.sum(), buckets.defaults.sum()
    result = {
        "brier": float((buckets.sum_p2.sum() - 2 * buckets.sum_py.sum() + defaults) / n),
        "mean_predicted": float(buckets.sum_p.sum() / n),
        "observed_default_rate": float(defaults / n),
        "intercept": None,
        "slope": None,
    }
    if 0 < defaults < n:
        result["intercept"], result["slope"] = _logistic_fit(buckets)
    return result


def _logistic_fit(buckets: Buckets) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    p = np.clip(buckets.sum_p / buckets.n, 1e-6, 1 - 1e-6)
    log_odds = np.log(p / (1 - p))
    X = np.concatenate([log_odds, log_odds]).reshape(-1, 1)
    y = np.concatenate([np.ones_like(log_odds), np.zeros_like(log_odds)])
    weights = np.concatenate([buckets.defaults, buckets.n - buckets.defaults])
    keep = weights > 0
    fit = LogisticRegression(C=1e10, max_iter=1_000).fit(X[keep], y[keep], sample_weight=weights[keep])
    return float(fit.intercept_[0]), float(fit.coef_[0, 0])


def band_backtest(n: int, defaults: int, sum_p: float) -> dict[str, float | int | str | list[float]]:
    """One risk band's line: predicted vs observed, Jeffreys p-value and interval, light."""
    predicted = sum_p / n
    p_value = jeffreys_p_value(n, defaults, predicted)
    low, high = jeffreys_interval(n, defaults)
    return {
        "n": n,
        "defaults": defaults,
        "predicted": predicted,
        "observed": defaults / n,
        "p_value": p_value,
        "interval": [low, high],
        "level": traffic_light(p_value).value,
    }


# ------------------------------------------------------------------- fairness


def fairness_by_group(
    groups: Sequence[str],
    weights: Sequence[float],
    approved: Sequence[float],
    refused_by_model: Sequence[float],
    refused_finally: Sequence[float],
    mean_probability: Sequence[float],
) -> dict[str, dict[str, float | None]]:
    """Rates per group with ``fairlearn.metrics.MetricFrame``.

    Each input row is a set of ``weights[i]`` identical clients (the SQL
    aggregates): in group ``groups[i]``, approved or not in the end (0/1),
    refused by the model's recommendation alone, refused after the advisors'
    decisions, and their mean probability. Returns, per group present,
    ``n``, ``approval_rate``, ``mean_probability``,
    ``refusal_rate_without_override``, ``refusal_rate_with_override`` and the
    ``adverse_impact_ratio`` against the group with the highest approval rate
    (None when no group approves anyone).
    """
    from fairlearn.metrics import MetricFrame

    client_weights = np.asarray(weights, dtype=np.float64)
    columns = {
        "approval_rate": approved,
        "mean_probability": mean_probability,
        "refusal_rate_without_override": refused_by_model,
        "refusal_rate_with_override": refused_finally,
    }

    def weighted_mean(y_true, y_pred, values, sample_weight) -> float:
        return float(np.average(values, weights=sample_weight))

    def total(y_true, y_pred, sample_weight) -> float:
        return float(np.sum(sample_weight))

    # MetricFrame splits every sample parameter by group: each rate reads its own column.
    frame = MetricFrame(
        metrics={**dict.fromkeys(columns, weighted_mean), "n": total},
        y_true=np.asarray(approved, dtype=np.float64),
        y_pred=np.asarray(approved, dtype=np.float64),
        # A Series: fairlearn takes a one-row plain array for a row of features.
        sensitive_features=pd.Series(list(groups), name="group"),
        sample_params={
            **{
                name: {"values": np.asarray(values, dtype=np.float64), "sample_weight": client_weights}
                for name, values in columns.items()
            },
            "n": {"sample_weight": client_weights},
        },
    )
    by_group = frame.by_group
    best = by_group["approval_rate"].max()
    result = {}
    for group, row in by_group.iterrows():
        entry: dict[str, float | None] = {name: float(row[name]) for name in columns}
        entry["n"] = int(round(row["n"]))
        entry["adverse_impact_ratio"] = float(row["approval_rate"] / best) if best > 0 else None
        result[str(group)] = entry
    return result


def adverse_impact_ratio(bands: Mapping[str, Mapping[str, float | None]]) -> float | None:
    """The lowest band's ratio (the report's headline), None when undefined."""
    ratios = [
        band["adverse_impact_ratio"] for band in bands.values() if band["adverse_impact_ratio"] is not None
    ]
    return min(ratios) if ratios else None
