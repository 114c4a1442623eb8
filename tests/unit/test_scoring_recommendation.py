"""Recommendation and risk-band rules: one place, vectorised and scalar agree."""

import numpy as np
import pytest

from neobank_dashboard.services.recommendation import (
    NoteCode,
    notes,
    recommend,
    recommendations,
    risk_bands,
)

THRESHOLD, GREY = 0.10, (0.08, 0.13)


@pytest.mark.parametrize(
    "p,stale,expected,band",
    [
        (0.01, False, "eligible", "A"),
        (0.06, False, "eligible", "B"),
        (0.08, False, "review", "C"),  # grey zone bounds are inclusive
        (0.10, False, "review", "C"),
        (0.13, False, "review", "C"),
        (0.15, False, "not_eligible", "D"),
        (0.20, False, "not_eligible", "D"),
        (0.50, False, "not_eligible", "E"),
        (0.01, True, "review", "A"),  # stale critical data: review whatever the score
        (0.50, True, "review", "E"),
    ],
)
def test_rules(p, stale, expected, band):
    recommendation, risk_band = recommend(p, THRESHOLD, GREY, ("income",) if stale else ())
    assert (recommendation, risk_band) == (expected, band)


def test_vectorised_rules_match_scalar_rules():
    p = np.linspace(0, 1, 201)
    stale = np.arange(201) % 7 == 0
    many = recommendations(p, THRESHOLD, GREY, stale)
    bands = risk_bands(p, THRESHOLD, GREY)
    for i in range(len(p)):
        one = recommend(p[i], THRESHOLD, GREY, ("income",) if stale[i] else ())
        assert (many[i], bands[i]) == one


def test_threshold_outside_a_degenerate_grey_zone_still_refuses_at_the_threshold():
    assert recommend(0.10, 0.10, (0.10, 0.10))[0] == "review"
    assert recommend(0.11, 0.10, (0.10, 0.10))[0] == "not_eligible"
    assert recommend(0.099, 0.10, (0.10, 0.10))[0] == "eligible"


def test_notes_say_why_in_both_languages():
    stale = notes(0.5, THRESHOLD, GREY, ("income", "credit_score"))
    assert [n.code for n in stale] == [NoteCode.stale_critical_data, NoteCode.above_threshold]
    assert "revenu annuel net" in stale[0].text_fr and "credit score" in stale[0].text_en
    assert notes(0.1, THRESHOLD, GREY)[0].code == NoteCode.grey_zone
    assert notes(0.01, THRESHOLD, GREY)[0].code == NoteCode.below_threshold


def test_invalid_grey_zone_is_refused():
    with pytest.raises(ValueError):
        recommend(0.1, 0.1, (0.2, 0.1))
