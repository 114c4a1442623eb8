"""Human-oversight figures: do the advisors actually review what the model says?

Under the CJEU's SCHUFA judgment (C-634/21) a person who only rubber-stamps the
score makes the score the decision. Per advisor and in total, from the stored
decisions and audit events, in SQL: decisions, override rate, agreement with the
model, median time from opening the client (its last ``client_view`` before the
decision) to deciding, and the share of decisions taken without the reasons
having been on screen; and flags for patterns of rubber-stamping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from neobank_dashboard.db.models import Advisor, AuditEvent, Decision, Outcome, Recommendation, Score
from neobank_dashboard.services.auth import CurrentAdvisor, require_supervisor
from neobank_dashboard.services.clients import ClientView

# The supervision policy behind the flags.
MIN_DECISIONS_FOR_FLAGS = 5  # fewer decisions say nothing about a pattern
FAST_DECISION_SECONDS = 30  # a median under this, with full agreement, is a rubber stamp
UNSEEN_REASONS_SHARE = 0.5  # deciding blind this often is a pattern, not an accident


class OversightFlag(StrEnum):
    rubber_stamp = "rubber_stamp"  # full agreement, decided within seconds
    reasons_unseen = "reasons_unseen"  # decided without the reasons on screen, often


@dataclass(frozen=True)
class OversightFigures:
    decisions: int
    overrides: int
    override_rate: float | None
    agreement_rate: float | None  # among decisions on an eligible / not-eligible recommendation
    median_seconds_to_decide: float | None
    without_reasons_share: float | None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdvisorOversight:
    advisor_id: int
    full_name: str
    figures: OversightFigures


@dataclass(frozen=True)
class OversightReport:
    advisors: list[AdvisorOversight]
    total: OversightFigures


def _seconds_between(later, earlier, dialect: str):
    if dialect == "postgresql":
        return sa.extract("epoch", later - earlier)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0


def _per_decision(dialect: str, since: datetime | None, until: datetime | None):
    """One row per decision: advisor, override, agreement, seconds since the client was
    opened (None when it never was) and whether the reasons were on screen."""
    event, view = aliased(AuditEvent), aliased(AuditEvent)
    opened_before = sa.and_(
        col(view.action) == "client_view",
        col(view.outcome) == "success",
        col(view.actor) == event.actor,
        col(view.object_id) == event.object_id,
        col(view.created_at) <= event.created_at,
    )
    opened_at = sa.select(sa.func.max(col(view.created_at))).where(opened_before).scalar_subquery()
    # Views recorded before views were told apart count as the client page.
    shown = sa.func.coalesce(view.details["view"].as_string(), ClientView.page.value) != ClientView.record
    reasons_seen = sa.select(col(view.id)).where(opened_before, shown).exists()
    agreed = sa.or_(
        sa.and_(
            col(Score.recommendation) == Recommendation.eligible, col(Decision.outcome) == Outcome.approved
        ),
        sa.and_(
            col(Score.recommendation) == Recommendation.not_eligible, col(Decision.outcome) == Outcome.refused
        ),
    )
    conditions = [col(event.action) == "decision"]
    if since is not None:
        conditions.append(col(Decision.created_at) >= since)
    if until is not None:
        conditions.append(col(Decision.created_at) < until)
    return (
        sa.select(
            col(Decision.advisor_id).label("advisor_id"),
            sa.case((col(Decision.overrides_recommendation), 1), else_=0).label("override"),
            sa.case((agreed, 1), else_=0).label("agreed"),
            sa.case((col(Score.recommendation) != Recommendation.review, 1), else_=0).label("recommended"),
            sa.case((reasons_seen, 0), else_=1).label("blind"),
            _seconds_between(col(event.created_at), opened_at, dialect).label("seconds"),
        )
        .select_from(event)
        .join(Decision, col(Decision.id) == event.details["decision_id"].as_integer())
        .join(Score, col(Score.id) == col(Decision.score_id))
        .where(*conditions)
        .cte("per_decision")
    )


def _figures_by(session: Session, rows, group=None) -> dict:
    """{group value: (decisions, overrides, agreed, recommended, blind, median seconds)},
    in SQL; one row under the key 0 without a ``group`` column.

    The median is the mean of the middle row(s) of each group's ordered times: window
    functions both PostgreSQL and SQLite have (SQLite has no percentile function).
    """
    key = sa.literal_column("0") if group is None else group
    timed = sa.select(
        key.label("key"),
        rows.c.seconds,
        sa.func.row_number().over(partition_by=group, order_by=rows.c.seconds).label("rn"),
        sa.func.count().over(partition_by=group).label("n"),
    ).where(rows.c.seconds.is_not(None))
    ranked = timed.subquery()
    medians = (
        sa.select(ranked.c.key, sa.func.avg(ranked.c.seconds).label("median"))
        .where(ranked.c.rn.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2]))
        .group_by(ranked.c.key)
        .subquery()
    )
    totals = (
        sa.select(
            key.label("key"),
            sa.func.count().label("decisions"),
            sa.func.sum(rows.c.override).label("overrides"),
            sa.func.sum(rows.c.agreed).label("agreed"),
            sa.func.sum(rows.c.recommended).label("recommended"),
            sa.func.sum(rows.c.blind).label("blind"),
        )
        .group_by(*([] if group is None else [group]))
        .subquery()
    )
    result = session.execute(
        sa.select(totals, medians.c.median).outerjoin(medians, medians.c.key == totals.c.key)
    ).all()
    return {row.key: row for row in result}


def _figures(row) -> OversightFigures:
    decisions = int(row.decisions)
    agreement = int(row.agreed) / int(row.recommended) if row.recommended else None
    blind = int(row.blind) / decisions
    median = None if row.median is None else float(row.median)
    flags = []
    if decisions >= MIN_DECISIONS_FOR_FLAGS:
        if agreement == 1.0 and median is not None and median < FAST_DECISION_SECONDS:
            flags.append(OversightFlag.rubber_stamp)
        if blind >= UNSEEN_REASONS_SHARE:
            flags.append(OversightFlag.reasons_unseen)
    return OversightFigures(
        decisions=decisions,
        overrides=int(row.overrides),
        override_rate=int(row.overrides) / decisions,
        agreement_rate=agreement,
        median_seconds_to_decide=median,
        without_reasons_share=blind,
        flags=tuple(flags),
    )


NO_DECISIONS = OversightFigures(0, 0, None, None, None, None)


def oversight_report(
    session: Session,
    viewer: CurrentAdvisor,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> OversightReport:
    """The figures for decisions taken in ``[since, until)`` (all when omitted)."""
    require_supervisor(viewer)
    rows = _per_decision(session.get_bind().dialect.name, since, until)
    per_advisor = _figures_by(session, rows, rows.c.advisor_id)
    total = _figures_by(session, rows)
    names = dict(
        session.exec(
            select(col(Advisor.id), col(Advisor.full_name)).where(col(Advisor.id).in_(per_advisor))
        ).all()
    )
    advisors = [
        AdvisorOversight(advisor_id, names[advisor_id], _figures(row))
        for advisor_id, row in sorted(per_advisor.items())
    ]
    total_row = total.get(0)
    return OversightReport(
        advisors, _figures(total_row) if total_row and total_row.decisions else NO_DECISIONS
    )
