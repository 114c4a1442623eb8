"""Portfolio routes: scoping per caller, filters, latest score, decisions, audit."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlmodel import Session, select

from neobank_dashboard.db import AuditEvent, Decision, get_engine
from tests.api.conftest import score_body

SCORE = "/api/v1/score"


@pytest.fixture(scope="module")
def portfolio(api, headers):
    """Clients scored by each caller: advisor (3), advisor2 (2), partner (2)."""
    owned = {}
    for who, n in (("advisor", 3), ("advisor2", 2), ("partner", 2)):
        owned[who] = [
            api.post(SCORE, json=score_body(income=20000.0 + 10000 * i), headers=headers[who]).json()[
                "client_id"
            ]
            for i in range(n)
        ]
    risky = api.post(
        SCORE, json=score_body(credit_score=400, payment_incidents=6), headers=headers["advisor"]
    ).json()
    owned["advisor_risky"] = risky["client_id"]
    return owned


def _ids(api, headers, who, query="") -> set[str]:
    response = api.get(f"/api/v1/clients{query}", headers=headers[who])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["data"]) or "page_size" in query
    return {c["id"] for c in body["data"]}


def test_each_caller_sees_its_own_portfolio(api, headers, portfolio):
    mine = set(portfolio["advisor"]) | {portfolio["advisor_risky"]}
    assert _ids(api, headers, "advisor", "?page_size=200") >= mine
    assert not _ids(api, headers, "advisor", "?page_size=200") & set(portfolio["advisor2"])
    assert _ids(api, headers, "partner", "?page_size=200") >= set(portfolio["partner"])
    assert not _ids(api, headers, "partner", "?page_size=200") & mine
    everyone = _ids(api, headers, "supervisor", "?page_size=200")
    assert everyone >= mine | set(portfolio["advisor2"]) | set(portfolio["partner"])


def test_filters_and_pagination_run_on_the_server(api, headers, portfolio):
    risky = api.get("/api/v1/clients?recommendation=not_eligible", headers=headers["advisor"]).json()
    assert portfolio["advisor_risky"] in {c["id"] for c in risky["data"]}
    assert all(c["latest_recommendation"] == "not_eligible" for c in risky["data"])
    page = api.get(
        "/api/v1/clients?page_size=2&page=1&sort=income&descending=false", headers=headers["supervisor"]
    ).json()
    assert len(page["data"]) == 2 and page["count"] >= 8
    incomes = [c["income"] for c in page["data"]]
    assert incomes == sorted(incomes)
    assert page["count_capped"] is False


def test_a_count_past_the_cap_is_flagged(api, headers, portfolio, monkeypatch):
    """More matches than the cap: `count` stops at it and `count_capped` says so."""
    from neobank_dashboard.services import clients as clients_service

    monkeypatch.setattr(clients_service, "COUNT_CAP", 2)
    page = api.get("/api/v1/clients?page_size=1", headers=headers["supervisor"]).json()
    assert (page["count"], page["count_capped"], len(page["data"])) == (2, True, 1)
    prefix = portfolio["advisor"][0][:8]
    assert portfolio["advisor"][0] in _ids(api, headers, "advisor", f"?id_prefix={prefix}")


@pytest.mark.parametrize(
    "query",
    [
        "?page_size=0",
        "?page_size=201",
        "?sort=name",
        "?probability_min=2",
        "?unknown=1",
        "?id_prefix=zz",
        "?age_min=12",  # below the feature spec's range
        "?incidents_max=51",
        "?age_min=50&age_max=30",
        "?risk_band=high",
        "?decision_status=maybe",
        "?quick=everything",
    ],
)
def test_bad_filters_are_422(api, headers, query):
    response = api.get(f"/api/v1/clients{query}", headers=headers["advisor"])
    named = query.lstrip("?").split("&")[-1].split("=")[0]
    assert response.status_code == 422 and named in response.text


def test_worklist_filters_and_quick_counts(api, headers, portfolio):
    body = api.get("/api/v1/clients?page_size=200", headers=headers["advisor"]).json()
    counts = body["quick_counts"]
    assert set(counts) == {"to_do", "grey_zone", "stale", "overrides", "contests"}
    to_do = api.get("/api/v1/clients?quick=to_do&page_size=200", headers=headers["advisor"]).json()
    assert to_do["count"] == counts["to_do"] and to_do["quick_counts"] == counts
    assert all(c["decision_status"] == "none" for c in to_do["data"])
    undecided = api.get("/api/v1/clients?decision_status=none", headers=headers["advisor"]).json()
    assert {c["decision_status"] for c in undecided["data"]} == {"none"}
    fragment = portfolio["advisor"][0].replace("-", "")[10:17]
    assert portfolio["advisor"][0] in _ids(api, headers, "advisor", f"?id_prefix={fragment}")


@pytest.mark.parametrize("query", ["?quick=to_do", "?decision_status=none"])
def test_partners_may_not_filter_on_decisions(api, headers, portfolio, query):
    response = api.get(f"/api/v1/clients{query}", headers=headers["partner"])
    assert response.status_code == 422 and query[1:].split("=")[0] in response.text
    assert api.get("/api/v1/clients", headers=headers["partner"]).json()["quick_counts"] is None


def test_partners_see_a_minimised_client(api, headers, portfolio):
    body = api.get(f"/api/v1/clients/{portfolio['partner'][0]}", headers=headers["partner"]).json()
    assert body["audience"] == "partner"
    assert "age" not in body and "advisor_id" not in body
    assert body["latest_probability"] == round(body["latest_probability"], 2)
    staff = api.get(f"/api/v1/clients/{portfolio['partner'][0]}", headers=headers["supervisor"]).json()
    assert staff["audience"] == "staff" and staff["age"] == 41


@pytest.mark.parametrize("route", ["", "/score"])
def test_out_of_scope_clients_are_404(api, headers, portfolio, route):
    cases = [
        ("advisor", portfolio["advisor2"][0]),
        ("partner", portfolio["advisor"][0]),
        ("advisor", portfolio["partner"][0]),
        ("reader", portfolio["partner"][0]),
        ("advisor", str(uuid.uuid4())),
    ]
    for who, client_id in cases:
        response = api.get(f"/api/v1/clients/{client_id}{route}", headers=headers[who])
        assert response.status_code == 404, (who, response.text)
        assert response.json()["detail"] == "client not found"


def test_client_views_are_audited(api, headers, portfolio):
    client_id = portfolio["advisor"][0]
    api.get(f"/api/v1/clients/{client_id}", headers=headers["advisor"])
    api.get(f"/api/v1/clients/{portfolio['advisor2'][0]}", headers=headers["advisor"])
    with Session(get_engine()) as session:
        views = session.exec(select(AuditEvent).where(AuditEvent.action == "client_view")).all()
    outcomes = {(e.object_id, e.outcome) for e in views}
    assert (client_id, "success") in outcomes
    assert (portfolio["advisor2"][0], "not_found") in outcomes


def test_latest_score_and_refresh(api, headers, portfolio):
    client_id = portfolio["advisor"][0]
    latest = api.get(f"/api/v1/clients/{client_id}/score", headers=headers["advisor"]).json()
    assert latest["client_id"] == client_id and latest["audience"] == "staff"
    refreshed = api.get(f"/api/v1/clients/{client_id}/score?refresh=true", headers=headers["advisor"]).json()
    assert refreshed["score_id"] != latest["score_id"]
    assert refreshed["probability"] == latest["probability"]
    again = api.get(f"/api/v1/clients/{client_id}/score", headers=headers["advisor"]).json()
    assert again["score_id"] == refreshed["score_id"]
    partner = api.get(
        f"/api/v1/clients/{portfolio['partner'][0]}/score?refresh=true", headers=headers["partner"]
    ).json()
    assert partner["audience"] == "partner"


def test_decisions_follow_the_justification_rules(api, headers, portfolio):
    eligible = portfolio["advisor"][1]
    url = f"/api/v1/clients/{eligible}/decisions"
    approved = api.post(url, json={"outcome": "approved"}, headers=headers["advisor"])
    assert approved.status_code == 201, approved.text
    body = approved.json()
    assert body["advisor_id"] == api.accounts.advisor_id and not body["overrides_recommendation"]
    refused = api.post(url, json={"outcome": "refused"}, headers=headers["advisor"])
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "justification"
    justified = api.post(
        url,
        json={"outcome": "refused", "justification": "Debt ratio above policy after the new mortgage."},
        headers=headers["advisor"],
    )
    assert justified.status_code == 201 and justified.json()["overrides_recommendation"]
    risky = f"/api/v1/clients/{portfolio['advisor_risky']}/decisions"
    override = api.post(risky, json={"outcome": "approved"}, headers=headers["advisor"])
    assert override.status_code == 422
    with Session(get_engine()) as session:
        decisions = session.exec(select(Decision)).all()
        assert len([d for d in decisions if str(d.client_id) == eligible]) == 2
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "decision")).all()


def test_decisions_are_for_advisors_in_scope(api, headers, portfolio):
    body = {"outcome": "approved"}
    other = f"/api/v1/clients/{portfolio['advisor2'][0]}/decisions"
    assert api.post(other, json=body, headers=headers["advisor"]).status_code == 404
    assert api.post(other, json=body, headers=headers["supervisor"]).status_code == 201
    partner = f"/api/v1/clients/{portfolio['partner'][0]}/decisions"
    assert api.post(partner, json=body, headers=headers["partner"]).status_code == 403
    bad = api.post(other, json={"outcome": "maybe"}, headers=headers["supervisor"])
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "outcome"


def test_model_and_health(api, headers):
    model = api.get("/api/v1/model", headers=headers["reader"])
    assert model.status_code == 200
    body = model.json()
    assert len(body["version"]) == 64 and body["model_card"]
    assert [f["name"] for f in body["features"]] == [
        "age",
        "income",
        "seniority",
        "payment_incidents",
        "credit_score",
    ]
    assert body["grey_zone"]["low"] <= body["threshold"] <= body["grey_zone"]["high"]
    assert body["scoring"]["available"] is True
    assert api.get("/api/v1/model").status_code == 401
    health = api.get("/api/v1/health")
    assert health.status_code == 200
    assert health.json() | {"model_version": None, "worker": "id"} == {
        "status": "ok",
        "database": True,
        "model_loaded": True,
        "model_version": None,
        "scoring_mode": "auto",
        "worker": "id",
    }
    assert re.fullmatch(r"[0-9a-f]{8}", health.json()["worker"])  # no pid or host name
