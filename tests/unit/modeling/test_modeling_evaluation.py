"""Business cost, threshold, grey zone, KS, calibration, out-of-time and the champion rule."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import ks_2samp

from modeling.backtest import band_test, calibration_statistics
from modeling.calibration import LogOddsCalibration, choose_calibration
from modeling.constants import CALIBRATION_BINS, COST_MISSED_DEFAULT, LOSS_GIVEN_DEFAULT
from modeling.costs import THRESHOLDS, Costs, cost_curve, decision_band, expected_cost, sensitivity
from modeling.errors import DataError
from modeling.evaluation import (
    CandidateResult,
    check_class_counts,
    choose_champion,
    classification_metrics,
    evaluate_candidates,
    ks_statistic,
    split_test,
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
    band = decision_band(y, probability, Costs(10, 1))
    low, high = band.grey_zone
    assert low <= band.threshold <= high
    # Calibrated probabilities: the Bayes threshold is cost_fp / (cost_fp + cost_fn) = 1/11.
    assert Costs(10, 1).theoretical_threshold == pytest.approx(1 / 11)
    assert low <= 1 / 11 <= high
    # Calibrated here, so the data do not reject the optimum: it is the threshold,
    # and it costs about as little as the curve's (noisy) minimum.
    assert band.threshold == pytest.approx(1 / 11)
    assert expected_cost(y, probability, band.threshold, Costs(10, 1)) <= band.curve.min() * 1.02
    np.testing.assert_array_equal(band.curve, cost_curve(y, probability, Costs(10, 1)))
    assert decision_band(y, probability, Costs(10, 1)).grey_zone == band.grey_zone  # seeded


def test_miscalibrated_probabilities_move_the_threshold(scored):
    y, probability = scored
    band = decision_band(y, probability / 3, Costs(10, 1))  # predicted three times too low
    assert band.threshold < 1 / 11 and not band.grey_zone[0] <= 1 / 11 <= band.grey_zone[1]


def test_threshold_is_stable_across_resamples(scored):
    """The raw minimum jumps with the sample; the threshold much less."""
    y, probability = scored
    rng = np.random.default_rng(0)
    raw, smoothed = [], []
    for _ in range(8):
        rows = rng.integers(0, len(y), len(y))
        raw.append(THRESHOLDS[np.argmin(cost_curve(y[rows], probability[rows], Costs(10, 1)))])
        smoothed.append(decision_band(y[rows], probability[rows], Costs(10, 1)).threshold)
    assert np.std(smoothed) < np.std(raw) / 2


def test_costs_come_from_the_loss_model(scored):
    assert COST_MISSED_DEFAULT == pytest.approx(10.0)
    y, probability = scored
    table = sensitivity(y, probability)
    assert len(table) == 9
    by_ratio = sorted(table, key=lambda row: row["cost_ratio"])
    assert by_ratio[0]["threshold"] >= by_ratio[-1]["threshold"]  # dearer defaults, lower threshold
    assert any(row["loss_given_default"] == LOSS_GIVEN_DEFAULT for row in table)


def test_metrics(scored):
    y, probability = scored
    metrics = classification_metrics(y, probability, 0.09, (0.07, 0.11), Costs(10, 1))
    assert metrics["gini"] == pytest.approx(2 * metrics["roc_auc"] - 1)
    assert metrics["ks"] == pytest.approx(ks_2samp(probability[y == 1], probability[y == 0]).statistic)
    assert ks_statistic(y, probability) == metrics["ks"]
    assert metrics["review_rate"] == pytest.approx(np.mean((probability >= 0.07) & (probability <= 0.11)))
    assert len(metrics["calibration_curve"]["mean_predicted"]) == CALIBRATION_BINS
    bands = metrics["calibration_bands"]
    assert sum(band["rows"] for band in bands) == len(y)
    assert len([band for band in bands if band["low"] >= 0.11]) >= 2  # the tail is not one bin
    assert "average_precision" in metrics and "pr_auc" not in metrics


def test_calibration_statistics_on_held_out_predictions(scored):
    y, probability = scored
    good = calibration_statistics(y, probability)
    assert good["slope"] == pytest.approx(1, abs=0.15) and good["intercept"] == pytest.approx(0, abs=0.1)
    assert good["observed_minus_predicted"] == pytest.approx(np.mean(y) - np.mean(probability))
    spread = calibration_statistics(y, 1 / (1 + np.exp(-2 * np.log(probability / (1 - probability)))))
    assert spread["slope"] < 0.7  # over-confident predictions: slope well below 1
    low = calibration_statistics(y, probability / 2)
    assert low["intercept"] > 0.4 and low["observed_minus_predicted"] > 0


def test_jeffreys_flags_a_band_predicted_too_low():
    y = np.array([1] * 30 + [0] * 170)
    assert band_test(y, np.full(200, 0.05))["jeffreys_p_value"] < 0.001
    assert band_test(y, np.full(200, 0.15))["jeffreys_p_value"] > 0.3


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


def _result(name, client_costs, gates=None):
    client_costs = np.asarray(client_costs, dtype=float)
    return CandidateResult(
        name,
        np.full(5, 0.8),
        np.zeros(5),
        client_costs,
        np.zeros(len(client_costs)),
        "identity",
        0.1,
        (0.08, 0.12),
        np.zeros(3),
        {},
        {},
        np.zeros(3),
        gates,
        0.0,
        0.0,
        model=None,
    )


def _costs(seed, n=20_000, refused_good=0.2, missed=0.03):
    """Per-client costs: 1 for a wrongly refused good client, 10 for a missed default."""
    draw = np.random.default_rng(seed).random(n)
    return np.where(draw < refused_good, 1.0, np.where(draw < refused_good + missed, 10.0, 0.0))


def test_champion_rule_is_paired_with_a_materiality_margin():
    base = _costs(0)
    # xgboost saves a little on a few clients: paired, the saving is immaterial.
    slightly_better = base.copy()
    slightly_better[np.flatnonzero(base == 1.0)[:20]] = 0.0
    assert choose_champion([_result("xgboost", slightly_better), _result("logit", base)]) == "logit"
    # A saving of 5 % of the cost, on the same clients: material and certain.
    clearly_better = base.copy()
    clearly_better[np.flatnonzero(base == 10.0)[:50]] = 0.0
    assert choose_champion([_result("xgboost", clearly_better), _result("logit", base)]) == "xgboost"
    boosting = _result("hist_gradient_boosting", np.zeros_like(base))
    logit = _result("logit", base)
    assert (
        choose_champion([_result("xgboost", clearly_better), boosting, logit], lambda n: n != boosting.name)
        == "xgboost"
    )
    with pytest.raises(ValueError, match="no eligible"):
        choose_champion([boosting], lambda name: False)


def test_a_candidate_failing_its_gates_cannot_be_champion():
    failed = {"passed": False, "monotonicity": ["age: wrong way"], "coefficient_signs": [], "age_alone": None}
    cheap = _result("xgboost", np.zeros(100), failed)
    assert choose_champion([cheap, _result("logit", np.ones(100))]) == "logit"


def test_out_of_time_split_holds_out_the_latest_applications(portfolio, features_and_outcome):
    X, y = features_and_outcome
    dates = portfolio["application_date"].to_numpy()
    X_train, X_test, y_train, y_test = split_test(X, y, 0, dates)
    assert len(X_test) == pytest.approx(0.2 * len(X), abs=1)
    assert dates[X_test.index].min() >= dates[X_train.index].max()
    assert len(y_train) + len(y_test) == len(y)


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
