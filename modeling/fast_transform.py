"""The linear candidates' fitted preprocessing as a few numpy operations.

Scoring one client through scikit-learn's ``ColumnTransformer`` costs
milliseconds of validation and data-frame handling for microseconds of
arithmetic. Every numeric step of :func:`modeling.pipelines.linear_preprocessor`
maps one column to one column, so the fitted chain compiles to arrays:
gather the input column, clip to the policy range (:class:`ColumnRange`),
``log1p`` where selected, impute the median, clip to the training
percentiles, then keep the columns ``VarianceThreshold`` kept and
standardise. The arithmetic is the same as scikit-learn's, in float64.
:func:`compile_transform` returns None for anything else (text columns).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.feature_selection import VarianceThreshold
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from modeling.preprocessing import ColumnRange, PercentileClipper, SkewedLog1p


@dataclass
class CompiledTransform:
    """Per output column k: its input column, the clipping range, log1p
    flag, imputed value, percentile range, then centring and scale."""

    source: np.ndarray
    range_low: np.ndarray
    range_high: np.ndarray
    log: np.ndarray
    fill: np.ndarray
    clip_low: np.ndarray
    clip_high: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """Transformed rows (n, k) from input rows (n, d)."""
        values = np.clip(X[:, self.source], self.range_low, self.range_high)
        values = np.where(self.log, np.log1p(np.maximum(values, 0.0)), values)
        values = np.where(np.isnan(values), self.fill, values)
        return (np.clip(values, self.clip_low, self.clip_high) - self.mean) / self.scale


def _column_steps(pipeline: Pipeline, width: int) -> dict[str, np.ndarray] | None:
    """The arrays of one numeric sub-pipeline over ``width`` columns."""
    arrays = {
        "range_low": np.full(width, -np.inf),
        "range_high": np.full(width, np.inf),
        "log": np.zeros(width, dtype=bool),
        "fill": np.full(width, np.nan),
        "clip_low": np.full(width, -np.inf),
        "clip_high": np.full(width, np.inf),
    }
    for _, step in pipeline.steps:
        if isinstance(step, ColumnRange):
            arrays["range_low"], arrays["range_high"] = step.lower_, step.upper_
        elif isinstance(step, SkewedLog1p):
            arrays["log"] = step.log_mask_
        elif isinstance(step, SimpleImputer) and step.strategy == "median":
            arrays["fill"] = step.statistics_
        elif isinstance(step, PercentileClipper):
            arrays["clip_low"], arrays["clip_high"] = step.lower_, step.upper_
        else:
            return None
    return arrays


def compile_transform(transform: Pipeline, feature_names: tuple[str, ...]) -> CompiledTransform | None:
    """Compile ``transform`` (a linear pipeline without its model) whose
    input columns are ``feature_names``; None when a step is not supported."""
    prepare, *rest = [step for _, step in transform.steps]
    if not isinstance(prepare, ColumnTransformer) or prepare.remainder != "drop":
        return None
    parts: list[dict[str, np.ndarray]] = []
    sources: list[int] = []
    for name, step, columns in prepare.transformers_:
        if len(columns) == 0 or step == "drop":
            continue
        if not isinstance(step, Pipeline) or name == "remainder":
            return None
        arrays = _column_steps(step, len(columns))
        if arrays is None:
            return None
        parts.append(arrays)
        sources.extend(feature_names.index(column) for column in columns)
    compiled = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    source = np.array(sources)
    mean, scale = np.zeros(len(source)), np.ones(len(source))
    for step in rest:
        if isinstance(step, VarianceThreshold):
            keep = step.get_support()
            source, compiled = source[keep], {key: value[keep] for key, value in compiled.items()}
            mean, scale = mean[keep], scale[keep]
        elif isinstance(step, StandardScaler):
            mean = step.mean_ if step.with_mean else mean
            scale = step.scale_ if step.with_std else scale
        else:
            return None
    return CompiledTransform(source=source, mean=mean, scale=scale, **compiled)
