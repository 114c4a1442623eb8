"""GET /api/v1/health: is the database reachable (no authentication)."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from neobank_dashboard.db import get_engine

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: bool


@router.get("/health", response_model=Health)
def health(response: Response) -> Health:
    try:
        with get_engine().connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        database = True
    except Exception:  # noqa: BLE001 - reported as a health fact, never as a trace
        database = False
    if not database:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(status="ok" if database else "degraded", database=database)
