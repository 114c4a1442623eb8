"""Evaluation protocol, metrics, promotion gates and champion rule.

Protocol: a held-out test split (``TEST_SIZE``): the latest applications
when they are dated (out-of-time), else stratified at random; on the rest,
stratified k-fold cross-validation gives out-of-fold log-odds for every
candidate. From those, in order: the calibration map (lowest cross-fitted
Brier score), the threshold and its grey zone (:mod:`modeling.costs`), and
each client's out-of-fold cost (threshold chosen on the other folds). The
pipeline is then refitted on the whole training split, checked by the
promotion gates (:mod:`modeling.validation`) and scored once on the test
split.

Why these metrics: ROC AUC / Gini and KS measure ranking (what credit teams
report); average precision shows ranking where defaults are rare; the Brier
score and the calibration report (:mod:`modeling.backtest`) check that a
displayed probability means what it says; the expected business cost is
what the bank actually pays, so it sets the threshold and chooses the
champion.

Champion rule: among the eligible candidates that pass their gates, the
cheapest (lowest mean out-of-fold cost) is the reference; a simpler
candidate is tied with it unless it is materially worse: the 5th percentile
of the bootstrap distribution of its excess cost, paired client by client,
is above ``CHAMPION_MATERIALITY`` of the reference's cost. The simplest
tied candidate wins. Pairing removes the client-to-client noise the two
candidates share, which unpaired fold standard errors (4 degrees of freedom
on overlapping folds) cannot.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedKFold, train_test_split
from threadpoolctl import threadpool_limits

from modeling.backtest import calibration_statistics, quantile_bands
from modeling.calibration import (
    CalibratedModel,
    LogOddsCalibration,
    choose_calibration,
    predicted_log_odds,
)
from modeling.constants import (
    CHAMPION_BOOTSTRAP_RESAMPLES,
    CHAMPION_MATERIALITY,
    DEFAULT_FOLDS,
    ROC_CURVE_POINTS,
    TEST_SIZE,
    TRAINING_THREADS,
)
from modeling.costs import DEFAULT_COSTS, Costs, client_costs, decision_band, expected_cost
from modeling.errors import CandidateError, DataError
from modeling.features import FEATURE_NAMES
from modeling.pipelines import CANDIDATES, build_pipeline, is_application_data
from modeling.validation import age_alone_refusals, evaluate_gates, feature_quantiles


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
    review_rate = float(np.mean((probability >= grey_zone[0]) & (probability <= grey_zone[1])))
    bands = quantile_bands(y, probability)
    false_positive_rate, true_positive_rate, _ = roc_curve(y, probability)
    roc_grid = np.linspace(0, 1, ROC_CURVE_POINTS)
    return {
        "rows": len(y),
        "default_rate": float(np.mean(y)),
        "roc_auc": roc_auc,
        "gini": 2 * roc_auc - 1,
        "average_precision": float(average_precision_score(y, probability)),
        "brier": float(np.mean((probability - y) ** 2)),
        "ks": ks_statistic(y, probability),
        "expected_cost": expected_cost(y, probability, threshold, costs),
        "refusal_rate": float(np.mean(probability >= threshold)),
        "review_rate": review_rate,
        "expected_cost_with_reviews": expected_cost(y, probability, threshold, costs)
        + review_rate * costs.review,
        "calibration": calibration_statistics(y, probability),
        "calibration_bands": bands,
        "calibration_curve": {
            "mean_predicted": [band["mean_predicted"] for band in bands],
            "observed_default_rate": [band["observed_default_rate"] for band in bands],
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
    oof_costs: np.ndarray
    oof_probability: np.ndarray
    calibration_method: str
    threshold: float
    grey_zone: tuple[float, float]
    cv_cost_curve: np.ndarray
    cv_metrics: dict
    test_metrics: dict
    test_probability: np.ndarray
    gates: dict | None
    fit_seconds: float
    cv_seconds: float
    model: CalibratedModel = field(repr=False)

    @property
    def cv_cost_mean(self) -> float:
        return float(np.mean(self.oof_costs))

    @property
    def passes_gates(self) -> bool:
        return self.gates is None or self.gates["passed"]

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
            "gates": self.gates,
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
    y_train: np.ndarray
    X_test: pd.DataFrame
    y_test: np.ndarray
    costs: Costs
    folds: int
    seed: int
    out_of_time: bool


def evaluate_candidate(
    name: str,
    X: pd.DataFrame,
    y: np.ndarray,
    X_test: pd.DataFrame,
    y_test: np.ndarray,
    folds: int,
    seed: int,
    costs: Costs,
    bound_age: bool = True,
) -> CandidateResult:
    """Cross-validate, calibrate, choose the threshold, refit, gate and test
    one candidate. ``y`` and ``y_test`` are 0/1 arrays."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    fold_ids = np.empty(len(y), dtype=np.int64)
    raw_log_odds = np.empty(len(y))
    fold_roc_auc = []
    started = time.perf_counter()
    for fold, (fit_rows, held_out) in enumerate(splitter.split(X, y)):
        pipeline = build_pipeline(name, X, seed, bound_age).fit(X.iloc[fit_rows], y[fit_rows])
        raw_log_odds[held_out] = predicted_log_odds(pipeline, X.iloc[held_out])
        fold_ids[held_out] = fold
        fold_roc_auc.append(roc_auc_score(y[held_out], raw_log_odds[held_out]))
    cv_seconds = time.perf_counter() - started

    method, calibrated = choose_calibration(CANDIDATES[name].calibration_methods, raw_log_odds, y, fold_ids)
    oof_probability = expit(calibrated)
    oof_costs = np.empty(len(y))
    for fold in range(folds):
        held_out = fold_ids == fold
        other = decision_band(y[~held_out], oof_probability[~held_out], costs, seed)
        oof_costs[held_out] = client_costs(y[held_out], oof_probability[held_out], other.threshold, costs)
    band = decision_band(y, oof_probability, costs, seed)

    started = time.perf_counter()
    pipeline = build_pipeline(name, X, seed, bound_age).fit(X, y)
    fit_seconds = time.perf_counter() - started
    model = CalibratedModel(name, pipeline, LogOddsCalibration.fit(method, raw_log_odds, y))
    test_probability = model.probability(X_test)
    gates = None
    if is_application_data(X.columns):
        age_alone = age_alone_refusals(model.probability, X_test, band.threshold, float(X["age"].median()))
        gates = evaluate_gates(
            lambda rows: predicted_log_odds(pipeline, pd.DataFrame(rows, columns=list(FEATURE_NAMES))),
            pipeline,
            feature_quantiles(X),
            age_alone,
        )
    return CandidateResult(
        name=name,
        fold_roc_auc=np.array(fold_roc_auc),
        fold_costs=np.array([oof_costs[fold_ids == fold].mean() for fold in range(folds)]),
        oof_costs=oof_costs,
        oof_probability=oof_probability,
        calibration_method=method,
        threshold=band.threshold,
        grey_zone=band.grey_zone,
        cv_cost_curve=band.curve,
        cv_metrics=classification_metrics(y, oof_probability, band.threshold, band.grey_zone, costs),
        test_metrics=classification_metrics(y_test, test_probability, band.threshold, band.grey_zone, costs),
        test_probability=test_probability,
        gates=gates,
        fit_seconds=fit_seconds,
        cv_seconds=cv_seconds,
        model=model,
    )


