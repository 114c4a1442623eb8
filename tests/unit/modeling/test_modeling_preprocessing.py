"""Percentile clipping and log transforms fitted on training data only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modeling.pipelines import linear_preprocessor
from modeling.preprocessing import PercentileClipper, SkewedLog1p


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


def test_text_columns_are_one_hot_encoded():
    frame = pd.DataFrame({"amount": np.arange(60.0), "purpose": ["car", "tv", "home"] * 20})
    prepared = linear_preprocessor(frame).fit(frame)
    assert list(prepared.get_feature_names_out()) == ["amount", "purpose_home", "purpose_tv"]
