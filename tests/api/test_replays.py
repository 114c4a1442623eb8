"""A replayed request id honours the client's current state, and every replay is audited
(issue 13, item 2): restricted or objecting → 409, erased → 410, never the stored score."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from neobank_dashboard.db import session_scope
from neobank_dashboard.db.models import Advisor, AuditEvent
from neobank_dashboard.services import rgpd
from neobank_dashboard.services.auth import CurrentAdvisor
from tests.api.conftest import score_body

SCORE, BATCH = "/api/v1/score", "/api/v1/score/batch"


def _supervisor(api) -> CurrentAdvisor:
    with session_scope() as session:
        return CurrentAdvisor.of(session.get(Advisor, api.accounts.supervisor_id))


def _replay_events(request_id: str) -> list[AuditEvent]:
    with session_scope() as session:
        return session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "score_replay", AuditEvent.request_id == request_id)
            .order_by(AuditEvent.id)
        ).all()


def _scored(api, headers, request_id: str) -> dict:
    response = api.post(SCORE, json=score_body(request_id=request_id), headers=headers["partner"])
    assert response.status_code == 200
    return response.json()


def test_a_replay_of_an_active_client_returns_the_first_answer_and_is_audited(api, headers):
    request_id = f"replay-{uuid.uuid4().hex[:8]}"
    first = _scored(api, headers, request_id)
    again = _scored(api, headers, request_id)
    assert again == first
    events = _replay_events(request_id)
    assert [(e.outcome, e.object_id) for e in events] == [("success", first["client_id"])]


@pytest.mark.parametrize(
    ("act", "status", "code"),
    [
        (lambda s, who, cid: rgpd.restrict(s, who, cid, "accuracy_contested"), 409, "restricted"),
        (lambda s, who, cid: rgpd.object_to_processing(s, who, cid), 409, "objection"),
        (lambda s, who, cid: rgpd.erase(s, who, cid), 410, "erased"),
    ],
    ids=["restricted", "objection", "erased"],
)
def test_a_replay_after_a_data_subject_request_returns_no_client_data(api, headers, act, status, code):
    request_id = f"replay-{uuid.uuid4().hex[:8]}"
    first = _scored(api, headers, request_id)
    with session_scope() as session:
        act(session, _supervisor(api), first["client_id"])
    response = api.post(SCORE, json=score_body(request_id=request_id), headers=headers["partner"])
    assert response.status_code == status
    body = response.json()
    assert body["error"] == code
    assert first["client_id"] not in response.text and "probability" not in body
    events = _replay_events(request_id)
    assert [(e.outcome, e.details.get("reason")) for e in events] == [("denied", code)]


def test_a_replayed_batch_item_of_a_restricted_client_is_refused_alone(api, headers):
    request_id = f"replay-{uuid.uuid4().hex[:8]}"
    first = _scored(api, headers, request_id)
    with session_scope() as session:
        rgpd.restrict(session, _supervisor(api), first["client_id"], "accuracy_contested")
    items = [score_body(request_id=request_id), score_body(request_id=f"{request_id}-new")]
    response = api.post(BATCH, json={"items": items}, headers=headers["partner"])
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["status"] == "error" and results[0]["score"] is None
    assert results[0]["errors"][0]["field"] == "request_id"
    assert results[1]["status"] == "scored"
    assert first["client_id"] not in response.text
    assert [e.outcome for e in _replay_events(request_id)] == ["denied"]
