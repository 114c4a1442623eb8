"""Monitoring maths, the artefact's monitoring files and global shap explanations."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from xgboost import DMatrix

from modeling import monitoring as rules
from modeling.challenger import (
    CHALLENGER_FILE,
    REFERENCE_FILE,
    load_challenger,
    load_global_explanation,
    load_reference,
)
from modeling.features import FEATURE_NAMES
from modeling.global_explain import NotTreeModelError, global_explanation, tree_explainer
from modeling.pipelines import build_pipeline
from modeling.registry import ArtefactIntegrityError, load_champion


def test_stability_index_is_small_for_the_same_distribution_and_large_for_a_shift():
    rng = np.random.default_rng(0)
    bins = rules.reference_bins(rng.normal(size=20_000))
    same = np.bincount(rules.bin_index(rng.normal(size=5_000), bins["edges"]), minlength=10)
    shifted = np.bincount(rules.bin_index(rng.normal(0.8, size=5_000), bins["edges"]), minlength=10)
    assert rules.stability_level(rules.stability_index(bins["shares"], same)) == rules.StabilityLevel.ok
    assert rules.stability_level(rules.stability_index(bins["shares"], shifted)) == rules.StabilityLevel.alert
    assert rules.stability_index(bins["shares"], np.zeros(10)) is None


def test_levels_change_at_the_documented_thresholds():
    assert rules.stability_level(rules.WATCH_AT - 1e-9) == rules.StabilityLevel.ok
    assert rules.stability_level(rules.WATCH_AT) == rules.StabilityLevel.watch
    assert rules.stability_level(rules.ALERT_AT) == rules.StabilityLevel.alert
    assert rules.traffic_light(rules.AMBER_BELOW) == rules.TrafficLight.green
    assert rules.traffic_light(rules.RED_BELOW) == rules.TrafficLight.amber
    assert rules.traffic_light(rules.RED_BELOW / 2) == rules.TrafficLight.red


def test_reference_bins_of_a_discrete_feature_keep_one_bin_per_value():
    bins = rules.reference_bins(np.array([0] * 900 + [1] * 80 + [3] * 20))
    assert bins == {"edges": [0.0], "shares": [0.9, 0.1]}


def test_jeffreys_test_accepts_a_calibrated_band_and_rejects_both_directions():
    assert rules.band_backtest(1_000, 50, 50.0)["level"] == "green"
    assert rules.band_backtest(1_000, 1_000, 50.0)["level"] == "red"  # every client defaulted
    assert rules.band_backtest(1_000, 5, 50.0)["level"] == "red"  # the model over-predicts


@pytest.mark.parametrize("n, defaults", [(400, 0), (400, 12), (50, 49), (10_000, 600)])
def test_the_light_is_green_exactly_when_the_prediction_is_inside_the_jeffreys_interval(n, defaults):
    low, high = rules.jeffreys_interval(n, defaults)
    assert 0 < low < (defaults + 0.5) / (n + 1) < high < 1  # around the posterior mean
    for predicted in np.linspace(0.0005, 0.9995, 400):
        inside = low <= predicted <= high
        green = (
            rules.traffic_light(rules.jeffreys_p_value(n, defaults, predicted)) == rules.TrafficLight.green
        )
        assert green == inside, predicted
    assert rules.band_backtest(n, defaults, n * 0.5)["interval"] == [low, high]


def test_auc_from_buckets_is_the_auc_of_the_rounded_probabilities():
    rng = np.random.default_rng(1)
    p = rng.beta(1, 12, 5_000)
    y = (rng.random(5_000) < p).astype(int)
    key = np.floor(p * 10**rules.PROBABILITY_DECIMALS)
    rows = [(k, 1, yi, pi, pi * pi, pi * yi) for k, yi, pi in zip(key, y, p)]
    buckets = rules.Buckets.of(rows)
    assert rules.auc(buckets) == pytest.approx(roc_auc_score(y, key), abs=1e-12)
    calibration = rules.calibration(buckets)
    assert calibration["brier"] == pytest.approx(np.mean((p - y) ** 2))
    assert calibration["slope"] == pytest.approx(1.0, abs=0.25)
    assert rules.auc(rules.Buckets.of([(1, 10, 0, 1, 0.1, 0)])) is None


def test_fairness_rates_are_weighted_by_group_size():
    groups = rules.fairness_by_group(
        groups=["18-25", "18-25", "36-50"],
        weights=[30, 10, 60],
        approved=[1, 0, 1],
        refused_by_model=[0, 1, 0],
        refused_finally=[0, 0, 0],  # the advisors overrode the model's refusal
        mean_probability=[0.1, 0.5, 0.05],
    )
    young, middle = groups["18-25"], groups["36-50"]
    assert young["n"] == 40 and middle["n"] == 60
    assert young["approval_rate"] == pytest.approx(0.75)
    assert young["mean_probability"] == pytest.approx(0.2)
    assert young["refusal_rate_without_override"] == pytest.approx(0.25)
    assert young["refusal_rate_with_override"] == 0
    assert young["adverse_impact_ratio"] == pytest.approx(0.75) and middle["adverse_impact_ratio"] == 1
    assert rules.adverse_impact_ratio(groups) == pytest.approx(0.75)


def test_fairness_of_a_single_aggregate_row():
    groups = rules.fairness_by_group(["66+"], [3], [1], [0], [0], [0.1])
    assert groups["66+"]["n"] == 3 and groups["66+"]["approval_rate"] == 1


# ------------------------------------------------------------ artefact files


def test_training_stores_the_reference_and_a_challenger_that_is_not_the_champion(trained_registry):
    champion = load_champion(trained_registry)
    artefact = trained_registry / champion.version
    reference = load_reference(artefact)
    assert set(reference["features"]) == set(FEATURE_NAMES)
    assert sum(reference["score"]["shares"]) == pytest.approx(1)
    challenger = load_challenger(artefact)
    assert challenger.name not in (champion.name, "baseline")
    probability = challenger.predict_proba_array(np.array([[41, 38_500, 6.5, 0, 712.0]]))
    assert 0 < probability[0] < 1


def test_monitoring_files_are_covered_by_the_artefact_hash(trained_registry, tmp_path):
    import shutil

    champion = load_champion(trained_registry)
    copy = tmp_path / champion.version
    shutil.copytree(trained_registry / champion.version, copy)
    reference = json.loads((copy / REFERENCE_FILE).read_text())
    reference["score"]["shares"][0] += 0.01
    (copy / REFERENCE_FILE).write_text(json.dumps(reference))
    with pytest.raises(ArtefactIntegrityError):
        load_reference(copy)
    with pytest.raises(ArtefactIntegrityError):
        load_challenger(copy)
    assert (copy / CHALLENGER_FILE).exists()


# ------------------------------------------------------------ global shap


def _columns(explanation: dict, key: str, names) -> np.ndarray:
    """The summary's per-client ``key`` ("values" or "shap") as (n, d) in ``names`` order."""
    by_feature = {entry["feature"]: entry[key] for entry in explanation["summary"]}
    return np.column_stack([by_feature[name] for name in names])


