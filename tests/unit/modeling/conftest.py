"""Shared, session-scoped fixtures for the modelling tests (small data only)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from modeling.features import FEATURE_NAMES
from modeling.synthetic import generate_portfolio

DATASETS = Path(__file__).resolve().parents[3] / ".." / "shared" / "datasets"
AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(scope="session")
def datasets() -> Path:
    """The public datasets folder beside the checkout, or skip."""
    if not DATASETS.is_dir():
        pytest.skip(f"public datasets not found at {DATASETS.resolve()} (../shared/datasets)")
    return DATASETS


@pytest.fixture(scope="session")
def portfolio() -> pd.DataFrame:
    """20,000 synthetic clients: enough for the true effects to show."""
    return generate_portfolio(20_000, seed=7, as_of=AS_OF)


@pytest.fixture(scope="session")
def features_and_outcome(portfolio) -> tuple[pd.DataFrame, np.ndarray]:
    return portfolio[list(FEATURE_NAMES)], portfolio["defaulted"].to_numpy()


@pytest.fixture(scope="session")
def trained_registry(tmp_path_factory) -> Path:
    """A registry with one small champion (logit or xgboost), trained once."""
    from modeling.registry import train

    registry = tmp_path_factory.mktemp("registry")
    train(registry, rows=4_000, seed=1, candidates=["baseline", "logit", "xgboost"], folds=3)
    return registry


@pytest.fixture(scope="session")
def xgboost_registry(tmp_path_factory) -> Path:
    """A registry whose champion is XGBoost (the only candidate)."""
    from modeling.registry import train

    registry = tmp_path_factory.mktemp("xgboost_registry")
    train(registry, rows=4_000, seed=1, candidates=["xgboost"], folds=3)
    return registry
