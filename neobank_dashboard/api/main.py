"""The REST API, served by the Reflex app beside its pages or standalone:
``uvicorn neobank_dashboard.api.main:app``.

Standalone, FastAPI's ``lifespan`` loads the model; in the Reflex app that
lifespan does not run, so the Reflex app registers the same
:func:`~neobank_dashboard.api.lifespan.scoring_lifespan` as a lifespan task.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp

from neobank_dashboard.api.errors import install_error_handlers
from neobank_dashboard.api.lifespan import scoring_lifespan
from neobank_dashboard.api.middleware import MAX_BODY_BYTES, ApiCorsMiddleware, ApiGuardMiddleware
from neobank_dashboard.api.observability import ObservabilityMiddleware
from neobank_dashboard.api.observability import router as metrics_router
from neobank_dashboard.api.routes import (
    auth,
    clients,
    counterfactuals,
    health,
    letters,
    model,
    monitoring,
    outcomes,
    oversight,
    reviews,
    rgpd,
    score,
)
from neobank_dashboard.api.security import SecurityHeadersMiddleware
from neobank_dashboard.settings import exit_if_unsafe, get_settings

API_PREFIX = "/api/v1"
BATCH_PATH = f"{API_PREFIX}/score/batch"
OUTCOMES_PATH = f"{API_PREFIX}/outcomes"
TOKEN_PATH = f"{API_PREFIX}/auth/token"
DESCRIPTION = f"""
Credit-eligibility scoring for the neobank's advisors and partner applications.

* Authenticate with `POST {API_PREFIX}/auth/token` (OAuth2 password grant for
  advisors, client credentials for partner applications), then send
  `Authorization: Bearer <token>`. Tokens live 15 minutes.
* Every error is JSON `{{detail, error, errors: [{{field, reason}}], request_id}}`:
  `error` a stable code, `errors` empty but for a 422; every response carries an
  `X-Request-ID` header, the error's `request_id`.
* Limits: bodies up to {MAX_BODY_BYTES // 1024} KB (batch: 1 MB, 1,000 items); a
  token calls at a sustained rate set by the operator (429 with `Retry-After`).
* `SCORING_MODE=manual` (kill switch) or a missing model: scoring answers 503,
  "manual assessment required". Never a default score.
"""


class _StandaloneApi(FastAPI):
    """The security headers wrap the whole stack, Starlette's 500 handler included
    (``add_middleware`` would place them inside it)."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeadersMiddleware(super().build_middleware_stack(), docs_path=self.docs_url)


def create_app(*, standalone: bool = True) -> FastAPI:
    """The API; ``standalone=False`` for the Reflex app, which serves it beside the pages
    (:class:`~neobank_dashboard.api.middleware.ApiFirstMiddleware`), runs the scoring
    lifespan itself and puts the security headers around everything."""
    settings = get_settings()
    settings.check_safe_for_environment()
    app = (_StandaloneApi if standalone else FastAPI)(
        title="Neobank scoring API",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        # Swagger UI pulls its code from a public CDN: development only. Production
        # serves the schema; docs/api.md is the guide.
        docs_url=None if settings.is_prod else "/api/docs",
        redoc_url=None,
        lifespan=scoring_lifespan if standalone else None,
    )
    install_error_handlers(app)
    app.add_middleware(
        ApiGuardMiddleware,
        batch_paths=frozenset({BATCH_PATH, OUTCOMES_PATH}),
        form_paths=frozenset({TOKEN_PATH}),
    )
    # Outermost of ours: it sees the request id the guard sets and times the whole answer.
    app.add_middleware(ObservabilityMiddleware)
    # Bearer tokens, no cookies: no credentials, so no origin is ever reflected with them.
    app.add_middleware(
        ApiCorsMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
    )
    routers = (
        health,
        auth,
        score,
        clients,
        counterfactuals,
        letters,
        reviews,
        oversight,
        rgpd,
        model,
        outcomes,
        monitoring,
    )
    for router in (module.router for module in routers):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(metrics_router)
    return app


# `uvicorn neobank_dashboard.api.main:app` imports this module: insecure production settings
# end the process here with the list of what to fix, not a traceback from create_app.
exit_if_unsafe()
app = create_app()
