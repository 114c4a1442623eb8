"""Data-subject requests over the API (GDPR Art. 15-18, 21), for a bank's CRM.

Staff tokens with the scope ``rgpd:write`` only, which only supervisors and admins
hold. Each route calls the RGPD service the /rgpd page calls, which checks the role
again and audits the request; a client that does not exist answers 404, a request
the client's state forbids (an erased client restricted, say) 409, and every
refusal is audited too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, Request
from pydantic import ConfigDict, Field
from sqlmodel import Session

from modeling.features import FEATURE_NAMES
from neobank_dashboard.api.deps import Caller, SessionDep, forbid, require_scope
from neobank_dashboard.api.error_codes import ErrorCode
from neobank_dashboard.api.errors import ApiError, responses
from neobank_dashboard.api.schemas import ScorePublic, Strict
from neobank_dashboard.api.shaping import score_for
from neobank_dashboard.db import Channel, Client, ClientStatus
from neobank_dashboard.services import audit, rgpd
from neobank_dashboard.services.auth import SupervisorRequiredError
from neobank_dashboard.services.clients import ClientNotFoundError
from neobank_dashboard.services.tokens import Scope

router = APIRouter(tags=["data-subject requests"])
CLIENT_ID_EXAMPLE = "7a0c7f4e-2b9d-4f7e-9a51-2f3c1d9e8b10"
T = TypeVar("T")


async def _data_protection_caller(
    request: Request, caller: Annotated[Caller, Depends(require_scope(Scope.rgpd_write))]
) -> Caller:
    if not caller.is_advisor:  # partner tokens never carry the scope: a second guard
        raise await forbid(
            request, caller, ErrorCode.advisors_only, "data-subject requests are for staff only"
        )
    return caller


DataProtectionCaller = Annotated[Caller, Depends(_data_protection_caller)]


class Rectification(Strict):
    """One corrected feature and the date it was true on (Art. 16)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"feature": "income", "value": 41200.0, "as_of": "2026-11-30"}]},
    )

    feature: Literal[FEATURE_NAMES]  # type: ignore[valid-type]  # Literal of a tuple, read at run time
    value: float = Field(allow_inf_nan=False, description="the corrected value, in the feature's unit")
    as_of: date = Field(description="when the corrected value was true; not in the future")


class Restriction(Strict):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"ground": "accuracy_contested"}]}
    )

    ground: rgpd.RestrictionGround = Field(description="the case of Art. 18(1) that applies")


class RectificationResult(Strict):
    client_id: uuid.UUID
    feature: str
    score: ScorePublic | None = Field(
        description="the client's new score; null when the client may not be scored (restricted, "
        "objecting) or scoring is off: the score built on the wrong value is withdrawn all the same"
    )


class DataSubjectStatus(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "client_id": CLIENT_ID_EXAMPLE,
                    "status": "erased",
                    "objection": False,
                    "retention_until": "2031-11-30",
                }
            ]
        },
    )

    client_id: uuid.UUID
    status: ClientStatus
    objection: bool = Field(description="the client objects to automatic scoring (Art. 21)")
    retention_until: date | None = Field(None, description="when the record is deleted (erased clients)")

    @classmethod
    def of(cls, client: Client) -> DataSubjectStatus:
        return cls(
            client_id=client.id,
            status=client.status,
            objection=client.objection,
            retention_until=client.retention_until if client.status == ClientStatus.erased else None,
        )


def _request(session: Session, caller: Caller, action: str, client_id: uuid.UUID, call: Callable[[], T]) -> T:
    """Run one request in its own transaction; a refusal rolls it back and is audited."""
    try:
        result = call()
    except (ClientNotFoundError, rgpd.RequestRefusedError, SupervisorRequiredError) as error:
        session.rollback()
        code, detail = {
            ClientNotFoundError: (ErrorCode.not_found, "client not found"),
            rgpd.RequestRefusedError: (ErrorCode.state_forbids, str(error)),
            SupervisorRequiredError: (ErrorCode.supervisors_only, "supervisors only"),
        }[type(error)]
        audit.record_refusal(
            session,
            actor=caller.actor,
            action=action,
            reason=code.value,
            object_type="client",
            object_id=str(client_id),
            request_id=caller.request_id,
        )
        session.commit()
        raise ApiError(code, detail) from error
    session.commit()  # a RectificationError (422, field and reason) leaves nothing behind
    return result


