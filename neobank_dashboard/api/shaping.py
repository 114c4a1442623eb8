"""From service results to response models, per audience (staff or partner)."""

from __future__ import annotations

from datetime import date

from fastapi.responses import Response
from pydantic import BaseModel

from neobank_dashboard.api.schemas import (
    PARTNER_DECIMALS,
    PARTNER_TOP_REASONS,
    ClientPartner,
    ClientPublic,
    Contribution,
    FeatureFreshness,
    GreyZone,
    Note,
    ReasonPartner,
    ReasonPublic,
    ScorePartner,
    ScorePublic,
)
from neobank_dashboard.db.models import Client, Score
from neobank_dashboard.services.freshness import stale_before
from neobank_dashboard.services.scoring import ScoreResult, result_of
from neobank_dashboard.services.worklist import ClientDecisionStatus


def _notes(result: ScoreResult) -> list[Note]:
    return [
        Note(code=n.code, text_fr=n.text_fr, text_en=n.text_en, features=list(n.features))
        for n in result.notes
    ]


def _freshness(result: ScoreResult) -> dict[str, FeatureFreshness]:
    return {
        name: FeatureFreshness(as_of=f.as_of, age_days=f.age_days, stale=f.stale, critical=f.critical)
        for name, f in result.freshness.items()
    }


def score_public(score: Score, result: ScoreResult | None = None) -> ScorePublic:
    result = result or result_of(score)
    return ScorePublic(
        score_id=score.id,
        client_id=score.client_id,
        probability=result.probability,
        recommendation=result.recommendation,
        risk_band=result.risk_band,
        threshold=result.threshold,
        grey_zone=GreyZone(low=result.grey_zone[0], high=result.grey_zone[1]),
        notes=_notes(result),
        reasons=[
            ReasonPublic(
                code=r.code,
                feature=r.feature,
                direction=r.direction,
                points=r.points,
                actionable=r.actionable,
                text_fr=r.text_fr,
                text_en=r.text_en,
            )
            for r in result.reasons
        ],
        base_value=result.base_value,
        base_probability=result.base_probability,
        contributions=[
            Contribution(
                feature=name,
                value=result.features[name],
                log_odds=result.contributions_log_odds[name],
                points=result.contributions_points[name],
            )
            for name in result.contributions_log_odds
        ],
        freshness=_freshness(result),
        model_version=result.model_version,
        scored_at=result.scored_at,
        channel=score.channel,
        purpose=score.purpose,
        request_id=score.request_id,
        superseded=score.superseded,
    )


def score_partner(score: Score, result: ScoreResult | None = None) -> ScorePartner:
    result = result or result_of(score)
    return ScorePartner(
        client_id=score.client_id,
        probability=round(result.probability, PARTNER_DECIMALS),
        recommendation=result.recommendation,
        risk_band=result.risk_band,
        notes=_notes(result),
        reasons=[
            ReasonPartner(
                code=r.code,
                feature=r.feature,
                direction=r.direction,
                actionable=r.actionable,
                text_fr=r.text_fr,
                text_en=r.text_en,
            )
            for r in result.top_reasons(PARTNER_TOP_REASONS)
        ],
        freshness=_freshness(result),
        model_version=result.model_version,
        scored_at=result.scored_at,
        request_id=score.request_id,
    )


def score_for(is_staff: bool, score: Score, result: ScoreResult | None = None):
    return score_public(score, result) if is_staff else score_partner(score, result)


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
        latest_probability=None if probability is None else round(probability, PARTNER_DECIMALS),
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
