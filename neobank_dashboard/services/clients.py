"""The client portfolio: scoped, filtered, sorted and paginated in SQL."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import aliased
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression
from sqlmodel import Session, col, func, select

from modeling.features import FEATURE_NAMES, FEATURES_BY_NAME
from neobank_dashboard.db.models import CLIENT_ID_HEX, Client, ClientStatus, Recommendation, RetentionCategory
from neobank_dashboard.services import audit, worklist
from neobank_dashboard.services.api_clients import PartnerViewer
from neobank_dashboard.services.auth import CurrentAdvisor, require_supervisor
from neobank_dashboard.services.freshness import stale_before
from neobank_dashboard.services.recommendation import RiskBand
from neobank_dashboard.services.retention.policies import duration
from neobank_dashboard.services.worklist import DecisionStatus, QuickFilter

PAGE_SIZE_DEFAULT = 25
PAGE_SIZE_MAX = 200
# Matches counted exactly up to here; beyond, the list says "more than 10,000" and pages
# stop there. An exact count reads every match: seconds at 10,000,000 clients.
COUNT_CAP = 10_000
# Matches up to which a page is sorted after filtering: every count the cap left exact.
# Sorting at most 10,000 rows costs the same in any portfolio, whereas walking the sort
# column's index for them reads more of it the larger it grows (28.7 s for 8,513 clients
# of 10,000,000 earning 150,000 or more, all at the index's far end).
FILTER_FIRST_UP_TO = COUNT_CAP
# Planned matches above which a quick-filter chip reads "10 000+" uncounted (quick_filter_count).
CHIP_ESTIMATE_TRUSTED_ABOVE = 10 * COUNT_CAP
Sort = Literal["probability", "age", "income", "credit_score", "payment_incidents", "data_as_of"]
# Each sort key's column on Client.
SORTABLE: dict[Sort, str] = {
    "probability": "latest_probability",
    "age": "age",
    "income": "income",
    "credit_score": "credit_score",
    "payment_incidents": "payment_incidents",
    "data_as_of": "oldest_as_of",
}


def _feature_bound(name: str) -> Any:
    """An optional filter on a feature, bounded by the feature spec's valid range."""
    spec = FEATURES_BY_NAME[name]
    return Field(None, ge=spec.minimum, le=spec.maximum)


Probability = Annotated[float | None, Field(None, ge=0, le=1)]
Age = Annotated[int | None, _feature_bound("age")]
Income = Annotated[float | None, _feature_bound("income")]
Incidents = Annotated[int | None, _feature_bound("payment_incidents")]
RANGES = (
    ("probability_min", "probability_max"),
    ("age_min", "age_max"),
    ("income_min", "income_max"),
    ("incidents_min", "incidents_max"),
)


class ClientFilter(BaseModel):
    """What an advisor can ask of the portfolio; every field maps to an indexed column.

    The one definition of the portfolio filters: the API reads it as query
    parameters and the clients page from its URL, under the same names.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    recommendation: Recommendation | None = None
    risk_band: RiskBand | None = None
    probability_min: Probability = None
    probability_max: Probability = None
    age_min: Age = None
    age_max: Age = None
    income_min: Income = None
    income_max: Income = None
    incidents_min: Incidents = None
    incidents_max: Incidents = None
    stale_only: bool = False
    mine_only: bool = False
    decision_status: DecisionStatus | None = None
    quick: QuickFilter | None = None
    # Named for the links already shared; matches the fragment anywhere in the id.
    id_prefix: str | None = Field(
        None, max_length=36, pattern=r"^[0-9a-fA-F-]+$", description="Hex digits found anywhere in the id"
    )
    sort: Sort = "probability"
    descending: bool = True
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX)

    @field_validator(*(high for _, high in RANGES))
    @classmethod
    def _not_below_its_minimum(cls, high, info: ValidationInfo):
        assert info.field_name is not None  # set for a field validator
        low = info.data.get(info.field_name.replace("_max", "_min"))
        if None not in (low, high) and low > high:
            raise PydanticCustomError("range_order", "must not be below the minimum ({low})", {"low": low})
        return high


# Who may read the portfolio: staff, or a partner application (its own submissions).
Viewer = CurrentAdvisor | PartnerViewer


def visible_to(viewer: Viewer) -> sa.ColumnElement[bool]:
    """The SQL condition for the clients a viewer may see at all.

    A partner application sees only the clients it submitted.
    """
    listed = col(Client.status) == ClientStatus.active
    if isinstance(viewer, PartnerViewer):
        return sa.and_(listed, col(Client.submitted_by) == viewer.partner_id)
    if viewer.sees_all_clients:
        return listed
    return sa.and_(listed, col(Client.advisor_id) == viewer.id)


def batch_scorable():
    """The SQL condition for the clients a batch rescoring may score.

    Restricted and erased clients are out of all processing; a client who
    objected (GDPR Art. 21) is left out of batch scoring and counted as skipped.
    """
    return sa.and_(col(Client.status) == ClientStatus.active, col(Client.objection).is_(False))


def _unindexed(column):
    """SQLite: the column's value, but not its index (unary +)."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def _conditions(
    viewer: Viewer, f: ClientFilter, today: date, *, index_ranges: bool = True, quick: bool = True
) -> list:
    """``index_ranges=False`` keeps SQLite off the indexes of range filters. Without
    statistics on value distribution it takes any range for a selective one: counting
    "age >= 30" through the age index took 7x a plain scan. ``quick=False`` leaves the
    quick filter out, for the counts its chips show."""
    conditions = [visible_to(viewer)]
    ranged = (lambda column: column) if index_ranges else _unindexed
    if f.mine_only:
        conditions.append(col(Client.advisor_id) == viewer.id)
    ranges = [
        (ranged(Client.latest_probability), f.probability_min, f.probability_max),
        (ranged(Client.age), f.age_min, f.age_max),
        (ranged(Client.income), f.income_min, f.income_max),
        (ranged(Client.payment_incidents), f.incidents_min, f.incidents_max),
    ]
    for column, low, high in ranges:
        if low is not None:
            conditions.append(column >= low)
        if high is not None:
            conditions.append(column <= high)
    if f.recommendation:
        conditions.append(col(Client.latest_recommendation) == f.recommendation)
    if f.risk_band:
        conditions.append(col(Client.latest_risk_band) == f.risk_band)
    if f.stale_only:
        conditions.append(ranged(Client.oldest_as_of) < stale_before(today))
    if f.id_prefix:
        conditions.append(_id_fragment_condition(f.id_prefix))
    if f.decision_status:
        conditions.append(worklist.decision_status_condition(f.decision_status))
    if f.quick and quick:
        conditions.append(worklist.quick_filter_condition(f.quick, today))
    return conditions


