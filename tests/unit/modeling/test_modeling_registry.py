"""Artefacts: what train writes, what load verifies, what the app gets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
import time

import numpy as np
import pytest
from scipy.special import logit

import modeling
from modeling.challenger import MONITORING_FILES, REFERENCE_FILE
from modeling.constants import COST_REVIEW
from modeling.environment import EnvironmentDriftWarning
from modeling.errors import CandidateError
from modeling.features import FEATURE_NAMES
from modeling.pipelines import CANDIDATES
from modeling.reasons import reasons
from modeling.registry import (
    ARTEFACT_FILES,
    CHAMPION,
    MANIFEST,
    ArtefactIntegrityError,
    IncompatibleEnvironmentError,
    NoChampionError,
    artefact_digest,
    load_artefact,
    load_champion,
    promote,
    train,
    write_artefact,
)
from modeling.synthetic import generate_portfolio
from modeling.validation import GateError, check_gates

CLIENTS = generate_portfolio(50, seed=99)


@pytest.fixture
def registry_copy(trained_registry, tmp_path):
    """A private copy of the trained registry that a test may damage."""
    copy = tmp_path / "registry"
    shutil.copytree(trained_registry, copy)
    return copy


def _champion_dir(registry):
    return registry / (registry / CHAMPION).read_text().strip()


def test_train_writes_a_complete_hashed_artefact(trained_registry):
    artefact = _champion_dir(trained_registry)
    names = {p.name for p in artefact.iterdir()}
    assert names - set(MONITORING_FILES) == {*ARTEFACT_FILES, MANIFEST} and REFERENCE_FILE in names
    manifest = json.loads((artefact / MANIFEST).read_text())
    assert manifest["artefact_sha256"] == artefact.name == artefact_digest(manifest["files"])
    training = json.loads((artefact / "training.json").read_text())
    assert len(training["data_sha256"]) == 64 and training["rows"] == 4_000
    environment = json.loads((artefact / "environment.json").read_text())
    assert {"numpy", "sklearn", "xgboost", "statsmodels", "shap"} <= set(environment["libraries"])
    spec = json.loads((artefact / "feature_spec.json").read_text())
    assert [feature["name"] for feature in spec] == list(FEATURE_NAMES)


@pytest.fixture(params=["trained_registry", "xgboost_registry"])
def champion(request) -> modeling.ScoringModel:
    """The champion of the three-candidate registry, then an XGBoost champion."""
    return modeling.load_champion(request.getfixturevalue(request.param))


def test_the_scoring_model_the_app_uses(champion):
    model = champion
    assert isinstance(model, modeling.ScoringModel)
    assert len(model.version) == 64
    assert model.grey_zone[0] <= model.threshold <= model.grey_zone[1]
    assert model.trained_at.tzinfo is not None and model.trained_at.utcoffset() == dt.timedelta(0)
    assert model.metrics["champion"] == model.name
    assert "# Model card" in model.model_card and "## Limitations" in model.model_card

    probability = model.predict_proba(CLIENTS)
    assert probability.shape == (50,) and np.all((probability > 0) & (probability < 1))
    explanation = model.explain(CLIENTS)
    np.testing.assert_array_equal(explanation.probability, probability)
    np.testing.assert_allclose(
        explanation.base_value + explanation.contributions_log_odds.sum(axis=1),
        logit(probability),
        rtol=0,
        atol=1e-9,
    )
    np.testing.assert_allclose(
        explanation.base_probability + explanation.contributions_points.sum(axis=1),
        probability,
        rtol=0,
        atol=1e-12,
    )
    shuffled = CLIENTS[list(reversed(FEATURE_NAMES))]  # column order does not matter
    np.testing.assert_array_equal(model.predict_proba(shuffled), probability)
    one = CLIENTS[list(FEATURE_NAMES)].to_numpy(float)[:1]
    np.testing.assert_array_equal(model.explain_array(one).probability, probability[:1])
    top = reasons(explanation, CLIENTS, top=3)
    assert len(top) == 50 and all(len(r) <= 3 for r in top)


def test_the_comparison_the_model_page_shows(trained_registry):
    model = load_champion(trained_registry)
    assert model.name in ("baseline", "logit", "xgboost")
    assert {c["name"] for c in model.metrics["candidates"]} == {"baseline", "logit", "xgboost"}
    assert model.metrics["logit_summary"][0]["parameter"] == "const"
    assert set(model.metrics["global_importance"]) == set(FEATURE_NAMES)
    assert model.metrics["costs"] == {
        "missed_default": 10.0,
        "refused_good_client": 1.0,
        "review": COST_REVIEW,
    }
    roc = model.metrics["test"]["roc_curve"]
    assert roc["fpr"][0] == 0 and roc["fpr"][-1] == 1 and roc["tpr"][-1] == 1
    assert all(a <= b for a, b in zip(roc["tpr"], roc["tpr"][1:], strict=False))
    assert len(model.metrics["cost_curve"]["threshold"]) == len(model.metrics["cost_curve"]["expected_cost"])


def test_one_client_is_explained_quickly(xgboost_registry):
    model = load_champion(xgboost_registry)
    assert model.name == "xgboost"
    row = CLIENTS[list(FEATURE_NAMES)].to_numpy(float)[:1]
    model.explain_array(row)
    started = time.perf_counter()
    for _ in range(100):
        model.explain_array(row)
    assert (time.perf_counter() - started) / 100 < 0.01  # generous: ~0.5 ms for XGBoost


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda a: (a / "metrics.json").write_text("{}"), "metrics.json was modified"),
        (
            lambda a: (a / "model.joblib").write_bytes((a / "model.joblib").read_bytes() + b"x"),
            "model.joblib was modified",
        ),
        (lambda a: (a / "model_card.md").unlink(), "model_card.md is missing"),
        (lambda a: (a / "extra.py").write_text("print('hi')"), "unexpected file"),
        (lambda a: (a / MANIFEST).write_text("not json"), "manifest.json is unreadable"),
        (lambda a: (a / MANIFEST).unlink(), "no manifest.json"),
    ],
)
def test_a_tampered_artefact_is_refused(registry_copy, damage, message):
    damage(_champion_dir(registry_copy))
    with pytest.raises(ArtefactIntegrityError, match=message):
        load_champion(registry_copy)


def test_a_consistently_rehashed_artefact_is_not_the_champion(registry_copy):
    artefact = _champion_dir(registry_copy)
    (artefact / "decision.json").write_text(
        (artefact / "decision.json").read_text().replace('"threshold": 0.', '"threshold": 0.9')
    )
    manifest = json.loads((artefact / MANIFEST).read_text())
    manifest["files"]["decision.json"] = hashlib.sha256((artefact / "decision.json").read_bytes()).hexdigest()
    manifest["artefact_sha256"] = artefact_digest(manifest["files"])
    (artefact / MANIFEST).write_text(json.dumps(manifest))
    assert load_artefact(artefact).version == manifest["artefact_sha256"]  # self-consistent
    with pytest.raises(ArtefactIntegrityError, match="is not its version"):
        load_champion(registry_copy)


def test_no_champion(tmp_path, registry_copy):
    with pytest.raises(NoChampionError, match="no champion model yet"):
        load_champion(tmp_path / "empty")
    (registry_copy / CHAMPION).write_text("f" * 64)
    with pytest.raises(NoChampionError, match="not in the registry"):
        load_champion(registry_copy)
    (registry_copy / CHAMPION).write_text("../../etc")
    with pytest.raises(ArtefactIntegrityError, match="does not hold a model version"):
        load_champion(registry_copy)
    with pytest.raises(ArtefactIntegrityError, match="no artefact folder"):
        load_artefact(tmp_path / "nowhere")


def test_promote_refuses_a_damaged_artefact(registry_copy):
    artefact = _champion_dir(registry_copy)
    (artefact / "training.json").write_text("{}")
    with pytest.raises(ArtefactIntegrityError):
        promote(registry_copy, artefact.name)


def test_training_data_can_be_given_and_must_be_explainable(tmp_path, monkeypatch):
    data = generate_portfolio(1_500, seed=4).rename(columns={"client_id": "id"})
    artefact = train(tmp_path, data, candidates=["logit"], folds=3, cost_fn=5, cost_fp=1, seed=2)
    decision = json.loads((artefact / "decision.json").read_text())
    assert decision["costs"] == {"missed_default": 5, "refused_good_client": 1, "review": COST_REVIEW}
    assert load_champion(tmp_path).name == "logit"
    # Every candidate is explainable today; one that is not cannot be trained alone.
    monkeypatch.setitem(CANDIDATES, "xgboost", dataclasses.replace(CANDIDATES["xgboost"], explainable=False))
    with pytest.raises(CandidateError, match="must be explainable"):
        train(tmp_path, data, candidates=["xgboost"], folds=3)
    with pytest.raises(ValueError, match="missing: credit_score"):
        train(tmp_path, data.drop(columns=["credit_score"]), candidates=["logit"])


def test_same_seed_same_data_and_metrics(tmp_path, trained_registry):
    again = train(tmp_path, rows=4_000, seed=1, candidates=["baseline", "logit", "xgboost"], folds=3)
    first = json.loads((_champion_dir(trained_registry) / "metrics.json").read_text())
    second = json.loads((again / "metrics.json").read_text())
    for metrics in (first, second):
        for candidate in metrics["candidates"]:
            candidate.pop("fit_seconds"), candidate.pop("cv_seconds")
    assert first == second
    hashes = [
        json.loads((d / "training.json").read_text())["data_sha256"]
        for d in (_champion_dir(trained_registry), again)
    ]
    assert hashes[0] == hashes[1]


def _rewritten(registry, name, change):
    """A consistent copy of the champion's artefact with ``change`` applied to
    the JSON document ``name``: rehashed, so only content checks catch it."""
    artefact = _champion_dir(registry)
    documents = {p.name: p.read_bytes() for p in artefact.iterdir() if p.name != MANIFEST}
    document = json.loads(documents[name])
    change(document)
    documents[name] = json.dumps(document).encode()
    return write_artefact(registry, documents)


def test_promotion_requires_the_gates(registry_copy):
    def fail(metrics):
        metrics["gates"]["passed"] = False
        metrics["gates"]["coefficient_signs"] = ["income: coefficient 0.2 has the wrong sign"]

    failing = _rewritten(registry_copy, "metrics.json", fail)
    with pytest.raises(GateError, match="income: coefficient"):
        promote(registry_copy, failing.name)
    model = load_champion(registry_copy)
    incidents = FEATURE_NAMES.index("payment_incidents")
    with pytest.raises(GateError, match="payment_incidents"):  # fewer incidents, more risk: refused
        check_gates(
            lambda rows: -rows[:, incidents], model.metrics["gates"], model.metrics["feature_quantiles"]
        )
    check_gates(model.explainer.log_odds, model.metrics["gates"], model.metrics["feature_quantiles"])


def test_loading_compares_library_versions(registry_copy):
    def major(environment):
        environment["libraries"]["sklearn"] = "0.24.2"

    with pytest.raises(IncompatibleEnvironmentError, match="sklearn 0.24.2"):
        load_artefact(_rewritten(registry_copy, "environment.json", major))

    def minor(environment):
        environment["libraries"]["pandas"] = "0.0.1"

    with pytest.warns(EnvironmentDriftWarning, match="pandas 0.0.1"):
        load_artefact(_rewritten(registry_copy, "environment.json", minor))


def test_an_older_artefact_format_is_refused(registry_copy):
    """Format 1 explainers lack the portfolio centring: retrain, do not score."""
    artefact = _champion_dir(registry_copy)
    manifest = json.loads((artefact / MANIFEST).read_text())
    (artefact / MANIFEST).write_text(json.dumps({**manifest, "format": 1}))
    with pytest.raises(IncompatibleEnvironmentError, match="artefact format 1"):
        load_artefact(artefact)


def test_the_artefact_records_how_it_was_made(trained_registry):
    artefact = _champion_dir(trained_registry)
    training = json.loads((artefact / "training.json").read_text())
    assert training["git_commit"] is None or len(training["git_commit"].split("+")[0]) == 40
    assert training["hyperparameters"]  # the champion estimator's parameters
    assert training["test_split"].startswith("out-of-time")
    metrics = json.loads((artefact / "metrics.json").read_text())
    assert metrics["gates"]["passed"]
    age = metrics["gates"]["age_alone"]
    assert age["share"] <= age["limit"]
    assert {band["ages"] for band in metrics["calibration_by_age"]} >= {"18-25", "36-50"}
    assert len(metrics["cost_sensitivity"]) == 9
    card = (artefact / "model_card.md").read_text()
    assert "must revalidate this model on its own data" in card and "Age alone decides" in card
