"""The decision screen's texts: exact slider starts, units, targets, directions."""

from __future__ import annotations

from datetime import date

import pytest

from neobank_dashboard.display import client as text
from neobank_dashboard.display.gauge import TICKS, gauge_geometry

CLIENT = {
    "age": 41,
    "income": 211_400.0,
    "seniority": 7.5,
    "payment_incidents": 2,
    "credit_score": 612,
    **{
        f"{n}_as_of": date(2026, 11, 1)
        for n in ("age", "income", "seniority", "payment_incidents", "credit_score")
    },
}
OPTION = {
    "changes": [{"feature": "credit_score", "to": 672.0}],
    "fr": "Score de crédit de 612 points à 672 points",
    "en": "Credit score from 612 points to 672 points",
}


def _reason(feature: str, direction: str, actionable: bool = True) -> dict:
    return {
        "feature": feature,
        "direction": direction,
        "points": 0.031,
        "actionable": actionable,
        "fr": "x",
        "en": "x",
    }


@pytest.mark.parametrize("name", text.WHAT_IF_FEATURES)
def test_sliders_start_at_the_clients_exact_value(name):
    control = next(c for c in text.what_if_controls(CLIENT, {}, "fr") if c["name"] == name)
    low, high, step = float(control["min"]), float(control["max"]), float(control["step"])
    # A range input snaps to min + k * step: the client's value must be on that grid.
    assert ((CLIENT[name] - low) / step).is_integer()
    assert low <= CLIENT[name] <= high
    assert float(control["initial"]) == CLIENT[name]


def test_contributions_are_percentage_points_and_the_credit_score_alone_has_points():
    assert text.points_text(0.031, "fr") == "+3,1 points de %"
    assert text.points_text(-0.031, "en") == "−3.1 % points"
    assert text.points_text(-0.0001, "fr") == "0,0 points de %"
    assert text.format_feature("credit_score", 612, "fr") == "612 points"


def test_the_client_can_act_only_on_what_raises_the_risk_with_the_options_target():
    score = {
        "reasons": [
            _reason("credit_score", "raises"),
            _reason("income", "lowers"),
            _reason("age", "raises", False),
        ]
    }
    rows = text.reason_rows(score, "fr", [OPTION])
    assert rows[0]["actionable_text"] == "Le client peut agir : viser 672 points"
    assert rows[1]["actionable_text"] == rows[2]["actionable_text"] == ""
    assert len(text.reason_rows({"reasons": [_reason("income", "raises")] * 5}, "en")) == text.TOP_REASONS


def test_eligible_if_comes_from_the_best_option_and_is_empty_when_eligible():
    assert text.eligible_if_text([OPTION], "fr") == "Éligible si score de crédit de 612 points à 672 points."
    assert text.eligible_if_text([OPTION], "en").startswith("Eligible if credit score from 612")
    assert text.eligible_if_text([], "fr") == ""


def test_percentiles_say_which_way_is_better():
    rows = {
        r["name"]: r["percentile"] for r in text.feature_rows(CLIENT, {}, dict.fromkeys(CLIENT, 80.0), "fr")
    }
    assert rows["credit_score"] == "aussi bien ou mieux que 80 % des clients"
    assert "moins, c'est mieux" in rows["payment_incidents"]
    assert "mieux" not in rows["age"]


def test_only_critical_data_gets_the_stale_badge():
    old = {**CLIENT, "age_as_of": date(2020, 1, 1), "income_as_of": date(2020, 1, 1)}
    stale = {r["name"] for r in text.feature_rows(old, {}, {}, "fr") if r["stale"]}
    assert stale == {"income"}


def test_the_gauge_labels_its_ticks_and_a_simulation_shows_the_real_score():
    score = {"probability": 0.2, "threshold": 0.1, "grey_zone": [0.08, 0.12]}
    labels = text.gauge_labels(score, "fr")
    assert [labels[k] for k in TICKS] == ["0\u00a0%", "8\u00a0%", "10\u00a0%", "12\u00a0%", "30\u00a0%"]
    assert "30\u00a0%" in labels["scale"]
    assert text.gauge_of(score)["has_ghost"] == ""
    ghost = text.gauge_of({**score, "probability": 0.05}, score)
    assert ghost["has_ghost"] == "1"
    real = gauge_geometry(0.2, 0.1, 0.08, 0.12)
    assert (ghost["ghost_x"], ghost["ghost_y"]) == (real["needle_x"], real["needle_y"])
    assert ghost["needle_x"] != real["needle_x"]
