"""The audit log as people read it: actions, outcomes and actors in words, not codes.

The codes stay what the log stores and what the filters send; only the table shows
these. A code the catalogue does not know yet is shown as stored rather than hidden.
"""

from __future__ import annotations

from collections.abc import Mapping

from neobank_dashboard.display.texts import catalog
from neobank_dashboard.i18n import format_number

ADVISOR_PREFIX = "advisor:"


def action_label(action: str, lang: str) -> str:
    return catalog(lang).get(f"audit.action.{action}", action)


def outcome_label(outcome: str, lang: str) -> str:
    return catalog(lang).get(f"audit.outcome.{outcome}", outcome)


def object_label(object_type: str | None, object_id: str | None, lang: str) -> str:
    """'client 82e9…' -> 'Client 82e9…', 'advisor 4' -> 'Compte 4'."""
    kind = catalog(lang).get(f"audit.object.{object_type}", object_type or "")
    return f"{kind} {object_id or ''}".strip()


def actor_label(actor: str, names: Mapping[int, str], lang: str) -> str:
    """'advisor:5' -> the advisor's name, or 'Conseiller n° 5' if gone; 'anonymous' -> 'Anonyme'."""
    texts = catalog(lang)
    number = actor.removeprefix(ADVISOR_PREFIX)
    if actor.startswith(ADVISOR_PREFIX) and number.isdigit():
        return names.get(int(number)) or texts["audit.actor.advisor"].format(
            n=format_number(int(number), lang)
        )
    return texts.get(f"audit.actor.{actor}", actor)
