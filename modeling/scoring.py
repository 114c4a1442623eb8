"""The trained model as the web app sees it: scores and their explanations.

A ``ScoringModel`` comes from :func:`modeling.registry.load_artefact` or
:func:`modeling.registry.load_champion`. Inputs are already validated
(:func:`modeling.features.validate_features`). A client whose probability
lies in ``grey_zone`` (inclusive) goes to human review; otherwise the
cost-minimising rule refuses when ``probability >= threshold``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit

from modeling.calibration import LogOddsCalibration
from modeling.explain import Explainer, Explanation, explain_array, feature_matrix


@dataclass
class ScoringModel:
    """A loaded, integrity-checked champion or artefact.

    ``version`` is the artefact's SHA-256 (hex); ``threshold`` and
    ``grey_zone`` are probabilities of default (0-1); ``trained_at`` is UTC.
    """

    version: str
    name: str
    threshold: float
    grey_zone: tuple[float, float]
    metrics: dict
    model_card: str
    trained_at: dt.datetime
    explainer: Explainer = field(repr=False)
    calibration: LogOddsCalibration = field(repr=False)
    reference_values: np.ndarray = field(repr=False)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of default (n,) for the features in ``X``."""
        return self.predict_proba_array(feature_matrix(X))

    def predict_proba_array(self, X: np.ndarray) -> np.ndarray:
        """Same as :meth:`predict_proba` for floats (n, 5) in ``FEATURE_NAMES`` order."""
        return expit(self.calibration(self.explainer.log_odds(X)))

    def explain(self, X: pd.DataFrame) -> Explanation:
        """Probabilities (same numbers as :meth:`predict_proba`) and exact
        contributions for every row of ``X``; vectorised."""
        return self.explain_array(feature_matrix(X))

    def explain_array(self, X: np.ndarray) -> Explanation:
        """Same as :meth:`explain` for floats (n, 5) in ``FEATURE_NAMES``
        order: the fast path for one client (no pandas)."""
        return explain_array(self.explainer, self.calibration, X, self.reference_values)
