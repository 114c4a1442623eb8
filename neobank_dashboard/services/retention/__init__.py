"""Retention: how long each kind of data is kept, and the purge that enforces it.

- :mod:`.policies`: the RetentionPolicy table (defaults, durations, the DPO's changes);
- :mod:`.prose`: what the purge does, in words (the records of processing quote it);
- :mod:`.selection`: the SQL statements that select what each category deletes;
- :mod:`.purge`: the preview, the purge and its audit re-anchoring, the daily run.

The running app purges nightly (``api/lifespan.py``); ``neobank retention purge``
runs it by hand.
"""

from neobank_dashboard.services.retention.policies import (
    DEFAULT_POLICIES,
    MissingPolicyError,
    duration,
    ensure_default_policies,
    policies,
    set_policy_duration,
)
from neobank_dashboard.services.retention.prose import PHYSICAL_DELETION, RESTRICTION_RULE, RULES
from neobank_dashboard.services.retention.purge import (
    DAILY_PURGE_AT,
    PurgePlan,
    PurgeReport,
    PurgeStep,
    plan_purge,
    run_daily_purge,
    run_purge,
)
from neobank_dashboard.services.retention.selection import referring_columns, without_relationship

__all__ = [
    "DAILY_PURGE_AT",
    "DEFAULT_POLICIES",
    "PHYSICAL_DELETION",
    "RESTRICTION_RULE",
    "RULES",
    "MissingPolicyError",
    "PurgePlan",
    "PurgeReport",
    "PurgeStep",
    "duration",
    "ensure_default_policies",
    "plan_purge",
    "policies",
    "referring_columns",
    "run_daily_purge",
    "run_purge",
    "set_policy_duration",
    "without_relationship",
]
