"""The client page: the current score with its explanation, what-if, history, decision.

Every handler re-checks the session and the client's visibility: an advisor
who types another advisor's client URL gets "not found", and so does any
crafted event. Scoring runs in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import uuid

import reflex as rx

from modeling.features import FEATURE_NAMES, what_if_range
from neobank_dashboard.db import Channel, Outcome, session_scope
from neobank_dashboard.display import client as text
from neobank_dashboard.display.client import WHAT_IF_FEATURES
from neobank_dashboard.services import decisions, scoring
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.clients import feature_percentiles, get_client, view_client
from neobank_dashboard.state.session import SessionState, signed_in

OUTCOMES = tuple(outcome.value for outcome in Outcome)


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

    # ------------------------------------------------ display vars (texts in display.client)

    @rx.var
    def client_id(self) -> str:
        return self._client.get("id", "")

    @rx.var
    def has_score(self) -> bool:
        return bool(self._score)

    @rx.var
    def gauge(self) -> dict[str, str]:
        return text.gauge_of(self._score)

    @rx.var
    def what_if_gauge(self) -> dict[str, str]:
        return text.gauge_of(self._what_if_score or self._score)

    @rx.var
    def probability_text(self) -> str:
        return text.probability_text(self._score, self.lang)

    @rx.var
    def what_if_probability_text(self) -> str:
        return text.probability_text(self._what_if_score or self._score, self.lang)

    @rx.var
    def what_if_recommendation(self) -> str:
        return (self._what_if_score or self._score or {}).get("recommendation", "")

    @rx.var
    def what_if_delta_text(self) -> str:
        return text.delta_text(self._what_if_score, self._score, self.lang)

    @rx.var
    def threshold_text(self) -> str:
        return text.threshold_text(self._score, self.lang)

    @rx.var
    def recommendation(self) -> str:
        return self._score.get("recommendation", "")

    @rx.var
    def risk_band(self) -> str:
        return self._score.get("risk_band", "")

    @rx.var
    def recommendation_notes(self) -> list[str]:
        return text.notes(self._score, self.lang)

    @rx.var
    def needs_refresh(self) -> bool:
        return any(f["stale"] and f["critical"] for f in self._score.get("freshness", {}).values())

    @rx.var
    def model_line(self) -> str:
        return text.model_line(self._score, self.lang)

    @rx.var
    def reasons(self) -> list[dict[str, str]]:
        return text.reason_rows(self._score, self.lang)

    @rx.var
    def contributions(self) -> list[dict[str, str]]:
        return text.contribution_rows(self._score, self.lang)

    @rx.var
    def base_text(self) -> str:
        return text.base_text(self._score, self.lang)

    @rx.var
    def features(self) -> list[dict[str, str]]:
        return text.feature_rows(self._client, self._score, self._percentiles, self.lang)

    @rx.var
    def what_if_controls(self) -> list[dict[str, str]]:
        return text.what_if_controls(self._client, self.what_if, self.lang)

    @rx.var
    def history(self) -> list[dict[str, str]]:
        return text.history_rows(self._history, self.lang)

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
    @signed_in
    async def load(self, advisor: CurrentAdvisor):
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
    @signed_in
    async def set_what_if(self, advisor: CurrentAdvisor, name: str, value: str):
        """Re-score the edited features live; nothing is recorded."""
        if name not in WHAT_IF_FEATURES or not self._client:
            return
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.what_if_error = "whatif.invalid"
            return
        low, high = what_if_range(name, self._client)
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
    @signed_in
    async def submit_decision(self, advisor: CurrentAdvisor, form_data: dict):
        """The justification arrives with the form, so what is recorded is what was typed."""
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
