"""The client page's contest form: the client's statement and, optionally, corrected
values with the dates they were observed (services/contests.py does the rest).

A substate of the client page's: after the contest it reloads the page's score,
since corrected values have rescored the client.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import reflex as rx

from modeling.features import FEATURE_NAMES
from neobank_dashboard.db import session_scope
from neobank_dashboard.i18n import format_date
from neobank_dashboard.services import contests, rgpd
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.reviews import ReviewConflictError, ReviewError
from neobank_dashboard.state.client import ClientState
from neobank_dashboard.state.session import signed_in


def corrections_from(form: dict) -> tuple[dict[str, tuple[float, date]], dict[str, str]]:
    """The corrected values typed (5,5 or 50 000 accepted) and an error key per bad field."""
    corrections, errors = {}, {}
    for name in FEATURE_NAMES:
        raw = str(form.get(f"correction-{name}", "")).replace(",", ".").replace(" ", "").replace("\u202f", "")
        if not raw:
            continue
        try:
            value = float(raw)
        except ValueError:
            errors[name] = "contest.error.corrections"
            continue
        try:
            observed = date.fromisoformat(str(form.get(f"correction-{name}-as_of", "")))
        except ValueError:
            errors[name] = "contest.error.as_of"
            continue
        corrections[name] = (value, observed)
    return corrections, errors


class ContestState(ClientState):
    contest_decision_id: int = 0
    contest_decision: dict[str, str] = {}  # outcome, date (formatted on load)
    contest_pending: bool = False
    contest_errors: dict[str, str] = {}  # field -> message key
    contest_notice: str = ""
    contest_form_key: int = 0

    @rx.event
    @signed_in
    async def load_contest(self, advisor: CurrentAdvisor):
        self.contest_errors, self.contest_notice = {}, ""
        await asyncio.to_thread(self._load_contest, advisor)

    def _load_contest(self, advisor: CurrentAdvisor):
        with session_scope() as db:
            decision, self.contest_pending = contests.decision_in_force(db, advisor, self.client_id)
        self.contest_decision_id = decision.id if decision and decision.id else 0
        self.contest_decision = (
            {"outcome": decision.outcome, "at": format_date(decision.created_at, self.lang)}
            if decision
            else {}
        )

    @rx.event
    @signed_in
    async def submit_contest(self, advisor: CurrentAdvisor, form_data: dict):
        self.contest_notice = ""
        corrections, self.contest_errors = corrections_from(form_data)
        if not str(form_data.get("statement", "")).strip():
            self.contest_errors["statement"] = "contest.statement_required"
        if self.contest_errors:
            return
        error = await asyncio.to_thread(self._contest, advisor, str(form_data["statement"]), corrections)
        if error:
            self.contest_errors = error
            return
        await asyncio.to_thread(self._load, advisor, self.client_id)  # the new score, the new history
        await asyncio.to_thread(self._load_contest, advisor)
        self.contest_notice = "contest.recorded"
        self.contest_form_key += 1

    def _contest(self, advisor: CurrentAdvisor, statement: str, corrections: dict) -> dict[str, str]:
        """Record the contest; {} or an error key per field ("form" for the whole form)."""
        try:
            with session_scope() as db:
                contests.open_contest(
                    db,
                    advisor,
                    self.contest_decision_id,
                    statement,
                    corrections,
                    request_id=str(uuid.uuid4()),
                )
        except (contests.DecisionNotFoundError, rgpd.RequestRefusedError):
            return {"form": "error.not_found"}
        except ReviewConflictError:
            return {"form": "contest.pending"}
        except ReviewError:
            return {"statement": "contest.statement_required"}
        except rgpd.RectificationError as error:
            fields = {field.removesuffix("_as_of") for field, _ in error.problems}
            return {(f if f in FEATURE_NAMES else "form"): "contest.error.corrections" for f in fields}
        return {}

    @rx.var
    def contest_messages(self) -> dict[str, str]:
        return {field: self.t.get(key, key) for field, key in self.contest_errors.items()}
