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
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from modeling.calibration import CalibratedModel
from modeling.evaluation import CandidateResult, Evaluation
from modeling.features import FEATURE_NAMES
from modeling.monitoring import STABILITY_BINS, reference_bins

REFERENCE_FILE = "monitoring_reference.json"
CHALLENGER_FILE = "challenger.joblib"
GLOBAL_EXPLANATION_FILE = "global_explanation.json"
MONITORING_FILES = (REFERENCE_FILE, CHALLENGER_FILE, GLOBAL_EXPLANATION_FILE)
"""Optional artefact files: the reference always, the others when they exist."""


@dataclass
class Challenger:
    """The challenger model stored beside a champion (``champion_version``)."""

    name: str
    champion_version: str
    model: CalibratedModel

    def predict_proba_array(self, X: np.ndarray) -> np.ndarray:
        """Calibrated probability of default (n,) for floats (n, 5) in ``FEATURE_NAMES`` order."""
        return self.model.probability(pd.DataFrame(X, columns=list(FEATURE_NAMES)))


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
