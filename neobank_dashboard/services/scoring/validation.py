"""What may be scored: input checks against the feature spec, the declared
purpose, and whether a client's data may be processed for scoring."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import cast

from modeling import FEATURE_NAMES, FEATURES_BY_NAME, validate_features
from neobank_dashboard.db.models import Client, ClientStatus


class Purpose(StrEnum):
    """Why a score is computed (GDPR purpose limitation): declared on every API call."""

    credit_application = "credit_application"
    credit_limit_review = "credit_limit_review"
    portfolio_review = "portfolio_review"
    advisor_review = "advisor_review"


class FeatureValidationError(ValueError):
    """The inputs break the feature spec; ``problems`` lists ``(field, reason)``."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{field} {reason}" for field, reason in problems))
        self.problems = problems


class ClientNotScorableError(RuntimeError):
    """The client's data may not be processed for scoring (objection, restriction)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _as_of_problems(as_of: Mapping[str, object] | None, today: date) -> list[tuple[str, str]]:
    problems = []
    for name, value in (as_of or {}).items():
        field = f"as_of.{name}"
        if name not in FEATURES_BY_NAME:
            problems.append((field, "is not a known feature"))
        elif isinstance(value, datetime) or not isinstance(value, date):
            problems.append((field, "must be a date (YYYY-MM-DD)"))
        elif value > today:
            problems.append((field, "must not be in the future"))
    return problems


def check_inputs(
    values: Mapping[str, object], as_of: Mapping[str, object] | None, today: date
) -> list[tuple[str, str]]:
    """Every problem with one client's inputs, as ``(field, reason)`` (empty: valid).
    Feature rules come from the feature spec (``validate_features``)."""
    return validate_features(values) + _as_of_problems(as_of, today)


def input_row(
    values: Mapping[str, object], as_of: Mapping[str, date] | None, today: date
) -> tuple[list[float], list[date]]:
    """Validated inputs as one array row and its as-of dates (missing ones: today),
    in ``FEATURE_NAMES`` order."""
    as_of = as_of or {}
    return (
        [float(cast(float, values[name])) for name in FEATURE_NAMES],  # validated: real numbers
        [as_of.get(name, today) for name in FEATURE_NAMES],
    )


def check_purpose(purpose: str | None) -> str | None:
    """The declared purpose's value, or :class:`FeatureValidationError` naming the field."""
    if purpose is None:
        return None
    try:
        return Purpose(purpose).value
    except ValueError:
        raise FeatureValidationError([("purpose", f"must be one of {[p.value for p in Purpose]}")]) from None


REFUSALS = {
    "restricted": "the client's data is restricted: no scoring",
    "objection": "the client objected to automated scoring: manual assessment required",
    "erased": "the client's data was erased: nothing can be returned",
}
"""Why a client's data may not be scored or given back, by stable code."""


def refusal(code: str) -> ClientNotScorableError:
    return ClientNotScorableError(code, REFUSALS[code])


def scoring_refusal(status: str, objection: bool) -> ClientNotScorableError | None:
    """Why a client in this state may not be scored (or given a stored score), or None."""
    if status == ClientStatus.erased:
        return refusal("erased")
    if status != ClientStatus.active:
        return refusal("restricted")
    return refusal("objection") if objection else None


def check_scorable(client: Client) -> None:
    """:class:`ClientNotScorableError` when the client's data may not be scored."""
    if refused := scoring_refusal(client.status, client.objection):
        raise refused


def client_inputs(client: Client) -> tuple[dict[str, int | float], dict[str, date]]:
    """A client's five stored features and their as-of dates."""
    return (
        {name: getattr(client, name) for name in FEATURE_NAMES},
        {name: getattr(client, f"{name}_as_of") for name in FEATURE_NAMES},
    )