def _id_fragment_condition(fragment: str):
    """Match a pseudonymous id containing these hex digits anywhere (dashes optional).

    Compared on the id's 32 hex digits as text, the same on PostgreSQL's uuid and
    SQLite's hex string: an advisor reads a fragment off a letter, not always its start.
    PostgreSQL finds it through the trigram index of that text (ix_client_id_hex_trgm).
    """
    digits = "".join(c for c in fragment.lower() if c in "0123456789abcdef")[:32]
    if not digits:
        return sa.false()
    return CLIENT_ID_HEX.contains(digits, autoescape=True)


def capped_count(session: Session, conditions: list) -> int:
    """Clients matching ``conditions``, counted up to ``COUNT_CAP + 1``: a result above
    :data:`COUNT_CAP` means "more than COUNT_CAP" (see :func:`is_capped`)."""
    matches = select(sa.literal(1)).select_from(Client).where(*conditions).limit(COUNT_CAP + 1).subquery()
    return session.exec(select(func.count()).select_from(matches)).one()


def planned_matches(session: Session, conditions: list) -> float | None:
    """PostgreSQL's estimate of the clients matching ``conditions`` (``EXPLAIN``: planned,
    nothing read), None on SQLite, which has none to give."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    compiled = select(sa.literal(1)).select_from(Client).where(*conditions).compile(bind)
    plan = session.connection().exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params)
    return float(plan.scalar_one()[0]["Plan"]["Plan Rows"])


def quick_filter_count(session: Session, conditions: list) -> int:
    """A :func:`capped_count`, unless the planner expects ten times the cap: then the
    answer is "more than the cap" without reading 10,001 clients to say so (a quarter
    of a second for "to do" at 10,000,000 clients, each a decision lookup). The factor
    covers the planner's usual error; a chip, unlike the list's count, is a hint."""
    planned = planned_matches(session, conditions)
    if planned is not None and planned > CHIP_ESTIMATE_TRUSTED_ABOVE:
        return COUNT_CAP + 1
    return capped_count(session, conditions)


def is_capped(total: int) -> bool:
    """Whether a :func:`capped_count` stopped at the cap rather than counting every match."""
    return total > COUNT_CAP


def reported_count(total: int) -> tuple[int, bool]:
    """(count shown, capped): a capped total reads as the cap itself, flagged."""
    return min(total, COUNT_CAP), is_capped(total)


def last_page(total: int, page_size: int) -> int:
    """The number of the last page for ``total`` clients (1 when there are none); a capped
    total pages through its first :data:`COUNT_CAP` matches only (refine the filter)."""
    return max(1, -(-min(total, COUNT_CAP) // page_size))


def list_clients(
    session: Session, viewer: Viewer, f: ClientFilter, today: date | None = None
) -> tuple[list[Client], int]:
    """One page of clients and the count matching the filter, capped
    (:func:`capped_count`): pages reach the first :data:`COUNT_CAP` matches."""
    today = today or date.today()
    conditions = _conditions(viewer, f, today)
    sqlite = session.get_bind().dialect.name == "sqlite"
    counted = _conditions(viewer, f, today, index_ranges=False) if sqlite else conditions
    total = capped_count(session, counted)
    page_size = max(1, min(f.page_size, PAGE_SIZE_MAX))
    offset = (max(1, f.page) - 1) * page_size
    if offset >= min(total, COUNT_CAP):
        return [], total
    source = Client
    if total <= FILTER_FIRST_UP_TO:
        # Few matches: filter, then sort them. Walking the sort column's index instead,
        # as the planner likes to with a LIMIT, reads most of the portfolio when the
        # matches are rare or all at its far end (40 ms vs 2 ms at 100,000 clients).
        source = aliased(Client, select(Client).where(*conditions).cte("matches").prefix_with("MATERIALIZED"))
        conditions = []
    column = getattr(source, SORTABLE[f.sort])
    order = column.desc() if f.descending else column.asc()
    if column.expression.nullable:  # unscored clients last; NOT NULL columns keep their index
        order = order.nulls_last()
    rows = session.exec(
        select(source).where(*conditions).order_by(order, col(source.id)).offset(offset).limit(page_size)
    ).all()
    return list(rows), total


def quick_counts(
    session: Session, viewer: Viewer, f: ClientFilter, today: date | None = None
) -> dict[str, int]:
    """How many clients each quick filter would show under the filter's other criteria,
    each a :func:`quick_filter_count`: one pass summing over every match took seconds at
    10,000,000 clients, where each capped count stops at the cap or uses an index."""
    today = today or date.today()
    sqlite = session.get_bind().dialect.name == "sqlite"
    conditions = _conditions(viewer, f, today, index_ranges=not sqlite, quick=False)
    return {
        quick.value: quick_filter_count(session, [*conditions, worklist.quick_filter_condition(quick, today)])
        for quick in QuickFilter
    }


def get_client(session: Session, viewer: Viewer, client_id: str) -> Client | None:
    """A client the viewer may see, or None (callers answer 'not found', never 'forbidden')."""
    try:
        key = uuid.UUID(client_id)
    except (ValueError, TypeError):
        return None
    return session.exec(select(Client).where(Client.id == key, visible_to(viewer))).first()


class ClientView(StrEnum):
    """What a ``client_view`` audit event put on screen. The oversight figures tell a
    decision taken with the score's reasons in view from one taken without."""

    page = "page"  # the dashboard's client page: gauge, reasons, data
    record = "record"  # the API's client record: the data, no score
    score = "score"  # the API's score, with its reasons


