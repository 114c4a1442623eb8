"""POST /api/v1/score and /api/v1/score/batch: score new clients from five features.

The client is registered pseudonymously (random id) and belongs to its
submitter: the advisor who scored it, or the partner application. Model
inference and the database writes run in a worker thread, never on the event
loop, in one transaction (client, score, audit).
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from pydantic import ValidationError

from neobank_dashboard.api.deps import Caller, ScoringCaller
from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.errors import ApiError, describe_errors, responses
from neobank_dashboard.api.schemas import (
    BatchItemResult,
    BatchScoreRequest,
    BatchScoreResponse,
    ScoreOut,
    ScoreRequest,
    as_of_dates,
    feature_values,
)
from neobank_dashboard.api.shaping import json_response, score_for
from neobank_dashboard.db import Channel, session_scope
from neobank_dashboard.services import scoring
from neobank_dashboard.services.scoring import BatchItem, ClientNotScorableError, FeatureValidationError
from neobank_dashboard.services.scoring.grouped import (
    NewClientScore,
    new_client_committer,
    prepare_new_client,
)

router = APIRouter(tags=["scoring"])
MAX_BATCH_ITEMS = 1_000


def _owner(caller: Caller) -> dict:
    if caller.is_advisor:
        return {"advisor_id": caller.viewer.id, "submitted_by": None}
    return {"advisor_id": None, "submitted_by": caller.partner_id}


def _prepare(caller: Caller, body) -> NewClientScore:
    return prepare_new_client(
        feature_values(body),
        as_of_dates(body),
        actor=caller.actor,
        channel=Channel.api,
        purpose=body.purpose.value,
        request_id=body.request_id,
        **_owner(caller),
    )


@router.post(
    "/score",
    response_model=ScoreOut,
    responses=responses(401, 403, 409, 410, 413, 415, 422, 429, 503),
    summary="Score one client",
    description=(
        "Registers a pseudonymous client from its five features and returns the "
        "probability of default, the recommendation (`review` in the grey zone and for "
        "stale critical data), the reasons and freshness flags. Staff get the full "
        "explanation (`audience: staff`); partner applications get the probability "
        "rounded to two decimals and the top three reasons (`audience: partner`). A "
        "repeated `request_id` returns the first answer and stores nothing. Needs the "
        "`score:write` scope."
    ),
)
# ScoreRequest is built by pydantic.create_model from the feature catalogue, so mypy sees
# a variable; FastAPI reads the annotation at run time.
async def score(body: ScoreRequest, caller: ScoringCaller):  # type: ignore[valid-type]
    scoring.current_model()  # 503 at once in manual mode or without a model
    prepared = await asyncio.to_thread(_prepare, caller, body)  # the model, off the event loop
    # Answered only once the COMMIT that holds its rows is done; concurrent requests'
    # rows share it (group commit). A replay gets the stored score, shaped the same way.
    score = await new_client_committer().write(prepared)
    if isinstance(score, ClientNotScorableError):
        raise score  # a replay for a client whose data may no longer be given back: 409 / 410
    return json_response(score_for(caller.is_advisor, score))


def _parse_items(raw_items: list[dict]) -> tuple[list[BatchItem | None], dict[int, list]]:
    items: list[BatchItem | None] = []
    errors: dict[int, list] = {}
    for index, raw in enumerate(raw_items):
        try:
            request = ScoreRequest.model_validate(raw)
        except ValidationError as error:
            errors[index] = [{"field": f, "reason": r} for f, r in describe_errors(list(error.errors()))]
            items.append(None)
            continue
        purpose, request_id = request.purpose.value, request.request_id  # type: ignore[attr-defined]  # create_model fields
        items.append(BatchItem(feature_values(request), as_of_dates(request), purpose, request_id))
    return items, errors


def _score_batch(caller: Caller, raw_items: list[dict], request_id: str | None):
    items, errors = _parse_items(raw_items)
    valid = [(i, item) for i, item in enumerate(items) if item is not None]
    with session_scope() as session:
        outcomes = scoring.submit_clients(
            session,
            [item for _, item in valid],
            actor=caller.actor,
            channel=Channel.api,
            batch_request_id=request_id,
            **_owner(caller),
        )
        results = []
        for (index, _), outcome in zip(valid, outcomes):
            if isinstance(outcome, FeatureValidationError):
                errors[index] = [{"field": f, "reason": r} for f, r in outcome.problems]
            elif isinstance(outcome, ClientNotScorableError):  # a replay, refused: no client data
                errors[index] = [{"field": "request_id", "reason": outcome.message}]
            else:
                results.append(
                    BatchItemResult(index=index, status="scored", score=score_for(caller.is_advisor, outcome))
                )
    results.extend(BatchItemResult(index=i, status="error", errors=e) for i, e in errors.items())
    results.sort(key=lambda r: r.index)
    scored = sum(1 for r in results if r.status == "scored")
    return json_response(BatchScoreResponse(scored=scored, rejected=len(results) - scored, results=results))


@router.post(
    "/score/batch",
    response_model=BatchScoreResponse,
    responses=responses(401, 403, 413, 415, 422, 429, 503),
    summary="Score up to 1,000 clients",
    description=(
        "Each item is a `ScoreRequest`. Items are validated one by one: a bad item gets "
        "`status: error` with its `[{field, reason}]` and stores nothing, the others are "
        "scored in one vectorised call. More than 1,000 items, or a body over 1 MB: 413. "
        "Needs the `score:write` scope."
    ),
)
async def score_batch(body: BatchScoreRequest, caller: ScoringCaller):
    if len(body.items) > MAX_BATCH_ITEMS:
        raise ApiError(ErrorCode.batch_too_large, f"a batch holds at most {MAX_BATCH_ITEMS} items")
    scoring.current_model()
    return await asyncio.to_thread(_score_batch, caller, body.items, caller.request_id)
