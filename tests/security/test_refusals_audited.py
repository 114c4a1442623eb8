"""Issue 13 item 5 (API): every refusal leaves a trace, outcome 'denied' with a
reason code: a missing scope, a role the route is not for, a decision on a client
outside the caller's portfolio. A burst of them is one event."""

from __future__ import annotations

from sqlmodel import Session, select

from neobank_dashboard.db import get_engine
from neobank_dashboard.db.models import AuditEvent
from tests.api.conftest import score_body


def _denied(actor: str) -> list[AuditEvent]:
    with Session(get_engine()) as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(AuditEvent.actor == actor, AuditEvent.outcome == "denied")
                .order_by(AuditEvent.id)
            ).all()
        )


def test_a_missing_scope_is_audited_once_per_burst(api, headers):
    actor = f"partner:{api.accounts.reader_id}"
    before = len(_denied(actor))
    statuses = [
        api.post("/api/v1/score", json=score_body(), headers=headers["reader"]).status_code for _ in range(3)
    ]
    assert statuses == [403, 403, 403]
    events = _denied(actor)[before:]
    assert [(e.action, e.details["reason"], e.details["scope"]) for e in events] == [
        ("api_access", "missing_scope", "score:write")
    ]


def test_a_partner_recording_a_decision_is_audited(api, headers):
    client_id = api.post("/api/v1/score", json=score_body(), headers=headers["partner"]).json()["client_id"]
    response = api.post(
        f"/api/v1/clients/{client_id}/decisions", json={"outcome": "approved"}, headers=headers["partner"]
    )
    assert response.status_code == 403
    reasons = [e.details["reason"] for e in _denied(f"partner:{api.accounts.partner_id}")]
    assert "advisors_only" in reasons


def test_a_decision_outside_the_portfolio_is_audited(api, headers):
    # A partner's client belongs to no advisor: outside the plain advisor's portfolio.
    client_id = api.post("/api/v1/score", json=score_body(), headers=headers["partner"]).json()["client_id"]
    response = api.post(
        f"/api/v1/clients/{client_id}/decisions", json={"outcome": "approved"}, headers=headers["advisor"]
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "client not found"
    events = _denied(f"advisor:{api.accounts.advisor_id}")
    assert [(e.action, e.object_id, e.details["reason"]) for e in events][-1] == (
        "decision",
        client_id,
        "outside_portfolio",
    )