_EXPORT_EXAMPLE = {
    "format": rgpd.EXPORT_FORMAT,
    "client_id": CLIENT_ID_EXAMPLE,
    "exported_at": "2026-12-02T09:30:00+00:00",
    "tables": {"client": [{"id": CLIENT_ID_EXAMPLE, "age": 41, "status": "active"}], "score": []},
    "access_log": [{"at": "2026-11-30T14:02:11+00:00", "actor": "advisor:3", "action": "client_view"}],
    "retention_policies": [{"category": "client_records", "legal_basis": "...", "duration_days": 1825}],
}


@router.get(
    "/clients/{client_id}/export",
    responses={
        200: {"content": {"application/json": {"example": _EXPORT_EXAMPLE}}},
        **responses(401, 403, 404, 422, 429),
    },
    summary="Right of access (Art. 15): everything held on the client",
    description="Every row that refers to the client, who accessed the record and when, and "
    "how long each kind of data is kept. Needs `rgpd:write`.",
)
def export(client_id: uuid.UUID, caller: DataProtectionCaller, session: SessionDep) -> dict:
    return _request(
        session,
        caller,
        "rgpd_access_export",
        client_id,
        lambda: rgpd.export_client(session, caller.advisor, client_id, request_id=caller.request_id),
    )


@router.patch(
    "/clients/{client_id}",
    response_model=RectificationResult,
    responses=responses(401, 403, 404, 409, 413, 415, 422, 429),
    summary="Right to rectification (Art. 16): correct one feature, score again",
    description="The new score supersedes the old one and decisions taken on it are flagged "
    "for review. 409 for an erased client. Needs `rgpd:write`.",
)
def rectify(
    client_id: uuid.UUID, body: Rectification, caller: DataProtectionCaller, session: SessionDep
) -> RectificationResult:
    score = _request(
        session,
        caller,
        "rgpd_rectification",
        client_id,
        lambda: rgpd.rectify(
            session,
            caller.advisor,
            client_id,
            body.feature,
            body.value,
            body.as_of,
            request_id=caller.request_id,
            channel=Channel.api,
        ),
    )
    return RectificationResult(
        client_id=client_id, feature=body.feature, score=score_for(True, score) if score else None
    )


@router.post(
    "/clients/{client_id}/restriction",
    response_model=DataSubjectStatus,
    responses=responses(401, 403, 404, 409, 413, 415, 422, 429),
    summary="Right to restriction (Art. 18): out of lists and scoring, kept whole",
    description="409 for an erased client. Needs `rgpd:write`.",
)
def restrict(
    client_id: uuid.UUID, body: Restriction, caller: DataProtectionCaller, session: SessionDep
) -> DataSubjectStatus:
    client = _request(
        session,
        caller,
        "rgpd_restriction",
        client_id,
        lambda: rgpd.restrict(session, caller.advisor, client_id, body.ground, request_id=caller.request_id),
    )
    return DataSubjectStatus.of(client)


@router.post(
    "/clients/{client_id}/objection",
    response_model=DataSubjectStatus,
    responses=responses(401, 403, 404, 409, 422, 429),
    summary="Right to object (Art. 21): no more automatic scoring",
    description="The client stays listed; an advisor assesses it by hand. 409 for an erased "
    "client. Needs `rgpd:write`.",
)
def object_to_processing(
    client_id: uuid.UUID, caller: DataProtectionCaller, session: SessionDep
) -> DataSubjectStatus:
    client = _request(
        session,
        caller,
        "rgpd_objection",
        client_id,
        lambda: rgpd.object_to_processing(session, caller.advisor, client_id, request_id=caller.request_id),
    )
    return DataSubjectStatus.of(client)


@router.delete(
    "/clients/{client_id}",
    response_model=DataSubjectStatus,
    responses=responses(401, 403, 404, 422, 429),
    summary="Right to erasure (Art. 17): out of lists and scoring now",
    description="The record is deleted when its legal hold ends (`retention_until`; at the next "
    "purge for a client who never had a relationship). Erasing an erased client changes nothing. "
    "Needs `rgpd:write`.",
)
def erase(client_id: uuid.UUID, caller: DataProtectionCaller, session: SessionDep) -> DataSubjectStatus:
    client = _request(
        session,
        caller,
        "rgpd_erasure",
        client_id,
        lambda: rgpd.erase(session, caller.advisor, client_id, request_id=caller.request_id),
    )
    return DataSubjectStatus.of(client)
