"""What training leaves in the champion's artefact for post-market monitoring.

- ``monitoring_reference.json``: the training distribution of the champion's
  probability and of each feature, in :func:`modeling.monitoring.reference_bins`
  form, that the report's PSI/CSI compare a window with;
- ``challenger.joblib``: the best other candidate of the same training (lowest
  cross-validated expected cost; the constant baseline never), which scores
  every request in shadow. Any candidate can be the challenger: only its
  probability is used, never an explanation;
- ``global_explanation.json``: shap summary and dependence data
  (:mod:`modeling.global_explain`), when the champion is a tree model.

The files are listed in the manifest, so the artefact's hash (the champion's
version) covers them; an artefact trained before they existed loads as
before and simply has no reference or challenger.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.pipeline import Pipeline
from xgboost import XGBClassifier

from modeling.calibration import CalibratedModel, to_log_odds
from modeling.evaluation import CandidateResult, Evaluation
from modeling.fast_transform import compile_transform
from modeling.features import FEATURE_NAMES
from modeling.monitoring import STABILITY_BINS, reference_bins
from modeling.preprocessing import ColumnRange

REFERENCE_FILE = "monitoring_reference.json"
CHALLENGER_FILE = "challenger.joblib"
GLOBAL_EXPLANATION_FILE = "global_explanation.json"
MONITORING_FILES = (REFERENCE_FILE, CHALLENGER_FILE, GLOBAL_EXPLANATION_FILE)
"""Optional artefact files: the reference always, the others when they exist."""


@dataclass
class Challenger:
    """The challenger model stored beside a champion (``champion_version``).

    It scores every stored score in shadow, inside the group commit's transaction:
    through scikit-learn that costs milliseconds of data-frame handling and
    validation per call (and XGBoost's OpenMP threads stall on a busy machine), so
    the fitted model is called directly where the arithmetic is the same
    (:func:`direct_log_odds`); any other pipeline goes through scikit-learn.
    """

    name: str
    champion_version: str
    model: CalibratedModel
    _raw_log_odds: Callable[[np.ndarray], np.ndarray] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._raw_log_odds = direct_log_odds(self.model.pipeline)

    def predict_proba_array(self, X: np.ndarray) -> np.ndarray:
        """Calibrated probability of default (n,) for floats (n, 5) in ``FEATURE_NAMES`` order."""
        if self._raw_log_odds is None:
            return self.model.probability(pd.DataFrame(X, columns=list(FEATURE_NAMES)))
        return expit(self.model.calibration(self._raw_log_odds(np.asarray(X, dtype=np.float64))))


def direct_log_odds(pipeline: Pipeline) -> Callable[[np.ndarray], np.ndarray] | None:
    """The pipeline's raw log-odds (what :func:`~modeling.calibration.predicted_log_odds`
    returns) for floats (n, 5) in ``FEATURE_NAMES`` order, without scikit-learn:

    - XGBoost behind ``passthrough`` or a :class:`ColumnRange`: the clip, then the
      booster's own ``inplace_predict`` on one thread, its float32 probability turned
      into log-odds as scikit-learn's path does (the same numbers);
    - a linear model behind a compilable preprocessing
      (:func:`~modeling.fast_transform.compile_transform`): the transform, then ``coef_``.

    None for anything else."""
    *steps, model = [step for _, step in pipeline.steps]
    if isinstance(model, XGBClassifier) and len(steps) == 1:
        prepare = steps[0]
        bounds: tuple[np.ndarray, np.ndarray] | None
        if isinstance(prepare, ColumnRange):
            bounds = (prepare.lower_, prepare.upper_)
        elif prepare == "passthrough":
            bounds = None
        else:
            return None
        booster = model.get_booster().copy()
        if tuple(booster.feature_names or FEATURE_NAMES) != FEATURE_NAMES:
            return None
        booster.set_param({"nthread": 1})

        def tree(X: np.ndarray) -> np.ndarray:
            if bounds is not None:
                X = np.clip(X, *bounds)
            # Columns are in FEATURE_NAMES order by contract: no name check.
            return to_log_odds(booster.inplace_predict(X, validate_features=False))

        return tree
    if hasattr(model, "coef_") and hasattr(model, "decision_function") and steps:
        transform = compile_transform(pipeline[:-1], FEATURE_NAMES)
        if transform is None or np.ravel(model.coef_).shape != (transform.source.shape[0],):
            return None
        coef, intercept = np.ravel(model.coef_).astype(np.float64), float(np.ravel(model.intercept_)[0])
        return lambda X: transform(X) @ coef + intercept
    return None


def challenger_of(evaluation: Evaluation) -> CandidateResult | None:
    """The best candidate other than the champion and the baseline, or None."""
    others = [
        result for name, result in evaluation.results.items() if name not in (evaluation.champion, "baseline")
    ]
    return min(others, key=lambda result: result.cv_cost_mean, default=None)


def monitoring_documents(evaluation: Evaluation, to_json: Callable[[object], bytes]) -> dict[str, bytes]:
    """The artefact files of the module docstring, as bytes."""
    from modeling.global_explain import NotTreeModelError, global_explanation

    champion = evaluation.results[evaluation.champion]
    X_train = evaluation.X_train
    reference = {
        "rows": len(X_train),
        "bins": STABILITY_BINS,
        "score": reference_bins(champion.model.probability(X_train)),
        "features": {name: reference_bins(X_train[name].to_numpy()) for name in FEATURE_NAMES},
    }
    documents = {REFERENCE_FILE: to_json(reference)}
    challenger = challenger_of(evaluation)
    if challenger is not None:
        bundle = io.BytesIO()
        joblib.dump({"name": challenger.name, "model": challenger.model}, bundle)
        documents[CHALLENGER_FILE] = bundle.getvalue()
    try:
        documents[GLOBAL_EXPLANATION_FILE] = to_json(global_explanation(champion.model.pipeline, X_train))
    except NotTreeModelError:
        pass  # a linear champion's global view is its coefficients (metrics.json)
    return documents


def _verified(artefact_dir: Path, name: str) -> Path | None:
    from modeling.registry import verify_artefact

    artefact_dir = Path(artefact_dir)
    verify_artefact(artefact_dir)
    path = artefact_dir / name
    return path if path.is_file() else None


def load_reference(artefact_dir: Path) -> dict | None:
    """The training reference bins of the artefact (verified first), or None."""
    path = _verified(artefact_dir, REFERENCE_FILE)
    return json.loads(path.read_text()) if path else None


def load_global_explanation(artefact_dir: Path) -> dict | None:
    """The shap summary and dependence data of the artefact, or None."""
    path = _verified(artefact_dir, GLOBAL_EXPLANATION_FILE)
    return json.loads(path.read_text()) if path else None


def load_challenger(artefact_dir: Path) -> Challenger | None:
    """The challenger stored with the artefact (verified first), or None."""
    path = _verified(artefact_dir, CHALLENGER_FILE)
    if path is None:
        return None
    bundle = joblib.load(path)
    return Challenger(bundle["name"], Path(artefact_dir).name, bundle["model"])
