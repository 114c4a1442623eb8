"""The review queue page: the items a second person must look at, claim, resolve;
and the human-oversight figures beside them.

Supervisors and admins only, checked in every handler (``supervising=True``); the
services enforce four-eyes and write the audit trail.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from urllib.parse import urlencode

import reflex as rx
from sqlmodel import col, select

from neobank_dashboard.db import Outcome, session_scope
from neobank_dashboard.db.models import Advisor, Review, ReviewKind, ReviewOutcome, ReviewStatus
from neobank_dashboard.i18n import format_date, format_number, format_percent
from neobank_dashboard.services import decisions, oversight, reviews
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.state.session import SessionState, signed_in

KINDS = tuple(kind.value for kind in ReviewKind)
REVIEW_OUTCOMES = tuple(outcome.value for outcome in ReviewOutcome)
OUTCOMES = tuple(outcome.value for outcome in Outcome)


def _queue(
    reviewer: CurrentAdvisor, kind: str | None, overdue: bool
) -> tuple[list[dict], int, dict[str, int]]:
    with session_scope() as db:
        wanted = ReviewKind(kind) if kind in set(ReviewKind) else None
        page = reviews.list_reviews(db, reviewer, reviews.ReviewFilter(kind=wanted, overdue=overdue))
        assignees = {item.review.assignee_id for item in page.items} - {None}
        names = dict(
            db.exec(select(Advisor.id, Advisor.full_name).where(col(Advisor.id).in_(assignees))).all()
        )
        today = datetime.now(UTC).date()
        items = [
            {
                "id": str(item.review.id),
                "kind": item.review.kind,
                "client_id": str(item.review.client_id),
                "decision": item.decision.outcome,
                "decided_by": item.decided_by,
                "decided_at": item.decision.created_at,
                "due_on": item.review.due_on,
                "opened_at": item.review.created_at,
                "overdue": reviews.is_overdue(item.review, today),
                "assignee": names.get(item.review.assignee_id, ""),
                "statement": item.contest.statement if item.contest else "",
                "score_before": item.score_before.probability,
                "score_after": item.score_after.probability if item.score_after else None,
            }
            for item in page.items
        ]
        return items, page.count, page.count_by_kind


def _oversight(viewer: CurrentAdvisor) -> list[dict]:
    with session_scope() as db:
        report = oversight.oversight_report(db, viewer)
    rows = [{"name": a.full_name, "figures": a.figures} for a in report.advisors]
    return [*rows, {"name": "", "figures": report.total}]  # "" marks the total


def _percent(value: float | None, lang: str) -> str:
    return "—" if value is None else format_percent(value, lang, 0)


class ReviewsState(SessionState):
    kind: str = ""
    overdue_only: bool = False
    count: int = 0
    count_by_kind: dict[str, int] = {}
    loaded: bool = False
    resolving: str = ""  # the id of the item whose resolution form is open
    resolution_outcome: str = ""
    new_outcome: str = ""
    errors: dict[str, str] = {}  # field (or "item") -> message key
    notice: str = ""
    form_key: int = 0
    _raw_items: list[dict] = []
    _raw_oversight: list[dict] = []

    @rx.var
    def items(self) -> list[dict[str, str]]:
        now = datetime.now(UTC)
        return [
            {
                **{
                    k: str(item[k]) for k in ("id", "kind", "client_id", "decision", "decided_by", "assignee")
                },
                "statement": item["statement"],
                "decided_at": format_date(item["decided_at"], self.lang),
                "due_on": format_date(item["due_on"], self.lang),
                "age": str((now - item["opened_at"].replace(tzinfo=item["opened_at"].tzinfo or UTC)).days),
                "overdue": "1" if item["overdue"] else "",
                "score_before": format_percent(item["score_before"], self.lang),
                "score_after": ""
                if item["score_after"] is None
                else format_percent(item["score_after"], self.lang),
            }
            for item in self._raw_items
        ]

    @rx.var
    def resolving_item(self) -> dict[str, str]:
        """The item under resolution: what the reviewer weighs (statement, both scores)."""
        return next((item for item in self.items if item["id"] == self.resolving), {})

    @rx.var
    def kind_links(self) -> list[dict[str, str]]:
        """One filter link per kind, with its count; the current one links back to all."""
        links = []
        for kind in ("", *KINDS):
            query = {"kind": kind if kind != self.kind else ""} | {
                "overdue": "true" if self.overdue_only else ""
            }
            count = sum(self.count_by_kind.values()) if kind == "" else self.count_by_kind.get(kind, 0)
            links.append(
                {
                    "kind": kind or "all",
                    "count": str(count),
                    "href": "/reviews?" + urlencode({k: v for k, v in query.items() if v}),
                    "active": "1" if kind == self.kind else "",
                }
            )
        return links

    @rx.var
    def overdue_link(self) -> str:
        query = {"kind": self.kind, "overdue": "" if self.overdue_only else "true"}
        return "/reviews?" + urlencode({k: v for k, v in query.items() if v})

    @rx.var
    def oversight_rows(self) -> list[dict[str, str]]:
        rows = []
        for row in self._raw_oversight:
            f = row["figures"]
            median = f.median_seconds_to_decide
            rows.append(
                {
                    "name": row["name"],
                    "decisions": format_number(f.decisions, self.lang),
                    "override_rate": _percent(f.override_rate, self.lang),
                    "agreement_rate": _percent(f.agreement_rate, self.lang),
                    "median_time": "—" if median is None else format_number(median, self.lang) + "\u00a0s",
                    "without_reasons": _percent(f.without_reasons_share, self.lang),
                    "flags": ",".join(f.flags),
                }
            )
        return rows

    @rx.var
    def error_messages(self) -> dict[str, str]:
        return {field: self.t.get(key, key) for field, key in self.errors.items()}

    @rx.event
    @signed_in(supervising=True)
    async def load(self, advisor: CurrentAdvisor):
        params = self.router.url.query_parameters
        asked = params.get("kind", "")
        self.kind = asked if asked in KINDS else ""
        self.overdue_only = params.get("overdue", "") == "true"
        self.loaded = False
        self._close_form()
        if asked and not self.kind:  # a mistyped link: say so rather than silently show all
            self.errors = {"item": "reviews.unknown_kind"}
        self.notice = ""
        await self._refresh(advisor)

    async def _refresh(self, advisor: CurrentAdvisor):
        self._raw_items, self.count, self.count_by_kind = await asyncio.to_thread(
            _queue, advisor, self.kind or None, self.overdue_only
        )
        self._raw_oversight = await asyncio.to_thread(_oversight, advisor)
        self.loaded = True

    def _close_form(self):
        self.resolving, self.resolution_outcome, self.new_outcome, self.errors = "", "", "", {}

    @rx.event
    @signed_in(supervising=True)
    async def claim(self, advisor: CurrentAdvisor, review_id: str):
        self.notice, self.errors = "", {}
        error = await asyncio.to_thread(self._act, advisor, review_id, None)
        if error:
            self.errors = {"item": error}
        await self._refresh(advisor)

    @rx.event
    def open_resolution(self, review_id: str):
        self._close_form()
        self.notice, self.resolving = "", review_id
        self.form_key += 1

    @rx.event
    def cancel_resolution(self):
        self._close_form()

    @rx.event
    def set_resolution_outcome(self, value: str):
        self.resolution_outcome = value if value in REVIEW_OUTCOMES else ""
        if self.resolution_outcome != ReviewOutcome.changed:
            self.new_outcome = ""

    @rx.event
    def set_new_outcome(self, value: str):
        self.new_outcome = value if value in OUTCOMES else ""

    @rx.event
    @signed_in(supervising=True)
    async def submit_resolution(self, advisor: CurrentAdvisor, form_data: dict):
        """The justification arrives with the form: what is recorded is what was typed."""
        self.notice, self.errors = "", {}
        if not self.resolution_outcome:
            self.errors = {"outcome": "review.error.outcome"}
            return
        resolution = (
            self.resolution_outcome,
            self.new_outcome or None,
            str(form_data.get("justification", "")),
        )
        error = await asyncio.to_thread(self._act, advisor, self.resolving, resolution)
        if error:
            field, _, key = error.partition("|")
            self.errors = {field: key} if key else {"item": error}
            return
        self._close_form()
        self.notice = "review.resolved_notice"
        await self._refresh(advisor)

    def _act(self, advisor: CurrentAdvisor, review_id: str, resolution: tuple | None) -> str:
        """Claim the item (``resolution`` None) or resolve it; '' or an error message key
        (``field|key`` for a form field)."""
        if not review_id.isdigit():
            return "error.not_found"
        try:
            with session_scope() as db:
                request_id = str(uuid.uuid4())
                if resolution is None:
                    reviews.claim(db, advisor, int(review_id), request_id=request_id)
                else:
                    outcome, new_outcome, justification = resolution
                    reviews.resolve(
                        db,
                        advisor,
                        int(review_id),
                        outcome,
                        justification,
                        new_outcome,
                        request_id=request_id,
                    )
        except reviews.ReviewNotFoundError:
            return "error.not_found"
        except reviews.FourEyesError:
            return "review.four_eyes"
        except reviews.ReviewConflictError:
            return _conflict(int(review_id))
        except (reviews.ReviewError, decisions.DecisionError) as error:
            return f"{error.field}|review.error.{error.field}"
        return ""


def _conflict(review_id: int) -> str:
    """Why the item could not be acted on, read from the item as it now stands."""
    with session_scope() as db:
        review = db.get(Review, review_id)
    if review is None:
        return "review.client_unavailable"
    if review.status == ReviewStatus.resolved:
        return "review.already_resolved"
    if review.assignee_id is not None:
        return "review.claimed_by_other"
    return "review.client_unavailable"
