"""POST /api/v1/outcomes, GET /api/v1/monitoring and its history: who may call, item
errors, the report."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.tokens import PARTNER_SCOPES, Scope
from tests.api.conftest import score_body

OUTCOMES, MONITORING = "/api/v1/outcomes", "/api/v1/monitoring"
HISTORY = "/api/v1/monitoring/history"
TODAY = utcnow().date()


@pytest.fixture(scope="module")
def scored(api, headers) -> list[str]:
    return [
        api.post(
            "/api/v1/score", json=score_body(income=25_000.0 + 5_000 * i), headers=headers["advisor"]
        ).json()["client_id"]
        for i in range(3)
    ]


def test_only_supervisors_with_the_staff_scope_record_outcomes(api, headers, scored):
    body = {"items": [{"client_id": scored[0], "defaulted": False, "observed_on": TODAY.isoformat()}]}
    for who in ("advisor", "partner", "reader"):
        assert api.post(OUTCOMES, json=body, headers=headers[who]).status_code == 403, who
    assert Scope.outcomes_write not in PARTNER_SCOPES
    assert api.post(OUTCOMES, json=body, headers=headers["supervisor"]).status_code == 200


def test_outcomes_are_validated_item_by_item_and_idempotent(api, headers, scored):
    items = [
        {"client_id": scored[1], "defaulted": True, "observed_on": TODAY.isoformat()},
        {"client_id": str(uuid.uuid4()), "defaulted": False, "observed_on": TODAY.isoformat()},
        {"client_id": scored[2], "defaulted": False, "observed_on": (TODAY + timedelta(days=1)).isoformat()},
        {"client_id": scored[2], "defaulted": False, "observed_on": (TODAY - timedelta(days=1)).isoformat()},
    ]
    response = api.post(OUTCOMES, json={"items": items}, headers=headers["supervisor"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["status"] for item in body["data"]] == ["stored", "rejected", "rejected", "rejected"]
    assert [item["errors"][0]["field"] for item in body["data"][1:]] == [
        "client_id",
        "observed_on",
        "observed_on",
    ]
    assert (body["stored"], body["unchanged"], body["rejected"]) == (1, 0, 3)
    again = api.post(OUTCOMES, json={"items": items[:1]}, headers=headers["supervisor"]).json()
    assert again["data"][0]["status"] == "unchanged"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"items": []}, "items"),
        (
            {"items": [{"client_id": "x", "defaulted": "yes", "observed_on": "2026-01-01"}]},
            "items.0.defaulted",
        ),
        ({"items": [{"client_id": "x", "defaulted": True, "observed_on": "soon"}]}, "items.0.observed_on"),
        ({"items": [{"client_id": "x", "defaulted": True}]}, "items.0.observed_on"),
    ],
)
def test_a_malformed_batch_is_a_422_naming_the_field(api, headers, body, field):
    response = api.post(OUTCOMES, json=body, headers=headers["supervisor"])
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}


def test_the_report_has_the_documented_shape_for_supervisors_only(api, headers, scored):
    assert api.get(MONITORING, headers=headers["advisor"]).status_code == 403
    assert api.get(MONITORING, headers=headers["partner"]).status_code == 403
    response = api.get(MONITORING, headers=headers["supervisor"])
    assert response.status_code == 200, response.text
    report = response.json()
    assert {"psi", "level"} <= set(report["population"])
    assert [f["name"] for f in report["features"]] == [
        "age",
        "income",
        "seniority",
        "payment_incidents",
        "credit_score",
    ]
    assert {"bands", "auc"} <= set(report["backtest"])
    assert {band["band"] for band in report["backtest"]["bands"]} <= set("ABCDE")
    assert {"age_bands", "adverse_impact_ratio"} <= set(report["fairness"])
    assert sum(band["n"] for band in report["fairness"]["age_bands"]) >= len(scored)
    assert "status" in report["challenger"]


def test_an_old_window_is_no_data_not_an_error(api, headers):
    response = api.get(
        MONITORING,
        params={"since": "2020-01-01T00:00:00+00:00", "until": "2020-02-01T00:00:00+00:00"},
        headers=headers["supervisor"],
    )
    assert response.status_code == 200
    report = response.json()
    assert report["backtest"]["status"] == report["fairness"]["status"] == "no_data"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"since": "2026-02-01T00:00:00+00:00", "until": "2026-01-01T00:00:00+00:00"}, "since"),
        ({"since": "2026-01-01T00:00:00"}, "since"),  # no UTC offset
        ({"until": "tomorrow"}, "until"),
    ],
)
def test_a_bad_window_is_a_422_naming_the_field(api, headers, params, field):
    response = api.get(MONITORING, params=params, headers=headers["supervisor"])
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.fixture(scope="module")
def stored_months(api_db_url) -> list[date]:
    from neobank_dashboard.db import MonitoringMonth, session_scope

    months = [date(2026, m, 1) for m in (3, 1, 2)]  # stored out of order
    with session_scope(api_db_url) as session:
        for i, month in enumerate(months):
            figures = {
                "n": 100 + i,
                "psi": 0.01 * i,
                "csi": {"age": 0.02, "income": None},
                "outcomes": 50,
                "predicted": 0.05,
                "observed": 0.06,
                "approval_rate": {"18-25": 0.7, "26-35": 0.8},
                "age_alone_share": 0.04,
            }
            session.add(MonitoringMonth(month=month, source="demo", model_version="v1", figures=figures))
    return months


def test_the_history_is_for_supervisors_only(api, headers, stored_months):
    assert api.get(HISTORY).status_code == 401
    for who in ("advisor", "partner", "reader"):
        assert api.get(HISTORY, headers=headers[who]).status_code == 403, who
    assert api.get(HISTORY, headers=headers["supervisor"]).status_code == 200


def test_the_history_is_one_row_per_month_oldest_first(api, headers, stored_months):
    response = api.get(HISTORY, headers=headers["supervisor"])
    body = response.json()
    months = [row["month"] for row in body["data"]]
    assert months[:3] == ["2026-01", "2026-02", "2026-03"] and months == sorted(months)
    first = body["data"][0]
    assert first == {
        "month": "2026-01",
        "source": "demo",
        "model_version": "v1",
        "n": 101,
        "psi": 0.01,
        "csi": {"age": 0.02, "income": None},
        "outcomes": 50,
        "predicted": 0.05,
        "observed": 0.06,
        "approval_rate": {"18-25": 0.7, "26-35": 0.8},
        "age_alone_share": 0.04,
    }
    assert (body["watch_at"], body["alert_at"]) == (0.1, 0.25)
    latest = api.get(HISTORY, params={"months": 1}, headers=headers["supervisor"]).json()["data"]
    assert [row["month"] for row in latest] == [months[-1]]


@pytest.mark.parametrize("months", ["0", "121", "many"])
def test_a_bad_number_of_months_is_a_422_naming_the_field(api, headers, months):
    response = api.get(HISTORY, params={"months": months}, headers=headers["supervisor"])
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["months"]
