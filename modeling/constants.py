"""Every tunable number of the modelling package, in one place.

Costs are in units of "one wrongly refused good client"; probabilities are on
the 0-1 scale; percentiles on the 0-100 scale.
"""

from __future__ import annotations

# Business costs, from a loss model (replace with the bank's own figures).
LOSS_GIVEN_DEFAULT = 0.45
"""Share of the exposure lost when a client defaults: the CRR's foundation-IRB
LGD for senior unsecured exposures (Regulation (EU) 575/2013, Art. 161(1)(a))."""
EXPOSURE_AT_DEFAULT = 10_000.0
"""EUR outstanding at default for a typical consumer loan (an assumption)."""
LOST_MARGIN = 450.0
"""EUR of net interest margin lost by refusing a client who would have repaid:
about 3 % a year net of funding and running costs on the average balance of
a 10,000 EUR, 3-year loan (an assumption)."""
REVIEW_COST_EUR = 30.0
"""EUR of advisor time for one human review (half an hour; an assumption)."""
COST_MISSED_DEFAULT = LOSS_GIVEN_DEFAULT * EXPOSURE_AT_DEFAULT / LOST_MARGIN
"""Cost of granting credit to a client who then defaults (false negative), in
units of one wrongly refused good client: LGD x exposure / lost margin = 10."""
COST_REFUSED_GOOD_CLIENT = 1.0
"""Cost of refusing a client who would have repaid (false positive): the unit."""
COST_REVIEW = REVIEW_COST_EUR / LOST_MARGIN
"""Cost of one human review, in the same unit."""
COST_SENSITIVITY = {"loss_given_default": (0.3, 0.45, 0.6), "lost_margin": (300.0, 450.0, 600.0)}
"""Scenarios of the sensitivity table (model card): every combination."""

# Threshold and grey zone, from a bootstrap of the cross-validated predictions.
COST_BOOTSTRAP_RESAMPLES = 400
"""Poisson-bootstrap resamples of the cost curve (see ``modeling.costs``)."""
GREY_ZONE_QUANTILES = (0.05, 0.95)
"""The grey zone is the central 90 % of the resampled cost-minimising
thresholds: probabilities at which the data cannot tell whether accepting
or refusing costs less, so an advisor decides."""

# Evaluation protocol.
TEST_SIZE = 0.2
DEFAULT_FOLDS = 5
DEFAULT_ROWS = 100_000
THRESHOLD_GRID_SIZE = 999
"""Candidate thresholds: 0.001, 0.002, ..., 0.999."""
CALIBRATION_BINS = 20
"""Quantile bins of the calibration curve and the per-band Jeffreys tests:
twenty, so that the riskiest tenth, around the threshold, spans two bins."""
ROC_CURVE_POINTS = 101
"""Stored ROC curves: true positive rates at false positive rates 0, 0.01, ..., 1."""
CHAMPION_MATERIALITY = 0.01
"""A simpler candidate stays champion unless it costs materially more than
the cheapest: its excess expected cost, paired client by client on the
out-of-fold predictions, is above 1 % of the cheapest candidate's cost at
the 5th percentile of its bootstrap distribution."""
CHAMPION_BOOTSTRAP_RESAMPLES = 2_000

# Age: a ground of non-discrimination (EU Charter Art. 21, Consumer Credit
# Directive 2023/2225 Art. 6), so the application models bound its effect.
AGE_MODELLED_RANGE = (18, 25)
"""The application models see age clipped to this range (years): every
client aged 25 or more is treated alike, and below 25 the risk may only rise
as age falls (monotone constraint, no interaction with other features, so
age's contribution is one additive term). Raising the lower bound flattens
the youngest ages too. On 100,000 synthetic clients, age alone decides 11 %
of refusals with a 18-35 range, 9 % with 18-30 and 7 % with 18-25."""
AGE_ALONE_REFUSAL_LIMIT = 0.10
"""Promotion gate: at most this share of the test split's refusals may be
decided by age alone (refused, but eligible at the portfolio's median age)."""

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
