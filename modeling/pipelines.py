"""Candidate models, simplest first, each a scikit-learn ``Pipeline``.

Every candidate owns its preprocessing, so it runs on the five application
features and on any numeric/text CSV (text columns are one-hot encoded):

- ``baseline``: predicts the training default rate for everyone;
- ``logit``: statsmodels maximum-likelihood logistic regression on
  log1p(income) (generic data: skewed columns), median-imputed,
  1st-99th-percentile-clipped inputs; age enters as a linear spline with
  knots at the ends of ``AGE_MODELLED_RANGE``, flat outside (clipped), the
  same bound as XGBoost's; coefficients keep the spec's signs;
- ``penalised_logistic``: sklearn L2 logistic regression, same inputs,
  standardised;
- ``xgboost``: gradient-boosted trees, monotone in the direction the feature
  spec gives (application features only), age clipped to
  ``AGE_MODELLED_RANGE`` and kept out of every interaction, so that its
  contribution is one bounded additive term;
- ``hist_gradient_boosting``: sklearn's histogram gradient boosting, with
  XGBoost's constraints and age bound on application data (without them it
  failed the monotonicity gate, so it could never be the app's champion).

"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_selection import VarianceThreshold
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from xgboost import XGBClassifier

from modeling.constants import (
    AGE_MODELLED_RANGE,
    HIST_GRADIENT_BOOSTING_PARAMS,
    ONE_HOT_MAX_CATEGORIES,
    ONE_HOT_MIN_FREQUENCY,
    PENALISED_LOGISTIC_C,
    XGBOOST_PARAMS,
)
from modeling.errors import CandidateError
from modeling.features import FEATURE_NAMES, FEATURES_BY_NAME
from modeling.logit import StatsmodelsLogit
from modeling.preprocessing import ColumnRange, PercentileClipper, SkewedLog1p

LOG_TRANSFORMED_FEATURES = ("income",)
"""Application features modelled on the log scale by the linear candidates."""


def is_application_data(columns: Sequence[str]) -> bool:
    """True when the columns are exactly the five application features."""
    return sorted(columns) == sorted(FEATURE_NAMES)


def _categorical_columns(X: pd.DataFrame) -> list[str]:
    return [name for name in X.columns if not pd.api.types.is_numeric_dtype(X[name])]


def _one_hot(drop: str | None) -> OneHotEncoder:
    return OneHotEncoder(
        drop=drop,
        handle_unknown="ignore",
        min_frequency=ONE_HOT_MIN_FREQUENCY,
        max_categories=ONE_HOT_MAX_CATEGORIES,
        sparse_output=False,
    )


def linear_preprocessor(X: pd.DataFrame, bound_age: bool = True) -> ColumnTransformer:
    """log1p → median imputation → percentile clipping for numbers, after the
    policy clipping of age (application data); one-hot (first level dropped,
    so an intercept stays identifiable) for text. Output columns keep their
    input names (``get_feature_names_out``), age first when it is bounded."""
    categorical = _categorical_columns(X)
    numeric = [name for name in X.columns if name not in categorical]
    application = is_application_data(X.columns)
    bounded = ["age"] if bound_age and application else []

    def steps(*first) -> Pipeline:
        return Pipeline([*first, ("impute", SimpleImputer(strategy="median")), ("clip", PercentileClipper())])

    log_columns = LOG_TRANSFORMED_FEATURES if application else None
    return ColumnTransformer(
        [
            ("age", steps(("age_range", ColumnRange({"age": AGE_MODELLED_RANGE}))), bounded),
            (
                "numeric",
                steps(("log1p", SkewedLog1p(columns=log_columns))),
                [n for n in numeric if n not in bounded],
            ),
            ("categorical", _one_hot("first"), categorical),
        ],
        verbose_feature_names_out=False,
    )


def tree_preprocessor(X: pd.DataFrame) -> ColumnTransformer | str:
    """Numbers as they are (trees handle scale and missing values); text
    one-hot encoded. ``"passthrough"`` when every column is numeric."""
    categorical = _categorical_columns(X)
    if not categorical:
        return "passthrough"
    return ColumnTransformer(
        [("categorical", _one_hot(None), categorical)],
        remainder="passthrough",
        verbose_feature_names_out=False,
    )


def monotone_constraints(columns: Sequence[str], bound_age: bool = True) -> dict[str, int] | None:
    """The feature spec's risk directions for application data, else None;
    age unconstrained when its effect is not bounded."""
    if not is_application_data(columns):
        return None
    return {
        name: FEATURES_BY_NAME[name].risk_direction if bound_age or name != "age" else 0 for name in columns
    }


def interaction_constraints(columns: Sequence[str], bound_age: bool = True) -> list[list[str]] | None:
    """Application data with the age bound: age interacts with no other feature."""
    if not (bound_age and is_application_data(columns)):
        return None
    return [["age"], [name for name in columns if name != "age"]]


def _baseline(X: pd.DataFrame, seed: int, bound_age: bool) -> Pipeline:
    return Pipeline([("model", DummyClassifier(strategy="prior"))])


def _logit(X: pd.DataFrame, seed: int, bound_age: bool) -> Pipeline:
    constraints = monotone_constraints(list(X.columns), bound_age)
    if constraints is None:  # generic data: constant columns would break Newton's method
        return Pipeline(
            [
                ("prepare", linear_preprocessor(X, bound_age)),
                ("drop_constant", VarianceThreshold()),
                ("model", StatsmodelsLogit()),
            ]
        )
    # Application data: the five columns reach the logit, with the spec's signs.
    prepare = linear_preprocessor(X, bound_age)
    order = [name for _, _, columns in prepare.transformers for name in columns]
    signs = tuple(constraints[name] for name in order)
    return Pipeline([("prepare", prepare), ("model", StatsmodelsLogit(coefficient_signs=signs))])


def _penalised_logistic(X: pd.DataFrame, seed: int, bound_age: bool) -> Pipeline:
    return Pipeline(
        [
            ("prepare", linear_preprocessor(X, bound_age)),
            ("scale", StandardScaler()),
            ("model", LogisticRegression(C=PENALISED_LOGISTIC_C, max_iter=1_000)),
        ]
    )


def _xgboost(X: pd.DataFrame, seed: int, bound_age: bool) -> Pipeline:
    columns = list(X.columns)
    model = XGBClassifier(
        **XGBOOST_PARAMS,
        monotone_constraints=monotone_constraints(columns, bound_age),
        interaction_constraints=interaction_constraints(columns, bound_age),
        random_state=seed,
    )
    prepare = tree_preprocessor(X)
    if bound_age and is_application_data(columns):  # named output: XGBoost's constraints use the names
        prepare = ColumnRange({"age": AGE_MODELLED_RANGE}).set_output(transform="pandas")
    return Pipeline([("prepare", prepare), ("model", model)])


def _hist_gradient_boosting(X: pd.DataFrame, seed: int, bound_age: bool) -> Pipeline:
    columns = list(X.columns)
    groups = interaction_constraints(columns, bound_age)
    model = HistGradientBoostingClassifier(
        **HIST_GRADIENT_BOOSTING_PARAMS,
        monotonic_cst=monotone_constraints(columns, bound_age),
        # scikit-learn takes the groups as column positions, not names.
        interaction_cst=None if groups is None else [[columns.index(n) for n in group] for group in groups],
        random_state=seed,
    )
    prepare = tree_preprocessor(X)
    if bound_age and is_application_data(columns):  # named output: monotonic_cst uses the names
        prepare = ColumnRange({"age": AGE_MODELLED_RANGE}).set_output(transform="pandas")
    return Pipeline([("prepare", prepare), ("model", model)])


@dataclass(frozen=True)
class Candidate:
    """A model family. ``complexity`` orders the champion tie-break (lower is
    simpler); ``explainable`` means exact contributions exist (app champion)."""

    name: str
    complexity: int
    explainable: bool
    calibration_methods: tuple[str, ...]
    build: Callable[[pd.DataFrame, int, bool], Pipeline]


AFFINE_CALIBRATIONS = ("identity", "platt")
CANDIDATES: dict[str, Candidate] = {
    candidate.name: candidate
    for candidate in (
        Candidate("baseline", 0, True, ("identity",), _baseline),
        Candidate("logit", 1, True, AFFINE_CALIBRATIONS, _logit),
        Candidate("penalised_logistic", 2, True, AFFINE_CALIBRATIONS, _penalised_logistic),
        Candidate("xgboost", 3, True, AFFINE_CALIBRATIONS, _xgboost),
        Candidate("hist_gradient_boosting", 4, True, AFFINE_CALIBRATIONS, _hist_gradient_boosting),
    )
}
"""Every candidate, simplest first. Explainable candidates only get affine
calibration maps on the log-odds, which keep contributions exact (isotonic
would not: :func:`modeling.explain.explain_array` refuses it)."""


def candidate_names(requested: Sequence[str] | None = None) -> list[str]:
    """Validated candidate names in complexity order (all when ``None``)."""
    if requested is None:
        return list(CANDIDATES)
    unknown = [name for name in requested if name not in CANDIDATES]
    if unknown or not requested:
        raise CandidateError(
            f"unknown candidate(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(CANDIDATES)}"
        )
    return [name for name in CANDIDATES if name in requested]


def explainable_names(names: Sequence[str]) -> list[str]:
    """The explainable candidates among ``names``; at least one, or
    :class:`CandidateError` (the application's champion must be explainable)."""
    explainable = [name for name in names if CANDIDATES[name].explainable]
    if not explainable:
        choices = ", ".join(name for name, c in CANDIDATES.items() if c.explainable)
        raise CandidateError(f"the application's champion must be explainable: include one of {choices}")
    return explainable


def build_pipeline(name: str, X: pd.DataFrame, seed: int = 0, bound_age: bool = True) -> Pipeline:
    """An unfitted pipeline for candidate ``name``, shaped for the columns of
    ``X``. ``bound_age=False`` drops the age policy (to measure its price)."""
    return CANDIDATES[name].build(X, seed, bound_age)
