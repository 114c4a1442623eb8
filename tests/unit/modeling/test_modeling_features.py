"""The feature spec and ``validate_features`` (the scoring contract's checks)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from modeling.features import (
    FEATURE_NAMES,
    FEATURES,
    FEATURES_BY_NAME,
    MIN_WORKING_AGE,
    validate_features,
    what_if_range,
)

VALID = {
    "age": 40,
    "income": 32_000.0,
    "seniority": 10.5,
    "payment_incidents": 0,
    "credit_score": 720,
}


def test_the_five_features_in_order():
    assert FEATURE_NAMES == ("age", "income", "seniority", "payment_incidents", "credit_score")
    assert list(FEATURES_BY_NAME) == list(FEATURE_NAMES)


def test_spec_values():
    age = FEATURES_BY_NAME["age"]
    assert (age.kind, age.minimum, age.maximum) == (int, 18, 120)
    assert age.immutable and not age.actionable and age.risk_direction == -1
    assert FEATURES_BY_NAME["income"].kind is float
    assert FEATURES_BY_NAME["credit_score"].minimum == 300
    assert FEATURES_BY_NAME["credit_score"].maximum == 850
    assert {f.name for f in FEATURES if f.critical} == {
        "income",
        "payment_incidents",
        "credit_score",
    }
    assert MIN_WORKING_AGE == 14
    for feature in FEATURES:
        assert feature.minimum < feature.maximum
        assert feature.risk_direction in (-1, 0, 1)
        assert 0 < feature.step < feature.maximum - feature.minimum
        for text in (
            feature.label_fr,
            feature.label_en,
            feature.unit_fr,
            feature.unit_en,
            feature.description_fr,
            feature.description_en,
        ):
            assert text.strip()


def test_valid_values_have_no_problem():
    assert validate_features(VALID) == []
    assert validate_features({**VALID, "age": 120, "seniority": 106.0}) == []
    assert validate_features({**VALID, "age": 18.0, "seniority": 4}) == []  # integral float, int
    numpy_values = {
        "age": np.int64(40),
        "income": np.float32(32_000),
        "seniority": np.float64(3),
        "payment_incidents": np.int32(1),
        "credit_score": np.int16(700),
    }
    assert validate_features(numpy_values) == []


@pytest.mark.parametrize(
    ("change", "field", "reason_part"),
    [
        ({"age": None}, "age", "must be a number"),
        ({"age": "40"}, "age", "must be a number"),
        ({"age": True}, "age", "must be a number"),
        ({"payment_incidents": np.bool_(False)}, "payment_incidents", "must be a number"),
        ({"age": 40.5}, "age", "whole number"),
        ({"credit_score": 700.2}, "credit_score", "whole number"),
        ({"income": math.nan}, "income", "finite"),
        ({"income": math.inf}, "income", "finite"),
        ({"income": -1.0}, "income", "between 0 and 10,000,000"),
        ({"income": 10_000_001.0}, "income", "between"),
        ({"age": 17}, "age", "between 18 and 120"),
        ({"age": 121}, "age", "between"),
        ({"seniority": -0.5}, "seniority", "between"),
        ({"payment_incidents": 51}, "payment_incidents", "between 0 and 50"),
        ({"credit_score": 299}, "credit_score", "between 300 and 850"),
        ({"credit_score": 851}, "credit_score", "between"),
        ({"age": 30, "seniority": 16.5}, "seniority", "age - 14"),
        ({"name": "Dupont"}, "name", "not a known feature"),
    ],
)
def test_bad_values_are_reported(change, field, reason_part):
    problems = validate_features({**VALID, **change})
    assert [f for f, _ in problems] == [field], problems
    assert reason_part in problems[0][1]


def test_missing_features_and_every_problem_reported():
    problems = validate_features({"age": 15, "income": "a lot", "iban": "FR76..."})
    assert sorted(field for field, _ in problems) == sorted(
        ["age", "income", "seniority", "payment_incidents", "credit_score", "iban"]
    )
    assert ("seniority", "is missing") in problems


def test_cross_rule_at_the_boundary():
    assert validate_features({**VALID, "age": 30, "seniority": 16.0}) == []


def test_what_if_ranges_are_usable_and_never_leave_the_valid_range():
    client = {"age": 30, "income": 20_000.0, "seniority": 3.0, "payment_incidents": 8, "credit_score": 600}
    assert what_if_range("income", client) == (0, 150_000)  # the span's floor
    assert what_if_range("income", client | {"income": 100_000.0}) == (0, 300_000)  # 3x the client's
    assert what_if_range("payment_incidents", client) == (0, 16)
    assert what_if_range("payment_incidents", client | {"payment_incidents": 40}) == (0, 50)  # the spec's max
    assert what_if_range("seniority", client) == (0, 30 - MIN_WORKING_AGE)
    assert what_if_range("credit_score", client) == (300, 850)
