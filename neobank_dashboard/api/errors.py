"""Error responses: one JSON shape, never a stack trace, SQL or a file path.

Every error answers ``{"detail": ..., "error": ..., "errors": [...], "request_id": ...}``
(:class:`ErrorResponse`); validation errors list ``{"field", "reason"}`` pairs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from neobank_dashboard.db.group_commit import connection_lost
from neobank_dashboard.services.decisions import DecisionError
from neobank_dashboard.services.reviews import (
    FourEyesError,
    ReviewConflictError,
    ReviewError,
    ReviewNotFoundError,
)
from neobank_dashboard.services.rgpd import RectificationError
from neobank_dashboard.services.scoring import (
    ClientNotScorableError,
    FeatureValidationError,
    ScoringUnavailableError,
)

logger = logging.getLogger("neobank_dashboard.api")
DATABASE_RETRY_AFTER_SECONDS = 2


class FieldError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str
    reason: str


class ErrorResponse(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "detail": "invalid request",
                    "error": "validation_error",
                    "errors": [{"field": "age", "reason": "must be between 18 and 120 years, got 12"}],
                    "request_id": "5f0c8e7a9b2d4c1e",
                }
            ]
        },
    )

    detail: str
    error: str | None = None
    errors: list[FieldError] | None = None
    request_id: str | None = None


def _documented(description: str) -> dict:
    return {"model": ErrorResponse, "description": description}


RESPONSES: dict[int | str, dict] = {
    400: _documented("Malformed request (OAuth2 grant errors)"),
    401: _documented("Missing, expired or invalid access token"),
    403: _documented("The token lacks the scope or role this route needs"),
    404: _documented("Not found, or outside the caller's portfolio"),
    409: _documented(
        "The client cannot be scored or given a stored score (restriction, objection; also "
        "on a replayed request id), a concurrent duplicate, or a review item already resolved "
        "or claimed by someone else"
    ),
    410: _documented("The client's data was erased: a replayed request id returns nothing"),
    413: _documented("Body over the size limit, or a batch over 1,000 items"),
    422: _documented("Invalid input: each error names the field and the reason"),
    429: _documented("Too many calls for this token: see the Retry-After header"),
    503: _documented(
        "Scoring unavailable (manual assessment required, no valid model) or the database "
        "was lost mid-request: see Retry-After, nothing was stored"
    ),
}


def responses(*codes: int) -> dict[int | str, dict]:
    """The documented error responses of a route."""
    return {code: RESPONSES[code] for code in codes}


def request_id_of(request: Request) -> str | None:
    return request.scope.get("state", {}).get("request_id")


def error_response(
    request: Request,
    status_code: int,
    detail: str,
    *,
    error: str | None = None,
    errors: list[tuple[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorResponse(
        detail=detail,
        error=error,
        errors=[FieldError(field=f, reason=r) for f, r in errors] if errors is not None else None,
        request_id=request_id_of(request),
    )
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status_code, headers=headers)


_REASONS = {
    "missing": "is missing",
    "extra_forbidden": "is not a known field",
    "json_invalid": "is not valid JSON",
    "model_attributes_type": "must be a JSON object",
    "model_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
}
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})
_TYPE_PARTS = frozenset({"int", "float", "str", "bool", "date", "dict", "list"})
_NUMBER_TYPES = frozenset({"int_type", "float_type", "int_parsing", "float_parsing"})


def describe_errors(items: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """``(field, reason)`` pairs from pydantic errors, without echoing the input."""
    result: list[tuple[str, str]] = []
    for item in items:
        loc = [str(part) for part in item.get("loc", ())]
        if loc and loc[0] in _LOCATIONS:
            loc = loc[1:] or loc[:1]
        # Union members add their type name to the location: drop it.
        loc = [
            part
            for part in loc
            if part not in _TYPE_PARTS and not part.startswith(("function-", "constrained-"))
        ]
        kind = item.get("type", "")
        if kind in _NUMBER_TYPES:
            reason = "must be a number"
        else:
            reason = _REASONS.get(kind, str(item.get("msg", "is invalid")))
        pair = (".".join(loc) or "body", reason)
        if pair not in result:
            result.append(pair)
    return result


def field_errors(error: RequestValidationError) -> list[tuple[str, str]]:
    return describe_errors(list(error.errors()))


async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    return error_response(
        request,
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        "invalid request",
        error="validation_error",
        errors=field_errors(error),
    )


async def _feature_error(request: Request, error: FeatureValidationError) -> JSONResponse:
    return error_response(
        request,
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        "invalid features",
        error="validation_error",
        errors=error.problems,
    )


async def _decision_error(request: Request, error: DecisionError) -> JSONResponse:
    return error_response(
        request,
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        "invalid decision",
        error="validation_error",
        errors=[(error.field, error.reason)],
    )


async def _review_error(request: Request, error: ReviewError) -> JSONResponse:
    return error_response(
        request,
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        "invalid request",
        error="validation_error",
        errors=[(error.field, error.reason)],
    )


def _correction_field(problem_field: str) -> str:
    """A rectification problem's field as the contest body names it."""
    name, dated = problem_field.removesuffix("_as_of"), problem_field.endswith("_as_of")
    return f"corrections.{name}.{'as_of' if dated else 'value'}"


