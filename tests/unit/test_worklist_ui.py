"""The worklist's page helpers: quick-filter chips and the contest form's corrections."""

from __future__ import annotations

from datetime import date

from neobank_dashboard.services.clients import ClientFilter
from neobank_dashboard.state.clients import query_string
from neobank_dashboard.state.contest import corrections_from
from neobank_dashboard.state.worklist import quick_chips


def test_each_chip_turns_its_filter_on_and_the_active_one_off():
    counts = {"to_do": 7, "grey_zone": 2}
    chips = quick_chips(ClientFilter(quick="grey_zone", risk_band="C", page=3), counts, query_string)
    by_key = {chip["key"]: chip for chip in chips}
    assert [c["key"] for c in chips] == ["to_do", "grey_zone", "stale", "overrides", "contests"]
    assert by_key["to_do"] == {"key": "to_do", "count": "7", "href": "risk_band=C&quick=to_do", "active": ""}
    assert by_key["grey_zone"]["active"] == "1" and by_key["grey_zone"]["href"] == "risk_band=C"
    assert by_key["stale"]["count"] == "0"


def test_corrections_are_read_as_typed_and_need_their_date():
    form = {
        "correction-income": "52 000,5",
        "correction-income-as_of": "2026-11-20",
        "correction-age": "41",
        "correction-credit_score": "lots",
        "correction-credit_score-as_of": "2026-11-20",
        "correction-seniority": "",
    }
    corrections, errors = corrections_from(form)
    assert corrections == {"income": (52000.5, date(2026, 11, 20))}
    assert errors == {"age": "contest.error.as_of", "credit_score": "contest.error.corrections"}
