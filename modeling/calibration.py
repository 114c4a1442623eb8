"""Probability calibration as a monotone 1-D map on a model's log-odds.

The map is fitted on out-of-fold log-odds from the cross-validation that
evaluates the candidate, then applied to the pipeline refitted on all the
training data: the same scheme as ``CalibratedClassifierCV(ensemble=False)``,
reusing the folds instead of fitting the model k more times.

- ``identity``: no change;
- ``platt``: ``a * z + b`` (Platt scaling written on the log-odds ``z``).
  Affine, so exact contributions stay exact: multiply them by ``a``;
- ``isotonic``: a monotone step function; no candidate offers it since every
  candidate is explained (contributions would no longer add up:
  :func:`modeling.explain.explain_array` refuses it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from modeling.constants import PROBABILITY_EPSILON


def to_log_odds(probability: np.ndarray) -> np.ndarray:
    """``log(p / (1 - p))`` with ``p`` clipped to ``[eps, 1 - eps]``; same shape."""
    p = np.clip(np.asarray(probability, dtype=np.float64), PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON)
    return np.log(p) - np.log1p(-p)


def predicted_log_odds(estimator, X) -> np.ndarray:
    """Log-odds of the positive class from any fitted binary classifier, (n,).

    Uses ``decision_function`` when the final step has one (linear models,
    histogram boosting), else the log-odds of ``predict_proba``.
    """
    if hasattr(estimator, "decision_function"):
        return np.asarray(estimator.decision_function(X), dtype=np.float64)
    return to_log_odds(estimator.predict_proba(X)[:, 1])


@dataclass
class LogOddsCalibration:
    """A fitted monotone map from raw to calibrated log-odds."""

    method: str
    slope: float = 1.0
    intercept: float = 0.0
    isotonic: IsotonicRegression | None = None

    @classmethod
    def fit(cls, method: str, log_odds: np.ndarray, y: np.ndarray) -> LogOddsCalibration:
        """Fit ``method`` on raw log-odds (n,) against 0/1 outcomes (n,)."""
        if method == "identity":
            return cls(method)
        if method == "platt":
            platt = LogisticRegression(C=1e10).fit(log_odds.reshape(-1, 1), y)  # unpenalised
            return cls(method, float(platt.coef_[0, 0]), float(platt.intercept_[0]))
        if method == "isotonic":
            isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
            return cls(method, isotonic=isotonic.fit(log_odds, y))
        raise ValueError(f"unknown calibration method {method!r}")

    @property
    def is_affine(self) -> bool:
        """True when calibrated = ``slope * raw + intercept`` exactly."""
        return self.isotonic is None

    def __call__(self, log_odds: np.ndarray) -> np.ndarray:
        """Calibrated log-odds, same shape as ``log_odds``."""
        if self.isotonic is not None:
            return to_log_odds(self.isotonic.predict(log_odds))
        return self.slope * log_odds + self.intercept


def cross_fitted(method: str, log_odds: np.ndarray, y: np.ndarray, fold_ids: np.ndarray) -> np.ndarray:
    """Out-of-fold log-odds (n,) calibrated by maps fitted on the other folds."""
    calibrated = np.empty_like(log_odds)
    for fold in np.unique(fold_ids):
        held_out = fold_ids == fold
        calibration = LogOddsCalibration.fit(method, log_odds[~held_out], y[~held_out])
        calibrated[held_out] = calibration(log_odds[held_out])
    return calibrated


def choose_calibration(
    methods: Sequence[str], log_odds: np.ndarray, y: np.ndarray, fold_ids: np.ndarray
) -> tuple[str, np.ndarray]:
    """The method with the lowest cross-fitted Brier score (earlier wins ties)
    and its calibrated out-of-fold log-odds (n,)."""
    best_method, best_log_odds, best_brier = "", log_odds, np.inf
    for method in methods:
        calibrated = cross_fitted(method, log_odds, y, fold_ids)
        brier = float(np.mean((expit(calibrated) - y) ** 2))
        if brier < best_brier - 1e-12:
            best_method, best_log_odds, best_brier = method, calibrated, brier
    return best_method, best_log_odds


@dataclass
class CalibratedModel:
    """A fitted candidate pipeline and the calibration map on its log-odds."""

    name: str
    pipeline: Pipeline
    calibration: LogOddsCalibration

    def log_odds(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated log-odds of default, shape (n,)."""
        return self.calibration(predicted_log_odds(self.pipeline, X))

    def probability(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of default, shape (n,)."""
        return expit(self.log_odds(X))
