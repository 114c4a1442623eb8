"""Exact per-feature contributions, in log-odds and in probability points.

Spaces. A model's raw output is its log-odds ``z``; calibration maps it to
``a * z + b`` (see :mod:`modeling.calibration`). Contributions are computed in
raw log-odds, then multiplied by ``a``, the base value mapped to
``a * base + b``, so that in calibrated log-odds, for every row,
``base_value + contributions.sum() == logit(probability)``.

Every explanation is centred on the portfolio: the base value is the mean
raw log-odds over the training data and each feature's contributions
average to zero over it, so a negative contribution means "less risky than
the portfolio's average client", which is what a reason may say.

- XGBoost: TreeSHAP from ``booster.predict(DMatrix, pred_contribs=True)``,
  minus each feature's mean TreeSHAP value over the training data. XGBoost's
  own TreeSHAP reference is weighted by node cover (sums of p(1 - p)), not
  the portfolio average (-2.56 against a mean log-odds of -3.28 on 100,000
  synthetic clients): subtracting the means keeps additivity exactly
  (their sum moves into the base value). Age, kept out of every
  interaction, is one additive term, so its centred value is exactly its
  interventional SHAP value against the training data.
- Histogram gradient boosting: the same TreeSHAP and centring through
  ``shap`` (:mod:`modeling.explain_shap`), exact in float64.
- Linear models: ``coef * (x_t - mean(x_t))`` per transformed input ``x_t``;
  base value = log-odds at the mean transformed training client, which is
  the mean log-odds (the model is linear in ``x_t``).
- Baseline: base value = log-odds of the default rate, contributions 0.

The base probability is ``expit(base value)``: the probability at the
portfolio's average log-odds, below the mean predicted probability (the
logistic curve is convex where defaults are rare).

XGBoost works in float32: its TreeSHAP values add up to its margin only to
about 1e-6. That rounding residual is spread over the features in proportion
to ``|contribution|`` so that the sums are exact in float64.

Probability points (0-1 scale), for people: each feature gets its log-odds
contribution times one common factor, ``(probability - base_probability) /
sum(contributions)``, so the points add up exactly to ``probability -
base_probability``, keep the sign of the log-odds contribution and the same
ranking. When the log-odds sum is ~0 (below ``1e-9``) the factor is the slope
of the logistic curve at the base value, ``p0 * (1 - p0)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline
from xgboost import DMatrix, XGBClassifier

from modeling.calibration import LogOddsCalibration, to_log_odds
from modeling.constants import FLAT_SUM, ROUNDING_RESIDUAL_LIMIT
from modeling.fast_transform import compile_transform
from modeling.features import FEATURE_NAMES
from modeling.preprocessing import ColumnRange


class NotExplainableError(TypeError):
    """The fitted model has no exact contribution method here."""


class Explainer(Protocol):
    """A fitted model seen as raw log-odds and their exact decomposition.

    Inputs are float arrays (n, d) with columns in ``feature_names`` order.
    """

    feature_names: tuple[str, ...]

    def log_odds(self, X: np.ndarray) -> np.ndarray:
        """Raw (uncalibrated) log-odds, (n,)."""

    def decompose(self, X: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        """Raw log-odds (n,), base value, contributions (n, d): the model's
        own output and its additive decomposition (up to rounding)."""


class TreeExplainer:
    """Portfolio-centred TreeSHAP of an XGBoost pipeline whose input goes to
    the booster as is, or clipped by a :class:`ColumnRange` (age policy).

    ``X_reference`` (n, d) is the training data the contributions are
    centred on. Predicts with one thread: fastest for the few rows a request
    scores, and web workers already run in parallel.
    """

    def __init__(self, pipeline: Pipeline, X_reference: pd.DataFrame):
        prepare = pipeline[0]
        if isinstance(prepare, ColumnRange):
            self.lower: np.ndarray | None = prepare.lower_
            self.upper: np.ndarray | None = prepare.upper_
        elif prepare == "passthrough":
            self.lower = self.upper = None
        else:
            raise NotExplainableError("TreeSHAP needs the features unchanged or only clipped")
        booster = pipeline[-1].get_booster().copy()
        booster.set_param({"nthread": 1})
        self.feature_names = tuple(booster.feature_names)
        self.booster = booster
        shap_values = self._predict(self._matrix(X_reference.to_numpy(np.float64)), pred_contribs=True)
        self.centres = shap_values[:, :-1].mean(axis=0)
        self.base_value = float(shap_values[0, -1] + self.centres.sum())

    def _matrix(self, X: np.ndarray) -> DMatrix:
        if self.lower is not None:
            X = np.clip(X, self.lower, self.upper)
        return DMatrix(X, nthread=1)

    def _predict(self, matrix: DMatrix, **output) -> np.ndarray:
        # Columns are in feature_names order by contract: skip the name check
        # (building a named DMatrix costs more than the prediction of one row).
        return self.booster.predict(matrix, validate_features=False, **output).astype(np.float64)

    def log_odds(self, X: np.ndarray) -> np.ndarray:
        return self._predict(self._matrix(X), output_margin=True)

    def decompose(self, X: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        matrix = self._matrix(X)
        margin = self._predict(matrix, output_margin=True)
        contributions = self._predict(matrix, pred_contribs=True)[:, :-1] - self.centres
        return margin, self.base_value, contributions


class LinearExplainer:
    """Closed-form contributions of a pipeline ending in a linear model with
    ``coef_`` (1, k) and ``intercept_`` on k transformed columns that each come
    from one input feature."""

    def __init__(self, pipeline: Pipeline, X_reference: pd.DataFrame):
        self.feature_names = tuple(X_reference.columns)
        self.transform = pipeline[:-1]
        model = pipeline[-1]
        self.coef = np.asarray(model.coef_, dtype=np.float64)[0]
        self.intercept = float(np.ravel(model.intercept_)[0])
        columns = list(self.transform.get_feature_names_out())
        unknown = [column for column in columns if column not in self.feature_names]
        if unknown:
            raise NotExplainableError(f"transformed columns {unknown} are not input features")
        self.columns_to_features = np.array(
            [[column == feature for feature in self.feature_names] for column in columns],
            dtype=np.float64,
        ).reshape(len(columns), len(self.feature_names))
        self.fast_transform = compile_transform(self.transform, self.feature_names)
        self.reference = self._transformed(X_reference.to_numpy(np.float64)).mean(axis=0)
        self.base_value = self.intercept + float(self.reference @ self.coef)

    def _transformed(self, X: np.ndarray) -> np.ndarray:
        if self.fast_transform is not None:  # the same arithmetic, without pandas (one client: ~20x faster)
            return self.fast_transform(X)
        frame = pd.DataFrame(X, columns=list(self.feature_names))
        return np.asarray(self.transform.transform(frame), dtype=np.float64)

    def log_odds(self, X: np.ndarray) -> np.ndarray:
        return self._transformed(X) @ self.coef + self.intercept

    def decompose(self, X: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        transformed = self._transformed(X)
        margin = transformed @ self.coef + self.intercept
        contributions = ((transformed - self.reference) * self.coef) @ self.columns_to_features
        return margin, self.base_value, contributions


class ConstantExplainer:
    """The baseline: everyone gets the training default rate."""

    def __init__(self, pipeline: Pipeline, X_reference: pd.DataFrame):
        self.feature_names = tuple(X_reference.columns)
        self.base_value = float(to_log_odds(pipeline[-1].class_prior_[1]))

    def log_odds(self, X: np.ndarray) -> np.ndarray:
        return np.full(len(X), self.base_value)

    def decompose(self, X: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        return self.log_odds(X), self.base_value, np.zeros((len(X), len(self.feature_names)))


def make_explainer(pipeline: Pipeline, X_reference: pd.DataFrame) -> Explainer:
    """The exact explainer for a fitted candidate pipeline.

    ``X_reference`` (n, d) is the training data, the portfolio every
    explanation is centred on. Raises :class:`NotExplainableError` for other model types.
    """
    model = pipeline[-1]
    if isinstance(model, XGBClassifier):
        return TreeExplainer(pipeline, X_reference)
    if isinstance(model, HistGradientBoostingClassifier):
        from modeling.explain_shap import ShapTreeExplainer  # imports shap, and this module

        return ShapTreeExplainer(pipeline, X_reference)
    if isinstance(model, DummyClassifier):
        return ConstantExplainer(pipeline, X_reference)
    if hasattr(model, "coef_"):
        return LinearExplainer(pipeline, X_reference)
    raise NotExplainableError(f"no exact contributions for {type(model).__name__}")


@dataclass
class Explanation:
    """Scores and exact contributions for n clients over the five features.

    ``base_value + contributions_log_odds.sum(axis=1) == logit(probability)``
    and ``base_probability + contributions_points.sum(axis=1) == probability``,
    in calibrated log-odds and in probability points (0-1 scale).
    ``reference_values`` (d,) are the training medians, in feature units.
    """

    probability: np.ndarray
    base_value: float
    base_probability: float
    contributions_log_odds: np.ndarray
    contributions_points: np.ndarray
    feature_names: tuple[str, ...]
    reference_values: np.ndarray | None = None


def spread_residual(contributions: np.ndarray, residual: np.ndarray) -> np.ndarray:
    """Add each row's ``residual`` (n,) to its contributions (n, d) in
    proportion to ``|contribution|`` (equally when all are 0)."""
    if np.any(np.abs(residual) > ROUNDING_RESIDUAL_LIMIT):
        raise ArithmeticError(f"contributions miss the model output by {np.abs(residual).max():.2e} log-odds")
    share = np.abs(contributions)
    total = share.sum(axis=1, keepdims=True)
    share = np.divide(share, total, out=np.full_like(share, 1 / share.shape[1]), where=total > 0)
    return contributions + residual[:, None] * share


def to_probability_points(
    base_value: float, contributions: np.ndarray, probability: np.ndarray
) -> tuple[float, np.ndarray]:
    """Base probability and points (n, d) from calibrated log-odds
    contributions (n, d) and the probabilities (n,) they add up to, by
    proportional allocation (module docstring)."""
    base_probability = float(expit(base_value))
    total = contributions.sum(axis=1)
    slope = base_probability * (1 - base_probability)
    flat = np.abs(total) < FLAT_SUM
    factor = np.where(flat, slope, (probability - base_probability) / np.where(flat, 1.0, total))
    return base_probability, contributions * factor[:, None]


def explain_array(
    explainer: Explainer,
    calibration: LogOddsCalibration,
    X: np.ndarray,
    reference_values: np.ndarray | None = None,
) -> Explanation:
    """Explain float rows (n, d) in ``explainer.feature_names`` order."""
    if not calibration.is_affine:
        raise NotExplainableError(f"{calibration.method} calibration breaks exact additivity")
    margin, raw_base, raw_contributions = explainer.decompose(X)
    raw_contributions = spread_residual(raw_contributions, margin - raw_base - raw_contributions.sum(axis=1))
    base_value = calibration.slope * raw_base + calibration.intercept
    contributions = calibration.slope * raw_contributions
    probability = expit(calibration(margin))
    base_probability, points = to_probability_points(base_value, contributions, probability)
    return Explanation(
        probability=probability,
        base_value=base_value,
        base_probability=base_probability,
        contributions_log_odds=contributions,
        contributions_points=points,
        feature_names=explainer.feature_names,
        reference_values=reference_values,
    )


def global_importance(explanation: Explanation) -> dict[str, dict[str, float]]:
    """Mean absolute contribution per feature, in log-odds and in points."""
    log_odds = np.abs(explanation.contributions_log_odds).mean(axis=0)
    points = np.abs(explanation.contributions_points).mean(axis=0)
    return {
        name: {"mean_abs_log_odds": float(log_odds[i]), "mean_abs_points": float(points[i])}
        for i, name in enumerate(explanation.feature_names)
    }


def feature_matrix(X: pd.DataFrame) -> np.ndarray:
    """The five features of ``X`` as floats (n, 5) in ``FEATURE_NAMES`` order
    (column by column: a third of the cost of selecting a sub-frame)."""
    return np.column_stack([X[name].to_numpy(dtype=np.float64) for name in FEATURE_NAMES])
