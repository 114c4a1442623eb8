"""POST /score and /score/batch: contract output, audiences, bad input, limits, kill switch."""

from __future__ import annotations

import json
import math
import re
import uuid

import pytest
from scipy.special import logit
from sqlmodel import Session, func, select

from neobank_dashboard.db import AuditEvent, Client, Score, get_engine
from neobank_dashboard.settings import get_settings
from tests.api.conftest import score_body
from tests.support.factories import valid_features

SCORE, BATCH = "/api/v1/score", "/api/v1/score/batch"
LEAKS = re.compile(r"Traceback|File \"|/work/|site-packages|SELECT |INSERT |sqlalchemy|\.py\b")


def _counts() -> tuple[int, int, int]:
    with Session(get_engine()) as session:
        return tuple(
            session.exec(select(func.count()).select_from(table)).one()
            for table in (Score, Client, AuditEvent)
        )


def test_staff_get_the_full_explanation(api, headers):
    response = api.post(SCORE, json=score_body(), headers=headers["advisor"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["audience"] == "staff" and body["recommendation"] == "eligible"
    assert body["base_value"] + sum(c["log_odds"] for c in body["contributions"]) == pytest.approx(
        logit(body["probability"]), abs=1e-9
    )
    assert body["base_probability"] + sum(c["points"] for c in body["contributions"]) == pytest.approx(
        body["probability"], abs=1e-12
    )
    # Every feature may give a reason, unless the value guard holds it back.
    assert 1 <= len(body["reasons"]) <= 5 and body["threshold"] > 0
    assert body["grey_zone"]["low"] <= body["threshold"] <= body["grey_zone"]["high"]
    assert len(body["model_version"]) == 64 and body["channel"] == "api"
    assert set(body["freshness"]) == set(valid_features())
    assert response.headers["x-request-id"]
    with Session(get_engine()) as session:
        client = session.get(Client, uuid.UUID(body["client_id"]))
        assert client.advisor_id == api.accounts.advisor_id and client.submitted_by is None


def test_partners_get_a_minimised_answer(api, headers):
    body = api.post(SCORE, json=score_body(request_id="min-1"), headers=headers["partner"]).json()
    assert body["audience"] == "partner"
    assert body["probability"] == round(body["probability"], 2)
    assert 1 <= len(body["reasons"]) <= 3 and all("points" not in r for r in body["reasons"])
    for internal in (
        "contributions",
        "base_value",
        "base_probability",
        "threshold",
        "score_id",
        "grey_zone",
        "channel",
        "superseded",
    ):
        assert internal not in body
    assert body["request_id"] == "min-1"
    with Session(get_engine()) as session:
        client = session.get(Client, uuid.UUID(body["client_id"]))
        assert client.submitted_by == api.accounts.partner_id


def test_stale_critical_data_is_review_with_a_note(api, headers):
    body = api.post(
        SCORE, json=score_body(as_of={"credit_score": "2020-01-01"}), headers=headers["partner"]
    ).json()
    assert body["recommendation"] == "review"
    assert body["notes"][0]["code"] == "stale_critical_data"
    assert body["freshness"]["credit_score"]["stale"] is True


BAD_INPUTS = [
    ("unknown field", score_body(name="Jean"), "name"),
    ("missing field", {k: v for k, v in score_body().items() if k != "credit_score"}, "credit_score"),
    ("string number", score_body(age="41"), "age"),
    ("boolean", score_body(payment_incidents=True), "payment_incidents"),
    ("null", score_body(income=None), "income"),
    ("too young", score_body(age=17), "age"),
    ("too old", score_body(age=121), "age"),
    ("negative income", score_body(income=-1), "income"),
    ("fractional incidents", score_body(payment_incidents=0.5), "payment_incidents"),
    ("score below the bureau range", score_body(credit_score=299), "credit_score"),
    ("seniority beyond age - 14", score_body(age=30, seniority=17), "seniority"),
    ("unknown purpose", score_body(purpose="marketing"), "purpose"),
    ("missing purpose", {k: v for k, v in score_body().items() if k != "purpose"}, "purpose"),
    ("future as-of", score_body(as_of={"income": "2999-01-01"}), "as_of.income"),
    ("unknown as-of", score_body(as_of={"salary": "2026-01-01"}), "as_of.salary"),
    ("bad date", score_body(as_of={"income": "yesterday"}), "as_of.income"),
    ("bad request id", score_body(request_id="has spaces"), "request_id"),
    ("not an object", [1, 2], "body"),
]


@pytest.mark.parametrize("case,body,field", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_invalid_input_is_422_naming_the_field_and_stores_nothing(api, headers, case, body, field):
    before = _counts()
    response = api.post(SCORE, json=body, headers=headers["partner"])
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert field in [e["field"] for e in errors], errors
    assert all(e["reason"] for e in errors)
    assert _counts() == before


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_422(api, headers, literal):
    raw = json.dumps(score_body()).replace('"income": 38500.0', f'"income": {literal}')
    before = _counts()
    response = api.post(
        SCORE, content=raw, headers={**headers["partner"], "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "income", "reason": "must be a finite number"}]
    assert _counts() == before


def test_malformed_json_is_422(api, headers):
    response = api.post(
        SCORE, content=b'{"age": 41,', headers={**headers["partner"], "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert not LEAKS.search(response.text)


def test_bodies_over_64_kb_are_413(api, headers):
    padded = score_body(request_id="x" * 80) | {"padding": "y" * 70_000}
    before = _counts()
    response = api.post(SCORE, json=padded, headers=headers["partner"])
    assert response.status_code == 413 and response.json()["error"] == "payload_too_large"

    def chunks():  # no Content-Length: the body is streamed
        yield b'{"padding": "'
        for _ in range(80):
            yield b"z" * 1024
        yield b'"}'

    streamed = api.post(
        SCORE, content=chunks(), headers={**headers["partner"], "content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert _counts() == before


def test_repeated_request_id_returns_the_first_answer_and_stores_nothing(api, headers):
    first = api.post(SCORE, json=score_body(request_id="loan-42"), headers=headers["partner"])
    before = _counts()
    again = api.post(SCORE, json=score_body(request_id="loan-42", income=9000.0), headers=headers["partner"])
    assert again.status_code == 200 and again.json() == first.json()
    scores, clients, events = before
    assert _counts() == (scores, clients, events + 1)  # nothing stored; the replay audited
    other_caller = api.post(SCORE, json=score_body(request_id="loan-42"), headers=headers["advisor"])
    assert other_caller.json()["client_id"] != first.json()["client_id"]


def test_batch_scores_good_items_and_reports_bad_ones(api, headers):
    items = [
        score_body(request_id="batch-0"),
        score_body(age=12),
        "not an object",
        score_body(credit_score=420, payment_incidents=5),
        score_body(foo=1),
        score_body(request_id="batch-0"),
    ]
    before = _counts()
    response = api.post(BATCH, json={"items": items}, headers=headers["partner"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["scored"], body["rejected"]) == (2, 4)
    statuses = [r["status"] for r in body["results"]]
    assert statuses == ["scored", "error", "error", "scored", "error", "error"]
    assert [r["index"] for r in body["results"]] == list(range(6))
    assert body["results"][1]["errors"][0]["field"] == "age"
    assert body["results"][2]["errors"][0]["reason"] == "must be a JSON object"
    assert body["results"][4]["errors"][0] == {"field": "foo", "reason": "is not a known field"}
    assert body["results"][5]["errors"][0]["field"] == "request_id"
    assert body["results"][0]["score"]["audience"] == "partner"
    after = _counts()
    assert (after[0] - before[0], after[1] - before[1]) == (2, 2)
    single = api.post(SCORE, json=score_body(), headers=headers["partner"]).json()
    assert body["results"][0]["score"]["probability"] == single["probability"]
    replay = api.post(BATCH, json={"items": items[:1]}, headers=headers["partner"]).json()
    assert replay["results"][0]["score"] == body["results"][0]["score"]


def test_batch_over_1000_items_is_413(api, headers):
    compact = {**valid_features(), "purpose": "credit_application"}
    response = api.post(BATCH, json={"items": [compact] * 1001}, headers=headers["partner"])
    assert response.status_code == 413
    full = api.post(BATCH, json={"items": [compact] * 1000}, headers=headers["advisor"])
    assert full.status_code == 200 and full.json()["scored"] == 1000


def test_kill_switch_answers_503_manual_assessment(api, headers, monkeypatch):
    client_id = api.post(SCORE, json=score_body(), headers=headers["advisor"]).json()["client_id"]
    monkeypatch.setenv("SCORING_MODE", "manual")
    get_settings.cache_clear()
    try:
        before = _counts()
        calls = [
            api.post(SCORE, json=score_body(), headers=headers["partner"]),
            api.post(BATCH, json={"items": [score_body()]}, headers=headers["partner"]),
            api.get(f"/api/v1/clients/{client_id}/score", headers=headers["advisor"]),
            api.get(f"/api/v1/clients/{client_id}/score?refresh=true", headers=headers["advisor"]),
        ]
        for response in calls:
            assert response.status_code == 503
            assert "manual assessment required" in response.json()["detail"]
            assert response.json()["error"] == "manual_mode"
        assert _counts() == before
        health = api.get("/api/v1/health").json()
        assert health["scoring_mode"] == "manual"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert api.post(SCORE, json=score_body(), headers=headers["partner"]).status_code == 200


def test_no_model_answers_503_never_a_default_score(api, headers, tmp_path):
    from neobank_dashboard.services import scoring

    service = scoring.get_service()
    model = service.loaded_model
    service.load(tmp_path)  # an empty registry
    try:
        response = api.post(SCORE, json=score_body(), headers=headers["partner"])
        assert response.status_code == 503 and response.json()["error"] == "no_model"
        assert "probability" not in response.text
        assert str(tmp_path) not in response.text
        assert api.get("/api/v1/health").status_code == 503
        assert api.get("/api/v1/model", headers=headers["reader"]).status_code == 503
    finally:
        service.use(model)


def test_errors_never_leak_internals(api, headers):
    responses = [
        api.post(SCORE, json=score_body(age="x"), headers=headers["partner"]),
        api.get("/api/v1/clients/not-a-uuid", headers=headers["partner"]),
        api.get("/api/v1/clients?sort=drop table", headers=headers["partner"]),
        api.post(
            SCORE, content=b"\xff\xfe", headers={**headers["partner"], "content-type": "application/json"}
        ),
    ]
    for response in responses:
        assert 400 <= response.status_code < 500
        assert not LEAKS.search(response.text), response.text
        assert response.json()["request_id"] == response.headers["x-request-id"]


def test_probabilities_are_finite_numbers(api, headers):
    body = api.post(
        SCORE,
        json=score_body(age=119, income=0, seniority=0, payment_incidents=50, credit_score=300),
        headers=headers["advisor"],
    ).json()
    assert math.isfinite(body["probability"]) and body["recommendation"] == "not_eligible"


def test_an_unexpected_error_is_a_bare_500(api, headers, monkeypatch):
    from fastapi.testclient import TestClient

    from neobank_dashboard.api.main import app
    from neobank_dashboard.api.routes import score

    def broken(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM /etc/passwd")

    monkeypatch.setattr(score, "prepare_new_client", broken)
    client = TestClient(app, raise_server_exceptions=False)  # no lifespan: the model stays
    response = client.post(SCORE, json=score_body(), headers=headers["partner"])
    assert response.status_code == 500
    assert response.json()["error"] == "internal_error"
    assert "passwd" not in response.text and not LEAKS.search(response.text)
