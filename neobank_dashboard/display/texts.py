"""The UI's catalogue, with the labels and numbers the domain owns filled in.

Risk-band labels and the rules some texts quote (lock-out, password and
justification lengths, session length) are read from the services and settings
here, so the i18n package needs none of them.
"""

from __future__ import annotations

from neobank_dashboard.i18n import Catalogue
from neobank_dashboard.services.auth import FREE_FAILURES, MAX_LOGIN_DELAY
from neobank_dashboard.services.decisions import MAX_JUSTIFICATION_LENGTH, MIN_JUSTIFICATION_LENGTH
from neobank_dashboard.services.freshness import STALE_MONTHS
from neobank_dashboard.services.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from neobank_dashboard.services.recommendation import RISK_BAND_LABELS
from neobank_dashboard.settings import get_settings

CATALOGUE = Catalogue(
    labels={f"risk_band.{band.value}": labels for band, labels in RISK_BAND_LABELS.items()},
    values={
        "free_failures": FREE_FAILURES,
        "max_login_delay_minutes": int(MAX_LOGIN_DELAY.total_seconds() // 60),
        "session_hours": get_settings().session_hours,
        "min_password": MIN_PASSWORD_LENGTH,
        "max_password": MAX_PASSWORD_LENGTH,
        "min_justification": MIN_JUSTIFICATION_LENGTH,
        "max_justification": MAX_JUSTIFICATION_LENGTH,
        "stale_months": STALE_MONTHS,
    },
)
catalog = CATALOGUE.texts
translate = CATALOGUE.translate
