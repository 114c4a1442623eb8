"""The RGPD page: the rules, read from their single sources (feature spec, policy table)."""

from __future__ import annotations

import json
from datetime import date

import reflex as rx
from sqlmodel import col, select

from modeling.features import FEATURES
from neobank_dashboard.db import RetentionPolicy, session_scope
from neobank_dashboard.display.texts import translate
from neobank_dashboard.i18n import format_number
from neobank_dashboard.services import rgpd
from neobank_dashboard.services.auth import CurrentAdvisor, SupervisorRequiredError
from neobank_dashboard.services.clients import ClientNotFoundError
from neobank_dashboard.services.rgpd import (
    RectificationError,
    RequestRefusedError,
    RestrictionGround,
)
from neobank_dashboard.state.session import SessionState, signed_in

RESTRICTION_GROUNDS = tuple(ground.value for ground in RestrictionGround)  # the form's choices


class RgpdState(SessionState):
    _policies: list[dict] = []

    @rx.var
    def variables(self) -> list[dict[str, str]]:
        english = self.lang == "en"
        return [
            {
                "name": f.name,
                "label": f.label_en if english else f.label_fr,
                "why": f.description_en if english else f.description_fr,
                "unit": f.unit_en if english else f.unit_fr,
                "range": f"{format_number(f.minimum, self.lang)} – {format_number(f.maximum, self.lang)}",
            }
            for f in FEATURES
        ]

    @rx.var
    def policies(self) -> list[dict[str, str]]:
        english = self.lang == "en"
        return [
            {
                "category": p["category"],
                "label": p["description_en"] if english else p["description_fr"],
                "duration": _duration_text(p["duration_days"], self.lang),
                "trigger": translate(f"rgpd.trigger.{p['trigger']}", self.lang),
                "basis": p["legal_basis"],
            }
            for p in self._policies
        ]

    @rx.event
    @signed_in
    def load(self, advisor: CurrentAdvisor):
        with session_scope() as db:
            rows = db.exec(select(RetentionPolicy).order_by(col(RetentionPolicy.duration_days))).all()
            self._policies = [row.model_dump() for row in rows]
        return None


def _duration_text(days: int, lang: str) -> str:
    """Whole years or months read better than days; the exact day count stays visible."""
    if days % 365 == 0:
        years = days // 365
        unit = ("an" if years == 1 else "ans") if lang == "fr" else ("year" if years == 1 else "years")
        return f"{years} {unit}"
    return f"{format_number(days, lang)} {translate('rgpd.retention.days', lang)}"


class RgpdActionsState(RgpdState):
    """Data-subject requests, handled by supervisors. Every handler re-checks the role."""

    target_id: str = ""
    feature: str = "income"
    value: str = ""
    as_of: str = ""
    ground: str = RestrictionGround.accuracy_contested.value
    confirm_erase: bool = False
    message: str = ""
    message_detail: str = ""
    failed: bool = False

    @rx.event
    def set_field(self, name: str, value: str):
        if name in ("target_id", "feature", "value", "as_of", "ground"):
            setattr(self, name, value.strip())

    @rx.event
    def set_confirm_erase(self, checked: bool):
        self.confirm_erase = checked

    def _run(self, request):
        """Run one request for a supervisor; set the outcome message; return its result."""
        self.message, self.message_detail, self.failed = "", "", True
        actor = self.current_advisor()
        if actor is None:
            return None
        try:
            with session_scope() as db:
                result = request(db, actor)
        except SupervisorRequiredError:
            self.message = "rgpd.error.forbidden"
        except ClientNotFoundError:
            self.message = "rgpd.error.not_found"
        except RequestRefusedError:
            self.message = "rgpd.error.refused"
        except RectificationError as error:
            self.message = "rgpd.error.invalid"
            self.message_detail = ", ".join(f"{field} {reason}" for field, reason in error.problems)
        else:
            self.failed = False
            return result
        return None

    @rx.event
    def export(self):
        data = self._run(lambda db, actor: rgpd.export_client(db, actor, self.target_id))
        if data is None:
            return None
        self.message = "rgpd.done.export"
        return rx.download(
            data=json.dumps(data, indent=2, ensure_ascii=False, default=str),
            filename=f"client-{self.target_id[:8]}-export.json",
        )

    @rx.event
    def rectify(self):
        try:
            value = float(self.value.replace(",", ".").replace(" ", ""))
            as_of = date.fromisoformat(self.as_of) if self.as_of else date.today()
        except ValueError:
            self.message, self.message_detail, self.failed = "rgpd.error.invalid", self.feature, True
            return
        score = self._run(
            lambda db, actor: rgpd.rectify(db, actor, self.target_id, self.feature, value, as_of) or False
        )
        if not self.failed:
            self.message = "rgpd.done.rectify" if score else "rgpd.done.rectify_unscored"

    @rx.event
    def restrict(self):
        self._run(lambda db, actor: rgpd.restrict(db, actor, self.target_id, self.ground))
        if not self.failed:
            self.message = "rgpd.done.restrict"

    @rx.event
    def object_to_processing(self):
        self._run(lambda db, actor: rgpd.object_to_processing(db, actor, self.target_id))
        if not self.failed:
            self.message = "rgpd.done.object"

    @rx.event
    def erase(self):
        if not self.confirm_erase:
            self.message, self.failed = "rgpd.actions.erase_confirm", True
            return
        self._run(lambda db, actor: rgpd.erase(db, actor, self.target_id))
        if not self.failed:
            self.message, self.confirm_erase = "rgpd.done.erase", False
