"""Which decisions a second person reviews, and by when: the bank's review policy.

A decision against the model's recommendation, a decision on a grey-zone score
and a decision on stale critical data each open a review item, unless the bank
exempts that kind (``NEOBANK_REVIEW_EXEMPT_KINDS``); a contest always opens one.
Due dates count business days (Monday to Friday, less the public holidays of
``NEOBANK_REVIEW_HOLIDAYS``, from the ``holidays`` package) from the service levels
in the settings.
"""

from __future__ import annotations

import functools
from datetime import date

import holidays
import numpy as np
from sqlmodel import Session

from neobank_dashboard.db.models import Contest, Decision, Review, ReviewKind, Score, id_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import audit
from neobank_dashboard.services.recommendation import GREY_ZONE_BAND
from neobank_dashboard.settings import get_settings


@functools.cache
def _public_holidays(country: str, first_year: int) -> tuple[date, ...]:
    # Two years ahead covers any service level (at most 60 business days).
    return tuple(holidays.country_holidays(country, years=range(first_year, first_year + 2)))


def business_days_after(start: date, days: int, country: str | None = None) -> date:
    """The date ``days`` business days after ``start``, skipping weekends and public
    holidays. From a day off, as from the business day before: the next business day
    is the first one either way."""
    country = country or get_settings().review_holidays
    return np.busday_offset(
        np.datetime64(start, "D"),
        days,
        roll="backward",
        holidays=list(_public_holidays(country, start.year)),
    ).astype(date)


def due_on(kind: ReviewKind, opened_on: date) -> date:
    settings = get_settings()
    days = settings.review_days_contest if kind == ReviewKind.contest else settings.review_days_other
    return business_days_after(opened_on, days)


def review_kind(decision: Decision, score: Score) -> ReviewKind | None:
    """The kind of review the decision needs under the bank's policy, or None.

    One item per decision: an override is the strongest reason for a second
    look, then stale critical data, then the grey zone.
    """
    stale = any(f.get("stale") and f.get("critical") for f in score.freshness.values())
    candidates = [
        (decision.overrides_recommendation, ReviewKind.override),
        (stale, ReviewKind.stale_data),
        (score.risk_band == GREY_ZONE_BAND, ReviewKind.grey_zone),
    ]
    exempt = get_settings().review_exemptions
    return next((kind for applies, kind in candidates if applies and kind not in exempt), None)


def open_review(
    session: Session,
    decision: Decision,
    kind: ReviewKind,
    *,
    actor: str,
    contest: Contest | None = None,
    request_id: str | None = None,
) -> Review:
    """Queue the decision for a second person; flushed and audited, not committed."""
    opened_at = utcnow()
    review = Review(
        kind=kind,
        decision_id=id_of(decision),
        client_id=decision.client_id,
        contest_id=contest.id if contest else None,
        due_on=due_on(kind, opened_at.date()),
        created_at=opened_at,
    )
    session.add(review)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="review_opened",
        object_type="client",
        object_id=str(decision.client_id),
        request_id=request_id,
        details={"review_id": review.id, "kind": kind.value, "decision_id": decision.id},
    )
    return review


def review_if_needed(
    session: Session, decision: Decision, score: Score, *, actor: str, request_id: str | None = None
) -> Review | None:
    """Open the review the policy asks for on a newly recorded decision, if any."""
    kind = review_kind(decision, score)
    if kind is None:
        return None
    return open_review(session, decision, kind, actor=actor, request_id=request_id)
