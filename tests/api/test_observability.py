"""Observability: the access-log line, the metrics and who may read them."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap

import pytest
from fastapi.testclient import TestClient

from neobank_dashboard.api.main import create_app
from neobank_dashboard.api.observability import ACCESS_LOGGER
from neobank_dashboard.settings import get_settings
from tests.api.conftest import score_body


@pytest.fixture
def observed_api(monkeypatch, sqlite_url):
    monkeypatch.setenv("REFLEX_DB_URL", sqlite_url)

    def client(token: str | None = None, address: str = "127.0.0.1") -> TestClient:
        if token:
            monkeypatch.setenv("NEOBANK_METRICS_TOKEN", token)
        else:
            monkeypatch.delenv("NEOBANK_METRICS_TOKEN", raising=False)
        get_settings.cache_clear()
        return TestClient(create_app(), client=(address, 50000))

    yield client
    get_settings.cache_clear()


def _sample(text: str, name: str, **labels: str) -> float:
    """The sum of the samples of ``name`` whose labels include ``labels``."""
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items())
    )


def test_metrics_count_requests_by_route_template_and_status(observed_api):
    client = observed_api()
    before = _sample(client.get("/metrics").text, "neobank_http_responses_total", route="/api/v1/health")
    client.get("/api/v1/health")
    client.get("/api/v1/clients/4f6c2a9e-0000-4000-8000-000000000000")  # 401, a templated route
    text = client.get("/metrics").text
    assert _sample(text, "neobank_http_responses_total", route="/api/v1/health") == before + 1
    assert (
        _sample(text, "neobank_http_responses_total", route="/api/v1/clients/{client_id}", status="401") >= 1
    )
    assert "4f6c2a9e" not in text  # a client id never becomes a label
    assert _sample(text, "neobank_http_request_duration_seconds_count", route="/api/v1/health") >= 1
    assert "neobank_db_pool_connections_in_use" in text
    assert "neobank_audit_chain_lock_wait_seconds" in text


def test_metrics_refused_to_a_remote_caller_without_the_token(observed_api):
    response = observed_api(address="203.0.113.9").get("/metrics")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_metrics_token_required_when_configured(observed_api):
    client = observed_api(token="scraper-secret-0123456789abcdef", address="203.0.113.9")
    assert client.get("/metrics").status_code == 404
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 404
    right = client.get("/metrics", headers={"Authorization": "Bearer scraper-secret-0123456789abcdef"})
    assert right.status_code == 200
    assert "neobank_http_responses_total" in right.text


def test_one_json_access_line_per_request_without_ids_or_tokens(observed_api, caplog):
    client = observed_api()
    logger = logging.getLogger(ACCESS_LOGGER)
    logger.addHandler(caplog.handler)
    try:
        client.get(
            "/api/v1/clients/4f6c2a9e-0000-4000-8000-000000000000?age_min=30",
            headers={"Authorization": "Bearer abc.def.ghi", "X-Request-ID": "req-observability-1"},
        )
    finally:
        logger.removeHandler(caplog.handler)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == ACCESS_LOGGER]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "req-observability-1"
    assert line["route"] == "/api/v1/clients/{client_id}"
    assert line["status"] == 401 and line["method"] == "GET" and line["duration_ms"] >= 0
    raw = json.dumps(line)
    assert "4f6c2a9e" not in raw and "abc.def" not in raw and "age_min" not in raw


def test_multiprocess_mode_adds_up_the_workers(tmp_path):
    """Two processes (two Granian workers) count; one exposition shows the sum."""
    worker = textwrap.dedent(
        """
        from neobank_dashboard import metrics
        metrics.SCORES.labels("api", "eligible").inc(3)
        """
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", worker], env=env, check=True)
    reader = "from neobank_dashboard import metrics; print(metrics.exposition()[0].decode())"
    out = subprocess.run([sys.executable, "-c", reader], env=env, check=True, capture_output=True, text=True)
    assert _sample(out.stdout, "neobank_scores_total", channel="api", recommendation="eligible") == 6


def test_scores_counted_by_recommendation_once_committed(api, headers):
    """``api`` and ``headers`` are the scoring API fixtures (tests/api/conftest.py)."""
    from neobank_dashboard import metrics

    def eligible_count() -> float:
        return metrics.SCORES.labels("api", "eligible")._value.get()

    before = eligible_count()
    response = api.post("/api/v1/score", json=score_body(), headers=headers["partner"])
    assert response.status_code == 200 and response.json()["recommendation"] == "eligible"
    assert eligible_count() == before + 1
    bad = score_body(age=12)
    assert api.post("/api/v1/score", json=bad, headers=headers["partner"]).status_code == 422
    assert eligible_count() == before + 1
