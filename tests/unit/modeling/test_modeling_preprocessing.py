"""Percentile clipping, log transforms and the age range; their compiled form."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modeling.constants import AGE_MODELLED_RANGE
from modeling.fast_transform import compile_transform
from modeling.features import FEATURE_NAMES
from modeling.pipelines import build_pipeline, linear_preprocessor
from modeling.preprocessing import ColumnRange, PercentileClipper, SkewedLog1p


def test_clipper_uses_training_percentiles_and_keeps_missing():
    train = np.arange(101, dtype=float).reshape(-1, 1)
    clipper = PercentileClipper((1, 99)).fit(train)
    np.testing.assert_allclose([clipper.lower_[0], clipper.upper_[0]], [1, 99])
    out = clipper.transform(np.array([[-50.0], [50.0], [500.0], [np.nan]]))
    np.testing.assert_array_equal(out[:3, 0], [1, 50, 99])
    assert np.isnan(out[3, 0])


def test_clipper_rejects_bad_percentiles():
    with pytest.raises(ValueError, match="percentiles"):
        PercentileClipper((50, 10)).fit(np.ones((3, 1)))


def test_log1p_named_columns_and_automatic_choice():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"income": rng.lognormal(10, 1, 1000), "age": rng.normal(40, 10, 1000)})
    named = SkewedLog1p(columns=("income",)).fit(frame)
    np.testing.assert_array_equal(named.log_mask_, [True, False])
    np.testing.assert_allclose(named.transform(frame)[:, 0], np.log1p(frame["income"]))
    automatic = SkewedLog1p().fit(frame)
    np.testing.assert_array_equal(automatic.log_mask_, [True, False])
    with pytest.raises(ValueError, match="not in the data"):
        SkewedLog1p(columns=("salary",)).fit(frame)


def test_linear_preprocessing_of_application_features(features_and_outcome):
    X, _ = features_and_outcome
    prepared = linear_preprocessor(X).fit(X)
    assert list(prepared.get_feature_names_out()) == list(X.columns)
    out = prepared.transform(X.assign(income=[1e9] + [np.nan] * (len(X) - 1)))
    income = np.log1p(X["income"])
    assert out[0, 1] == pytest.approx(np.percentile(income, 99))  # clipped outlier
    assert out[1, 1] == pytest.approx(np.median(income))  # median-imputed
    assert out[:, 0].min() == X["age"].min() and out[:, 0].max() == AGE_MODELLED_RANGE[1]  # age bound


def test_text_columns_are_one_hot_encoded():
    frame = pd.DataFrame({"amount": np.arange(60.0), "purpose": ["car", "tv", "home"] * 20})
    prepared = linear_preprocessor(frame).fit(frame)
    assert list(prepared.get_feature_names_out()) == ["amount", "purpose_home", "purpose_tv"]


@pytest.mark.parametrize("name", ["logit", "penalised_logistic"])
@pytest.mark.parametrize("bound_age", [True, False])
def test_compiled_transform_is_scikit_learns(features_and_outcome, name, bound_age):
    X, y = features_and_outcome
    pipeline = build_pipeline(name, X, bound_age=bound_age).fit(X.iloc[:3_000], y[:3_000])
    compiled = compile_transform(pipeline[:-1], FEATURE_NAMES)
    rows = X.iloc[3_000:4_000].to_numpy(np.float64)
    rows[::7, 1] = np.nan  # imputed like scikit-learn does
    expected = np.asarray(pipeline[:-1].transform(pd.DataFrame(rows, columns=list(FEATURE_NAMES))))
    np.testing.assert_allclose(compiled(rows), expected, rtol=0, atol=1e-12)


def test_text_columns_are_not_compiled():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0] * 5, "kind": ["a", "b"] * 10})
    pipeline = build_pipeline("logit", frame).fit(frame, [0, 1] * 10)
    assert compile_transform(pipeline[:-1], ("x", "kind")) is None


def test_column_range_clips_named_columns_only():
    frame = pd.DataFrame({"age": [16.0, 20.0, 90.0], "income": [-5.0, 1.0, 1e9]})
    clipped = ColumnRange({"age": (18, 25)}).fit(frame).transform(frame)
    np.testing.assert_array_equal(clipped, [[18, -5], [20, 1], [25, 1e9]])
    with pytest.raises(ValueError, match="not in the data"):
        ColumnRange({"height": (0, 1)}).fit(frame)
