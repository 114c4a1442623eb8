"""The synthetic portfolio: reproducible, valid, realistic, documented effects."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pandas as pd

from modeling.features import FEATURE_NAMES, FEATURES, FEATURES_BY_NAME, STALE_AFTER_DAYS
from modeling.synthetic import (
    AGE_YOUNG_EFFECT,
    APPLICATION_MONTHS,
    TRUE_EFFECTS,
    generate_portfolio,
    true_log_odds,
)

AS_OF = dt.date(2025, 6, 30)


def test_same_seed_same_portfolio():
    first = generate_portfolio(2_000, seed=11, as_of=AS_OF)
    pd.testing.assert_frame_equal(first, generate_portfolio(2_000, seed=11, as_of=AS_OF))
    assert not first.equals(generate_portfolio(2_000, seed=12, as_of=AS_OF))


def test_columns_and_types(portfolio):
    expected = [
        "client_id",
        *FEATURE_NAMES,
        *(f"{n}_as_of" for n in FEATURE_NAMES),
        "application_date",
        "defaulted",
    ]
    assert list(portfolio.columns) == expected
    for feature in FEATURES:
        kind = portfolio[feature.name].dtype.kind
        assert kind == ("i" if feature.kind is int else "f"), feature.name
    assert all(isinstance(value, dt.date) for value in portfolio["income_as_of"].head(100))
    assert set(portfolio["defaulted"].unique()) == {0, 1}
    assert len(generate_portfolio(0)) == 0


def test_client_ids_are_unique_uuid4(portfolio):
    ids = portfolio["client_id"]
    assert ids.is_unique
    for value in ids.head(200):
        parsed = uuid.UUID(value)
        assert parsed.version == 4 and str(parsed) == value


def test_every_row_satisfies_the_spec(portfolio):
    for feature in FEATURES:
        column = portfolio[feature.name]
        assert column.between(feature.minimum, feature.maximum).all(), feature.name
    assert (portfolio["seniority"] <= portfolio["age"] - 16).all()


def test_realistic_shape(portfolio):
    assert 0.05 <= portfolio["defaulted"].mean() <= 0.10
    assert 0.7 <= (portfolio["payment_incidents"] == 0).mean() <= 0.9
    income = portfolio["income"]
    assert income.median() < income.mean()  # right-skewed (log-normal)
    correlation = portfolio[list(FEATURE_NAMES)].corr(method="spearman")
    assert correlation.loc["income", "age"] > 0.1
    assert correlation.loc["income", "seniority"] > 0.1
    assert correlation.loc["credit_score", "payment_incidents"] < -0.3


def test_stale_shares(portfolio):
    ages = {name: (AS_OF - portfolio[f"{name}_as_of"]).map(lambda d: d.days) for name in FEATURE_NAMES}
    stale = pd.DataFrame({name: days >= STALE_AFTER_DAYS for name, days in ages.items()})
    assert all((days >= 0).all() for days in ages.values())
    assert 0.15 <= stale.any(axis=1).mean() <= 0.25
    assert stale["income"].mean() > stale["payment_incidents"].mean()
    assert 0.15 <= stale["income"].mean() <= 0.25


def test_true_effects_agree_with_the_spec():
    assert set(TRUE_EFFECTS) == set(FEATURE_NAMES)
    for name, effect in TRUE_EFFECTS.items():
        assert effect.direction == FEATURES_BY_NAME[name].risk_direction


def test_non_linear_effects_show_in_default_rates(portfolio):
    rate = portfolio.groupby(portfolio["payment_incidents"].clip(upper=3))["defaulted"].mean()
    assert rate[3] - rate[2] > 2 * (rate[2] - rate[1])  # jump after two incidents


def test_age_effect_is_realistic(portfolio):
    """Younger clients riskier (German credit, Give Me Some Credit), within
    real portfolios' range; no rise at older ages."""
    odds = np.exp(
        true_log_odds(portfolio.assign(age=18), AS_OF) - true_log_odds(portfolio.assign(age=45), AS_OF)
    )
    np.testing.assert_allclose(odds, np.exp(AGE_YOUNG_EFFECT))
    assert 1.2 <= odds[0] <= 2.0
    flat = true_log_odds(portfolio.assign(age=35), AS_OF) == true_log_odds(portfolio.assign(age=85), AS_OF)
    assert flat.all()
    by_age = portfolio.groupby(pd.cut(portfolio["age"], [17, 25, 40, 55, 70, 90]))["defaulted"]
    rates = by_age.mean().to_numpy()
    assert rates[0] == rates.max()


def test_application_dates_and_slow_drift(portfolio):
    dates = pd.to_datetime(portfolio["application_date"])
    years = (pd.Timestamp(AS_OF) - dates).dt.days / 365.25
    assert years.between(0, APPLICATION_MONTHS / 12).all() and years.max() > APPLICATION_MONTHS / 12 - 0.1
    recent, old = years < 1, years > 2
    assert portfolio["defaulted"][recent].mean() > portfolio["defaulted"][old].mean()
    assert portfolio["income"][recent].median() > portfolio["income"][old].median()
