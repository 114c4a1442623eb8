"""The portfolio as advisors see it: scoped, filtered and paginated in SQL."""

from datetime import date, timedelta

import pytest

from neobank_dashboard.db.models import Client, ClientStatus, Role
from neobank_dashboard.services import auth
from neobank_dashboard.services import clients as clients_service
from neobank_dashboard.services.clients import (
    SORTABLE,
    ClientFilter,
    get_client,
    list_clients,
)
from neobank_dashboard.state.clients import (
    _page_of_clients,
    count_label,
    form_to_query,
    parse_query,
    query_string,
    query_to_form,
)

TODAY = date(2026, 11, 25)


def _client(advisor_id, **values) -> Client:
    as_of = values.pop("as_of", TODAY - timedelta(days=10))
    features = {
        "age": 40,
        "income": 40_000.0,
        "seniority": 5.0,
        "payment_incidents": 0,
        "credit_score": 700,
    } | values
    return Client(
        **features,
        advisor_id=advisor_id,
        **{
            f"{name}_as_of": as_of
            for name in ("age", "income", "seniority", "payment_incidents", "credit_score")
        },
        oldest_as_of=as_of,
    )


@pytest.fixture
def portfolio(db):
    mine = auth.create_advisor(db, email="a@bank.example", full_name="A", password="x" * 12)
    other = auth.create_advisor(db, email="b@bank.example", full_name="B", password="x" * 12)
    boss = auth.create_advisor(
        db, email="s@bank.example", full_name="S", password="x" * 12, role=Role.supervisor
    )
    clients = [
        _client(mine.id, age=25, income=18_000.0, payment_incidents=3),
        _client(mine.id, age=45, income=60_000.0, as_of=TODAY - timedelta(days=400)),
        _client(mine.id, age=60, income=35_000.0),
        _client(other.id, age=33),
        _client(mine.id, age=50, income=90_000.0),
    ]
    clients[0].latest_probability, clients[0].latest_recommendation = 0.31, "not_eligible"
    clients[2].latest_probability, clients[2].latest_recommendation = 0.02, "eligible"
    clients[4].status = ClientStatus.erased
    db.add_all(clients)
    db.commit()
    return {
        "mine": auth.CurrentAdvisor.of(mine),
        "other": auth.CurrentAdvisor.of(other),
        "boss": auth.CurrentAdvisor.of(boss),
        "clients": clients,
    }


def test_advisor_sees_only_their_active_clients(db, portfolio):
    rows, total = list_clients(db, portfolio["mine"], ClientFilter(), today=TODAY)
    assert total == 3 and len(rows) == 3
    _, everyone = list_clients(db, portfolio["boss"], ClientFilter(), today=TODAY)
    assert everyone == 4  # the erased client has left every list


def test_filters_apply_in_sql(db, portfolio):
    viewer = portfolio["mine"]
    count = lambda **f: list_clients(db, viewer, ClientFilter(**f), today=TODAY)[1]  # noqa: E731
    assert count(age_min=30, age_max=50) == 1
    assert count(income_max=20_000) == 1
    assert count(incidents_min=1) == 1
    assert count(stale_only=True) == 1
    assert count(recommendation="eligible") == 1
    assert count(probability_min=0.1) == 1


def test_scored_clients_sort_first_and_pages_hold(db, portfolio):
    rows, _ = list_clients(db, portfolio["mine"], ClientFilter(page_size=2), today=TODAY)
    assert [r.latest_probability for r in rows] == [0.31, 0.02]
    rows, _ = list_clients(db, portfolio["mine"], ClientFilter(page=2, page_size=2), today=TODAY)
    assert len(rows) == 1 and rows[0].latest_probability is None


def test_pages_are_the_same_whichever_way_they_are_read(db, portfolio, monkeypatch):
    """Few matches: filter then sort; many: walk the sort column's index. Same pages."""
    viewer = portfolio["boss"]
    views = [
        ClientFilter(sort=sort, descending=descending, page=page, page_size=2)
        for sort in SORTABLE
        for descending in (True, False)
        for page in (1, 2, 3)
    ]
    views.append(ClientFilter(age_min=30, page_size=1, page=2))

    def pages() -> list:
        return [
            ([r.id for r in rows], total)
            for rows, total in (list_clients(db, viewer, view, today=TODAY) for view in views)
        ]

    filtered_first = pages()
    monkeypatch.setattr(clients_service, "FILTER_FIRST_UP_TO", 0)
    assert pages() == filtered_first
    assert filtered_first[0][0] and filtered_first[2] == ([], 4)  # the third page is empty


@pytest.mark.parametrize("fragment", [slice(0, 6), slice(9, 18), slice(-7, None)])
def test_id_search_finds_a_fragment_anywhere(db, portfolio, fragment):
    target = portfolio["clients"][1]
    rows, _ = list_clients(
        db, portfolio["mine"], ClientFilter(id_prefix=str(target.id)[fragment].upper()), today=TODAY
    )
    assert [r.id for r in rows] == [target.id]


