"""Evaluation protocol, business cost, decision threshold and champion rule.

Protocol: a stratified held-out test split (``TEST_SIZE``); on the rest,
stratified k-fold cross-validation gives out-of-fold log-odds for every
candidate. From those, in order: the calibration map (lowest cross-fitted
Brier score), the cost-minimising threshold and its grey zone, and per-fold
expected costs (threshold chosen on the other folds). The pipeline is then
refitted on the whole training split and scored once on the test split.

Why these metrics: ROC AUC / Gini and KS measure ranking (what credit teams
report); PR AUC shows ranking where defaults are rare; the Brier score and the
calibration curve check that a displayed probability means what it says;
the expected business cost, with a missed default costing
``COST_MISSED_DEFAULT`` and a wrongly refused good client
``COST_REFUSED_GOOD_CLIENT``, is what the bank actually pays, so it sets the
threshold and chooses the champion.

Champion rule: the lowest mean cross-validated expected cost wins, except that
every candidate within ``CHAMPION_NOISE_STANDARD_ERRORS`` standard errors of
that lowest cost is treated as tied, and the simplest tied candidate wins.

Grey zone: thresholds whose expected cost is within
``GREY_ZONE_COST_TOLERANCE`` of the minimum are as good as the optimum; a
client whose probability falls in the band they span would be accepted by one
near-optimal policy and refused by another, so an advisor decides.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedKFold, train_test_split
from threadpoolctl import threadpool_limits

from modeling.calibration import (
    CalibratedModel,
    LogOddsCalibration,
    choose_calibration,
    predicted_log_odds,
)
from modeling.constants import (
    CALIBRATION_BINS,
    CHAMPION_NOISE_STANDARD_ERRORS,
    COST_MISSED_DEFAULT,
    COST_REFUSED_GOOD_CLIENT,
    DEFAULT_FOLDS,
    GREY_ZONE_COST_TOLERANCE,
    ROC_CURVE_POINTS,
    TEST_SIZE,
    THRESHOLD_GRID_SIZE,
    TRAINING_THREADS,
)
from modeling.errors import DataError
from modeling.pipelines import CANDIDATES, build_pipeline

THRESHOLDS = np.arange(1, THRESHOLD_GRID_SIZE + 1) / (THRESHOLD_GRID_SIZE + 1)
"""Candidate decision thresholds on the probability of default, (G,)."""


@dataclass(frozen=True)
class Costs:
    """Cost of each error, in units of one wrongly refused good client."""

    missed_default: float = COST_MISSED_DEFAULT
    refused_good_client: float = COST_REFUSED_GOOD_CLIENT


DEFAULT_COSTS = Costs()


def cost_curve(y: np.ndarray, probability: np.ndarray, costs: Costs) -> np.ndarray:
    """Expected cost per client (G,) when refusing every ``probability >= t``,
    for each ``t`` in :data:`THRESHOLDS`; ``y`` is 0/1 (n,)."""
    defaults = np.sort(probability[y == 1])
    good = np.sort(probability[y == 0])
    missed = np.searchsorted(defaults, THRESHOLDS, side="left")
    refused_good = len(good) - np.searchsorted(good, THRESHOLDS, side="left")
    return (costs.missed_default * missed + costs.refused_good_client * refused_good) / len(y)


def expected_cost(y: np.ndarray, probability: np.ndarray, threshold: float, costs: Costs) -> float:
    """Expected cost per client when refusing every ``probability >= threshold``
    (:func:`cost_curve` computes it for every grid threshold at once)."""
    refused = probability >= threshold
    missed = np.sum(~refused & (y == 1))
    refused_good = np.sum(refused & (y == 0))
    return float(costs.missed_default * missed + costs.refused_good_client * refused_good) / len(y)


def decision_band(curve: np.ndarray) -> tuple[float, tuple[float, float]]:
    """The cost-minimising threshold and the grey zone around it.

    ``curve`` (G,) is a :func:`cost_curve`. The grey zone is the contiguous
    run of thresholds around the optimum whose cost stays within
    ``GREY_ZONE_COST_TOLERANCE`` of the minimum, as ``(low, high)``.
    """
    best = int(np.argmin(curve))
    acceptable = curve <= curve[best] * (1 + GREY_ZONE_COST_TOLERANCE)
    low = best
    while low > 0 and acceptable[low - 1]:
        low -= 1
    high = best
    while high < len(curve) - 1 and acceptable[high + 1]:
        high += 1
    return float(THRESHOLDS[best]), (float(THRESHOLDS[low]), float(THRESHOLDS[high]))


def ks_statistic(y: np.ndarray, probability: np.ndarray) -> float:
    """Kolmogorov-Smirnov: largest gap between the score distributions of
    defaults and non-defaults, ``max(TPR - FPR)``, in [0, 1]."""
    false_positive_rate, true_positive_rate, _ = roc_curve(y, probability)
    return float(np.max(true_positive_rate - false_positive_rate))


def classification_metrics(
    y: np.ndarray,
    probability: np.ndarray,
    threshold: float,
    grey_zone: tuple[float, float],
    costs: Costs,
) -> dict:
    """Ranking, calibration and cost metrics of probabilities (n,) against 0/1
    outcomes (n,), at a given threshold and grey zone. JSON-serialisable."""
    roc_auc = float(roc_auc_score(y, probability))
    observed, predicted = calibration_curve(y, probability, n_bins=CALIBRATION_BINS, strategy="quantile")
    false_positive_rate, true_positive_rate, _ = roc_curve(y, probability)
    roc_grid = np.linspace(0, 1, ROC_CURVE_POINTS)
    return {
        "rows": len(y),
        "default_rate": float(np.mean(y)),
        "roc_auc": roc_auc,
        "gini": 2 * roc_auc - 1,
        "pr_auc": float(average_precision_score(y, probability)),
        "brier": float(np.mean((probability - y) ** 2)),
        "ks": ks_statistic(y, probability),
        "expected_cost": expected_cost(y, probability, threshold, costs),
        "refusal_rate": float(np.mean(probability >= threshold)),
        "review_rate": float(np.mean((probability >= grey_zone[0]) & (probability <= grey_zone[1]))),
        "calibration_curve": {
            "mean_predicted": predicted.tolist(),
            "observed_default_rate": observed.tolist(),
        },
        "roc_curve": {
            "fpr": roc_grid.tolist(),
            "tpr": np.interp(roc_grid, false_positive_rate, true_positive_rate).tolist(),
        },
    }


@dataclass
class CandidateResult:
    """Everything measured about one candidate; ``model`` is refitted on the
    whole training split. Costs are expected costs per client."""

    name: str
    fold_roc_auc: np.ndarray
    fold_costs: np.ndarray
    calibration_method: str
    threshold: float
    grey_zone: tuple[float, float]
    cv_cost_curve: np.ndarray
    cv_metrics: dict
    test_metrics: dict
    test_probability: np.ndarray
    fit_seconds: float
    cv_seconds: float
    model: CalibratedModel = field(repr=False)

    @property
    def cv_cost_mean(self) -> float:
        return float(np.mean(self.fold_costs))

    @property
    def cv_cost_standard_error(self) -> float:
        return float(np.std(self.fold_costs, ddof=1) / np.sqrt(len(self.fold_costs)))

    def summary(self) -> dict:
        """JSON-serialisable comparison row."""
        return {
            "name": self.name,
            "cv_roc_auc_mean": float(np.mean(self.fold_roc_auc)),
            "cv_roc_auc_std": float(np.std(self.fold_roc_auc, ddof=1)),
            "cv_expected_cost_mean": self.cv_cost_mean,
            "cv_expected_cost_standard_error": self.cv_cost_standard_error,
            "calibration": self.calibration_method,
            "threshold": self.threshold,
            "grey_zone": list(self.grey_zone),
            "cv": self.cv_metrics,
            "test": self.test_metrics,
            "fit_seconds": self.fit_seconds,
            "cv_seconds": self.cv_seconds,
        }


@dataclass
class Evaluation:
    """All candidates evaluated on one split, and the champion's name."""

    results: dict[str, CandidateResult]
    champion: str
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_test: np.ndarray
    costs: Costs
    folds: int


