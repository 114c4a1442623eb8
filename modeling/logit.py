"""statsmodels' maximum-likelihood ``Logit`` as a scikit-learn classifier.

It drops into a ``Pipeline``, cross-validation and calibration like any
sklearn estimator, and keeps what a credit modeller reads from statsmodels:
standard errors, p-values, confidence intervals and odds ratios.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


class StatsmodelsLogit(ClassifierMixin, BaseEstimator):
    """Unpenalised binary logistic regression fitted by statsmodels (Newton).

    Parameters: ``fit_intercept``; ``max_iter`` Newton iterations;
    ``confidence_level`` of the intervals in :meth:`summary_frame`;
    ``coefficient_signs``: the required sign (+1, -1, or 0 for none) of each
    column's coefficient. A column whose coefficient comes out with the wrong sign
    (noise on small data) is dropped, the most wrong first, and the model
    refitted: the scorecard practice, and the constrained maximum-likelihood
    fit when one sign binds. Dropped columns get coefficient 0 and NaN
    statistics; their names are in ``dropped_for_sign_``.

    Fitted attributes: ``classes_`` (2,), ``coef_`` (1, d), ``intercept_`` (1,),
    ``std_errors_`` / ``p_values_`` (d + 1,) with the intercept first,
    ``confidence_intervals_`` (d + 1, 2), ``converged_``, ``n_iter_`` (1,).
    When Newton's method meets a singular Hessian (collinear or separable
    data) it falls back to L-BFGS; standard errors are then NaN if the
    Hessian cannot be inverted.
    """

    def __init__(
        self,
        fit_intercept: bool = True,
        max_iter: int = 100,
        confidence_level: float = 0.95,
        coefficient_signs: Sequence[int] | None = None,
    ):
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.confidence_level = confidence_level
        self.coefficient_signs = coefficient_signs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def fit(self, X, y):
        """Fit on ``X`` (n, d) numbers and ``y`` (n,) with exactly two classes."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if len(self.classes_) > 2:
            raise ValueError(
                "Only binary classification is supported: StatsmodelsLogit needs two classes "
                f"in y, got {len(self.classes_)}"
            )
        if len(self.classes_) < 2:
            raise ValueError(f"y has only one class ({self.classes_[0]!r}): need two classes")
        names = list(getattr(self, "feature_names_in_", [f"x{i}" for i in range(X.shape[1])]))
        signs = np.zeros(X.shape[1]) if self.coefficient_signs is None else np.asarray(self.coefficient_signs)
        if signs.shape != (X.shape[1],):
            raise ValueError(f"coefficient_signs has {signs.size} values for {X.shape[1]} columns")
        kept = np.ones(X.shape[1], dtype=bool)
        while True:
            result = self._fit_columns(X[:, kept], y_index)
            wrong = result[0][1:] * signs[kept]
            if not np.any(wrong < 0):
                break
            kept[np.flatnonzero(kept)[np.argmin(wrong)]] = False
        params, std_errors, intervals, p_values, retvals = result
        full = np.flatnonzero(np.r_[True, kept])  # rows of the kept parameters, intercept first
        self.intercept_ = params[:1]
        self.coef_ = np.zeros((1, X.shape[1]))
        self.coef_[0, kept] = params[1:]
        self.std_errors_, self.p_values_ = np.full(X.shape[1] + 1, np.nan), np.full(X.shape[1] + 1, np.nan)
        self.confidence_intervals_ = np.zeros((X.shape[1] + 1, 2))
        self.std_errors_[full], self.p_values_[full], self.confidence_intervals_[full] = (
            std_errors,
            p_values,
            intervals,
        )
        self.dropped_for_sign_ = [name for name, keep in zip(names, kept, strict=True) if not keep]
        self.converged_ = bool(retvals.get("converged", False))
        self.n_iter_ = np.array([retvals.get("iterations", self.max_iter)])
        return self

    def _fit_columns(self, X: np.ndarray, y: np.ndarray) -> tuple:
        """Parameters (intercept first), standard errors, intervals, p-values
        and statsmodels' fit report for the columns of ``X``."""
        from statsmodels.discrete.discrete_model import Logit

        design = np.column_stack([np.ones(len(X)), X]) if self.fit_intercept else X
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # separation/convergence: reported via converged_
            model = Logit(y.astype(np.float64), design)
            try:
                result = model.fit(method="newton", maxiter=self.max_iter, disp=0)
            except np.linalg.LinAlgError:
                result = model.fit(method="lbfgs", maxiter=10 * self.max_iter, disp=0)
            params = np.asarray(result.params, dtype=np.float64)
            std_errors = np.asarray(result.bse, dtype=np.float64)
            intervals = np.asarray(result.conf_int(alpha=1 - self.confidence_level))
            p_values = np.asarray(result.pvalues, dtype=np.float64)
        if not self.fit_intercept:  # the intercept row: fixed at 0, no uncertainty
            params = np.r_[0.0, params]
            std_errors, p_values = np.r_[np.nan, std_errors], np.r_[np.nan, p_values]
            intervals = np.vstack([[0.0, 0.0], intervals])
        return params, std_errors, intervals, p_values, result.mle_retvals

    def decision_function(self, X) -> np.ndarray:
        """Log-odds of the second class, shape (n,)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape (n, 2), columns in ``classes_`` order."""
        positive = expit(self.decision_function(X))
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X) -> np.ndarray:
        """The more probable class, shape (n,)."""
        check_is_fitted(self)
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    def summary_frame(self, feature_names: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per parameter (``const`` first): coefficient (log-odds per
        unit), standard error, z, p-value, confidence interval, and the same
        interval as odds ratios."""
        check_is_fitted(self)
        names = feature_names
        if names is None:
            names = getattr(self, "feature_names_in_", None)
        if names is None:
            names = [f"x{i}" for i in range(self.n_features_in_)]
        params = np.r_[self.intercept_, self.coef_[0]]
        low, high = self.confidence_intervals_.T
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return pd.DataFrame(
                {
                    "coef": params,
                    "std_err": self.std_errors_,
                    "z": params / self.std_errors_,
                    "p_value": self.p_values_,
                    "ci_low": low,
                    "ci_high": high,
                    "odds_ratio": np.exp(params),
                    "odds_ratio_ci_low": np.exp(low),
                    "odds_ratio_ci_high": np.exp(high),
                },
                index=pd.Index(["const", *names], name="parameter"),
            )
