"""A histogram gradient boosting champion, trained, written, loaded and served:
the scoring service explains it exactly, its global view and counterfactuals
work, and loading the artefact needs no network."""

from __future__ import annotations

import socket

import joblib
import numpy as np
import pytest
from scipy.special import logit

from modeling.challenger import load_global_explanation
from modeling.explain_shap import ShapTreeExplainer
from modeling.features import FEATURE_NAMES
from modeling.registry import MODEL_FILE, load_champion, train
from neobank_dashboard.db.models import Recommendation
from neobank_dashboard.services import scoring
from neobank_dashboard.services.counterfactuals import options_for_values
from neobank_dashboard.settings import get_settings
from tests.support.factories import valid_features

RISKY = {"age": 23, "income": 9000.0, "seniority": 0.0, "payment_incidents": 6, "credit_score": 420}


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    registry = tmp_path_factory.mktemp("hist-registry")
    train(registry, rows=3_000, seed=1, candidates=["hist_gradient_boosting"], folds=3)
    return registry


@pytest.fixture
def served(registry, monkeypatch):
    """The scoring service serves the registry's champion, loaded with the
    network closed: the artefact must not fetch anything."""

    def no_network(*args, **kwargs):
        raise AssertionError("loading the model opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setenv("NEOBANK_MODEL_DIR", str(registry))
    monkeypatch.delenv("SCORING_MODE", raising=False)
    get_settings.cache_clear()
    status = scoring.load_model()
    assert status.model_loaded, status.problem
    yield scoring.get_service().model()
    get_settings.cache_clear()


def test_the_served_champion_explains_a_client_exactly(served, registry):
    assert served.name == "hist_gradient_boosting"
    assert isinstance(served.explainer, ShapTreeExplainer)
    assert served.calibration.method in ("identity", "platt")
    result = scoring.score_features(RISKY)
    row = np.array([[RISKY[name] for name in FEATURE_NAMES]], dtype=np.float64)
    assert result.probability == pytest.approx(float(served.predict_proba_array(row)[0]))
    log_odds = result.base_value + sum(result.contributions_log_odds.values())
    assert log_odds == pytest.approx(logit(result.probability), abs=1e-9)
    points = result.base_probability + sum(result.contributions_points.values())
    assert points == pytest.approx(result.probability, abs=1e-12)
    assert set(result.contributions_log_odds) == set(FEATURE_NAMES)
    assert result.reasons and result.reasons[0].direction == "raises"


def test_the_explainer_is_in_the_artefact_and_loads_with_joblib(registry):
    champion = load_champion(registry)
    bundle = joblib.load(registry / champion.version / MODEL_FILE)
    explainer = bundle["explainer"]
    assert isinstance(explainer, ShapTreeExplainer)
    rows = np.array([[float(valid_features()[name]) for name in FEATURE_NAMES], list(RISKY.values())])
    reloaded, fresh = explainer.decompose(rows), champion.explainer.decompose(rows)
    assert reloaded[1] == fresh[1]
    assert (reloaded[0] == fresh[0]).all() and (reloaded[2] == fresh[2]).all()


def test_global_view_and_counterfactuals_work_for_this_champion(served, registry):
    view = load_global_explanation(registry / served.version)
    assert view is not None and view["space"] == "raw log-odds"
    assert {entry["feature"] for entry in view["summary"]} == set(FEATURE_NAMES)
    options = options_for_values(served, RISKY)
    assert options, "a risky client gets at least one way to become eligible"
    for option in options:
        assert option.recommendation == Recommendation.eligible
        rescored = scoring.score_features(RISKY | {c.feature: c.to for c in option.changes}, model=served)
        assert rescored.recommendation == Recommendation.eligible
