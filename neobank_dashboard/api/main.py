"""The REST API, mounted in Reflex (``api_transformer``) or standalone:
``uvicorn neobank_dashboard.api.main:app``."""

from __future__ import annotations

from fastapi import FastAPI

from neobank_dashboard.api.routes import health

API_PREFIX = "/api/v1"


def create_app() -> FastAPI:
    app = FastAPI(
        title="Neobank scoring API",
        version="1.0.0",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.include_router(health.router, prefix=API_PREFIX)
    return app


app = create_app()
