"""The admin page: staff accounts and the audit log (supervisors and admins)."""

from __future__ import annotations

import asyncio
from datetime import date

import reflex as rx

from neobank_dashboard.db import session_scope
from neobank_dashboard.db.models import Role, id_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.display.audit import action_label, actor_label, object_label, outcome_label
from neobank_dashboard.display.texts import translate
from neobank_dashboard.i18n import format_count
from neobank_dashboard.navigation import HOME_ROUTE
from neobank_dashboard.services import advisors, retention
from neobank_dashboard.services.advisors import AccountError
from neobank_dashboard.services.audit_log import PAGE_SIZE, AuditFilter, known_actions, list_events
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.state.clients import REFUSED_PARAMETER
from neobank_dashboard.state.session import SessionState, signed_in

ROLES = tuple(role.value for role in Role)
OUTCOMES = ("success", "failure", "denied", "skipped")
# The account changes an administrator confirms in a dialog before they apply.
CONFIRMED_CHANGES = ("role", "deactivate")


class AdminState(SessionState):
    accounts: list[dict[str, str]] = []
    account_error: str = ""
    account_notice: str = ""
    pending: dict[str, str] = {}  # the change awaiting confirmation: kind, id, email, role
    _events: list[dict] = []
    _advisor_names: dict[int, str] = {}
    event_total: int = 0
    event_page: int = 1
    _actions: list[str] = []
    audit_filter: dict[str, str] = {"actor": "", "action": "", "outcome": "", "object_id": ""}
    purge_steps: list[dict[str, str]] = []
    purge_total: int = 0
    purge_notice: str = ""

    @rx.var
    def events(self) -> list[dict[str, str]]:
        """The current page of the log, in words: who did what, and how it ended."""
        return [
            event
            | {
                "actor": actor_label(event["actor"], self._advisor_names, self.lang),
                "action": action_label(event["action"], self.lang),
                "outcome_label": outcome_label(event["outcome"], self.lang),
                "object": object_label(event["object_type"], event["object_id"], self.lang),
            }
            for event in self._events
        ]

    @rx.var
    def action_options(self) -> list[dict[str, str]]:
        return [{"code": code, "label": action_label(code, self.lang)} for code in self._actions]

    @rx.var
    def outcome_options(self) -> list[dict[str, str]]:
        return [{"code": code, "label": outcome_label(code, self.lang)} for code in OUTCOMES]

    @rx.var
    def event_total_label(self) -> str:
        return format_count(self.event_total, self.lang, translate("audit.total", self.lang))

    @rx.var
    def pending_question(self) -> str:
        """What the confirmation dialog asks, with the account and the new role named."""
        if not self.pending:
            return ""
        question = translate(f"admin.confirm.{self.pending['kind']}", self.lang)
        role = translate(f"role.{self.pending.get('role', '')}", self.lang)
        return question.format(email=self.pending["email"], role=role)

    @rx.var
    def event_page_count(self) -> int:
        return max(1, -(-self.event_total // PAGE_SIZE))

    def _manager(self) -> CurrentAdvisor | None:
        """For the account forms, which answer a non-supervisor with a message, not a redirect."""
        advisor = self.current_advisor()
        return advisor if advisor is not None and advisor.sees_all_clients else None

    @rx.event
    @signed_in
    def load(self, advisor: CurrentAdvisor):
        if not advisor.sees_all_clients:
            return rx.redirect(f"{HOME_ROUTE}?{REFUSED_PARAMETER}=admin")
        self._refresh_accounts(advisor)
        self._refresh_events(advisor)
        self._refresh_purge_plan()
        return None

    def _refresh_purge_plan(self) -> None:
        with session_scope() as db:
            plan = retention.plan_purge(db, date.today())
        self.purge_steps = [
            {"category": step.category, "table": step.target, "rows": str(step.rows)}
            for step in plan.steps
            if step.rows
        ]
        self.purge_total = plan.total

    @rx.event
    @signed_in(supervising=True)
    def refresh_purge_plan(self, manager: CurrentAdvisor):
        self.purge_notice = ""
        self._refresh_purge_plan()
        return None

    @rx.event
    @signed_in(supervising=True)
    async def run_purge(self, manager: CurrentAdvisor):

        def purge() -> int:
            with session_scope() as db:
                return retention.run_purge(db, date.today(), actor=manager.actor).total

        removed = await asyncio.to_thread(purge)
        self.purge_notice = translate("purge.done", self.lang).format(n=removed)
        self._refresh_purge_plan()
        self._refresh_events(manager)

    def _refresh_accounts(self, manager: CurrentAdvisor) -> None:
        now = utcnow()
        with session_scope() as db:
            rows = advisors.list_advisors(db, manager)
        self.accounts = [
            {
                "id": str(a.id),
                "email": a.email,
                "full_name": a.full_name,
                "role": a.role,
                "active": "1" if a.active else "",
                "locked": "1" if a.locked_until and a.locked_until > now else "",
                "self": "1" if a.id == manager.id else "",
            }
            for a in rows
        ]
        self._advisor_names = {id_of(a): a.full_name for a in rows}

    def _refresh_events(self, manager: CurrentAdvisor) -> None:
        f = AuditFilter(
            page=self.event_page, **{k: (v.strip() or None) for k, v in self.audit_filter.items()}
        )
        with session_scope() as db:
            events, self.event_total = list_events(db, manager, f)
            self._actions = known_actions(db)
        self._events = [
            {
                "id": str(e.id),
                "when": e.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                "actor": e.actor,
                "action": e.action,
                "object_type": e.object_type or "",
                "object_id": e.object_id or "",
                "outcome": e.outcome,
                "request": (e.request_id or "")[:8],
            }
            for e in events
        ]

    def _account_change(self, change, *args) -> None:
        manager = self._manager()
        if manager is None:
            self.account_error = "admin.error.forbidden"
            return
        self.account_error = self.account_notice = ""
        try:
            with session_scope() as db:
                change(db, manager, *args)
        except AccountError as error:
            self.account_error = f"admin.error.{error.reason}"
            return
        self.account_notice = "admin.saved"
        self._refresh_accounts(manager)
        self._refresh_events(manager)

    @rx.event
    def set_active(self, advisor_id: str, active: bool):
        self._account_change(advisors.set_active, int(advisor_id), active)

    @rx.event
    def ask(self, kind: str, advisor_id: str, role: str):
        """Open the confirmation dialog for a role change or a deactivation."""
        account = next((a for a in self.accounts if a["id"] == advisor_id), None)
        if kind not in CONFIRMED_CHANGES or account is None or (kind == "role" and role not in ROLES):
            return
        self.pending = {"kind": kind, "id": advisor_id, "email": account["email"], "role": role}

    @rx.event
    def cancel_pending(self):
        self.pending = {}

    @rx.event
    def confirm_pending(self):
        pending, self.pending = self.pending, {}
        if pending.get("kind") == "role":
            self._account_change(advisors.change_role, int(pending["id"]), pending["role"])
        elif pending.get("kind") == "deactivate":
            self._account_change(advisors.set_active, int(pending["id"]), False)

    @rx.event
    def unlock(self, advisor_id: str):
        self._account_change(advisors.unlock, int(advisor_id))

    @rx.event
    async def create_account(self, form_data: dict):
        manager = self._manager()
        if manager is None:
            self.account_error = "admin.error.forbidden"
            return
        self.account_error = self.account_notice = ""

        def create() -> None:
            with session_scope() as db:
                advisors.add_advisor(
                    db,
                    manager,
                    email=str(form_data.get("email", "")),
                    full_name=str(form_data.get("full_name", "")),
                    password=str(form_data.get("password", "")),
                    role=str(form_data.get("role", "advisor")),
                )

        try:
            await asyncio.to_thread(create)  # argon2 hashing is deliberately slow
        except AccountError as error:
            self.account_error = f"admin.error.{error.reason}"
            return
        self.account_notice = "admin.created"
        self._refresh_accounts(manager)
        self._refresh_events(manager)

    @rx.event
    def set_audit_filter(self, name: str, value: str):
        if name in self.audit_filter:
            self.audit_filter[name] = value

    @rx.event
    @signed_in(supervising=True)
    def apply_audit_filter(self, manager: CurrentAdvisor):
        self.event_page = 1
        self._refresh_events(manager)
        return None

    @rx.event
    @signed_in(supervising=True)
    def go_to_event_page(self, manager: CurrentAdvisor, page: int):
        self.event_page = max(1, min(page, self.event_page_count))
        self._refresh_events(manager)
        return None
