"""Schemathesis over the OpenAPI schema: no server error, no response that breaks
its documented schema, status code or content type. Bounded: a few examples per
operation, each caller kind (staff token, partner token)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from neobank_dashboard.api.main import app

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


# Loaded at import: the schema route needs neither the database nor the model. The
# calls then reach the app that the ``api`` fixture started (model loaded, accounts).
schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)


FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.mark.slow
@schema.parametrize()
@FUZZ
def test_staff_responses_match_the_schema(case, api, headers):
    case.call_and_validate(headers=headers["supervisor"], checks=CHECKS)


@pytest.mark.slow
@schema.parametrize()
@FUZZ
def test_partner_responses_match_the_schema(case, api, headers):
    case.call_and_validate(headers=headers["partner"], checks=CHECKS)
