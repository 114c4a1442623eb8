"""The monitoring history as the page's chart series."""

from __future__ import annotations

from modeling.features import FEATURE_NAMES
from neobank_dashboard.display import monitoring_charts as charts

JULY = {
    "month": "2026-07",
    "psi": 0.0312,
    "csi": {name: 0.01 for name in FEATURE_NAMES} | {"income": 0.31},
    "outcomes": 120,
    "predicted": 0.0734,
    "observed": 0.0833,
    "approval_rate": {"18-25": 0.5, "26-35": 0.625},
}
# A month with scores but neither outcomes nor a stability section.
AUGUST = {"month": "2026-08", "psi": None, "csi": {}, "outcomes": 0, "predicted": 0.07, "observed": None}


def test_each_month_is_a_point_with_its_indices():
    july, august = charts.stability_series([JULY, AUGUST])
    assert july["month"] == "07/2026" and august["month"] == "08/2026"
    assert july[charts.POPULATION_KEY] == 0.031
    assert july["income"] == 0.31 and july["age"] == 0.01
    # No value is a gap in the line, never a zero that would read as "perfectly stable".
    assert august[charts.POPULATION_KEY] is None and all(august[name] is None for name in FEATURE_NAMES)


def test_default_rates_are_percent_and_a_month_without_outcomes_has_no_observed_rate():
    july, august = charts.default_rate_series([JULY, AUGUST])
    assert july == {"month": "07/2026", "predicted": 7.3, "observed": 8.3}
    assert august == {"month": "08/2026", "predicted": 7.0, "observed": None}


def test_every_age_band_has_a_line_even_without_applicants():
    (july,) = charts.approval_series([JULY])
    assert july["18-25"] == 50.0 and july["26-35"] == 62.5 and july["66+"] is None
    assert [line["key"] for line in charts.approval_lines()] == ["18-25", "26-35", "36-50", "51-65", "66+"]


def test_lines_are_named_in_the_page_language():
    french = charts.stability_lines("fr", "Score (PSI)")
    english = charts.stability_lines("en", "Score (PSI)")
    assert [line["key"] for line in french] == [charts.POPULATION_KEY, *FEATURE_NAMES]
    assert "Revenu annuel net" in {line["name"] for line in french}
    assert "Annual net income" in {line["name"] for line in english}
    assert len({line["colour"] for line in french}) == len(french)


def test_the_level_lines_are_said_with_their_values():
    assert charts.levels_note("fr") == "Lignes horizontales : 0,1 à surveiller, 0,25 alerte."
    assert charts.levels_note("en") == "Horizontal lines: 0.1 watch, 0.25 alert."
