"""The stable machine codes of the API's error bodies (their ``error`` field).

One code, one HTTP status: an error is raised by naming its code
(:class:`~neobank_dashboard.api.errors.ApiError`), and its status follows. docs/api.md
lists every code with its status and reason (``tests/api/test_error_shape.py`` checks it).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    status: int
    reason: str

    def __new__(cls, value: str, status: int, reason: str) -> ErrorCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.status, member.reason = status, reason
        return member

    # 400
    invalid_request = "invalid_request", 400, "a token request without its required fields (OAuth2)"
    unsupported_grant_type = "unsupported_grant_type", 400, "neither password nor client_credentials"
    invalid_scope = "invalid_scope", 400, "a token asked for a scope its caller does not hold"
    cors_refused = "cors_refused", 400, "a CORS preflight from an origin, method or header not allowed"
    bad_request = "bad_request", 400, "a request the HTTP layer could not read"
    # 401
    missing_token = "missing_token", 401, "no bearer token"
    invalid_token = "invalid_token", 401, "an expired, forged or foreign token, or a deactivated account"
    invalid_credentials = "invalid_credentials", 401, "wrong e-mail and password, or client id and secret"
    # 403
    missing_scope = "missing_scope", 403, "the token lacks the scope the route needs"
    advisors_only = "advisors_only", 403, "a route for staff, called by a partner application"
    supervisors_only = "supervisors_only", 403, "a route for supervisors and admins"
    four_eyes = "four_eyes", 403, "the decider may not claim or resolve the review of their own decision"
    foreign_origin = "foreign_origin", 403, "the login form was posted from another origin"
    forbidden = "forbidden", 403, "any other refusal"
    # 404
    not_found = "not_found", 404, "an unknown route; a resource unknown or outside the caller's portfolio"
    no_score = "no_score", 404, "the client has no score yet"
    # 405
    method_not_allowed = "method_not_allowed", 405, "the route exists, not with this method (see Allow)"
    # 409
    conflict = "conflict", 409, "a concurrent duplicate; a review resolved or claimed; a contest pending"
    objection = "objection", 409, "the client objected to automated scoring"
    restricted = "restricted", 409, "the client's data is restricted: no scoring"
    state_forbids = "state_forbids", 409, "a data-subject request the client's state forbids"
    # 410
    erased = "erased", 410, "the client's data was erased: nothing can be returned"
    # 413
    payload_too_large = "payload_too_large", 413, "a body over the size limit (64 KB, batch 1 MB)"
    batch_too_large = "batch_too_large", 413, "a batch of more than 1,000 items"
    # 415
    unsupported_media_type = (
        "unsupported_media_type",
        415,
        "a body that is not JSON (on the token route: not a form)",
    )
    # 422
    validation_error = "validation_error", 422, "invalid input: each item of errors names a field and why"
    # 429
    rate_limited = "rate_limited", 429, "too many calls for this token or address: see Retry-After"
    login_rate_limited = "login_rate_limited", 429, "too many logins from this address: see Retry-After"
    # 500
    internal_error = "internal_error", 500, "an unexpected error, logged with the request id"
    # 503
    manual_mode = "manual_mode", 503, "the kill switch is on: manual assessment required"
    no_model = "no_model", 503, "no valid model is loaded: manual assessment required"
    model_version_unavailable = (
        "model_version_unavailable",
        503,
        "the score's model version left the registry",
    )
    database_unavailable = "database_unavailable", 503, "the database was lost: nothing was stored"


GENERIC_CODES: dict[int, ErrorCode] = {
    400: ErrorCode.bad_request,
    401: ErrorCode.invalid_token,
    403: ErrorCode.forbidden,
    404: ErrorCode.not_found,
    405: ErrorCode.method_not_allowed,
    409: ErrorCode.conflict,
    413: ErrorCode.payload_too_large,
    415: ErrorCode.unsupported_media_type,
    422: ErrorCode.validation_error,
    429: ErrorCode.rate_limited,
    500: ErrorCode.internal_error,
}
"""The code of an error raised with a status only (Starlette's own 404 and 405...)."""


def generic_code(status: int) -> ErrorCode:
    """The code for ``status`` when nothing more precise is known."""
    return GENERIC_CODES.get(status, ErrorCode.internal_error if status >= 500 else ErrorCode.bad_request)


def service_code(code: str, fallback: ErrorCode) -> ErrorCode:
    """A service's own error code (``"objection"``, ``"no_model"``...) as an API code."""
    return _BY_VALUE.get(code, fallback)


_BY_VALUE = {member.value: member for member in ErrorCode}