async def _rectification_error(request: Request, error: RectificationError) -> JSONResponse:
    # A contest's body names its corrections ``corrections.<feature>.value``; the
    # rectification route (PATCH /clients/{id}) names the features themselves.
    if request.url.path.endswith("/contests"):
        detail, errors = "invalid corrections", [(_correction_field(f), r) for f, r in error.problems]
    else:
        detail, errors = "invalid rectification", list(error.problems)
    return error_response(
        request, status.HTTP_422_UNPROCESSABLE_CONTENT, detail, error="validation_error", errors=errors
    )


async def _four_eyes(request: Request, error: FourEyesError) -> JSONResponse:
    return error_response(request, status.HTTP_403_FORBIDDEN, str(error), error="four_eyes")


async def _review_conflict(request: Request, error: ReviewConflictError) -> JSONResponse:
    return error_response(request, status.HTTP_409_CONFLICT, str(error), error="conflict")


async def _review_not_found(request: Request, error: ReviewNotFoundError) -> JSONResponse:
    return error_response(request, status.HTTP_404_NOT_FOUND, "review item not found")


async def _integrity_error(request: Request, error: IntegrityError) -> JSONResponse:
    logger.warning("integrity conflict on %s (request %s)", request.url.path, request_id_of(request))
    return error_response(
        request, status.HTTP_409_CONFLICT, "conflicting concurrent request: retry it", error="conflict"
    )


async def _database_unavailable(request: Request, error: sa.exc.DBAPIError) -> JSONResponse:
    if not connection_lost(error):
        return await _unexpected(request, error)
    logger.warning("database connection lost on %s %s", request.method, request.url.path)
    return error_response(
        request,
        status.HTTP_503_SERVICE_UNAVAILABLE,
        "the database was unreachable: nothing was stored, retry shortly (with the same request_id)",
        error="database_unavailable",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


async def _scoring_unavailable(request: Request, error: ScoringUnavailableError) -> JSONResponse:
    return error_response(
        request,
        status.HTTP_503_SERVICE_UNAVAILABLE,
        error.message,
        error=error.code,
        headers={"Retry-After": "60"},
    )


async def _not_scorable(request: Request, error: ClientNotScorableError) -> JSONResponse:
    gone = error.code == "erased"  # erased data is gone for good; a restriction may be lifted
    code = status.HTTP_410_GONE if gone else status.HTTP_409_CONFLICT
    return error_response(request, code, error.message, error=error.code)


# FastAPI's answer when a JSON body cannot even be decoded (e.g. invalid UTF-8).
_UNPARSABLE_BODY = "There was an error parsing the body"


async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    detail = error.detail if isinstance(error.detail, str) else "request refused"
    if error.status_code == status.HTTP_400_BAD_REQUEST and detail == _UNPARSABLE_BODY:
        return error_response(
            request,
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid request",
            error="validation_error",
            errors=[("body", "is not valid JSON")],
        )
    return error_response(request, error.status_code, detail, headers=error.headers)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    logger.exception(
        "unhandled error on %s %s (request %s)", request.method, request.url.path, request_id_of(request)
    )
    return error_response(
        request,
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        "internal error: the incident is logged with this request id",
        error="internal_error",
    )


Failure = TypeVar("Failure", bound=Exception)


def _handle(
    app: FastAPI, kind: type[Failure], handler: Callable[[Request, Failure], Awaitable[Response]]
) -> None:
    """Register ``handler`` for ``kind``, keeping its narrower exception type: Starlette
    types every handler as taking any ``Exception``."""

    async def dispatch(request: Request, error: Exception) -> Response:
        assert isinstance(error, kind)  # Starlette picks the handler by the error's class
        return await handler(request, error)

    app.add_exception_handler(kind, dispatch)


def install_error_handlers(app: FastAPI) -> None:
    _handle(app, RequestValidationError, _validation_error)
    _handle(app, FeatureValidationError, _feature_error)
    _handle(app, DecisionError, _decision_error)
    _handle(app, ReviewError, _review_error)
    _handle(app, RectificationError, _rectification_error)
    _handle(app, FourEyesError, _four_eyes)
    _handle(app, ReviewConflictError, _review_conflict)
    _handle(app, ReviewNotFoundError, _review_not_found)
    _handle(app, IntegrityError, _integrity_error)
    _handle(app, sa.exc.OperationalError, _database_unavailable)
    _handle(app, sa.exc.InterfaceError, _database_unavailable)
    _handle(app, ScoringUnavailableError, _scoring_unavailable)
    _handle(app, ClientNotScorableError, _not_scorable)
    _handle(app, StarletteHTTPException, _http_error)
    _handle(app, Exception, _unexpected)
