"""Calibration as a validator reads it, on held-out predictions.

- Calibration slope and intercept: the logistic regression of the outcome
  on the predicted log-odds (slope; 1 is ideal, below 1 means the
  predictions are too spread out) and, with the slope fixed at 1, its
  intercept (0 is ideal; positive means the model predicts too low).
- Calibration-in-the-large: observed default rate minus mean prediction.
- Jeffreys test per band (the ECB's test for PD back-testing): with a
  Jeffreys prior, the posterior of a band's default rate is
  Beta(d + 1/2, n - d + 1/2); the p-value is its CDF at the band's mean
  predicted probability, so a small value says the band's probabilities
  are too low.
- Bands: ``CALIBRATION_BINS`` quantile bins of the prediction, and age bands
  (the fairness view of calibration).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.stats import beta

from modeling.calibration import to_log_odds
from modeling.constants import CALIBRATION_BINS

AGE_BANDS = ((18, 25), (26, 35), (36, 50), (51, 65), (66, 75), (76, 120))
"""Age bands of the calibration-by-age table (inclusive, years)."""


def calibration_statistics(y: np.ndarray, probability: np.ndarray) -> dict[str, float]:
    """Slope, intercept and calibration-in-the-large of probabilities (n,)
    against 0/1 outcomes (n,)."""
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM

    log_odds = to_log_odds(probability)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # separation on tiny samples: reported as NaN
        try:
            slope = float(Logit(y, np.column_stack([np.ones(len(y)), log_odds])).fit(disp=0).params[1])
            intercept = float(GLM(y, np.ones(len(y)), family=Binomial(), offset=log_odds).fit().params[0])
        except (np.linalg.LinAlgError, ValueError):
            slope = intercept = float("nan")
    return {
        "slope": slope,
        "intercept": intercept,
        "observed_minus_predicted": float(np.mean(y) - np.mean(probability)),
        "mean_predicted": float(np.mean(probability)),
        "observed_default_rate": float(np.mean(y)),
    }


def band_test(y: np.ndarray, probability: np.ndarray) -> dict[str, float]:
    """One band's counts, mean prediction, observed rate and Jeffreys p-value."""
    rows, defaults = len(y), int(np.sum(y))
    mean_predicted = float(np.mean(probability)) if rows else float("nan")
    return {
        "rows": rows,
        "defaults": defaults,
        "mean_predicted": mean_predicted,
        "observed_default_rate": defaults / rows if rows else float("nan"),
        "jeffreys_p_value": float(beta.cdf(mean_predicted, defaults + 0.5, rows - defaults + 0.5))
        if rows
        else float("nan"),
    }


def quantile_bands(y: np.ndarray, probability: np.ndarray, bins: int = CALIBRATION_BINS) -> list[dict]:
    """:func:`band_test` for each quantile bin of the prediction (ties kept
    together, so there may be fewer bins), lowest first."""
    edges = np.unique(np.quantile(probability, np.linspace(0, 1, bins + 1)))
    index = np.clip(np.searchsorted(edges, probability, side="right") - 1, 0, len(edges) - 2)
    return [
        {
            "low": float(edges[k]),
            "high": float(edges[k + 1]),
            **band_test(y[index == k], probability[index == k]),
        }
        for k in range(len(edges) - 1)
        if np.any(index == k)
    ]


def age_bands(y: np.ndarray, probability: np.ndarray, age: np.ndarray) -> list[dict]:
    """:func:`band_test` for each of :data:`AGE_BANDS` that has clients."""
    rows = []
    for low, high in AGE_BANDS:
        inside = (age >= low) & (age <= high)
        if inside.any():
            rows.append({"ages": f"{low}-{high}", **band_test(y[inside], probability[inside])})
    return rows