def view_client(
    session: Session,
    viewer: Viewer,
    client_id: str,
    *,
    request_id: str | None = None,
    view: ClientView = ClientView.page,
) -> Client | None:
    """:func:`get_client`, with the access written to the audit log (found or not)."""
    client = get_client(session, viewer, client_id)
    audit.record(
        session,
        actor=viewer.actor,
        action="client_view",
        object_type="client",
        object_id=str(client_id)[:64],
        outcome="success" if client else "not_found",
        request_id=request_id,
        details={"view": view.value},
    )
    return client


def feature_percentiles(session: Session, client: Client) -> dict[str, float]:
    """Where each of the client's values stands in the active portfolio, 0-100.

    The share of active clients with a value at or below the client's: one
    indexed count per feature, never the whole portfolio in memory.
    """
    listed = Client.status == ClientStatus.active
    total = session.exec(select(func.count()).select_from(Client).where(listed)).one()
    if not total:
        return {}
    result = {}
    for name in FEATURE_NAMES:
        column = getattr(Client, name)
        below = session.exec(
            select(func.count()).select_from(Client).where(listed, column <= getattr(client, name))
        ).one()
        result[name] = 100.0 * below / total
    return result


class ClientNotFoundError(LookupError):
    """No client has this id (or the id is not a UUID)."""


def find_client(session: Session, client_id: uuid.UUID | str) -> Client:
    """A client by pseudonym, whatever its status (callers decide what each status allows)."""
    try:
        key = client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    except ValueError:
        raise ClientNotFoundError("not a client id") from None
    client = session.get(Client, key)
    if client is None:
        raise ClientNotFoundError("no such client")
    return client


def end_relationship(
    session: Session,
    actor: CurrentAdvisor,
    client_id: uuid.UUID | str,
    ended_on: date,
    *,
    request_id: str | None = None,
) -> Client:
    """Record the end of a client relationship; its retention date follows from the policy."""
    require_supervisor(actor)
    client = find_client(session, client_id)
    client.relationship_ended_on = ended_on
    client.retention_until = ended_on + duration(session, RetentionCategory.client_records)
    session.add(client)
    audit.record(
        session,
        actor=actor.actor,
        action="relationship_ended",
        object_type="client",
        object_id=str(client.id),
        request_id=request_id,
        details={"retention_until": client.retention_until.isoformat()},
    )
    return client
