"""The dashboard and the API call one scoring service: same client, same numbers."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from neobank_dashboard.db import Client, get_engine
from neobank_dashboard.services import scoring
from tests.api.conftest import score_body


def test_dashboard_service_and_api_return_identical_numbers(api, headers):
    created = api.post(
        "/api/v1/score", json=score_body(as_of={"income": "2025-01-02"}), headers=headers["advisor"]
    ).json()
    from_api = api.get(f"/api/v1/clients/{created['client_id']}/score", headers=headers["advisor"]).json()
    with Session(get_engine()) as session:
        client = session.get(Client, uuid.UUID(created["client_id"]))
        # What the client page shows: the stored current score ...
        stored = scoring.result_of(scoring.latest_score(session, client.id))
        # ... and what its what-if computes from the same, unchanged features.
        what_if = scoring.score_features(*scoring.client_inputs(client))
    for dashboard in (stored, what_if):
        assert from_api["probability"] == dashboard.probability
        assert from_api["recommendation"] == dashboard.recommendation
        assert from_api["risk_band"] == dashboard.risk_band
        assert from_api["threshold"] == dashboard.threshold
        assert from_api["base_value"] == dashboard.base_value
        assert from_api["base_probability"] == dashboard.base_probability
        assert {
            c["feature"]: c["points"] for c in from_api["contributions"]
        } == dashboard.contributions_points
        assert {
            c["feature"]: c["log_odds"] for c in from_api["contributions"]
        } == dashboard.contributions_log_odds
        assert [(r["code"], r["points"], r["text_fr"]) for r in from_api["reasons"]] == [
            (r.code, r.points, r.text_fr) for r in dashboard.reasons
        ]
        assert [n["code"] for n in from_api["notes"]] == [n.code for n in dashboard.notes]
        assert from_api["model_version"] == dashboard.model_version
    assert from_api == created | {"score_id": from_api["score_id"]}
    partner_view = api.post(
        "/api/v1/score", json=score_body(as_of={"income": "2025-01-02"}), headers=headers["partner"]
    ).json()
    assert partner_view["probability"] == round(stored.probability, 2)
    assert partner_view["recommendation"] == stored.recommendation
