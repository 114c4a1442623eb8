"""Business cost, threshold, grey zone, KS, calibration and the champion rule."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import ks_2samp

from modeling.calibration import LogOddsCalibration, choose_calibration
from modeling.constants import GREY_ZONE_COST_TOLERANCE
from modeling.errors import DataError
from modeling.evaluation import (
    THRESHOLDS,
    CandidateResult,
    Costs,
    check_class_counts,
    choose_champion,
    classification_metrics,
    cost_curve,
    decision_band,
    evaluate_candidates,
    ks_statistic,
)


@pytest.fixture(scope="module")
def scored():
    rng = np.random.default_rng(3)
    probability = rng.beta(1, 12, 5_000)
    y = (rng.random(5_000) < probability).astype(int)
    return y, probability


def test_cost_curve_matches_counting(scored):
    y, probability = scored
    costs = Costs(10, 1)
    curve = cost_curve(y, probability, costs)
    for index in (0, 40, 90, 500, 998):
        refused = probability >= THRESHOLDS[index]
        expected = (10 * np.sum(~refused & (y == 1)) + np.sum(refused & (y == 0))) / len(y)
        assert curve[index] == pytest.approx(expected)


def test_threshold_and_grey_zone(scored):
    y, probability = scored
    curve = cost_curve(y, probability, Costs(10, 1))
    threshold, (low, high) = decision_band(curve)
    assert curve[np.searchsorted(THRESHOLDS, threshold)] == curve.min()
    assert low <= threshold <= high
    inside = (THRESHOLDS >= low) & (THRESHOLDS <= high)
    assert np.all(curve[inside] <= curve.min() * (1 + GREY_ZONE_COST_TOLERANCE))
    # Calibrated probabilities: the Bayes threshold is cost_fp / (cost_fp + cost_fn) = 1/11.
    assert low <= 1 / 11 <= high


def test_metrics(scored):
    y, probability = scored
    metrics = classification_metrics(y, probability, 0.09, (0.07, 0.11), Costs(10, 1))
    assert metrics["gini"] == pytest.approx(2 * metrics["roc_auc"] - 1)
    assert metrics["ks"] == pytest.approx(ks_2samp(probability[y == 1], probability[y == 0]).statistic)
    assert ks_statistic(y, probability) == metrics["ks"]
    assert metrics["review_rate"] == pytest.approx(np.mean((probability >= 0.07) & (probability <= 0.11)))
    assert len(metrics["calibration_curve"]["mean_predicted"]) == 10


def test_platt_calibration_fixes_overconfident_log_odds(scored):
    y, probability = scored
    true_log_odds = np.log(probability / (1 - probability))
    overconfident = 2.0 * true_log_odds + 1.0
    calibration = LogOddsCalibration.fit("platt", overconfident, y)
    assert calibration.is_affine
    assert calibration.slope == pytest.approx(0.5, abs=0.08)
    folds = np.arange(len(y)) % 5
    assert choose_calibration(["identity", "platt"], overconfident, y, folds)[0] == "platt"
    assert choose_calibration(["identity", "platt"], true_log_odds, y, folds)[0] == "identity"
    isotonic = LogOddsCalibration.fit("isotonic", overconfident, y)
    assert not isotonic.is_affine
    assert np.all(np.diff(isotonic(np.sort(overconfident))) >= 0)


def _result(name, fold_costs):
    fold_costs = np.asarray(fold_costs, dtype=float)
    return CandidateResult(
        name,
        np.full(5, 0.8),
        fold_costs,
        "identity",
        0.1,
        (0.08, 0.12),
        np.zeros(3),
        {},
        {},
        np.zeros(3),
        0.0,
        0.0,
        model=None,
    )


def test_champion_rule_prefers_the_simpler_model_within_noise():
    logit = _result("logit", [0.405, 0.395, 0.415, 0.40, 0.41])
    xgboost = _result("xgboost", [0.40, 0.39, 0.41, 0.40, 0.41])  # better, but within 1 SE
    assert choose_champion([xgboost, logit]) == "logit"
    clearly_better = _result("xgboost", [0.30, 0.31, 0.30, 0.29, 0.30])
    assert choose_champion([clearly_better, logit]) == "xgboost"
    boosting = _result("hist_gradient_boosting", [0.2] * 4 + [0.21])
    assert choose_champion([clearly_better, boosting, logit], lambda n: n != boosting.name) == "xgboost"
    with pytest.raises(ValueError, match="no eligible"):
        choose_champion([boosting], lambda name: False)


def test_too_few_examples_of_an_outcome():
    with pytest.raises(DataError, match="too few examples"):
        check_class_counts(np.array([1] * 7 + [0] * 100), folds=5)
    check_class_counts(np.array([1] * 8 + [0] * 100), folds=5)


def test_same_seed_same_metrics(features_and_outcome):
    X, y = features_and_outcome
    runs = [
        evaluate_candidates(X.iloc[:3_000], y[:3_000], ["logit", "xgboost"], folds=3, seed=5)
        for _ in range(2)
    ]
    for name in ("logit", "xgboost"):
        first, second = (run.results[name].summary() for run in runs)
        for timing in ("fit_seconds", "cv_seconds"):
            first.pop(timing), second.pop(timing)
        assert first == second