def test_shap_values_equal_the_native_treeshap_contributions_the_app_serves(xgboost_registry):
    champion = load_champion(xgboost_registry)
    explanation = load_global_explanation(xgboost_registry / champion.version)
    X = _columns(explanation, "values", FEATURE_NAMES)
    explainer = champion.explainer
    clipped = X if explainer.lower is None else np.clip(X, explainer.lower, explainer.upper)
    native = explainer.booster.predict(
        DMatrix(clipped, feature_names=list(FEATURE_NAMES)), pred_contribs=True
    )[:, :-1]
    served = explainer.decompose(X)[2]
    stored = _columns(explanation, "shap", FEATURE_NAMES)
    np.testing.assert_allclose(stored, native, atol=1e-5)
    # The app serves the same TreeSHAP values centred on the portfolio.
    np.testing.assert_allclose(served, native - explainer.centres, atol=1e-6)


def test_histogram_gradient_boosting_is_explained_through_shap(features_and_outcome):
    X, y = features_and_outcome
    X, y = X.iloc[:4_000], y[:4_000]
    pipeline = build_pipeline("hist_gradient_boosting", X).fit(X, y)
    explanation = global_explanation(pipeline, X, rows=200)
    sample = X.sample(200, random_state=0)
    shap_values = _columns(explanation, "shap", X.columns)
    # TreeSHAP is additive: base value plus contributions is the model's log-odds.
    log_odds = pipeline.decision_function(sample)
    np.testing.assert_allclose(explanation["base_value"] + shap_values.sum(axis=1), log_odds, atol=1e-4)
    dependence = {d["feature"]: d for d in explanation["dependence"]}
    assert set(dependence) == set(FEATURE_NAMES)
    assert all(d["interacts_with"] != name for name, d in dependence.items())


def test_a_linear_candidate_has_no_tree_explainer(features_and_outcome):
    X, y = features_and_outcome
    pipeline = build_pipeline("penalised_logistic", X).fit(X.iloc[:2_000], y[:2_000])
    with pytest.raises(NotTreeModelError):
        tree_explainer(pipeline)
