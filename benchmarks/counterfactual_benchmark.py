"""Time the counterfactual search and compare it with DiCE (``dice-ml``).

    .venv/bin/python benchmarks/counterfactual_benchmark.py [--model-dir DIR]
        [--clients 300] [--dice-clients 30] [--dice-methods random,genetic]

Clients are synthetic (``modeling.synthetic``), those the champion does not
make eligible. Ours: ``modeling.counterfactuals`` with the app's rule
(``services.counterfactuals.eligibility_rule``), p50/p95 milliseconds per
client in-process against the 20 ms p95 target. DiCE gets the same model
(its "class 1" is "eligible": ``expit(logit(low) - logit(p))``, above 0.5
exactly when the probability of default is under the grey zone, i.e. when the
app says eligible), the same actionable features and per-client permitted
ranges (plausible directions, the seniority cap). Quality per method, over
the options returned: valid (rescored eligible), realistic (at most two
features, whole steps, plausible: ``modeling.counterfactuals.respects_rules``),
mean size of the best valid option (the search's own measure) and coverage
(clients with at least one valid option). DiCE is a dev dependency installed
without its own dependencies: ``pip install --no-deps dice-ml raiutils`` (it
pins the full CUDA ``xgboost`` where the app uses ``xgboost-cpu``).
The model is the champion of ``--model-dir`` (default: the app's registry);
without one, a small model is trained first. Exit code 1 if our p95 misses
the target.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit, logit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from modeling import NoChampionError, load_champion, train  # noqa: E402
from modeling.counterfactuals import Change, Option, counterfactuals, respects_rules  # noqa: E402
from modeling.features import FEATURE_NAMES, FEATURES, FEATURES_BY_NAME, MIN_WORKING_AGE  # noqa: E402
from modeling.synthetic import generate_portfolio  # noqa: E402
from neobank_dashboard.services.counterfactuals import eligibility_rule  # noqa: E402
from tests.support.scratch import scratch_dir  # noqa: E402

TARGET_P95_MS = 20.0
ACTIONABLE = [f.name for f in FEATURES if f.actionable and not f.immutable]


def _model(requested: Path | None, scratch: Path):
    from neobank_dashboard.settings import get_settings

    registry = requested or get_settings().model_dir
    try:
        return load_champion(registry)
    except (NoChampionError, OSError):
        registry = scratch / "models"
        train(registry, rows=5000, candidates=["logit", "xgboost"], folds=3)
        return load_champion(registry)


def _clients(model, n: int) -> list[dict[str, float]]:
    """n synthetic clients the model does not make eligible."""
    frame = generate_portfolio(20 * n, seed=7)[list(FEATURE_NAMES)].astype(float)
    eligible = eligibility_rule(model)(model.predict_proba_array(frame.to_numpy()))
    return frame[~eligible].head(n).to_dict("records")


def _size(model, client: dict, option: Option) -> float:
    scale = np.maximum(np.abs(model.reference_values), [f.change_step for f in FEATURES])
    return sum(abs(c.to - c.before) / scale[FEATURE_NAMES.index(c.feature)] for c in option.changes)


def _quality(model, clients, options_per_client, seconds, cpu_seconds) -> dict:
    rule = eligibility_rule(model)
    valid = realistic = total = covered = 0
    best_sizes = []
    for client, options in zip(clients, options_per_client):
        good = []
        for option in options:
            row = np.array([[option.applied_to(client)[name] for name in FEATURE_NAMES]])
            ok = bool(rule(model.predict_proba_array(row))[0])
            total += 1
            valid += ok
            realistic += not respects_rules(client, option)
            if ok:
                good.append(_size(model, client, option))
        if good:
            covered += 1
            best_sizes.append(min(good))
    ms, cpu_ms = np.array(seconds) * 1000, np.array(cpu_seconds) * 1000
    return {
        "p50 ms": np.percentile(ms, 50),
        "p95 ms": np.percentile(ms, 95),
        "cpu p95 ms": np.percentile(cpu_ms, 95),
        "valid %": 100 * valid / max(total, 1),
        "realistic %": 100 * realistic / max(total, 1),
        "best size": float(np.mean(best_sizes)) if best_sizes else float("nan"),
        "coverage %": 100 * covered / len(clients),
    }


def _ours(model, clients):
    rule = eligibility_rule(model)
    counterfactuals(model, clients[0], rule)  # warm-up
    options, seconds, cpu = [], [], []
    for client in clients:
        start, start_cpu = time.perf_counter(), time.process_time()
        options.append(counterfactuals(model, client, rule))
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return options, seconds, cpu


class _EligibleClass:
    """The champion as a scikit-learn classifier whose class 1 is 'eligible'."""

    def __init__(self, model):
        self.model, self.low = model, float(model.grey_zone[0])

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = np.clip(self.model.predict_proba_array(X[list(FEATURE_NAMES)].to_numpy(float)), 1e-9, 1 - 1e-9)
        eligible = expit(logit(self.low) - logit(p))
        return np.column_stack([1 - eligible, eligible])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] > 0.5).astype(int)


def _permitted_range(client: dict) -> dict[str, list[float]]:
    ranges = {}
    for name in ACTIONABLE:
        f = FEATURES_BY_NAME[name]
        bound = f.maximum if f.risk_direction < 0 else f.minimum
        if name == "seniority":
            bound = min(bound, client["age"] - MIN_WORKING_AGE)
        ranges[name] = sorted([client[name], bound])
    return ranges


def _dice(model, clients, method: str):
    import dice_ml

    # The public data interface (a sample labelled by the model): DiCE's genetic
    # method seeds its population from a k-d tree over it.
    sample = generate_portfolio(5_000, seed=11)[list(FEATURE_NAMES)].astype(float)
    sample["eligible"] = eligibility_rule(model)(model.predict_proba_array(sample.to_numpy())).astype(int)
    data = dice_ml.Data(dataframe=sample, continuous_features=list(FEATURE_NAMES), outcome_name="eligible")
    explainer = dice_ml.Dice(
        data, dice_ml.Model(model=_EligibleClass(model), backend="sklearn"), method=method
    )
    options, seconds, cpu = [], [], []
    for client in clients:
        query = pd.DataFrame([client])[list(FEATURE_NAMES)]
        start, start_cpu = time.perf_counter(), time.process_time()
        found = (
            explainer.generate_counterfactuals(
                query,
                total_CFs=3,
                desired_class=1,
                features_to_vary=ACTIONABLE,
                permitted_range=_permitted_range(client),
                verbose=False,
            )
            .cf_examples_list[0]
            .final_cfs_df
        )  # None when DiCE finds nothing
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        client_options = []
        for _, row in (found if found is not None else pd.DataFrame()).iterrows():
            changes = tuple(
                Change(name, client[name], float(row[name]))
                for name in FEATURE_NAMES
                if not np.isclose(float(row[name]), client[name])
            )
            if changes:
                client_options.append(Option(changes, float("nan"), 0.0))
        options.append(client_options)
    return options, seconds, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--dice-clients", type=int, default=30)
    parser.add_argument("--dice-methods", default="random,genetic")
    args = parser.parse_args()
    logging.getLogger("dice_ml").setLevel(logging.ERROR)
    os.environ["TQDM_DISABLE"] = "1"  # DiCE draws a progress bar per client
    with scratch_dir("cf-models-") as scratch:  # a model trained here is removed afterwards
        return _run(args, _model(args.model_dir, scratch))


def _run(args: argparse.Namespace, model) -> int:
    clients = _clients(model, args.clients)
    results = {"ours (bisection)": _quality(model, clients, *_ours(model, clients))}
    subset = clients[: args.dice_clients]
    results["ours, same clients as DiCE"] = _quality(model, subset, *_ours(model, subset))
    for method in filter(None, args.dice_methods.split(",")):
        results[f"DiCE {method}"] = _quality(model, subset, *_dice(model, subset, method))

    load = os.getloadavg()[0]
    print(f"counterfactuals on {model.name} {model.version[:12]}, {len(clients)} clients not eligible")
    print(f"(load average {load:.1f} on {os.cpu_count()} CPUs: wall times include waiting for a CPU)")
    columns = list(next(iter(results.values())))
    print(f"{'method':30}" + "".join(f"{c:>14}" for c in columns))
    for name, row in results.items():
        print(f"{name:30}" + "".join(f"{row[c]:>14.2f}" for c in columns))
    p95 = results["ours (bisection)"]["p95 ms"]
    verdict = "met" if p95 <= TARGET_P95_MS else "MISSED"
    print(f"target: p95 <= {TARGET_P95_MS:.0f} ms per client in-process: {verdict}")
    return 0 if p95 <= TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
