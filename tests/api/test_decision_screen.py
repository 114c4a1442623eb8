"""What would make a client eligible, and the decision letter: API contract,
scoping, the letter's content in both languages, audit."""

from __future__ import annotations

import uuid
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from modeling.features import FEATURES
from neobank_dashboard.db import AuditEvent, Client, get_engine
from neobank_dashboard.display.texts import translate
from neobank_dashboard.i18n import format_date
from neobank_dashboard.services.decision_letter import RIGHTS
from tests.api.conftest import score_body

SCORE = "/api/v1/score"
RISKY = {"credit_score": 560, "payment_incidents": 2, "income": 21000.0}


@pytest.fixture(scope="module")
def cases(api, headers):
    """An eligible and a risky client of the advisor, a risky one of the partner,
    and the advisor's refusal of the risky client."""
    eligible = api.post(SCORE, json=score_body(), headers=headers["advisor"]).json()
    risky = api.post(SCORE, json=score_body(**RISKY), headers=headers["advisor"]).json()
    partners = api.post(SCORE, json=score_body(**RISKY), headers=headers["partner"]).json()
    assert eligible["recommendation"] == "eligible" and risky["recommendation"] != "eligible"
    decision = api.post(
        f"/api/v1/clients/{risky['client_id']}/decisions",
        json={"outcome": "refused", "justification": "Revenus insuffisants pour ce montant."},
        headers=headers["advisor"],
    )
    assert decision.status_code == 201, decision.text
    return {"eligible": eligible, "risky": risky, "partner": partners, "decision": decision.json()}


def _counterfactuals(api, headers, who, client_id):
    return api.get(f"/api/v1/clients/{client_id}/counterfactuals", headers=headers[who])


def test_a_risky_client_gets_options_that_make_them_eligible(api, headers, cases):
    response = _counterfactuals(api, headers, "advisor", cases["risky"]["client_id"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["target"] == "eligible" and 1 <= len(body["options"]) <= 3
    for option in body["options"]:
        assert option["recommendation"] == "eligible"
        values = score_body(**RISKY) | {c["feature"]: c["to"] for c in option["changes"]}
        rescored = api.post(SCORE, json=values, headers=headers["advisor"]).json()
        assert rescored["recommendation"] == "eligible"
        assert rescored["probability"] == pytest.approx(option["probability"], abs=1e-9)
        assert {c["feature"] for c in option["changes"]} <= {
            "income",
            "seniority",
            "payment_incidents",
            "credit_score",
        }


def test_an_eligible_client_gets_no_options(api, headers, cases):
    body = _counterfactuals(api, headers, "advisor", cases["eligible"]["client_id"]).json()
    assert body == {"target": "eligible", "options": []}


def test_counterfactuals_are_scoped_like_clients(api, headers, cases):
    risky = cases["risky"]["client_id"]
    assert _counterfactuals(api, headers, "advisor2", risky).status_code == 404
    assert _counterfactuals(api, headers, "partner", risky).status_code == 404
    assert _counterfactuals(api, headers, "supervisor", risky).status_code == 200
    own = _counterfactuals(api, headers, "partner", cases["partner"]["client_id"])
    assert own.status_code == 200
    assert all(o["probability"] == round(o["probability"], 2) for o in own.json()["options"])
    assert _counterfactuals(api, headers, "reader", cases["partner"]["client_id"]).status_code == 404
    assert api.get(f"/api/v1/clients/{risky}/counterfactuals").status_code == 401
    assert _counterfactuals(api, headers, "advisor", "not-a-uuid").status_code == 422


def test_counterfactuals_need_clients_read(api, cases):
    from neobank_dashboard.services.tokens import Principal, Scope
    from tests.api.conftest import token_for

    writer_only = token_for(Principal.partner(api.accounts.partner_id, {Scope.score_write}))
    url = f"/api/v1/clients/{cases['partner']['client_id']}/counterfactuals"
    assert api.get(url, headers=writer_only).status_code == 403


def test_the_openapi_documents_both_routes_with_examples(api):
    paths = api.get("/api/openapi.json").json()["paths"]
    counterfactuals = paths["/api/v1/clients/{client_id}/counterfactuals"]["get"]
    schema = counterfactuals["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("CounterfactualsOut")
    components = api.get("/api/openapi.json").json()["components"]["schemas"]
    assert components["CounterfactualsOut"]["examples"][0]["options"][0]["changes"][0]["from"]
    letter = paths["/api/v1/decisions/{decision_id}/letter"]["get"]
    assert "application/pdf" in letter["responses"]["200"]["content"]


def _letter(api, headers, who, decision_id, lang="fr"):
    return api.get(f"/api/v1/decisions/{decision_id}/letter?lang={lang}", headers=headers[who])


def _text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_letter_holds_every_element(api, headers, cases, lang):
    decision = cases["decision"]
    response = _letter(api, headers, "advisor", decision["id"], lang)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = _text(response.content)
    risky = cases["risky"]

    def has(key):
        words = translate(key, lang).split("{")[0].strip()
        assert " ".join(words.split()) in text, (key, words)

    for key in ("letter.decision.heading", "letter.who.heading", "letter.data.heading"):
        has(key)
    has("letter.factors.heading")
    has("letter.change.heading")
    has("letter.change.intro")
    has("letter.rights.heading")
    for right in RIGHTS:
        has(f"letter.rights.{right}")
    assert "CNIL" in text and "dpo@bank.example" in text
    assert translate("role.advisor", lang) in text and "Camille" not in text  # role, no name by default
    assert format_date(__import__("datetime").date.fromisoformat(decision["created_at"][:10]), lang) in text
    for feature in FEATURES:
        assert (feature.label_fr if lang == "fr" else feature.label_en) in text
    assert risky["model_version"][:12] in text
    as_of = format_date(
        __import__("datetime").date.fromisoformat(risky["freshness"]["income"]["as_of"]), lang
    )
    assert as_of in text
    # Age is one of the data used, never a reason given to the client.
    assert "âge font" not in text.lower() and "younger clients" not in text.lower()


def test_the_letter_is_reissued_identically_and_audited(api, headers, cases):
    decision_id = cases["decision"]["id"]
    first = _letter(api, headers, "advisor", decision_id).content
    assert _letter(api, headers, "supervisor", decision_id).content == first
    with Session(get_engine()) as session:
        events = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "decision_letter", AuditEvent.object_id == str(decision_id)
            )
        ).all()
    assert len(events) >= 2 and all(e.outcome == "success" for e in events)


def test_letter_bad_requests(api, headers, cases):
    decision_id = cases["decision"]["id"]
    assert _letter(api, headers, "advisor2", decision_id).status_code == 404  # another advisor's
    assert _letter(api, headers, "advisor", 10**9).status_code == 404
    bad_lang = _letter(api, headers, "advisor", decision_id, "de")
    assert bad_lang.status_code == 422
    assert any(e["field"].endswith("lang") for e in bad_lang.json()["errors"])
    assert _letter(api, headers, "partner", decision_id).status_code == 403
    assert api.get(f"/api/v1/decisions/{decision_id}/letter").status_code == 401


def test_a_client_who_objected_gets_no_model_options(api, headers, cases):
    client_id = uuid.UUID(cases["partner"]["client_id"])
    with Session(get_engine()) as session:
        session.get(Client, client_id).objection = True
        session.commit()
        try:
            response = _counterfactuals(api, headers, "partner", client_id)
            assert response.status_code == 409 and response.json()["error"] == "objection"
        finally:
            session.get(Client, client_id).objection = False
            session.commit()
