"""Every tunable number of the modelling package, in one place.

Costs are in units of "one wrongly refused good client"; probabilities are on
the 0-1 scale; percentiles on the 0-100 scale.
"""

from __future__ import annotations

# Business costs of the two errors (ratio 10:1 by default).
COST_MISSED_DEFAULT = 10.0
"""Cost of granting credit to a client who then defaults (false negative)."""
COST_REFUSED_GOOD_CLIENT = 1.0
"""Cost of refusing a client who would have repaid (false positive)."""

# Human-review grey zone: probabilities whose best decision is a toss-up.
GREY_ZONE_COST_TOLERANCE = 0.02
"""Thresholds whose expected cost is within 2 % of the minimum are "as good as"
the optimum; the probability band they span around the optimal threshold is
the grey zone sent to human review."""

# Evaluation protocol.
TEST_SIZE = 0.2
DEFAULT_FOLDS = 5
DEFAULT_ROWS = 100_000
THRESHOLD_GRID_SIZE = 999
"""Candidate thresholds: 0.001, 0.002, ..., 0.999."""
CALIBRATION_BINS = 10
ROC_CURVE_POINTS = 101
"""Stored ROC curves: true positive rates at false positive rates 0, 0.01, ..., 1."""
CHAMPION_NOISE_STANDARD_ERRORS = 1.0
"""Candidates within this many CV standard errors of the lowest cost are ties;
the simplest tied candidate is the champion."""

# Preprocessing shared by the linear candidates.
CLIP_PERCENTILES = (1.0, 99.0)
"""Outliers are clipped to the training data's 1st-99th percentile range."""
SKEWNESS_FOR_LOG = 2.0
"""Generic data: non-negative numeric columns more skewed than this get log1p."""
ONE_HOT_MIN_FREQUENCY = 10
ONE_HOT_MAX_CATEGORIES = 20

# Candidate hyperparameters (fixed, chosen once on public data, not per fit).
PENALISED_LOGISTIC_C = 0.1
XGBOOST_PARAMS = {
    "n_estimators": 200,
    "learning_rate": 0.08,
    "max_depth": 4,
    "min_child_weight": 2.0,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "reg_lambda": 50.0,
    "tree_method": "hist",
    "n_jobs": 1,
}
"""Strong L2 shrinkage of leaf values (``reg_lambda``) rather than a large
minimum leaf size: it adapts to the data size (best of the settings tried on
both Give Me Some Credit, 150,000 rows, and German credit, 1,000 rows), and
200 trees keep one-row TreeSHAP under 1 ms. One thread: see ``TRAINING_THREADS``."""
HIST_GRADIENT_BOOSTING_PARAMS = {
    "max_iter": 200,
    "learning_rate": 0.08,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 100,
    "l2_regularization": 10.0,
}

TRAINING_THREADS = 1
"""Threads for BLAS and OpenMP while candidates are fitted. On the 2-core
machine, shared with the web app, two OpenMP threads stall at every barrier
when one is descheduled (XGBoost on 80,000 rows: 0.6 s with one thread, 0.9 to
3 s with two under load), and BLAS threads left spinning by the linear models
starve the boosting libraries."""

# Numerical guards.
PROBABILITY_EPSILON = 1e-9
"""Probabilities are clipped to [eps, 1 - eps] before taking log-odds."""
ROUNDING_RESIDUAL_LIMIT = 1e-4
"""Contributions may miss the model's log-odds by float32 rounding only; a
larger gap is a bug, not rounding."""
FLAT_SUM = 1e-9
"""Below this |sum| of log-odds contributions, probability points use the
logistic slope at the base value instead of the proportional factor."""
