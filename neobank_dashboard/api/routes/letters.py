"""The decision letter to the client (``GET /decisions/{id}/letter``), a PDF.

Advisors only; a decision whose client the advisor may not see answers 404
like an unknown one.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Path, Query, Response

from neobank_dashboard.api.deps import AdvisorCaller, Caller
from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.errors import ApiError, responses
from neobank_dashboard.db import session_scope
from neobank_dashboard.i18n import LANGUAGES
from neobank_dashboard.services.decision_letter import decision_letter

router = APIRouter(tags=["decisions"])
PDF = "application/pdf"


def _letter(caller: Caller, decision_id: int, lang: str) -> bytes | None:
    with session_scope() as session:
        return decision_letter(session, caller.viewer, decision_id, lang, request_id=caller.request_id)


@router.get(
    "/decisions/{decision_id}/letter",
    response_class=Response,
    responses={
        200: {
            "content": {PDF: {"schema": {"type": "string", "format": "binary"}}},
            "description": "The letter",
        },
        **responses(401, 403, 404, 422, 429, 503),
    },
    summary="The decision letter to the client (PDF)",
    description=(
        "One or two A4 pages for the client: the decision and its date, that a person decided "
        "and the score's role, the five data used with their observation dates, the main "
        "factors, what would change the outcome, the client's rights and the data-protection "
        "contact. Generated from the stored decision and score, so it can be reissued "
        "identically; every issue is audited. Advisors only."
    ),
)
async def letter(
    caller: AdvisorCaller,
    decision_id: int = Path(ge=1, le=2**31 - 1),  # Decision.id is a 32-bit integer
    lang: Literal[LANGUAGES] = Query("fr", description="language of the letter"),  # type: ignore[valid-type]  # Literal of a tuple
) -> Response:
    pdf = await asyncio.to_thread(_letter, caller, decision_id, lang)
    if pdf is None:
        raise ApiError(ErrorCode.not_found, "decision not found")
    return Response(
        pdf,
        media_type=PDF,
        headers={"Content-Disposition": f'inline; filename="decision-{decision_id}-{lang}.pdf"'},
    )
