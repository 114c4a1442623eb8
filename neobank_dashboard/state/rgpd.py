"""The RGPD page: the rules, read from their single sources (feature spec, policy table)."""

from __future__ import annotations

import reflex as rx
from sqlmodel import select

from modeling.features import FEATURES
from neobank_dashboard.db import RetentionPolicy, session_scope
from neobank_dashboard.i18n import format_number, translate
from neobank_dashboard.state.session import LOGIN_ROUTE, SessionState


class RgpdState(SessionState):
    _policies: list[dict] = []

    @rx.var
    def variables(self) -> list[dict[str, str]]:
        english = self.lang == "en"
        return [
            {"name": f.name, "label": f.label_en if english else f.label_fr,
             "why": f.description_en if english else f.description_fr,
             "unit": f.unit_en if english else f.unit_fr,
             "range": f"{format_number(f.minimum, self.lang)} – "
                      f"{format_number(f.maximum, self.lang)}"}
            for f in FEATURES
        ]

    @rx.var
    def policies(self) -> list[dict[str, str]]:
        english = self.lang == "en"
        return [
            {"category": p["category"],
             "label": p["description_en"] if english else p["description_fr"],
             "duration": _duration_text(p["duration_days"], self.lang),
             "trigger": translate(f"rgpd.trigger.{p['trigger']}", self.lang),
             "basis": p["legal_basis"]}
            for p in self._policies
        ]

    @rx.event
    def load(self):
        if self.current_advisor() is None:
            return rx.redirect(LOGIN_ROUTE)
        with session_scope() as db:
            rows = db.exec(select(RetentionPolicy).order_by(RetentionPolicy.duration_days)).all()
            self._policies = [row.model_dump() for row in rows]
        return None


def _duration_text(days: int, lang: str) -> str:
    """Whole years or months read better than days; the exact day count stays visible."""
    if days % 365 == 0:
        years = days // 365
        unit = ("an" if years == 1 else "ans") if lang == "fr" else ("year" if years == 1 else
                                                                     "years")
        return f"{years} {unit}"
    return f"{format_number(days, lang)} {translate('rgpd.retention.days', lang)}"
