"""The client page: the decision screen (score, reasons, what would make the client
eligible, the decision and its letter), then the data, what-if and history.

Every handler re-checks the session and the client's visibility: an advisor
who types another advisor's client URL gets "not found", and so does any
crafted event. Scoring runs in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import uuid
from urllib.parse import unquote

import reflex as rx

from modeling.features import FEATURE_NAMES, what_if_range
from neobank_dashboard.db import Channel, Outcome, session_scope
from neobank_dashboard.display import client as text
from neobank_dashboard.display.client import WHAT_IF_FEATURES
from neobank_dashboard.display.texts import translate
from neobank_dashboard.i18n import LANGUAGES
from neobank_dashboard.services import audit, counterfactuals, decisions, scoring
from neobank_dashboard.services.auth import CurrentAdvisor
from neobank_dashboard.services.clients import feature_percentiles, get_client, view_client
from neobank_dashboard.services.decision_letter import decision_letter, describe_changes
from neobank_dashboard.state.session import SessionState, signed_in

OUTCOMES = tuple(outcome.value for outcome in Outcome)


# Module functions, not static methods: a stand-in state that binds what it finds to
# itself (tests/unit/test_states.StandIn, in some test orders) once called one with `self`.
def _options_of(db, client) -> list[dict]:
    """What would make the client eligible, as plain data with its FR/EN sentence."""
    try:
        options = counterfactuals.options_for_client(db, client) or []
    except (scoring.ScoringUnavailableError, scoring.ClientNotScorableError):
        return []
    return [
        {
            "changes": [{"feature": c.feature, "to": c.to} for c in option.changes],
            **{lang: describe_changes(option, lang) for lang in LANGUAGES},
        }
        for option in options
    ]


def _letter(advisor: CurrentAdvisor, decision_id: int, lang: str) -> bytes | None:
    with session_scope() as db:
        return decision_letter(db, advisor, decision_id, lang, request_id=str(uuid.uuid4()))


class ClientState(SessionState):
    found: bool = True
    loaded: bool = False
    scoring_message: str = ""
    decision_outcome: str = ""
    justification: str = ""
    decision_error: str = ""
    decision_notice: str = ""
    letter_error: str = ""
    what_if: dict[str, float] = {}
    what_if_error: str = ""
    what_if_key: int = 0
    _client: dict = {}
    _score: dict = {}
    _first_reason: str = ""
    _what_if_score: dict = {}
    _percentiles: dict = {}
    _history: list[dict] = []
    _options: list[dict] = []
    _latest_decision: dict = {}

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
    def gauge_labels(self) -> dict[str, str]:
        return text.gauge_labels(self._score, self.lang)

    @rx.var
    def what_if_gauge(self) -> dict[str, str]:
        return text.gauge_of(self._what_if_score or self._score, self._score)

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
        return bool(text.stale_critical(self._score))

    @rx.var
    def freshness_text(self) -> str:
        return text.freshness_text(self._client, self._score, self.lang)

    @rx.var
    def eligible_if(self) -> str:
        return text.eligible_if_text(self._options, self.lang)

    @rx.var
    def age_first(self) -> bool:
        return decisions.age_leads(self.recommendation, self._first_reason)

    @rx.var
    def model_line(self) -> str:
        return text.model_line(self._score, self.lang)

    @rx.var
    def reasons(self) -> list[dict[str, str]]:
        return text.reason_rows(self._score, self.lang, self._options)

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
    def justification_rule(self) -> str:
        """The rule that requires a justification in this case ('' when it is optional)."""
        if not self.recommendation:
            return ""
        outcome = Outcome(self.decision_outcome) if self.decision_outcome else None
        rule = decisions.justification_rule(self.recommendation, outcome, self._first_reason)
        return rule.value if rule else ""

    @rx.var
    def justification_counter(self) -> str:
        return translate("decision.counter", self.lang).format(count=len(self.justification))

    @rx.var
    def latest_decision(self) -> str:
        return text.latest_decision_text(self._latest_decision, self.lang)

    # --------------------------------------------------------------- handlers

    def _target_id(self) -> str:
        return str(self._client.get("id") or self._client_id_in_address())

    def _visible_client(self, db, advisor: CurrentAdvisor):
        return get_client(db, advisor, self._target_id())

    def _client_id_in_address(self) -> str:
        """The ``[client_id]`` of the page's address, ``/clients/<id>``: its last segment
        (``router.url``, the browser's address; ``router.page`` is deprecated in Reflex)."""
        return unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])

    @rx.event
    @signed_in
    async def load(self, advisor: CurrentAdvisor):
        self.loaded, self.found = False, True
        self._client, self._score, self._what_if_score = {}, {}, {}
        self.what_if, self.what_if_error = {}, ""
        self.decision_outcome = self.justification = ""
        self.decision_error = self.decision_notice = self.letter_error = ""
        self._options, self._latest_decision, self._first_reason = [], {}, ""
        client_id = self._client_id_in_address()
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
            self._first_reason = (decisions.first_reason_feature(score) or "") if score else ""
            self._options = _options_of(db, client) if score else []
            self._history = decisions.client_history(db, client.id)
            self._latest_decision = decisions.latest_decision(db, client.id) or {}
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
        self.what_if_key += 1  # the sliders hold their value in the browser: remount them

    @rx.event
    def set_justification(self, value: str):
        self.justification = str(value)[: decisions.MAX_JUSTIFICATION_LENGTH]

    @rx.event
    def set_decision_outcome(self, outcome: str):
        self.decision_outcome = outcome if outcome in OUTCOMES else ""

    @rx.event
    @signed_in
    async def submit_decision(self, advisor: CurrentAdvisor, form_data: dict):
        """The justification arrives with the form, so what is recorded is what was typed."""
        self.decision_error = self.decision_notice = self.letter_error = ""
        if not self.decision_outcome:
            self.decision_error = "decision.error.outcome"
            return
        justification = str(form_data.get("justification", self.justification))
        error = await asyncio.to_thread(self._decide, advisor, self.decision_outcome, justification)
        if error:
            self.decision_error = error
            return
        self.decision_notice = "decision.recorded"
        self.decision_outcome = self.justification = ""

    def _decide(self, advisor: CurrentAdvisor, outcome: str, justification: str) -> str:
        """Record the decision; an error message key, or '' when it is recorded."""
        try:
            with session_scope() as db:
                client = self._visible_client(db, advisor)
                if client is None:
                    # A crafted event for a client outside the portfolio: refused and traced.
                    audit.record_refusal(
                        db,
                        actor=advisor.actor,
                        action="decision",
                        reason="not_in_portfolio",
                        outcome="not_found",
                        object_type="client",
                        object_id=self._target_id()[:64],
                    )
                    return "error.not_found"
                decisions.record_decision(
                    db, advisor, client, outcome, justification, request_id=str(uuid.uuid4())
                )
                self._history = decisions.client_history(db, client.id)
                self._latest_decision = decisions.latest_decision(db, client.id) or {}
        except decisions.ClientNotVisibleError:
            return "error.not_found"
        except decisions.DecisionError as error:
            return f"decision.error.{error.field}"
        return ""

    @rx.event
    @signed_in
    async def download_letter(self, advisor: CurrentAdvisor, lang: str):
        """The latest decision's letter as a PDF; the service audits every request."""
        self.letter_error = ""
        if lang not in LANGUAGES:
            self.letter_error = "decision.error.letter_lang"
            return
        decision_id = self._latest_decision.get("id")
        pdf = await asyncio.to_thread(_letter, advisor, decision_id, lang) if decision_id else None
        if pdf is None:
            self.letter_error = "decision.error.letter_missing"
            return
        name = translate("decision.letter_file", lang)
        return rx.download(data=pdf, filename=f"{name}-{decision_id}-{lang}.pdf", mime_type="application/pdf")
