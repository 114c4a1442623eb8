"""Business cost of a decision rule, its threshold and grey zone.

Costs come from a loss model (``modeling.constants``): a missed default
loses LGD x exposure, a wrongly refused good client the margin the loan
would have earned, a human review the advisor's time; all in units of the
lost margin. With calibrated probabilities the cost-minimising threshold is
``refused / (missed + refused)`` (1/11 by default); the empirical one comes
from the cross-validated predictions.

The empirical cost curve is a step function, jagged and flat near its
minimum, so its raw minimum jumps between seeds (German credit: 0.121 to
0.198 against 1/6). A Poisson bootstrap (``COST_BOOTSTRAP_RESAMPLES``
resamples of the clients, drawn per probability bin, so a resample costs
O(grid) not O(clients)) gives the distribution of the cost-minimising
threshold. The grey zone is its central ``GREY_ZONE_QUANTILES`` range:
probabilities where the data cannot tell whether accepting or refusing
costs less. The threshold is the calibrated optimum when the grey zone
contains it (the data do not reject it; it does not move with the seed),
else the median resampled minimiser (calibration is off there).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from modeling.constants import (
    COST_BOOTSTRAP_RESAMPLES,
    COST_MISSED_DEFAULT,
    COST_REFUSED_GOOD_CLIENT,
    COST_REVIEW,
    COST_SENSITIVITY,
    EXPOSURE_AT_DEFAULT,
    GREY_ZONE_QUANTILES,
    LOSS_GIVEN_DEFAULT,
    LOST_MARGIN,
    REVIEW_COST_EUR,
    THRESHOLD_GRID_SIZE,
)

THRESHOLDS = np.arange(1, THRESHOLD_GRID_SIZE + 1) / (THRESHOLD_GRID_SIZE + 1)
"""Candidate decision thresholds on the probability of default, (G,)."""


@dataclass(frozen=True)
class Costs:
    """Cost of each error and of a review, in units of one wrongly refused
    good client (the lost margin)."""

    missed_default: float = COST_MISSED_DEFAULT
    refused_good_client: float = COST_REFUSED_GOOD_CLIENT
    review: float = COST_REVIEW

    @property
    def theoretical_threshold(self) -> float:
        """The cost-minimising threshold for perfectly calibrated probabilities."""
        return self.refused_good_client / (self.missed_default + self.refused_good_client)


DEFAULT_COSTS = Costs()
COST_SOURCES = {
    "loss_given_default": LOSS_GIVEN_DEFAULT,
    "exposure_at_default_eur": EXPOSURE_AT_DEFAULT,
    "lost_margin_eur": LOST_MARGIN,
    "review_cost_eur": REVIEW_COST_EUR,
    "sources": "LGD: CRR Art. 161(1)(a) foundation-IRB senior unsecured; exposure, margin and "
    "review cost: assumptions to replace with the bank's own figures",
}


def _bin_counts(y: np.ndarray, probability: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Defaults and non-defaults per threshold bin, (G + 1,) each: bin ``k``
    holds the probabilities in ``[THRESHOLDS[k - 1], THRESHOLDS[k])``."""
    bins = np.searchsorted(THRESHOLDS, probability, side="right")
    size = len(THRESHOLDS) + 1
    return (
        np.bincount(bins[y == 1], minlength=size).astype(np.float64),
        np.bincount(bins[y == 0], minlength=size).astype(np.float64),
    )


def _curves(defaults: np.ndarray, goods: np.ndarray, costs: Costs) -> np.ndarray:
    """Expected cost per client (..., G) from per-bin counts (..., G + 1)."""
    missed = np.cumsum(defaults, axis=-1)[..., :-1]
    refused_good = goods.sum(axis=-1, keepdims=True) - np.cumsum(goods, axis=-1)[..., :-1]
    rows = (defaults.sum(axis=-1) + goods.sum(axis=-1))[..., None]
    return (costs.missed_default * missed + costs.refused_good_client * refused_good) / rows


def cost_curve(y: np.ndarray, probability: np.ndarray, costs: Costs) -> np.ndarray:
    """Expected cost per client (G,) when refusing every ``probability >= t``,
    for each ``t`` in :data:`THRESHOLDS`; ``y`` is 0/1 (n,)."""
    return _curves(*_bin_counts(y, probability), costs)


def expected_cost(y: np.ndarray, probability: np.ndarray, threshold: float, costs: Costs) -> float:
    """Expected cost per client when refusing every ``probability >= threshold``."""
    return float(np.mean(client_costs(y, probability, threshold, costs)))


def client_costs(y: np.ndarray, probability: np.ndarray, threshold: float, costs: Costs) -> np.ndarray:
    """Each client's cost (n,) under the rule "refuse when probability >= threshold"."""
    refused = probability >= threshold
    return np.where(refused, (y == 0) * costs.refused_good_client, (y == 1) * costs.missed_default)


@dataclass(frozen=True)
class DecisionBand:
    """The threshold, the grey zone ``(low, high)`` around it and the
    cost curve (G,) of the predictions."""

    threshold: float
    grey_zone: tuple[float, float]
    curve: np.ndarray


def decision_band(y: np.ndarray, probability: np.ndarray, costs: Costs, seed: int = 0) -> DecisionBand:
    """Threshold and grey zone of 0/1 outcomes (n,) and probabilities (n,)
    by the bootstrap of the module docstring (seeded: reproducible)."""
    defaults, goods = _bin_counts(y, probability)
    rng = np.random.default_rng(seed)
    shape = (COST_BOOTSTRAP_RESAMPLES, len(defaults))
    resampled = _curves(rng.poisson(defaults, shape), rng.poisson(goods, shape), costs)
    minimisers = THRESHOLDS[np.argmin(resampled, axis=1)]
    low, high = (float(value) for value in np.quantile(minimisers, GREY_ZONE_QUANTILES))
    optimum = costs.theoretical_threshold
    if low <= optimum <= high:
        threshold = optimum
    else:
        threshold = float(THRESHOLDS[np.argmin(np.abs(THRESHOLDS - np.median(minimisers)))])
    curve = _curves(defaults, goods, costs)
    return DecisionBand(threshold, (min(low, threshold), max(high, threshold)), curve)


def sensitivity(y: np.ndarray, probability: np.ndarray, seed: int = 0) -> list[dict]:
    """The threshold and its cost under every ``COST_SENSITIVITY`` scenario
    (exposure and review cost fixed), on out-of-fold probabilities (n,)."""
    rows = []
    for lgd, margin in itertools.product(*COST_SENSITIVITY.values()):
        costs = Costs(lgd * EXPOSURE_AT_DEFAULT / margin, 1.0, REVIEW_COST_EUR / margin)
        band = decision_band(y, probability, costs, seed)
        rows.append(
            {
                "loss_given_default": lgd,
                "lost_margin_eur": margin,
                "cost_ratio": costs.missed_default,
                "theoretical_threshold": costs.theoretical_threshold,
                "threshold": band.threshold,
                "grey_zone": list(band.grey_zone),
                "refusal_rate": float(np.mean(probability >= band.threshold)),
                "expected_cost_eur": expected_cost(y, probability, band.threshold, costs) * margin,
            }
        )
    return rows
