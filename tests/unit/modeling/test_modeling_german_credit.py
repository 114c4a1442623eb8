"""The benchmark command on real data: UCI German credit (1,000 clients)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from modeling.pipelines import CANDIDATES
from modeling.public_datasets import GERMAN_CREDIT_COSTS, GERMAN_CREDIT_TARGET

ROOT = Path(__file__).resolve().parents[3]
LINEAR = ("logit", "penalised_logistic")


def test_german_credit_benchmark(datasets, tmp_path):
    """``german.data`` as UCI publishes it (space-separated, no header), as docs/modeling.md
    runs it: the outcome column ``credit_risk``, 2 (bad) the default."""
    cost_fn, cost_fp = GERMAN_CREDIT_COSTS
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "modeling",
            "benchmark",
            "--data",
            str(datasets / "german_credit" / "german.data"),
            "--target",
            GERMAN_CREDIT_TARGET,
            "--cost-fn",
            str(cost_fn),
            "--cost-fp",
            str(cost_fp),
            "--folds",
            "5",
            "--out",
            str(tmp_path / "report"),
        ],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert report["rows"] == 1_000 and abs(report["default_rate"] - 0.3) < 1e-9
    by_name = {candidate["name"]: candidate for candidate in report["candidates"]}

    assert max(by_name[name]["cv_roc_auc_mean"] for name in LINEAR) >= 0.78

    # The paired champion rule: on 800 clients no candidate is materially
    # cheaper than the plain logit, so the simplest model that is not the
    # baseline wins; generic data have no gates.
    champion = report["champion"]
    assert champion == "logit", {name: c["cv_expected_cost_mean"] for name, c in by_name.items()}
    assert CANDIDATES[champion].complexity == 1
