"""Error responses: one JSON shape for every status, never a stack trace, SQL or a file path.

Every error answers ``{"detail", "error", "errors", "request_id"}`` (:class:`ErrorResponse`):
``error`` a stable code of :class:`~neobank_dashboard.api.error_codes.ErrorCode`, ``errors``
the ``{"field", "reason"}`` pairs of a 422 (empty otherwise), ``request_id`` the
``X-Request-ID`` header of the same response. Routes raise :class:`ApiError`; the
handlers below shape the services' exceptions and Starlette's own (unknown route, 405).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from neobank_dashboard.api.error_codes import ErrorCode, generic_code, service_code
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
REQUEST_ID_HEADER = "x-request-id"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,80}$")


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
    error: ErrorCode
    errors: list[FieldError]
    request_id: str


class ApiError(HTTPException):
    """An error a route raises by its code: the status is the code's."""

    def __init__(
        self,
        code: ErrorCode,
        detail: str | None = None,
        *,
        errors: Iterable[tuple[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ):
        super().__init__(code.status, detail or code.reason, headers=dict(headers) if headers else None)
        self.code, self.errors = code, list(errors)


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
    415: _documented("A body that is not JSON (the token route: not a form)"),
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


def request_id_for(scope: Scope) -> str:
    """The request's id, chosen once: the caller's ``X-Request-ID`` when it is safe to echo,
    else a new one. Kept in the scope's state, where every later layer finds it."""
    state = scope.setdefault("state", {})
    if not state.get("request_id"):
        given = next((v for k, v in scope.get("headers", ()) if k == REQUEST_ID_HEADER.encode()), b"")
        candidate = given.decode("latin-1")
        state["request_id"] = candidate if _SAFE_REQUEST_ID.match(candidate) else uuid.uuid4().hex
    return state["request_id"]


def request_id_of(request: Request) -> str:
    return request_id_for(request.scope)


def error_response(
    scope: Scope,
    code: ErrorCode,
    detail: str | None = None,
    *,
    errors: Iterable[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    status_code: int | None = None,
) -> JSONResponse:
    """The error answer: the code's status unless Starlette chose another (``status_code``)."""
    request_id = request_id_for(scope)
    body = ErrorResponse(
        detail=detail or code.reason,
        error=code,
        errors=[FieldError(field=f, reason=r) for f, r in errors],
        request_id=request_id,
    )
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=status_code or code.status,
        headers={**(headers or {}), "X-Request-ID": request_id},
    )


class DeferredErrorResponse(Response):
    """An error answer built when it is sent, for a layer that does not see the scope
    (Starlette's CORS preflight)."""

    def __init__(self, code: ErrorCode, detail: str, headers: Mapping[str, str] | None = None):
        super().__init__(status_code=code.status)
        self.code, self.detail, self.extra = code, detail, dict(headers or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await error_response(scope, self.code, self.detail, headers=self.extra)(scope, receive, send)


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


def _invalid(request: Request, detail: str, errors: Iterable[tuple[str, str]]) -> JSONResponse:
    return error_response(request.scope, ErrorCode.validation_error, detail, errors=errors)


async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    return _invalid(request, "invalid request", field_errors(error))


async def _feature_error(request: Request, error: FeatureValidationError) -> JSONResponse:
    return _invalid(request, "invalid features", error.problems)


async def _decision_error(request: Request, error: DecisionError) -> JSONResponse:
    return _invalid(request, "invalid decision", [(error.field, error.reason)])


async def _review_error(request: Request, error: ReviewError) -> JSONResponse:
    return _invalid(request, "invalid request", [(error.field, error.reason)])


def _correction_field(problem_field: str) -> str:
    """A rectification problem's field as the contest body names it."""
    name, dated = problem_field.removesuffix("_as_of"), problem_field.endswith("_as_of")
    return f"corrections.{name}.{'as_of' if dated else 'value'}"


async def _rectification_error(request: Request, error: RectificationError) -> JSONResponse:
    # A contest's body names its corrections ``corrections.<feature>.value``; the
    # rectification route (PATCH /clients/{id}) names the features themselves.
    if request.url.path.endswith("/contests"):
        return _invalid(
            request, "invalid corrections", [(_correction_field(f), r) for f, r in error.problems]
        )
    return _invalid(request, "invalid rectification", error.problems)


async def _four_eyes(request: Request, error: FourEyesError) -> JSONResponse:
    return error_response(request.scope, ErrorCode.four_eyes, str(error))


async def _review_conflict(request: Request, error: ReviewConflictError) -> JSONResponse:
    return error_response(request.scope, ErrorCode.conflict, str(error))


async def _review_not_found(request: Request, error: ReviewNotFoundError) -> JSONResponse:
    return error_response(request.scope, ErrorCode.not_found, "review item not found")


async def _integrity_error(request: Request, error: IntegrityError) -> JSONResponse:
    logger.warning("integrity conflict on %s (request %s)", request.url.path, request_id_of(request))
    return error_response(request.scope, ErrorCode.conflict, "conflicting concurrent request: retry it")


async def _database_unavailable(request: Request, error: sa.exc.DBAPIError) -> JSONResponse:
    if not connection_lost(error):
        return await _unexpected(request, error)
    logger.warning("database connection lost on %s %s", request.method, request.url.path)
    return error_response(
        request.scope,
        ErrorCode.database_unavailable,
        "the database was unreachable: nothing was stored, retry shortly (with the same request_id)",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


async def _scoring_unavailable(request: Request, error: ScoringUnavailableError) -> JSONResponse:
    code = service_code(error.code, ErrorCode.no_model)
    return error_response(request.scope, code, error.message, headers={"Retry-After": "60"})


async def _not_scorable(request: Request, error: ClientNotScorableError) -> JSONResponse:
    # erased data is gone for good (410); a restriction or an objection may be lifted (409)
    return error_response(request.scope, service_code(error.code, ErrorCode.conflict), error.message)


# FastAPI's answer when a JSON body cannot even be decoded (e.g. invalid UTF-8).
_UNPARSABLE_BODY = "There was an error parsing the body"


async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    if isinstance(error, ApiError):
        return error_response(
            request.scope, error.code, error.detail, errors=error.errors, headers=error.headers
        )
    detail = error.detail if isinstance(error.detail, str) else "request refused"
    if error.status_code == 400 and detail == _UNPARSABLE_BODY:
        return _invalid(request, "invalid request", [("body", "is not valid JSON")])
    # Starlette's own: an unknown route (404), a known one with another method (405)...
    return error_response(
        request.scope,
        generic_code(error.status_code),
        detail,
        headers=error.headers,
        status_code=error.status_code,
    )


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    logger.exception(
        "unhandled error on %s %s (request %s)", request.method, request.url.path, request_id_of(request)
    )
    return error_response(
        request.scope, ErrorCode.internal_error, "internal error: the incident is logged with this request id"
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
