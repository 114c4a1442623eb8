"""Counterfactual options: every option, applied and rescored by the app's
scoring service, is eligible; options follow the realism rules; a
single-feature option is the smallest step on its lattice."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeling.counterfactuals import MAX_CHANGED, MAX_OPTIONS, Change, Option, counterfactuals, respects_rules
from modeling.features import FEATURES_BY_NAME, MIN_WORKING_AGE
from neobank_dashboard.db.models import Recommendation
from neobank_dashboard.services.counterfactuals import eligibility_rule, options_for_values
from neobank_dashboard.services.scoring import score_features


def _range(name: str, top: float | None = None):
    feature = FEATURES_BY_NAME[name]
    return feature.minimum, feature.maximum if top is None else top


@st.composite
def clients(draw):
    age = draw(st.integers(*_range("age", 80)))
    return {
        "age": age,
        "income": float(draw(st.integers(0, 150_000))),
        "seniority": draw(st.integers(0, 2 * (age - MIN_WORKING_AGE))) / 2,
        "payment_incidents": draw(st.integers(*_range("payment_incidents", 12))),
        "credit_score": draw(st.integers(*_range("credit_score"))),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(client=clients())
def test_every_option_rescored_is_eligible_and_realistic(scoring_model, client):
    options = options_for_values(scoring_model, client)
    assert len(options) <= MAX_OPTIONS
    assert len({frozenset(c.feature for c in o.changes) for o in options}) == len(options)
    for option in options:
        assert option.recommendation == Recommendation.eligible
        assert respects_rules(client, Option(option.changes, option.probability, 0.0)) == []
        assert all(change.feature != "age" for change in option.changes)
        rescored = score_features(client | {c.feature: c.to for c in option.changes}, model=scoring_model)
        assert rescored.recommendation == Recommendation.eligible
        assert rescored.probability == pytest.approx(option.probability, abs=1e-12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(client=clients())
def test_a_single_change_is_the_smallest_step_that_works(scoring_model, client):
    rule = eligibility_rule(scoring_model)
    for option in counterfactuals(scoring_model, client, rule):
        if len(option.changes) != 1:
            continue
        (change,) = option.changes
        feature = FEATURES_BY_NAME[change.feature]
        one_step_back = change.to + feature.risk_direction * feature.change_step
        moved_back = (one_step_back - change.before) * -feature.risk_direction
        if moved_back > 0:
            row = {**client, change.feature: one_step_back}
            p = scoring_model.predict_proba_array(np.array([[row[name] for name in client]]))
            assert not rule(p)[0]


def test_an_eligible_client_needs_no_change(scoring_model):
    good = {"age": 41, "income": 60_000.0, "seniority": 10.0, "payment_incidents": 0, "credit_score": 800}
    assert score_features(good, model=scoring_model).recommendation == Recommendation.eligible
    assert options_for_values(scoring_model, good) == []


def test_the_rules_catch_unrealistic_options():
    client = {"age": 20, "income": 20_000.0, "seniority": 1.0, "payment_incidents": 3, "credit_score": 600}
    cases = {
        "age is not actionable": [Change("age", 20, 30)],
        "payment_incidents moves against": [Change("payment_incidents", 3, 4)],
        "income does not move in steps": [Change("income", 20_000.0, 20_100.0)],
        "seniority exceeds age": [Change("seniority", 1.0, 7.0)],
        "credit_score leaves its range": [Change("credit_score", 600, 900)],
        f"changes {MAX_CHANGED + 1} features": [
            Change("income", 20_000.0, 20_500.0),
            Change("payment_incidents", 3, 2),
            Change("credit_score", 600, 610),
        ],
    }
    for expected, changes in cases.items():
        problems = respects_rules(client, Option(tuple(changes), 0.05, 1.0))
        assert any(expected in problem for problem in problems), (expected, problems)
