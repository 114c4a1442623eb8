"""Issue 13 item 10 and the "Also" line: the API in the Reflex app keeps the
standalone API's rules. CORS never reflects an Origin with credentials (the
development origin list is ``*``), and a path the API cannot route (a newline in a
client id) answers JSON like every other API error, not Reflex's text/plain.
``/health`` names the model to authenticated callers only.

The app is built exactly as the backend worker builds it (``app()``), in a child
process so that Reflex reads its configuration from this environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.api.test_security_headers import write_frontend
from tests.conftest import REPO_ROOT

FOREIGN_ORIGIN = "https://evil.example"
PROBES = r"""
import json
from starlette.testclient import TestClient
from neobank_dashboard.neobank_dashboard import app

client = TestClient(app())  # no lifespan, no database
evil = "https://evil.example"

def seen(response):
    return {"status": response.status_code, "headers": dict(response.headers), "text": response.text[:300],
            "request_ids": response.headers.get_list("x-request-id")}

print(json.dumps({
    "simple": seen(client.get("/api/openapi.json", headers={"Origin": evil})),
    "preflight": seen(client.options("/api/v1/score", headers={
        "Origin": evil, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})),
    "newline": seen(client.get("/api/v1/clients/abc%0A/score")),
    "unknown_route": seen(client.get("/api/v1/no-such-route")),
    "metrics": seen(client.get("/metrics", headers={"Authorization": "Bearer probe-metrics-token"})),
    "error_405": seen(client.delete("/api/v1/score")),
    "error_413": seen(client.post("/api/v1/score", content=b"x" * 70000,
                                  headers={"content-type": "application/json"})),
    "error_415": seen(client.post("/api/v1/score", content=b"age=41",
                                  headers={"content-type": "text/plain"})),
    "error_400": seen(client.options("/api/v1/score", headers={
        "Origin": evil, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-evil"})),
    "error_422": seen(client.post("/api/v1/auth/token", data={"grant_type": "password", "scope": "x:y"})),
    "error_404": seen(client.get("/metrics")),
    "error_403": seen(client.post("/auth/session", data={"email": "a@b.example", "password": "x"},
                                  headers={"Origin": evil}, follow_redirects=False)),
}))
"""


@pytest.fixture(scope="module")
def probes(tmp_path_factory, sqlite_url):
    root = tmp_path_factory.mktemp("mounted")
    write_frontend(root / "web" / "build" / "client")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "REFLEX_", "NEOBANK_"))}
    env.update(
        NEOBANK_ENV="dev",  # CORS origins: '*', the development default
        NEOBANK_DATA_DIR=str(root),
        REFLEX_DB_URL=sqlite_url,  # the refused calls are audited
        NEOBANK_METRICS_TOKEN="probe-metrics-token",
        REFLEX_WEB_WORKDIR=str(root / "web"),
        REFLEX_TELEMETRY_ENABLED="false",
        __REFLEX_SKIP_COMPILE="true",
        __REFLEX_MOUNT_FRONTEND_COMPILED_APP="true",
    )
    run = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PROBES],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("probe", ["simple", "preflight"])
def test_the_mounted_api_never_reflects_an_origin_with_credentials(probes, probe):
    headers = probes[probe]["headers"]
    assert "access-control-allow-credentials" not in headers
    assert headers.get("access-control-allow-origin") in (None, "*")
    assert headers.get("access-control-allow-origin") != FOREIGN_ORIGIN


def test_the_mounted_api_allows_only_its_own_methods_and_headers(probes):
    preflight = probes["preflight"]["headers"]
    assert "DELETE" in preflight["access-control-allow-methods"]
    assert "PUT" not in preflight["access-control-allow-methods"]
    assert preflight["access-control-allow-headers"] != "*"


@pytest.mark.parametrize(("probe", "status"), [("newline", 401), ("unknown_route", 404)])
def test_an_unroutable_api_path_answers_json(probes, probe, status):
    response = probes[probe]
    assert response["status"] == status  # the newline path reaches its route: no token, 401
    assert response["headers"]["content-type"] == "application/json"
    body = json.loads(response["text"])
    assert body["detail"] and body["request_id"]


@pytest.mark.parametrize(
    ("probe", "status", "code"),
    [
        ("newline", 401, "missing_token"),
        ("unknown_route", 404, "not_found"),
        ("error_400", 400, "cors_refused"),
        ("error_403", 403, "foreign_origin"),
        ("error_404", 404, "not_found"),
        ("error_405", 405, "method_not_allowed"),
        ("error_413", 413, "payload_too_large"),
        ("error_415", 415, "unsupported_media_type"),
        ("error_422", 422, "validation_error"),
    ],
)
def test_the_reflex_app_answers_api_errors_in_the_one_shape(probes, probe, status, code):
    response = probes[probe]
    assert response["status"] == status, response["text"]
    body = json.loads(response["text"])
    assert set(body) == {"detail", "error", "errors", "request_id"}
    assert body["error"] == code and isinstance(body["errors"], list)
    assert bool(body["errors"]) == (status == 422)
    assert response["request_ids"] == [body["request_id"]]


def test_a_newline_in_a_client_id_is_a_422_naming_the_field(api, headers):
    response = api.get("/api/v1/clients/abc%0A/score", headers=headers["partner"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "client_id"


def test_health_names_the_model_to_authenticated_callers_only(api, headers):
    anonymous = api.get("/api/v1/health").json()
    assert anonymous["model_loaded"] is True and anonymous.get("model_version") is None
    known = api.get("/api/v1/health", headers=headers["reader"]).json()
    assert len(known["model_version"]) == 64
    forged = api.get("/api/v1/health", headers={"Authorization": "Bearer forged"})
    assert forged.status_code == 200 and forged.json().get("model_version") is None


def test_the_app_serves_the_apis_metrics_to_the_scraper(probes):
    """``/metrics`` reaches the API inside the Reflex app, and counts the API's answers."""
    metrics = probes["metrics"]
    assert metrics["status"] == 200
    assert "neobank_http_responses_total" in metrics["text"] or "python_gc" in metrics["text"]
