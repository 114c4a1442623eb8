"""The post-market monitoring plan (Annex IV §9) and the outline of the
fundamental-rights impact assessment (AI Act Art. 27), from the code's rules."""

from __future__ import annotations

from modeling import monitoring as rules
from modeling.constants import AGE_ALONE_REFUSAL_LIMIT
from neobank_dashboard.services.monitoring_history import HISTORY_MONTHS
from neobank_dashboard.services.monitoring_nightly import NIGHTLY_REPORT_AT, REPORT_WINDOW
from neobank_dashboard.services.outcomes import BATCH_MAX


def _age_bands() -> str:
    return ", ".join(label for label, _, _ in rules.AGE_BANDS)


def monitoring_plan(to_complete: str) -> str:
    """Markdown of the monitoring plan: what is measured, how often, the levels."""
    return f"""The monitoring plan is implemented: every night at {NIGHTLY_REPORT_AT:%H:%M} UTC one
worker computes the report over the scores of the last {REPORT_WINDOW.days} days, stores
it, refreshes the monitoring history's row of the month and writes an audit event;
supervisors and admins obtain the report for any window from `GET /api/v1/monitoring`
and the history, one row per calendar month (the last {HISTORY_MONTHS} by default), from
`GET /api/v1/monitoring/history` and the `/monitoring` page's charts. The page opens
on the latest stored report, saying when it was computed, and computes any other window
on request; every reading is audited.

- **Outcomes**: defaulted or repaid, with the day observed and the source, are
  recorded through `POST /api/v1/outcomes` (batches of up to {BATCH_MAX:,}, staff scope
  `outcomes:write`) or `.venv/bin/neobank outcomes import FILE.csv`; each
  outcome follows the score the decision rested on.
- **Stability**: the population stability index of the probability of default and the
  characteristic stability index of each feature against the champion's training
  distribution ({rules.STABILITY_BINS} training-quantile bins, stored in the model
  artefact). Levels: `ok` below {rules.WATCH_AT}, `watch` from {rules.WATCH_AT}, `alert`
  from {rules.ALERT_AT}.
- **Backtest** per risk band: mean predicted probability against the observed default
  rate, two-sided Jeffreys test with its {rules.INTERVAL_LEVEL:.0%} Jeffreys interval of the
  default rate; `green` when the p-value is at least {rules.AMBER_BELOW} (the prediction
  inside the interval), `amber` below it, `red` below {rules.RED_BELOW}. ROC AUC, Brier
  score and the calibration intercept and slope over the window.
- **Fairness** by age band ({_age_bands()}): approval rate, mean probability, refusal
  rate with and without the advisors' decisions, and the adverse impact ratio against
  the best band (flagged below {rules.ADVERSE_IMPACT_FLOOR}), computed with fairlearn; and
  the age bound at work: the share of the champion's refusals that age alone decides
  (refused, eligible at the training's median age, all else equal), against the
  promotion gate's limit of {AGE_ALONE_REFUSAL_LIMIT:.0%}.
- **Challenger**: the best other candidate of the champion's training scores every
  request in shadow (never shown); champion and challenger are compared on the same
  outcomes.

Who acts on an `alert` or a `red` band, within which delay, and when scoring is
suspended (`SCORING_MODE=manual`): {to_complete}."""


def fria(features_table: str, oversight: str, to_complete: str) -> str:
    """Markdown outline of the fundamental-rights impact assessment."""
    return f"""# Fundamental-rights impact assessment (AI Act Art. 27): outline

Generated from the code; what only the deployer can supply is marked {to_complete}.

## 1. The deployer's process

Advisors assess the creditworthiness of natural persons for credit decisions; the
system recommends, a named advisor decides.

## 2. Period and frequency of use

Every credit application and portfolio review; the model is monitored nightly
(section 5). Expected volumes: {to_complete}.

## 3. Persons and groups affected

Clients and applicants of the bank. The data used:

{features_table}

Groups watched for unequal treatment: age bands {_age_bands()}. Other groups
(sex, nationality, disability) are not processed by the system; their assessment:
{to_complete}.

## 4. Specific risks of harm

Wrongful refusal of credit, over-indebtedness after a wrongful approval, unequal
treatment by age. Measured by the backtest per risk band and the fairness table of the
monitoring report; assessment of their likelihood and severity: {to_complete}.

## 5. Human oversight

{oversight}

{monitoring_plan(to_complete)}

## 6. Measures if the risks materialise

The client can contest through their advisor; the contest is reviewed by someone other
than the first decider. Governance and complaint handling: {to_complete}.
"""
