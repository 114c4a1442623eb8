"""The UI's languages: the FR/EN catalogue, the lookup, and number and date formats.

Imports nothing of the services: the labels and rule values the catalogue quotes are
passed in (see ``neobank_dashboard.display.texts``).
"""

from neobank_dashboard.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES
from neobank_dashboard.i18n.format import (
    format_count,
    format_date,
    format_money,
    format_number,
    format_ordinal,
    format_p_value,
    format_percent,
    format_quantity,
)
from neobank_dashboard.i18n.translate import Catalogue

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "MESSAGES",
    "Catalogue",
    "format_count",
    "format_date",
    "format_money",
    "format_number",
    "format_ordinal",
    "format_p_value",
    "format_percent",
    "format_quantity",
]
