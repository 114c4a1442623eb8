"""The client page: the current score with its explanation, what-if, history, decision.

Every handler re-checks the session and the client's visibility: an advisor
who types another advisor's client URL gets "not found", and so does any
crafted event. Scoring runs in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import reflex as rx

from modeling.features import FEATURE_NAMES, FEATURES_BY_NAME, MIN_WORKING_AGE
from neobank_dashboard.components.gauge import gauge_geometry
from neobank_dashboard.db import Channel, Outcome, session_scope
from neobank_dashboard.i18n import (
    format_date,
    format_money,
    format_number,
    format_percent,
    translate,
)
from neobank_dashboard.services import decisions, scoring
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.clients import feature_percentiles, get_client, view_client
from neobank_dashboard.services.freshness import is_stale
from neobank_dashboard.state.session import LOGIN_ROUTE, SessionState

WHAT_IF_FEATURES = tuple(f for f in FEATURE_NAMES if FEATURES_BY_NAME[f].actionable)
OUTCOMES = tuple(outcome.value for outcome in Outcome)


def format_feature(name: str, value: float, lang: str) -> str:
    feature = FEATURES_BY_NAME[name]
    if name == "income":
        return format_money(value, lang)
    unit = feature.unit_en if lang == "en" else feature.unit_fr
    decimals = 0 if feature.kind is int or float(value).is_integer() else 1
    return f"{format_number(value, lang, decimals)} {unit}"


def _points_text(points: float, lang: str) -> str:
    sign = "+" if points >= 0 else "−"
    return f"{sign}{format_number(abs(points) * 100, lang, 1)} pts"


class ClientState(SessionState):
    found: bool = True
    loaded: bool = False
    scoring_message: str = ""
    decision_outcome: str = ""
    decision_form_key: int = 0
    decision_error: str = ""
    decision_notice: str = ""
    what_if: dict[str, float] = {}
    what_if_error: str = ""
    _client: dict = {}
    _score: dict = {}
    _what_if_score: dict = {}
    _percentiles: dict = {}
    _history: list[dict] = []

    # ------------------------------------------------------------ display vars

    @rx.var
    def client_id(self) -> str:
        return self._client.get("id", "")

    @rx.var
    def has_score(self) -> bool:
        return bool(self._score)

    @rx.var
    def gauge(self) -> dict[str, str]:
        return self._gauge_of(self._score)

    @rx.var
    def what_if_gauge(self) -> dict[str, str]:
        return self._gauge_of(self._what_if_score or self._score)

    def _gauge_of(self, score: dict) -> dict[str, str]:
        if not score:
            return gauge_geometry(0.0, 0.5, 0.4, 0.6)
        low, high = score["grey_zone"]
        return gauge_geometry(score["probability"], score["threshold"], low, high)

    @rx.var
    def probability_text(self) -> str:
        return format_percent(self._score["probability"], self.lang) if self._score else "—"

    @rx.var
    def what_if_probability_text(self) -> str:
        score = self._what_if_score or self._score
        return format_percent(score["probability"], self.lang) if score else "—"

    @rx.var
    def what_if_recommendation(self) -> str:
        return (self._what_if_score or self._score or {}).get("recommendation", "")

    @rx.var
    def what_if_delta_text(self) -> str:
        if not (self._what_if_score and self._score):
            return ""
        delta = self._what_if_score["probability"] - self._score["probability"]
        return _points_text(delta, self.lang)

    @rx.var
    def threshold_text(self) -> str:
        if not self._score:
            return ""
        return translate("client.threshold_is", self.lang).format(
            threshold=format_percent(self._score["threshold"], self.lang)
        )

    @rx.var
    def recommendation(self) -> str:
        return self._score.get("recommendation", "")

    @rx.var
    def risk_band(self) -> str:
        return self._score.get("risk_band", "")

    @rx.var
    def recommendation_notes(self) -> list[str]:
        return [note[self.lang if self.lang == "en" else "fr"] for note in self._score.get("notes", [])]

    @rx.var
    def needs_refresh(self) -> bool:
        return any(f["stale"] and f["critical"] for f in self._score.get("freshness", {}).values())

    @rx.var
    def model_line(self) -> str:
        if not self._score:
            return ""
        scored = format_date(self._score["scored_at"], self.lang)
        return (
            f"{translate('client.model', self.lang)} {self._score['model_version'][:12]} · "
            f"{translate('client.scored_at', self.lang)} {scored}"
        )

    @rx.var
    def reasons(self) -> list[dict[str, str]]:
        text = "en" if self.lang == "en" else "fr"
        return [
            {
                "text": r[text],
                "direction": r["direction"],
                "direction_text": translate(f"reason.{r['direction']}", self.lang),
                "points_text": _points_text(r["points"], self.lang),
                "actionable_text": translate("reason.actionable", self.lang) if r["actionable"] else "",
            }
            for r in self._score.get("reasons", [])
        ]

    @rx.var
    def contributions(self) -> list[dict[str, str]]:
        points = self._score.get("points", {})
        if not points:
            return []
        largest = max(abs(v) for v in points.values()) or 1.0
        rows = []
        for name in sorted(points, key=lambda n: -abs(points[n])):
            value = points[name]
            width = 50.0 * abs(value) / largest
            rows.append(
                {
                    "label": translate(f"feature.{name}", self.lang),
                    "points_text": _points_text(value, self.lang),
                    "direction": "raises" if value >= 0 else "lowers",
                    "left": f"{50.0 if value >= 0 else 50.0 - width:.2f}%",
                    "width": f"{width:.2f}%",
                }
            )
        return rows

    @rx.var
    def base_text(self) -> str:
        if not self._score:
            return ""
        return translate("client.base", self.lang).format(
            base=format_percent(self._score["base_probability"], self.lang)
        )

    @rx.var
    def features(self) -> list[dict[str, str]]:
        if not self._client:
            return []
        today = date.today()
        freshness = self._score.get("freshness", {})
        rows = []
        for name in FEATURE_NAMES:
            as_of = self._client[f"{name}_as_of"]
            stale = freshness.get(name, {}).get("stale", is_stale(as_of, today))
            percentile = self._percentiles.get(name)
            rows.append(
                {
                    "name": name,
                    "label": translate(f"feature.{name}", self.lang),
                    "value": format_feature(name, self._client[name], self.lang),
                    "percentile": (
                        translate("client.percentile_value", self.lang).format(
                            rank=format_number(min(100, max(1, round(percentile))), self.lang)
                        )
                        if percentile is not None
                        else "—"
                    ),
                    "as_of": format_date(as_of, self.lang),
                    "stale": "1" if stale else "",
                }
            )
        return rows

    @rx.var
    def what_if_controls(self) -> list[dict[str, str]]:
        if not self._client:
            return []
        controls = []
        for name in WHAT_IF_FEATURES:
            feature = FEATURES_BY_NAME[name]
            low, high = self._what_if_range(name)
            value = self.what_if.get(name, self._client[name])
            controls.append(
                {
                    "name": name,
                    "label": translate(f"feature.{name}", self.lang),
                    "min": str(low),
                    "max": str(high),
                    "step": str(feature.step),
                    "value": str(value),
                    "text": format_feature(name, value, self.lang),
                }
            )
        return controls

    def _what_if_range(self, name: str) -> tuple[float, float]:
        """Valid slider bounds: the feature spec, narrowed where a wide range is unusable."""
        feature = FEATURES_BY_NAME[name]
        low, high = feature.minimum, feature.maximum
        if name == "seniority":
            high = min(high, self._client["age"] - MIN_WORKING_AGE)
        elif name == "income":
            high = min(high, max(150_000.0, 3 * self._client["income"]))
        elif name == "payment_incidents":
            high = min(high, max(10, 2 * self._client["payment_incidents"]))
        return low, high

    @rx.var
    def history(self) -> list[dict[str, str]]:
        rows = []
        for item in self._history:
            when = format_date(item["at"], self.lang)
            if item["kind"] == "score":
                rows.append(
                    {
                        "kind": "score",
                        "when": when,
                        "what": format_percent(item["probability"], self.lang),
                        "detail": translate(f"recommendation.{item['recommendation']}", self.lang),
                        "note": translate("history.superseded", self.lang) if item["superseded"] else "",
                    }
                )
            else:
                rows.append(
                    {
                        "kind": "decision",
                        "when": when,
                        "what": translate(f"decision.{item['outcome']}", self.lang),
                        "detail": item["justification"] or "",
                        "note": translate("history.override", self.lang) if item["override"] else "",
                    }
                )
        return rows

    @rx.var
    def justification_required(self) -> bool:
        recommendation = self._score.get("recommendation", "")
        if not recommendation or not self.decision_outcome:
            return recommendation == "review"
        return decisions.justification_required(recommendation, Outcome(self.decision_outcome))

    # --------------------------------------------------------------- handlers

    def _visible_client(self, db, advisor: CurrentAdvisor):
        client_id = self._client.get("id") or self.router.page.params.get("client_id", "")
        return get_client(db, advisor, client_id)

    @rx.event
    async def load(self):
        advisor = self.current_advisor()
        if advisor is None:
            yield rx.redirect(LOGIN_ROUTE)
            return
        self.loaded, self.found = False, True
        self._client, self._score, self._what_if_score = {}, {}, {}
        self.what_if, self.what_if_error = {}, ""
        self.decision_outcome = ""
        self.decision_error = self.decision_notice = ""
        client_id = str(self.router.page.params.get("client_id", ""))
        found = await asyncio.to_thread(self._load, advisor, client_id)
        self.found, self.loaded = found, True

    def _load(self, advisor: CurrentAdvisor, client_id: str) -> bool:
        with session_scope() as db:
            client = view_client(db, advisor, client_id, request_id=str(uuid.uuid4()))
            if client is None:
                return False
            self._client = {
                "id": str(client.id),
                **{n: getattr(client, n) for n in FEATURE_NAMES},
                **{f"{n}_as_of": getattr(client, f"{n}_as_of") for n in FEATURE_NAMES},
            }
            self._percentiles = feature_percentiles(db, client)
            score = scoring.latest_score(db, client.id)
            status = scoring.scoring_status()
            self.scoring_message = "" if status.available else "client.manual_mode"
            if score is None and status.available:
                try:
                    score = scoring.score_client(
                        db, client, actor=advisor.actor, channel=Channel.ui, purpose="advisor_review"
                    )
                except (scoring.ScoringUnavailableError, scoring.ClientNotScorableError):
                    self.scoring_message = "client.not_scorable"
            self._score = scoring.ui_view(scoring.result_of(score)) if score else {}
            self._history = decisions.client_history(db, client.id)
        return True

    @rx.event
    async def set_what_if(self, name: str, value: str):
        """Re-score the edited features live; nothing is recorded."""
        if name not in WHAT_IF_FEATURES or not self._client:
            return
        if self.current_advisor() is None:
            yield rx.redirect(LOGIN_ROUTE)
            return
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.what_if_error = "whatif.invalid"
            return
        low, high = self._what_if_range(name)
        self.what_if[name] = min(max(number, low), high)
        values = {n: self.what_if.get(n, self._client[n]) for n in FEATURE_NAMES}
        as_of = {n: self._client[f"{n}_as_of"] for n in FEATURE_NAMES}
        try:
            result = await asyncio.to_thread(scoring.score_features, values, as_of)
        except scoring.FeatureValidationError:
            self.what_if_error = "whatif.invalid"
            return
        except scoring.ScoringUnavailableError:
            self.what_if_error = "client.manual_mode"
            return
        self.what_if_error = ""
        self._what_if_score = scoring.ui_view(result)

    @rx.event
    def reset_what_if(self):
        self.what_if, self._what_if_score, self.what_if_error = {}, {}, ""

    @rx.event
    def set_decision_outcome(self, outcome: str):
        self.decision_outcome = outcome if outcome in OUTCOMES else ""

    @rx.event
    async def submit_decision(self, form_data: dict):
        """The justification arrives with the form, so what is recorded is what was typed."""
        advisor = self.current_advisor()
        if advisor is None:
            yield rx.redirect(LOGIN_ROUTE)
            return
        self.decision_error = self.decision_notice = ""
        if not self.decision_outcome:
            self.decision_error = "decision.error.outcome"
            return
        justification = str(form_data.get("justification", ""))
        error = await asyncio.to_thread(self._decide, advisor, self.decision_outcome, justification)
        if error:
            self.decision_error = error
            return
        self.decision_notice = "decision.recorded"
        self.decision_outcome = ""
        self.decision_form_key += 1  # a fresh, empty form

    def _decide(self, advisor: CurrentAdvisor, outcome: str, justification: str) -> str:
        """Record the decision; an error message key, or '' when it is recorded."""
        try:
            with session_scope() as db:
                client = self._visible_client(db, advisor)
                if client is None:
                    return "error.not_found"
                decisions.record_decision(
                    db, advisor, client, outcome, justification, request_id=str(uuid.uuid4())
                )
                self._history = decisions.client_history(db, client.id)
        except decisions.ClientNotVisibleError:
            return "error.not_found"
        except decisions.DecisionError as error:
            return f"decision.error.{error.field}"
        return ""
