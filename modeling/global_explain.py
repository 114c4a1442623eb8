"""Global explanations with ``shap.TreeExplainer``: summary and dependence data.

Computed once at training on a sample of the training clients
(:data:`SAMPLE_ROWS`) and stored in the artefact
(:data:`modeling.challenger.GLOBAL_EXPLANATION_FILE`), so the model page reads
a file instead of running shap in a web request.

Values are in the model's raw log-odds (before calibration), the space in
which TreeSHAP is exact and additive; for XGBoost they are the same numbers
as the per-client contributions the app serves (``pred_contribs``, a test
checks it). Any tree candidate works, the histogram gradient boosting one
included, so the global view does not depend on which candidate wins.

- ``summary``: per feature, the mean absolute SHAP value (the ranking) and,
  per sampled client, the feature's value and SHAP value (a beeswarm plot);
- ``dependence``: per feature, its SHAP value against its value, coloured by
  the feature it interacts with most (largest mean absolute SHAP interaction
  value), with the interaction values themselves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline
from xgboost import XGBClassifier

SAMPLE_ROWS = 500
TREE_MODELS = (XGBClassifier, HistGradientBoostingClassifier)


class NotTreeModelError(TypeError):
    """shap's TreeExplainer needs a tree model fed the features as they are."""


def tree_explainer(pipeline: Pipeline):
    """``shap.TreeExplainer`` of a fitted tree candidate (raw log-odds output)."""
    import shap

    model = pipeline[-1]
    if not isinstance(model, TREE_MODELS) or pipeline[0] != "passthrough":
        raise NotTreeModelError(f"no TreeSHAP for {type(model).__name__} behind preprocessing")
    return shap.TreeExplainer(model)


def _rounded(values: np.ndarray) -> list:
    return np.round(values.astype(np.float64), 6).tolist()


def global_explanation(pipeline: Pipeline, X: pd.DataFrame, rows: int = SAMPLE_ROWS, seed: int = 0) -> dict:
    """Summary and dependence data (module docstring) on ``rows`` clients of ``X``."""
    explainer = tree_explainer(pipeline)
    sample = X.sample(min(rows, len(X)), random_state=seed)
    names = list(sample.columns)
    shap_values = np.asarray(explainer.shap_values(sample), dtype=np.float64)
    interactions = np.asarray(explainer.shap_interaction_values(sample), dtype=np.float64)
    strength = np.abs(interactions).mean(axis=0)
    np.fill_diagonal(strength, -np.inf)
    values = sample.to_numpy(dtype=np.float64)
    importance = np.abs(shap_values).mean(axis=0)
    return {
        "space": "raw log-odds",
        "rows": len(sample),
        "base_value": float(np.ravel(explainer.expected_value)[0]),
        "summary": [
            {
                "feature": names[i],
                "mean_abs_shap": float(importance[i]),
                "values": _rounded(values[:, i]),
                "shap": _rounded(shap_values[:, i]),
            }
            for i in np.argsort(-importance)
        ],
        "dependence": [
            {
                "feature": name,
                "interacts_with": names[int(np.argmax(strength[i]))],
                "mean_abs_interaction": float(strength[i].max()),
                "values": _rounded(values[:, i]),
                "shap": _rounded(shap_values[:, i]),
                "colour_values": _rounded(values[:, int(np.argmax(strength[i]))]),
                "interaction": _rounded(2 * interactions[:, i, int(np.argmax(strength[i]))]),
            }
            for i, name in enumerate(names)
        ],
    }
