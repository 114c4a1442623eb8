"""Data freshness for the web layers.

"Stale" (older than six months) and which features are critical are defined
once, in the feature spec (``modeling.features``); this module only applies it.
"""

from __future__ import annotations

from datetime import date, timedelta

from modeling.features import STALE_AFTER_DAYS

STALE_MONTHS = round(STALE_AFTER_DAYS / 30.5)
"""The staleness limit as people say it ("6 mois"): every text quoting it reads this."""


def stale_before(today: date) -> date:
    """Observations strictly before this date are stale."""
    return today - timedelta(days=STALE_AFTER_DAYS)


def is_stale(as_of: date, today: date) -> bool:
    return as_of < stale_before(today)
