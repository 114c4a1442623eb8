"""Column transforms a credit modeller applies before a model.

``ColumnRange`` clips columns to fixed policy ranges (age); ``SkewedLog1p``
takes ``log1p`` of income (or, on generic data, of every non-negative,
strongly skewed column); ``PercentileClipper`` clips outliers to
the 1st-99th percentile range fitted on the training data. Median imputation
is sklearn's ``SimpleImputer``. Each transformer maps one column to one column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from modeling.constants import CLIP_PERCENTILES, SKEWNESS_FOR_LOG


def _skewness(column: np.ndarray) -> float:
    """Sample skewness of the finite values, after a 1st-99th percentile clip."""
    values = column[np.isfinite(column)]
    if values.size < 3:
        return 0.0
    values = np.clip(values, *np.percentile(values, CLIP_PERCENTILES))
    spread = values.std()
    return 0.0 if spread == 0 else float(np.mean((values - values.mean()) ** 3) / spread**3)


class SkewedLog1p(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """``log1p`` of selected non-negative columns; other columns pass through.

    ``columns``: names to transform (e.g. ``("income",)``), or None to pick,
    at fit time, every column whose training minimum is >= 0 and whose
    skewness exceeds ``SKEWNESS_FOR_LOG``. Negative values in a transformed
    column are floored at 0 before ``log1p``. Input ``(n, d)``, output ``(n, d)``.
    """

    def __init__(self, columns: Sequence[str] | None = None):
        self.columns = columns

    def fit(self, X, y=None):
        names = list(X.columns) if isinstance(X, pd.DataFrame) else None
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan")
        if self.columns is not None:
            unknown = set(self.columns) - set(names or ())
            if unknown:
                raise ValueError(f"columns to log-transform not in the data: {sorted(unknown)}")
            if names is None:
                raise ValueError("columns to log-transform need a DataFrame with named columns")
            self.log_mask_ = np.array([name in self.columns for name in names])
        else:
            self.log_mask_ = np.array(
                [
                    np.nanmin(column, initial=np.inf) >= 0 and _skewness(column) > SKEWNESS_FOR_LOG
                    for column in X.T
                ],
                dtype=bool,
            )
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan", reset=False)
        X = X.copy()
        X[:, self.log_mask_] = np.log1p(np.maximum(X[:, self.log_mask_], 0.0))
        return X


class PercentileClipper(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Clip each column to its training percentile range (default 1st-99th).

    Missing values are ignored when fitting and left missing. Input and
    output ``(n, d)`` floats; ``lower_`` and ``upper_`` are ``(d,)``.
    """

    def __init__(self, percentiles: tuple[float, float] = CLIP_PERCENTILES):
        self.percentiles = percentiles

    def fit(self, X, y=None):
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan")
        low, high = self.percentiles
        if not 0 <= low <= high <= 100:
            raise ValueError(f"percentiles must satisfy 0 <= low <= high <= 100, got {low, high}")
        finite = np.where(np.isfinite(X), X, np.nan)
        finite[:, np.isnan(finite).all(axis=0)] = 0.0  # no data: clip to [0, 0] is moot
        self.lower_, self.upper_ = np.nanpercentile(finite, [low, high], axis=0)
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan", reset=False)
        return np.clip(X, self.lower_, self.upper_)


class ColumnRange(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Clip named columns to fixed ranges (domain policy, not fitted).

    ``ranges``: column name → ``(low, high)``; other columns pass through.
    The application models clip age to ``AGE_MODELLED_RANGE`` with it, so
    that ages outside the range all score alike. ``lower_`` / ``upper_``
    (d,) are the bounds per input column (±inf when unbounded): explainers
    apply them with one ``np.clip``. Input and output ``(n, d)``.
    """

    def __init__(self, ranges: dict[str, tuple[float, float]] | None = None):
        self.ranges = ranges

    def fit(self, X, y=None):
        ranges = self.ranges or {}
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan")
        names = list(getattr(self, "feature_names_in_", [None] * X.shape[1]))
        unknown = set(ranges) - set(names)
        if unknown:
            raise ValueError(f"columns to clip not in the data: {sorted(unknown)}")
        bounds = np.array([ranges.get(name, (-np.inf, np.inf)) for name in names], dtype=np.float64)
        self.lower_, self.upper_ = bounds[:, 0], bounds[:, 1]
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan", reset=False)
        return np.clip(X, self.lower_, self.upper_)
