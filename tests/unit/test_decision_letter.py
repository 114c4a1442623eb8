"""The decision letter's words: client-facing reason texts, age never given as
a reason, the advisor named only when the bank says so, identical reissue."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from modeling.reasons import REASON_TEXTS
from neobank_dashboard.db.models import Advisor, Decision, Score
from neobank_dashboard.display.texts import catalog
from neobank_dashboard.i18n import LANGUAGES
from neobank_dashboard.services.decision_letter import _Records, compose, describe_changes
from neobank_dashboard.services.letter_pdf import render_pdf
from neobank_dashboard.services.scoring import score_features
from neobank_dashboard.settings import get_settings

RISKY = {"age": 23, "income": 14_000.0, "seniority": 0.5, "payment_incidents": 3, "credit_score": 540}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reason_but_age_has_a_client_facing_text(lang):
    texts = catalog(lang)
    for code in REASON_TEXTS:
        key = f"letter.reason.{code}"
        if code.startswith("AGE_"):
            assert key not in texts
        else:
            assert texts[key] and texts[key] != key


def _records(serving, outcome: str, *, age_first: bool = False) -> _Records:
    result = score_features(RISKY, {name: date(2026, 6, 1) for name in RISKY}, today=date(2026, 11, 30))
    reasons = [
        {"code": r.code, "feature": r.feature, "direction": r.direction, "points": r.points}
        for r in result.reasons
    ]
    if age_first:
        reasons.insert(0, {"code": "AGE_YOUNG", "feature": "age", "direction": "raises", "points": 0.2})
    score = Score(
        id=3,
        client_id="7d3c7a2e-3f0e-4a43-9a55-3f1f8f2d9c10",
        model_version=result.model_version,
        features={"values": result.features},
        probability=result.probability,
        recommendation=result.recommendation.value,
        risk_band=result.risk_band.value,
        threshold=result.threshold,
        base_value=result.base_value,
        contributions={},
        reasons=reasons,
        freshness={n: {"as_of": f.as_of.isoformat()} for n, f in result.freshness.items()},
        channel="ui",
        actor="advisor:1",
        created_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
    )
    decision = Decision(
        id=12,
        score_id=3,
        client_id=score.client_id,
        advisor_id=1,
        outcome=outcome,
        justification="Revenus insuffisants.",
        created_at=datetime(2026, 11, 30, 9, 5, tzinfo=UTC),
    )
    advisor = Advisor(
        id=1, email="c@bank.example", full_name="Camille Martin", password_hash="x", role="advisor"
    )
    return _Records(decision, score, advisor)


def _words(letter) -> str:
    parts = [letter.title, letter.dated, *letter.references]
    for section in letter.sections:
        parts += [
            section.heading,
            *section.paragraphs,
            *section.bullets,
            *(" ".join(r) for r in section.table),
        ]
    return " ".join(parts)


def test_age_is_never_a_reason_given_to_the_client(serving):
    records = _records(serving, "refused", age_first=True)
    for lang in LANGUAGES:
        factors = next(
            s for s in compose(records, lang).sections if s.heading == catalog(lang)["letter.factors.heading"]
        )
        assert factors.bullets and not any(
            "âge" in b.lower() or "age" in b.lower().split() for b in factors.bullets
        )


def test_a_refusal_says_what_would_change_it_and_an_approval_does_not(serving):
    refused = _words(compose(_records(serving, "refused"), "en"))
    assert "would have made your application eligible" in refused
    approved = _words(compose(_records(serving, "approved"), "en"))
    assert "Not applicable: your application is approved." in approved


def test_the_advisor_is_named_only_when_the_bank_says_so(serving, monkeypatch):
    records = _records(serving, "refused")
    assert "Camille" not in _words(compose(records, "fr"))
    monkeypatch.setenv("NEOBANK_LETTER_NAMES_ADVISOR", "true")
    monkeypatch.setenv("NEOBANK_DPO_CONTACT", "dpo@neobank.example, 1 rue de la Paix, 75002 Paris")
    get_settings.cache_clear()
    words = _words(compose(records, "fr"))
    assert "Conseiller, Camille Martin" in words and "75002 Paris" in words
    get_settings.cache_clear()


def test_the_same_records_give_the_same_pdf(serving):
    records = _records(serving, "refused")
    assert render_pdf(compose(records, "fr")) == render_pdf(compose(records, "fr"))
    assert render_pdf(compose(records, "fr")) != render_pdf(compose(records, "en"))


def test_changes_read_as_a_sentence(serving):
    from modeling.counterfactuals import Change
    from neobank_dashboard.db.models import Recommendation
    from neobank_dashboard.services.counterfactuals import CounterfactualOption

    option = CounterfactualOption(
        (Change("income", 24_000.0, 27_500.0), Change("payment_incidents", 1, 0)),
        0.07,
        Recommendation.eligible,
    )
    assert describe_changes(option, "en") == (
        "Annual net income from €24,000 / year to €27,500 / year"
        " and payment incidents from 1 incident to 0 incidents"
    )
    assert describe_changes(option, "fr").startswith(
        "Revenu annuel net de 24\u202f000\u00a0€ / an à 27\u202f500\u00a0€ / an et "
    )
