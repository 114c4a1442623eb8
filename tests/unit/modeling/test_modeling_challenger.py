"""The challenger's direct model call gives the scikit-learn pipeline's numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modeling.calibration import CalibratedModel, LogOddsCalibration
from modeling.challenger import Challenger, direct_log_odds
from modeling.features import FEATURE_NAMES
from modeling.pipelines import build_pipeline
from modeling.synthetic import generate_portfolio


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, np.ndarray]:
    portfolio = generate_portfolio(3_000, seed=5)
    return portfolio[list(FEATURE_NAMES)], portfolio["defaulted"].to_numpy()


def _challenger(name: str, data) -> Challenger:
    X, y = data
    pipeline = build_pipeline(name, X, seed=0).fit(X, y)
    calibration = LogOddsCalibration("platt", slope=0.9, intercept=-0.2)  # not the identity
    return Challenger(name, "champion-version", CalibratedModel(name, pipeline, calibration))


def _rows(data) -> np.ndarray:
    X = data[0].to_numpy(np.float64)[:500].copy()
    X[0, 0], X[1, 0] = 15, 120  # ages outside the modelled range: the clip must apply
    X[2, 1] = np.nan  # a missing value goes through as in the pipeline
    return X


@pytest.mark.parametrize("name", ["xgboost", "logit", "penalised_logistic"])
def test_the_direct_call_gives_the_pipelines_probabilities(name, data):
    challenger = _challenger(name, data)
    assert direct_log_odds(challenger.model.pipeline) is not None, "the fast path applies"
    X = _rows(data)
    through_sklearn = challenger.model.probability(pd.DataFrame(X, columns=list(FEATURE_NAMES)))
    direct = challenger.predict_proba_array(X)
    np.testing.assert_allclose(direct, through_sklearn, rtol=0, atol=1e-12)
    np.testing.assert_allclose(challenger.predict_proba_array(X[:1]), through_sklearn[:1], rtol=0, atol=1e-12)


def test_another_model_goes_through_scikit_learn(data):
    challenger = _challenger("hist_gradient_boosting", data)
    assert direct_log_odds(challenger.model.pipeline) is None
    X = _rows(data)
    expected = challenger.model.probability(pd.DataFrame(X, columns=list(FEATURE_NAMES)))
    np.testing.assert_array_equal(challenger.predict_proba_array(X), expected)