def test_another_advisors_client_is_not_found(db, portfolio):
    theirs = portfolio["clients"][3]
    assert get_client(db, portfolio["mine"], str(theirs.id)) is None
    assert get_client(db, portfolio["other"], str(theirs.id)).id == theirs.id
    assert get_client(db, portfolio["mine"], "not-a-uuid") is None


@pytest.mark.parametrize(
    ("params", "field", "key"),
    [
        ({"age_min": "abc"}, "age_min", "filters.error.number"),
        ({"age_min": "12"}, "age_min", "filters.error.range"),
        ({"probability_max": "1.5"}, "probability_max", "filters.error.range"),
        ({"income_min": "5000", "income_max": "100"}, "income_max", "filters.error.order"),
        ({"recommendation": "maybe"}, "recommendation", "filters.error.choice"),
        ({"id_prefix": "zz"}, "id_prefix", "filters.error.id_prefix"),
        ({"risk_band": "high"}, "risk_band", "filters.error.choice"),  # the bands are A to E
        ({"decision_status": "done"}, "decision_status", "filters.error.choice"),
        ({"quick": "all"}, "quick", "filters.error.choice"),
    ],
)
def test_bad_filter_values_get_a_message_per_field(params, field, key):
    _, errors = parse_query(params)
    assert errors == {field: key}


def test_a_stale_link_falls_back_on_what_the_form_does_not_show():
    criteria, errors = parse_query({"sort": "name", "page": "x", "age_min": "30"})
    assert not errors
    assert (criteria.sort, criteria.page, criteria.age_min) == ("probability", 1, 30)


def test_links_bookmarked_under_the_old_names_still_open():
    criteria, errors = parse_query({"stale": "1", "prob_min": "5,5", "q": "3f2a", "order": "asc"})
    assert not errors
    assert (criteria.stale_only, criteria.id_prefix, criteria.descending) == (True, "3f2a", False)
    assert criteria.probability_min == pytest.approx(0.055)  # typed in percent back then


def test_filters_round_trip_through_the_query_string():
    from urllib.parse import parse_qsl

    typed = {
        "age_min": "30",
        "income_max": "50 000",
        "stale_only": "1",
        "recommendation": "review",
        "probability_min": "5,5",
    }
    criteria, errors = parse_query(form_to_query(typed))
    assert not errors
    url = query_string(criteria.model_copy(update={"page": 3}))
    assert (
        url
        == "recommendation=review&probability_min=0.055&age_min=30&income_max=50000&stale_only=true&page=3"
    )
    again, errors = parse_query(dict(parse_qsl(url)))
    assert not errors and again == criteria.model_copy(update={"page": 3})
    assert again.probability_min == pytest.approx(0.055)
    form = query_to_form(again)  # the form shows back what was typed, in percent
    assert (form["probability_min"], form["income_max"], form["stale_only"]) == ("5.5", "50000", "1")


def test_a_page_past_the_end_shows_the_last_page(cli_database, db, portfolio):
    """An old link (the portfolio shrank since) lands on the last page, not an empty table."""
    clients, total, shown = _page_of_clients(portfolio["mine"], ClientFilter(page=9, page_size=2))
    assert (total, shown, len(clients)) == (3, 2, 1)


def test_a_count_above_the_cap_says_more_than_the_cap(db, portfolio, monkeypatch):
    """Past COUNT_CAP the portfolio is not counted (too dear at 10M clients): the list
    says "more than", pages stop at the cap; below it the count is exact."""
    monkeypatch.setattr(clients_service, "COUNT_CAP", 2)
    rows, total = list_clients(db, portfolio["boss"], ClientFilter(page_size=1), today=TODAY)
    assert clients_service.is_capped(total) and len(rows) == 1
    assert clients_service.last_page(total, 1) == 2
    beyond, _ = list_clients(db, portfolio["boss"], ClientFilter(page=3, page_size=1), today=TODAY)
    assert beyond == []  # the third match is past the cap: refine the filter to reach it
    _, exact = list_clients(db, portfolio["boss"], ClientFilter(age_min=50), today=TODAY)
    assert exact == 1 and not clients_service.is_capped(exact)


def test_the_capped_count_label_reads_more_than_ten_thousand():
    cap = clients_service.COUNT_CAP
    assert count_label(cap + 1, "fr") == "plus de 10\u202f000\u00a0clients"
    assert count_label(cap + 1, "en") == "more than 10,000\u00a0clients"
    assert count_label(cap, "fr") == "10\u202f000\u00a0clients"  # at the cap: still exact
    assert count_label(5148, "en") == "5,148\u00a0clients"
