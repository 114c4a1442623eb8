"""From service results to response models, per audience (staff or partner)."""

from __future__ import annotations

from datetime import date

from fastapi.responses import Response
from pydantic import BaseModel

from neobank_dashboard.api.client_schemas import ClientPartner, ClientPublic
from neobank_dashboard.api.schemas import ScorePartner, ScorePublic
from neobank_dashboard.db.models import Client, Score
from neobank_dashboard.services.freshness import stale_before
from neobank_dashboard.services.scoring.shaping import partner_probability, partner_view, staff_view
from neobank_dashboard.services.worklist import ClientDecisionStatus


def score_for(is_staff: bool, score: Score) -> ScorePublic | ScorePartner:
    if is_staff:
        return ScorePublic.model_validate(staff_view(score))
    return ScorePartner.model_validate(partner_view(score))


def client_public(
    client: Client, today: date | None = None, decision: ClientDecisionStatus | None = None
) -> ClientPublic:
    today = today or date.today()
    shaped = {"audience", "stale", "decision_status", "decision_at"}
    fields = {name: getattr(client, name) for name in ClientPublic.model_fields if name not in shaped}
    if decision is not None:
        fields |= {"decision_status": decision.status, "decision_at": decision.at}
    return ClientPublic(**fields, stale=client.oldest_as_of < stale_before(today))


def client_partner(client: Client) -> ClientPartner:
    probability = client.latest_probability
    return ClientPartner(
        id=client.id,
        created_at=client.created_at,
        latest_probability=None if probability is None else partner_probability(probability),
        latest_recommendation=client.latest_recommendation,
        latest_risk_band=client.latest_risk_band,
        latest_scored_at=client.latest_scored_at,
    )


def client_for(is_staff: bool, client: Client, decision: ClientDecisionStatus | None = None):
    return client_public(client, decision=decision) if is_staff else client_partner(client)


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    """Serialise an already-built response model once (FastAPI would validate it again
    against ``response_model`` first). Called in the worker thread on hot paths."""
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")