def excess_cost_lower_bound(costs: np.ndarray, reference: np.ndarray, seed: int = 0) -> float:
    """5th percentile of the bootstrap distribution of ``mean(costs -
    reference)``, paired client by client (n,) each. Per-client differences
    take a handful of values, so the resampling is a multinomial over them:
    exact and fast."""
    values, counts = np.unique(costs - reference, return_counts=True)
    draws = np.random.default_rng(seed).multinomial(
        len(costs), counts / counts.sum(), CHAMPION_BOOTSTRAP_RESAMPLES
    )
    return float(np.quantile(draws @ values / len(costs), 0.05))


def choose_champion(
    results: Sequence[CandidateResult], eligible: Callable[[str], bool] = lambda name: True
) -> str:
    """Apply the champion rule (module docstring) to the eligible candidates
    that pass their gates."""
    pool = [result for result in results if eligible(result.name) and result.passes_gates]
    if not pool:
        failures = {result.name: result.gates for result in results if eligible(result.name)}
        raise CandidateError(f"no eligible candidate passes its promotion gates: {failures}")
    best = min(pool, key=lambda result: result.cv_cost_mean)
    margin = CHAMPION_MATERIALITY * best.cv_cost_mean
    tied = [
        result
        for result in pool
        if result is best or excess_cost_lower_bound(result.oof_costs, best.oof_costs) <= margin
    ]
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


def split_test(
    X: pd.DataFrame, y: np.ndarray, seed: int, dates: np.ndarray | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, np.ndarray]:
    """``X_train, X_test, y_train, y_test``: the latest ``TEST_SIZE`` of the
    applications held out when ``dates`` (n,) are given (out-of-time), else
    a stratified random split."""
    if dates is None:
        return train_test_split(X, y, test_size=TEST_SIZE, stratify=y, random_state=seed)
    order = np.argsort(np.asarray(dates), kind="stable")
    cut = len(y) - int(np.ceil(TEST_SIZE * len(y)))
    train_rows, test_rows = np.sort(order[:cut]), np.sort(order[cut:])
    if min(np.bincount(y[test_rows], minlength=2).min(), np.bincount(y[train_rows], minlength=2).min()) == 0:
        raise DataError("the out-of-time split leaves one outcome absent from the training or test rows")
    return X.iloc[train_rows], X.iloc[test_rows], y[train_rows], y[test_rows]


def evaluate_candidates(
    X: pd.DataFrame,
    y: np.ndarray,
    names: Sequence[str],
    *,
    folds: int = DEFAULT_FOLDS,
    seed: int = 0,
    costs: Costs = DEFAULT_COSTS,
    dates: np.ndarray | None = None,
    eligible: Callable[[str], bool] = lambda name: True,
    on_progress: Callable[[str], None] = lambda message: None,
) -> Evaluation:
    """Split (out-of-time when application ``dates`` (n,) are given),
    evaluate every named candidate and choose the champion among the
    ``eligible`` ones. ``X`` (n, d) features, ``y`` (n,) 0/1 outcomes."""
    y = np.asarray(y, dtype=np.int64)
    check_class_counts(y, folds)
    X_train, X_test, y_train, y_test = split_test(X, y, seed, dates)
    results = {}
    with threadpool_limits(limits=TRAINING_THREADS), warnings.catch_warnings():
        # A text value absent from a training fold is encoded as all zeros: expected.
        warnings.filterwarnings("ignore", message="Found unknown categories")
        for name in names:
            on_progress(f"evaluating {name}")
            results[name] = evaluate_candidate(name, X_train, y_train, X_test, y_test, folds, seed, costs)
    champion = choose_champion(list(results.values()), eligible)
    return Evaluation(
        results, champion, X_train, y_train, X_test, y_test, costs, folds, seed, out_of_time=dates is not None
    )
