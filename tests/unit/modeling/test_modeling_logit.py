"""The statsmodels wrapper is a well-behaved scikit-learn classifier."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit
from sklearn.utils.estimator_checks import parametrize_with_checks

from modeling.logit import StatsmodelsLogit


# Every check that applies runs. scikit-learn itself skips the array-API check
# (SCIPY_ARRAY_API unset; statsmodels works on NumPy only) and, from the
# classifier tag multi_class=False, the multiclass checks: the wrapper is binary
# and check_classifier_not_supporting_multiclass verifies it says so clearly.
@parametrize_with_checks([StatsmodelsLogit()])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def simulated():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20_000, 2))
    y = (rng.random(20_000) < expit(-1.0 + 0.8 * X[:, 0] - 0.5 * X[:, 1])).astype(int)
    return X, y


def test_recovers_the_true_coefficients(simulated):
    X, y = simulated
    model = StatsmodelsLogit().fit(X, y)
    np.testing.assert_allclose(model.intercept_, [-1.0], atol=0.06)
    np.testing.assert_allclose(model.coef_, [[0.8, -0.5]], atol=0.06)
    assert model.converged_
    np.testing.assert_allclose(model.decision_function(X), X @ model.coef_[0] + model.intercept_)


def test_summary_frame(simulated):
    X, y = simulated
    frame = StatsmodelsLogit(confidence_level=0.9).fit(X, y).summary_frame(["income", "score"])
    assert list(frame.index) == ["const", "income", "score"]
    np.testing.assert_allclose(frame["odds_ratio"], np.exp(frame["coef"]))
    assert (frame["ci_low"] < frame["coef"]).all() and (frame["coef"] < frame["ci_high"]).all()
    np.testing.assert_allclose(frame["odds_ratio_ci_low"], np.exp(frame["ci_low"]))
    assert (frame["p_value"] < 1e-6).all()
    np.testing.assert_allclose(frame["z"], frame["coef"] / frame["std_err"])
    # A 90 % interval is about 1.645 standard errors wide on each side.
    np.testing.assert_allclose((frame["ci_high"] - frame["coef"]) / frame["std_err"], 1.645, atol=1e-3)


def test_collinear_columns_still_fit():
    rng = np.random.default_rng(1)
    x = rng.normal(size=500)
    X = np.column_stack([x, 2 * x])
    y = (rng.random(500) < expit(x)).astype(int)
    probability = StatsmodelsLogit().fit(X, y).predict_proba(X)[:, 1]
    assert np.all(np.isfinite(probability))


def test_one_class_is_refused():
    with pytest.raises(ValueError, match="only one class"):
        StatsmodelsLogit().fit(np.ones((5, 1)), np.zeros(5))


def test_a_wrong_signed_column_is_dropped_and_the_rest_refitted(simulated):
    X, y = simulated
    free = StatsmodelsLogit().fit(X, y)
    signed = StatsmodelsLogit(coefficient_signs=(1, 1)).fit(X, y)  # the second is truly negative
    assert signed.dropped_for_sign_ == ["x1"]
    assert signed.coef_[0, 1] == 0 and signed.coef_[0, 0] > 0
    assert np.isnan(signed.std_errors_[2]) and not np.isnan(signed.std_errors_[1])
    np.testing.assert_allclose(signed.coef_[0, 0], StatsmodelsLogit().fit(X[:, :1], y).coef_[0, 0])
    agreeing = StatsmodelsLogit(coefficient_signs=(1, -1)).fit(X, y)
    np.testing.assert_array_equal(agreeing.coef_, free.coef_)
    assert agreeing.dropped_for_sign_ == []
    with pytest.raises(ValueError, match="coefficient_signs has 1 values for 2 columns"):
        StatsmodelsLogit(coefficient_signs=(1,)).fit(X, y)
