"""Issue 13 item 12: data-subject requests over the API, for supervisors and admins
with the scope ``rgpd:write``: access, rectification (rescored), restriction,
objection, erasure. Audited; 404 for an unknown client; 409 when the client's
state forbids the request; 403 (audited) for anyone else."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session, select

from neobank_dashboard.db import get_engine
from neobank_dashboard.db.models import AuditEvent
from tests.api.conftest import PASSWORD, score_body

TOKEN = "/api/v1/auth/token"


def _client(api, headers) -> str:
    return api.post("/api/v1/score", json=score_body(), headers=headers["partner"]).json()["client_id"]


def _events(action: str, client_id: str) -> list[AuditEvent]:
    with Session(get_engine()) as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(AuditEvent.action == action, AuditEvent.object_id == client_id)
                .order_by(AuditEvent.id)
            ).all()
        )


def _routes(client_id: str) -> list[tuple[str, str, dict | None]]:
    url = f"/api/v1/clients/{client_id}"
    return [
        ("GET", f"{url}/export", None),
        ("PATCH", url, {"feature": "income", "value": 41200.0, "as_of": "2026-11-30"}),
        ("POST", f"{url}/restriction", {"ground": "accuracy_contested"}),
        ("POST", f"{url}/objection", None),
        ("DELETE", url, None),
    ]


@pytest.mark.parametrize("who", ["advisor", "partner"])
def test_only_supervisors_and_admins_make_data_subject_requests(api, headers, who):
    client_id = _client(api, headers)
    for method, url, body in _routes(client_id):
        response = api.request(method, url, json=body, headers=headers[who])
        assert response.status_code == 403, (method, url, response.text)
    assert _events("rgpd_erasure", client_id) == []


def test_access_export_is_audited(api, headers):
    client_id = _client(api, headers)
    response = api.get(f"/api/v1/clients/{client_id}/export", headers=headers["supervisor"])
    assert response.status_code == 200
    export = response.json()
    assert export["client_id"] == client_id and export["tables"]["client"][0]["id"] == client_id
    assert [e.actor for e in _events("rgpd_access_export", client_id)] == [
        f"advisor:{api.accounts.supervisor_id}"
    ]


def test_rectification_rescores_the_client(api, headers):
    client_id = _client(api, headers)
    body = {"feature": "income", "value": 52000.0, "as_of": "2026-11-30"}
    response = api.patch(f"/api/v1/clients/{client_id}", json=body, headers=headers["supervisor"])
    assert response.status_code == 200, response.text
    score = response.json()["score"]
    income = next(c for c in score["contributions"] if c["feature"] == "income")
    assert income["value"] == 52000.0 and score["channel"] == "api"
    assert _events("rgpd_rectification", client_id)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"feature": "income", "value": -5.0, "as_of": "2026-11-30"}, "income"),
        ({"feature": "iban", "value": 1.0, "as_of": "2026-11-30"}, "feature"),
        ({"feature": "income", "value": 1.0, "as_of": "2999-01-01"}, "income_as_of"),
        ({"feature": "income", "value": 1.0}, "as_of"),
    ],
)
def test_a_bad_rectification_is_a_422_naming_the_field(api, headers, body, field):
    client_id = _client(api, headers)
    response = api.patch(f"/api/v1/clients/{client_id}", json=body, headers=headers["supervisor"])
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_restriction_objection_then_erasure_and_what_erasure_forbids(api, headers):
    client_id = _client(api, headers)
    url = f"/api/v1/clients/{client_id}"
    supervisor = headers["supervisor"]
    restricted = api.post(f"{url}/restriction", json={"ground": "legal_claims"}, headers=supervisor)
    assert restricted.status_code == 200 and restricted.json()["status"] == "restricted"
    objecting = api.post(f"{url}/objection", headers=supervisor)
    assert objecting.status_code == 200 and objecting.json()["objection"] is True
    erased = api.delete(url, headers=supervisor)
    assert erased.status_code == 200
    assert erased.json()["status"] == "erased" and erased.json()["retention_until"]
    for method, path, body in _routes(client_id)[1:4]:
        refused = api.request(method, path, json=body, headers=supervisor)
        assert refused.status_code == 409, (method, path, refused.text)
    assert api.delete(url, headers=supervisor).status_code == 200  # erasing again changes nothing
    with Session(get_engine()) as session:
        refusals = session.exec(
            select(AuditEvent.action).where(AuditEvent.object_id == client_id, AuditEvent.outcome == "denied")
        ).all()
    assert set(refusals) == {"rgpd_rectification", "rgpd_restriction", "rgpd_objection"}


def test_a_bad_ground_is_a_422(api, headers):
    client_id = _client(api, headers)
    response = api.post(
        f"/api/v1/clients/{client_id}/restriction", json={"ground": "boredom"}, headers=headers["supervisor"]
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ground"


def test_an_unknown_client_is_a_404_and_audited(api, headers):
    ghost = str(uuid.uuid4())
    for method, url, body in _routes(ghost):
        response = api.request(method, url, json=body, headers=headers["supervisor"])
        assert response.status_code == 404, (method, url, response.text)
    assert [e.details["reason"] for e in _events("rgpd_erasure", ghost)] == ["not_found"]


def test_only_supervisors_are_granted_the_scope(api):
    def token(username, scope):
        data = {"grant_type": "password", "username": username, "password": PASSWORD, "scope": scope}
        return api.post(TOKEN, data=data)

    assert token("sophie@bank.example", "rgpd:write").json()["scope"] == "rgpd:write"
    refused = token("camille@bank.example", "rgpd:write")
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope"


def test_the_routes_are_documented_with_examples(api):
    schema = api.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/clients/{client_id}"]) | {"get"}
    assert (
        "example"
        in paths["/api/v1/clients/{client_id}/export"]["get"]["responses"]["200"]["content"][
            "application/json"
        ]
    )
    for name in ("Rectification", "Restriction", "DataSubjectStatus"):
        assert schema["components"]["schemas"][name]["examples"], name
