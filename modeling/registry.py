"""Versioned, hashed model artefacts: training, writing, verifying, loading.

An artefact is a folder ``<registry>/<version>/`` holding the files in
:data:`ARTEFACT_FILES` and ``manifest.json``, which lists the SHA-256 of every
file and the artefact's own SHA-256: the hash of the sorted
``"<file name> <file sha256>"`` lines. That hash is the model version and
the folder's name. ``<registry>/CHAMPION`` holds the champion's version.

Loading recomputes every hash before unpickling anything and refuses a
modified, added or missing file (:class:`ArtefactIntegrityError`), then
compares the recorded library versions with the running ones
(:mod:`modeling.environment`: a different major scikit-learn or XGBoost
refuses, :class:`IncompatibleEnvironmentError`; other differences warn).
Promotion also requires the model's gates (:mod:`modeling.validation`):
recorded at training, the monotonicity check recomputed. The
hashes detect accidental or casual changes; they are not a signature: who can
write the registry folder can write a new consistent artefact (whose version
then differs from the one ``CHAMPION`` names).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from modeling.backtest import age_bands
from modeling.challenger import monitoring_documents
from modeling.constants import (
    AGE_ALONE_REFUSAL_LIMIT,
    COST_MISSED_DEFAULT,
    COST_REFUSED_GOOD_CLIENT,
    DEFAULT_FOLDS,
    DEFAULT_ROWS,
    GREY_ZONE_QUANTILES,
    TRAINING_THREADS,
)
from modeling.costs import COST_SOURCES, Costs, sensitivity
from modeling.data import APPLICATION_DATE, TARGET, application_training_frame
from modeling.environment import (
    EnvironmentDriftWarning,
    current_environment,
    git_commit,
    incompatibilities,
)
from modeling.evaluation import CandidateResult, Evaluation, evaluate_candidate, evaluate_candidates
from modeling.explain import explain_array, feature_matrix, global_importance, make_explainer
from modeling.features import FEATURE_NAMES, FEATURES
from modeling.model_card import render_model_card
from modeling.pipelines import candidate_names, explainable_names
from modeling.report import cost_curve_points, finite, logit_summary
from modeling.scoring import ScoringModel
from modeling.synthetic import generate_portfolio
from modeling.validation import age_alone_refusals, check_gates, feature_quantiles

MODEL_FILE = "model.joblib"
ARTEFACT_FILES = (
    MODEL_FILE,
    "feature_spec.json",
    "metrics.json",
    "decision.json",
    "training.json",
    "environment.json",
    "model_card.md",
)
MANIFEST = "manifest.json"
ARTEFACT_FORMAT = 2
"""Format 2: portfolio-centred explainers, the age bound, gates (format 1
artefacts are refused: their explainers lack the centring)."""
CHAMPION = "CHAMPION"
_VERSION_PATTERN = re.compile(r"[0-9a-f]{64}")


class ArtefactIntegrityError(Exception):
    """An artefact whose files do not match its manifest, or is incomplete."""


class IncompatibleEnvironmentError(ArtefactIntegrityError):
    """The artefact was trained under another major scikit-learn or XGBoost,
    or written in another artefact format: retrain it."""


class NoChampionError(Exception):
    """The registry has no champion to load."""


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def artefact_digest(file_digests: dict[str, str]) -> str:
    """The artefact's SHA-256 (its version) from its files' SHA-256."""
    lines = "".join(f"{name} {file_digests[name]}\n" for name in sorted(file_digests))
    return _sha256(lines.encode())


def data_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's column names and values (row order matters)."""
    digest = hashlib.sha256("\x1f".join(map(str, frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _json(document: object) -> bytes:
    return (json.dumps(finite(document), indent=2, sort_keys=True, allow_nan=False) + "\n").encode()


def _feature_spec() -> list[dict]:
    return [{**asdict(feature), "kind": feature.kind.__name__} for feature in FEATURES]


def write_artefact(registry_dir: Path, documents: dict[str, bytes]) -> Path:
    """Write ``documents`` (file name → bytes) and their manifest as a new
    artefact under ``registry_dir``; returns ``registry_dir / version``."""
    registry_dir = Path(registry_dir)
    registry_dir.mkdir(parents=True, exist_ok=True)
    digests = {name: _sha256(content) for name, content in documents.items()}
    version = artefact_digest(digests)
    target = registry_dir / version
    if target.exists():
        return target
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=registry_dir))
    try:
        for name, content in documents.items():
            (staging / name).write_bytes(content)
        manifest = {"artefact_sha256": version, "files": digests, "format": ARTEFACT_FORMAT}
        (staging / MANIFEST).write_bytes(_json(manifest))
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _verified_version(path: Path) -> str:
    """Check every file of the artefact at ``path``; return its version."""
    try:
        manifest = json.loads((path / MANIFEST).read_text())
        files, claimed = dict(manifest["files"]), str(manifest["artefact_sha256"])
        artefact_format = manifest.get("format")
    except FileNotFoundError:
        raise ArtefactIntegrityError(f"{path}: no {MANIFEST}, not a model artefact") from None
    except (ValueError, KeyError, TypeError):
        raise ArtefactIntegrityError(f"{path}: {MANIFEST} is unreadable") from None
    if artefact_format != ARTEFACT_FORMAT:
        raise IncompatibleEnvironmentError(
            f"{path}: artefact format {artefact_format}, this code reads format {ARTEFACT_FORMAT}; retrain it"
        )
    missing = sorted(set(ARTEFACT_FILES) - set(files))
    if missing:
        raise ArtefactIntegrityError(f"{path}: the manifest does not list {', '.join(missing)}")
    unexpected = sorted({entry.name for entry in path.iterdir()} - set(files) - {MANIFEST})
    if unexpected:
        raise ArtefactIntegrityError(f"{path}: unexpected file(s) {', '.join(unexpected)}")
    for name, digest in files.items():
        try:
            actual = _sha256((path / name).read_bytes())
        except (FileNotFoundError, IsADirectoryError):
            raise ArtefactIntegrityError(f"{path}: {name} is missing") from None
        if actual != digest:
            raise ArtefactIntegrityError(
                f"{path}: {name} was modified (SHA-256 {actual[:12]}…, manifest {digest[:12]}…)"
            )
    version = artefact_digest(files)
    if version != claimed:
        raise ArtefactIntegrityError(f"{path}: the manifest's artefact hash was modified")
    return version


def verify_artefact(path: Path) -> str:
    """Check every file of the artefact at ``path`` against its manifest; its version."""
    return _verified_version(Path(path))


def load_artefact(path: Path) -> ScoringModel:
    """Verify and load the artefact at ``path``.

    Raises :class:`ArtefactIntegrityError` if any file differs from the
    manifest, is missing or was added, or if it is not a model artefact.
    """
    path = Path(path)
    if not path.is_dir():
        raise ArtefactIntegrityError(f"{path}: no artefact folder here")
    version = _verified_version(path)
    refusals, drifts = incompatibilities(
        json.loads((path / "environment.json").read_text()), current_environment()
    )
    if refusals:
        raise IncompatibleEnvironmentError(
            f"{path}: trained under other major versions ({'; '.join(refusals)}); retrain it"
        )
    if drifts:
        warnings.warn(
            f"{path}: library versions differ from training ({'; '.join(drifts)}); revalidate it",
            EnvironmentDriftWarning,
            stacklevel=2,
        )
    bundle = joblib.load(path / MODEL_FILE)
    decision = json.loads((path / "decision.json").read_text())
    training = json.loads((path / "training.json").read_text())
    if tuple(bundle["explainer"].feature_names) != FEATURE_NAMES:
        raise ArtefactIntegrityError(f"{path}: the model's features are not {FEATURE_NAMES}")
    return ScoringModel(
        version=version,
        name=decision["model"],
        threshold=float(decision["threshold"]),
        grey_zone=tuple(decision["grey_zone"]),
        metrics=json.loads((path / "metrics.json").read_text()),
        model_card=(path / "model_card.md").read_text(),
        trained_at=dt.datetime.fromisoformat(training["trained_at"]),
        explainer=bundle["explainer"],
        calibration=bundle["calibration"],
        reference_values=np.asarray(bundle["reference_values"], dtype=np.float64),
    )


def load_champion(registry_dir: Path) -> ScoringModel:
    """Load the artefact that ``registry_dir/CHAMPION`` names, verified.

    Raises :class:`NoChampionError` when there is no champion (file or
    folder absent), :class:`ArtefactIntegrityError` when it fails a check.
    """
    registry_dir = Path(registry_dir)
    try:
        version = (registry_dir / CHAMPION).read_text().strip()
    except FileNotFoundError:
        raise NoChampionError(
            f"{registry_dir}: no champion model yet; train one with "
            f"`python -m modeling train --out {registry_dir}`"
        ) from None
    if not _VERSION_PATTERN.fullmatch(version):
        raise ArtefactIntegrityError(f"{registry_dir / CHAMPION}: does not hold a model version")
    if not (registry_dir / version).is_dir():
        raise NoChampionError(f"{registry_dir}: champion {version[:12]}… is not in the registry")
    model = load_artefact(registry_dir / version)
    if model.version != version:
        raise ArtefactIntegrityError(
            f"{registry_dir / version}: content hash {model.version[:12]}… is not its version"
        )
    return model


def promote(registry_dir: Path, version: str) -> None:
    """Make ``version`` the champion, after verifying its artefact loads and
    passes its gates (:class:`~modeling.validation.GateError` otherwise)."""
    registry_dir = Path(registry_dir)
    model = load_artefact(registry_dir / version)
    if model.version != version:
        raise ArtefactIntegrityError(f"{registry_dir / version}: content hash is not {version}")
    check_gates(model.explainer.log_odds, model.metrics["gates"], model.metrics["feature_quantiles"])
    pointer = registry_dir / f".{CHAMPION}.tmp"
    pointer.write_text(version + "\n")
    os.replace(pointer, registry_dir / CHAMPION)


def hyperparameters(pipeline) -> dict:
    """The fitted model's parameters that JSON can hold (its estimator's
    ``get_params``), for the artefact's record."""
    plain = (bool, int, float, str, list, tuple, dict, type(None))
    return {key: value for key, value in pipeline[-1].get_params().items() if isinstance(value, plain)}


def price_of_age_bound(evaluation: Evaluation, champion: CandidateResult) -> dict:
    """The champion's family with and without the age bound, on the same
    split: test ROC AUC, expected cost and age-alone share of refusals."""
    # The thread limit of evaluate_candidates: histogram boosting's unbounded
    # OpenMP took 25 s instead of 2.5 s on 3,000 clients on a busy machine.
    with threadpool_limits(limits=TRAINING_THREADS):
        unbounded = evaluate_candidate(
            champion.name,
            evaluation.X_train,
            evaluation.y_train,
            evaluation.X_test,
            evaluation.y_test,
            evaluation.folds,
            evaluation.seed,
            evaluation.costs,
            bound_age=False,
        )

    def row(result: CandidateResult) -> dict:
        age_alone = age_alone_refusals(
            result.model.probability,
            evaluation.X_test,
            result.threshold,
            float(evaluation.X_train["age"].median()),
        )
        return {
            "test_roc_auc": result.test_metrics["roc_auc"],
            "test_expected_cost": result.test_metrics["expected_cost"],
            "cv_expected_cost": result.cv_cost_mean,
            "age_alone_refusal_share": age_alone["share"],
        }

    return {"bounded": row(champion), "unbounded": row(unbounded), "limit": AGE_ALONE_REFUSAL_LIMIT}


def _documents(
    evaluation: Evaluation, eligible: list[str], training: dict, age_bound: dict | None
) -> dict[str, bytes]:
    """Every file of the artefact for the evaluated champion, as bytes."""
    champion = evaluation.results[evaluation.champion]
    explainer = make_explainer(champion.model.pipeline, evaluation.X_train)
    reference_values = evaluation.X_train.median().to_numpy(dtype=np.float64)
    test_explanation = explain_array(
        explainer, champion.model.calibration, feature_matrix(evaluation.X_test), reference_values
    )
    decision = {
        "model": champion.name,
        "threshold": champion.threshold,
        "theoretical_threshold": evaluation.costs.theoretical_threshold,
        "grey_zone": list(champion.grey_zone),
        "costs": asdict(evaluation.costs),
        "cost_sources": COST_SOURCES,
        "grey_zone_quantiles": list(GREY_ZONE_QUANTILES),
        "rule": "refuse when probability >= threshold; human review when grey_zone[0] <= "
        "probability <= grey_zone[1]",
    }
    y_train = evaluation.y_train
    metrics = {
        "champion": champion.name,
        "eligible_candidates": eligible,
        "costs": asdict(evaluation.costs),
        "candidates": [result.summary() for result in evaluation.results.values()],
        "test": champion.test_metrics,
        "calibration": {
            "method": champion.model.calibration.method,
            "slope": champion.model.calibration.slope,
            "intercept": champion.model.calibration.intercept,
        },
        "base": {
            "log_odds": test_explanation.base_value,
            "probability_at_mean_log_odds": test_explanation.base_probability,
            "mean_predicted_probability": float(np.mean(champion.oof_probability)),
        },
        "calibration_by_age": age_bands(
            evaluation.y_test, champion.test_probability, evaluation.X_test["age"].to_numpy()
        ),
        "gates": champion.gates,
        "feature_quantiles": feature_quantiles(evaluation.X_train),
        "age_bound": age_bound,
        "cost_sensitivity": sensitivity(y_train, champion.oof_probability, training["seed"]),
        "global_importance": global_importance(test_explanation),
        "cost_curve": cost_curve_points(champion.cv_cost_curve),
        "logit_summary": logit_summary(evaluation),
    }
    environment = current_environment()
    bundle = io.BytesIO()
    joblib.dump(
        {
            "explainer": explainer,
            "calibration": champion.model.calibration,
            "reference_values": reference_values,
        },
        bundle,
    )
    return {
        MODEL_FILE: bundle.getvalue(),
        "feature_spec.json": _json(_feature_spec()),
        "metrics.json": _json(metrics),
        "decision.json": _json(decision),
        "training.json": _json(training),
        "environment.json": _json(environment),
        "model_card.md": render_model_card(evaluation, metrics, decision, training, environment).encode(),
        **monitoring_documents(evaluation, _json),
    }


def train(
    out_dir: Path,
    data: pd.DataFrame | None = None,
    *,
    rows: int = DEFAULT_ROWS,
    seed: int = 0,
    candidates: Sequence[str] | None = None,
    folds: int = DEFAULT_FOLDS,
    cost_fn: float = COST_MISSED_DEFAULT,
    cost_fp: float = COST_REFUSED_GOOD_CLIENT,
    on_progress: Callable[[str], None] = lambda message: None,
) -> Path:
    """Evaluate the candidates, write the explainable champion as a new
    artefact under ``out_dir`` and mark it champion; returns its folder.

    ``data``: the five features and a 0/1 ``defaulted`` column; by default a
    synthetic portfolio of ``rows`` clients from ``seed``. ``cost_fn`` /
    ``cost_fp``: cost of a missed default / of a wrongly refused good client.
    """
    started = time.perf_counter()
    names = candidate_names(candidates)
    eligible = explainable_names(names)
    source = "provided data frame"
    if data is None:
        on_progress(f"generating {rows} synthetic clients (seed {seed})")
        data = generate_portfolio(rows, seed)
        source = f"synthetic portfolio, generate_portfolio(n_rows={rows}, seed={seed})"
    frame = application_training_frame(data)
    dated = APPLICATION_DATE in frame.columns
    evaluation = evaluate_candidates(
        frame[list(FEATURE_NAMES)],
        frame[TARGET].to_numpy(),
        names,
        folds=folds,
        seed=seed,
        costs=Costs(cost_fn, cost_fp),
        dates=frame[APPLICATION_DATE].to_numpy() if dated else None,
        eligible=lambda name: name in eligible,
        on_progress=on_progress,
    )
    on_progress(f"champion: {evaluation.champion}; writing the artefact")
    training = {
        "source": source,
        "data_sha256": data_digest(frame),
        "rows": len(frame),
        "default_rate": float(frame[TARGET].mean()),
        "train_rows": len(evaluation.X_train),
        "test_rows": len(evaluation.X_test),
        "test_split": "out-of-time: the latest applications" if dated else "stratified at random",
        "folds": folds,
        "seed": seed,
        "trained_at": dt.datetime.now(dt.UTC).isoformat(),
        "training_seconds": time.perf_counter() - started,
    }
    champion = evaluation.results[evaluation.champion]
    training["git_commit"] = git_commit()
    training["hyperparameters"] = hyperparameters(champion.model.pipeline)
    age_bound = None
    if champion.gates is not None and champion.name != "baseline":
        on_progress(f"measuring the price of the age bound ({champion.name} without it)")
        age_bound = price_of_age_bound(evaluation, champion)
    artefact = write_artefact(out_dir, _documents(evaluation, eligible, training, age_bound))
    promote(out_dir, artefact.name)
    on_progress(f"artefact {artefact} is the champion")
    return artefact
