"""The clients page as a worklist: each row's decision status and the quick-filter chips.

Kept out of the clients state so the worklist's pieces stay in one place; the
clients state calls :func:`worklist_of` after loading a page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from neobank_dashboard.db import session_scope
from neobank_dashboard.i18n import format_number
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.clients import COUNT_CAP, ClientFilter, is_capped, quick_counts
from neobank_dashboard.services.worklist import QuickFilter, decision_statuses


def worklist_of(
    advisor: CurrentAdvisor, criteria: ClientFilter, client_ids: list[uuid.UUID]
) -> tuple[dict[uuid.UUID, tuple[str, datetime | None]], dict[str, int]]:
    """The page's decision statuses (status, since when) and the quick filters' counts."""
    with session_scope() as db:
        statuses = decision_statuses(db, client_ids)
        counts = quick_counts(db, advisor, criteria)
    return {cid: (s.status.value, s.at) for cid, s in statuses.items()}, counts


def chip_count(count: int, lang: str) -> str:
    """'1 234'; '10 000+' past the count's cap (:func:`services.clients.capped_count`)."""
    return f"{format_number(COUNT_CAP, lang)}+" if is_capped(count) else format_number(count, lang)


def quick_chips(
    criteria: ClientFilter, counts: dict[str, int], href: Callable[[ClientFilter], str], lang: str = "fr"
) -> list[dict[str, str]]:
    """One chip per quick filter: its count and the link that turns it on (or off)."""
    chips = []
    for quick in QuickFilter:
        active = criteria.quick == quick
        chosen = criteria.model_copy(update={"quick": None if active else quick, "page": 1})
        chips.append(
            {
                "key": quick.value,
                "count": chip_count(counts.get(quick.value, 0), lang),
                "href": href(chosen),
                "active": "1" if active else "",
            }
        )
    return chips
