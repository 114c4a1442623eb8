"""Human-readable outputs shared by the model card, and the benchmark report.

Plots use matplotlib's Agg backend, imported only when a report is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from modeling.constants import CHAMPION_MATERIALITY, GREY_ZONE_QUANTILES, TEST_SIZE
from modeling.costs import DEFAULT_COSTS, THRESHOLDS, Costs
from modeling.evaluation import Evaluation, evaluate_candidates
from modeling.pipelines import CANDIDATES, candidate_names

CHAMPION_RULE = (
    "among the candidates that pass their gates, the one with the lowest out-of-fold expected "
    "cost is the reference; a simpler candidate is tied with it unless its excess cost, paired "
    "client by client, is above "
    f"{CHAMPION_MATERIALITY:.0%} of the reference's cost at the 5th percentile of its bootstrap "
    "distribution; the simplest tied candidate wins"
)
THRESHOLD_RULE = (
    "the cost-minimising threshold of calibrated probabilities, cost of a refused good client / "
    "(sum of both costs), unless the cross-validated predictions reject it (it lies outside the "
    "grey zone), then the median bootstrap minimiser of their expected cost"
)
GREY_ZONE_RULE = (
    "probabilities between the "
    f"{GREY_ZONE_QUANTILES[0]:.0%} and {GREY_ZONE_QUANTILES[1]:.0%} quantiles of the "
    "cost-minimising threshold over bootstrap resamples of the cross-validated predictions "
    "(where the data cannot tell whether accepting or refusing costs less) go to human review"
)


def finite(document: object) -> object:
    """``document`` with NaN/inf floats replaced by None (strict JSON)."""
    if isinstance(document, dict):
        return {key: finite(value) for key, value in document.items()}
    if isinstance(document, list | tuple):
        return [finite(value) for value in document]
    if isinstance(document, float | np.floating):
        return float(document) if np.isfinite(document) else None
    if isinstance(document, np.integer):
        return int(document)
    return document


def cost_curve_points(curve: np.ndarray, every: int = 5) -> dict[str, list[float]]:
    """A cross-validated cost curve (G,) thinned to every ``every``-th threshold."""
    return {
        "threshold": THRESHOLDS[every - 1 :: every].tolist(),
        "expected_cost": curve[every - 1 :: every].tolist(),
    }


def logit_summary(evaluation: Evaluation) -> list[dict] | None:
    """The statsmodels logit's coefficient table (odds ratios, intervals,
    p-values) as records, or None when the logit was not evaluated."""
    result = evaluation.results.get("logit")
    if result is None:
        return None
    pipeline = result.model.pipeline
    frame = pipeline[-1].summary_frame(pipeline[:-1].get_feature_names_out())
    return cast(list[dict], finite(frame.reset_index().to_dict(orient="records")))  # finite keeps the shape


def comparison_table(evaluation: Evaluation, eligible: set[str]) -> str:
    """The candidates side by side, as a Markdown table."""
    lines = [
        (
            "| candidate | CV ROC AUC | CV expected cost | calibration | test ROC AUC "
            "| test Brier | test KS | fit (s) | gates | eligible |"
        ),
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in evaluation.results.values():
        test = result.test_metrics
        lines.append(
            f"| {result.name} | {np.mean(result.fold_roc_auc):.4f} ± "
            f"{np.std(result.fold_roc_auc, ddof=1):.4f} | {result.cv_cost_mean:.4f} ± "
            f"{result.cv_cost_standard_error:.4f} | {result.calibration_method} | "
            f"{test['roc_auc']:.4f} | {test['brier']:.4f} | {test['ks']:.3f} | "
            f"{result.fit_seconds:.2f} | {'pass' if result.passes_gates else 'fail'} | "
            f"{'yes' if result.name in eligible else 'no'} |"
        )
    return "\n".join(lines)


def _plot(out_dir: Path, evaluation: Evaluation) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_curve

    champion = evaluation.results[evaluation.champion]
    figure, axis = plt.subplots(figsize=(6, 5))
    for result in evaluation.results.values():
        fpr, tpr, _ = roc_curve(evaluation.y_test, result.test_probability)
        axis.plot(fpr, tpr, label=f"{result.name} ({result.test_metrics['roc_auc']:.3f})")
    axis.plot([0, 1], [0, 1], color="grey", linestyle=":")
    axis.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC (test)")
    axis.legend(fontsize="small")
    figure.savefig(out_dir / "roc.png", dpi=100, bbox_inches="tight")

    figure, axis = plt.subplots(figsize=(6, 5))
    for result in evaluation.results.values():
        curve = result.test_metrics["calibration_curve"]
        axis.plot(curve["mean_predicted"], curve["observed_default_rate"], marker="o", label=result.name)
    top = max(
        max(r.test_metrics["calibration_curve"]["mean_predicted"], default=0)
        for r in evaluation.results.values()
    )
    axis.plot([0, top], [0, top], color="grey", linestyle=":")
    axis.set(
        xlabel="mean predicted probability",
        ylabel="observed default rate",
        title="Calibration (test, deciles of the prediction)",
    )
    axis.legend(fontsize="small")
    figure.savefig(out_dir / "calibration.png", dpi=100, bbox_inches="tight")

    figure, axis = plt.subplots(figsize=(6, 5))
    for result in evaluation.results.values():
        axis.plot(THRESHOLDS, result.cv_cost_curve, label=result.name)
    axis.axvspan(*champion.grey_zone, color="orange", alpha=0.2, label="grey zone (champion)")
    axis.axvline(champion.threshold, color="black", linestyle="--", label="threshold (champion)")
    axis.set(
        xscale="log",
        xlabel="threshold on the probability of default",
        ylabel="expected cost per client",
        title="Cost versus threshold (cross-validated)",
    )
    axis.legend(fontsize="small")
    figure.savefig(out_dir / "cost.png", dpi=100, bbox_inches="tight")
    plt.close("all")


def benchmark(
    X: pd.DataFrame,
    y: np.ndarray,
    out_dir: Path,
    *,
    folds: int,
    seed: int = 0,
    costs: Costs = DEFAULT_COSTS,
    title: str = "benchmark",
    on_progress: Callable[[str], None] = lambda message: None,
) -> dict:
    """Evaluate every candidate on ``X`` (n, d) and 0/1 ``y`` (n,); write
    ``report.json``, ``report.md`` and ROC/calibration/cost PNGs to
    ``out_dir``; return the report as a dict."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    evaluation = evaluate_candidates(
        X, y, candidate_names(), folds=folds, seed=seed, costs=costs, on_progress=on_progress
    )
    report = {
        "champion": evaluation.champion,
        "champion_rule": CHAMPION_RULE,
        "rows": len(y),
        "default_rate": float(np.mean(y)),
        "folds": folds,
        "costs": {
            "missed_default": costs.missed_default,
            "refused_good_client": costs.refused_good_client,
        },
        "candidates": [
            {
                "name": result.name,
                "cv_roc_auc_mean": float(np.mean(result.fold_roc_auc)),
                "cv_roc_auc_std": float(np.std(result.fold_roc_auc, ddof=1)),
                "average_precision": result.test_metrics["average_precision"],
                "brier": result.test_metrics["brier"],
                "ks": result.test_metrics["ks"],
                "expected_cost": result.test_metrics["expected_cost"],
                "fit_seconds": result.fit_seconds,
                "test_roc_auc": result.test_metrics["roc_auc"],
                "cv_expected_cost_mean": result.cv_cost_mean,
                "cv_expected_cost_standard_error": result.cv_cost_standard_error,
                "calibration": result.calibration_method,
                "threshold": result.threshold,
                "explainable": CANDIDATES[result.name].explainable,
            }
            for result in evaluation.results.values()
        ],
    }
    (out_dir / "report.json").write_text(json.dumps(finite(report), indent=2) + "\n")
    on_progress("drawing plots")
    _plot(out_dir, evaluation)
    (out_dir / "report.md").write_text(
        f"""# {title}

{len(y)} rows, default rate {np.mean(y):.2%}; costs: missed default
{costs.missed_default:g}, wrongly refused good client {costs.refused_good_client:g}.
Test metrics on a stratified {TEST_SIZE:.0%} held-out split; cross-validation
({folds} folds) on the rest.

{comparison_table(evaluation, set(CANDIDATES))}

**Champion: {evaluation.champion}** ({CHAMPION_RULE}).

Metrics: ROC AUC and KS measure ranking, average precision ranking among rare defaults,
Brier score and the calibration curve whether probabilities can be read as
default rates, and the expected cost (at the cost-minimising threshold) what
errors cost the bank; the expected cost decides.

![ROC](roc.png)
![Calibration](calibration.png)
![Cost versus threshold](cost.png)
"""
    )
    return report