def evaluate_candidate(
    name: str,
    X: pd.DataFrame,
    y: np.ndarray,
    X_test: pd.DataFrame,
    y_test: np.ndarray,
    folds: int,
    seed: int,
    costs: Costs,
) -> CandidateResult:
    """Cross-validate, calibrate, choose the threshold, refit and test one
    candidate. ``y`` and ``y_test`` are 0/1 arrays."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    fold_ids = np.empty(len(y), dtype=np.int64)
    raw_log_odds = np.empty(len(y))
    fold_roc_auc = []
    started = time.perf_counter()
    for fold, (fit_rows, held_out) in enumerate(splitter.split(X, y)):
        pipeline = build_pipeline(name, X, seed).fit(X.iloc[fit_rows], y[fit_rows])
        raw_log_odds[held_out] = predicted_log_odds(pipeline, X.iloc[held_out])
        fold_ids[held_out] = fold
        fold_roc_auc.append(roc_auc_score(y[held_out], raw_log_odds[held_out]))
    cv_seconds = time.perf_counter() - started

    method, calibrated = choose_calibration(CANDIDATES[name].calibration_methods, raw_log_odds, y, fold_ids)
    oof_probability = expit(calibrated)
    fold_costs = []
    for fold in range(folds):
        held_out = fold_ids == fold
        other_threshold, _ = decision_band(cost_curve(y[~held_out], oof_probability[~held_out], costs))
        fold_costs.append(expected_cost(y[held_out], oof_probability[held_out], other_threshold, costs))
    curve = cost_curve(y, oof_probability, costs)
    threshold, grey_zone = decision_band(curve)

    started = time.perf_counter()
    pipeline = build_pipeline(name, X, seed).fit(X, y)
    fit_seconds = time.perf_counter() - started
    model = CalibratedModel(name, pipeline, LogOddsCalibration.fit(method, raw_log_odds, y))
    test_probability = model.probability(X_test)
    return CandidateResult(
        name=name,
        fold_roc_auc=np.array(fold_roc_auc),
        fold_costs=np.array(fold_costs),
        calibration_method=method,
        threshold=threshold,
        grey_zone=grey_zone,
        cv_cost_curve=curve,
        cv_metrics=classification_metrics(y, oof_probability, threshold, grey_zone, costs),
        test_metrics=classification_metrics(y_test, test_probability, threshold, grey_zone, costs),
        test_probability=test_probability,
        fit_seconds=fit_seconds,
        cv_seconds=cv_seconds,
        model=model,
    )


def choose_champion(
    results: Sequence[CandidateResult], eligible: Callable[[str], bool] = lambda name: True
) -> str:
    """Apply the champion rule (module docstring) to the eligible candidates."""
    pool = [result for result in results if eligible(result.name)]
    if not pool:
        raise ValueError("no eligible candidate to choose a champion from")
    best = min(pool, key=lambda result: result.cv_cost_mean)
    bound = best.cv_cost_mean + CHAMPION_NOISE_STANDARD_ERRORS * best.cv_cost_standard_error
    tied = [result for result in pool if result.cv_cost_mean <= bound]
    return min(tied, key=lambda result: CANDIDATES[result.name].complexity).name


def check_class_counts(y: np.ndarray, folds: int) -> None:
    """Raise :class:`DataError` unless each class of 0/1 ``y`` (n,) is large
    enough for the test split and ``folds``-fold cross-validation."""
    counts = np.bincount(y, minlength=2)
    needed = int(np.ceil(folds / (1 - TEST_SIZE))) + 1
    if counts.min() < needed:
        raise DataError(
            f"too few examples of one outcome ({counts[1]} defaults, {counts[0]} non-defaults): "
            f"a {TEST_SIZE:.0%} test split and {folds}-fold cross-validation need at least "
            f"{needed} of each"
        )


def evaluate_candidates(
    X: pd.DataFrame,
    y: np.ndarray,
    names: Sequence[str],
    *,
    folds: int = DEFAULT_FOLDS,
    seed: int = 0,
    costs: Costs = DEFAULT_COSTS,
    eligible: Callable[[str], bool] = lambda name: True,
    on_progress: Callable[[str], None] = lambda message: None,
) -> Evaluation:
    """Split, evaluate every named candidate and choose the champion among the
    ``eligible`` ones. ``X`` (n, d) features, ``y`` (n,) 0/1 outcomes."""
    y = np.asarray(y, dtype=np.int64)
    check_class_counts(y, folds)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, stratify=y, random_state=seed
    )
    results = {}
    with threadpool_limits(limits=TRAINING_THREADS), warnings.catch_warnings():
        # A text value absent from a training fold is encoded as all zeros: expected.
        warnings.filterwarnings("ignore", message="Found unknown categories")
        for name in names:
            on_progress(f"evaluating {name}")
            results[name] = evaluate_candidate(name, X_train, y_train, X_test, y_test, folds, seed, costs)
    champion = choose_champion(list(results.values()), eligible)
    return Evaluation(results, champion, X_train, X_test, y_test, costs, folds)
