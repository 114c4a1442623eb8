"""GET /api/v1/health (no authentication): database reachable, model loaded.

The model's version (its artefact hash) goes to authenticated callers only: to anyone
else it would say which model, and when it changes, without any need to know.
"""

from __future__ import annotations

import hashlib
import os
import socket

import sqlalchemy as sa
from fastapi import APIRouter, Response, status

from neobank_dashboard.api.deps import OptionalCaller
from neobank_dashboard.api.schemas import Health
from neobank_dashboard.db import get_engine
from neobank_dashboard.services.scoring import scoring_status

router = APIRouter(tags=["health"])


def worker_id() -> str:
    """Which worker answered, without disclosing its host name or process id."""
    return hashlib.sha256(f"{socket.gethostname()}:{os.getpid()}".encode()).hexdigest()[:8]


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "Database unreachable or no valid model loaded"}},
)
def health(response: Response, caller: OptionalCaller) -> Health:
    try:
        with get_engine().connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        database = True
    except Exception:  # noqa: BLE001 - reported as a health fact, never as a trace
        database = False
    scoring = scoring_status()
    healthy = database and scoring.model_loaded
    if not healthy:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(
        status="ok" if healthy else "degraded",
        database=database,
        model_loaded=scoring.model_loaded,
        model_version=scoring.model_version if caller is not None else None,
        scoring_mode=scoring.mode,
        worker=worker_id(),
    )
