"""PostgreSQL reads the worklist's costly filters off the indexes made for them.

What matters at 10,000,000 clients (docs/performance.md) is that the SQL the
service writes still matches those indexes: an id condition rendered a little
differently from the trigram index's expression, and the id search is a scan again.
"""

from datetime import date

import pytest
import sqlalchemy as sa

from neobank_dashboard.db.models import Client, Role
from neobank_dashboard.services import auth
from neobank_dashboard.services import clients as clients_service
from neobank_dashboard.services.clients import ClientFilter, list_clients

TODAY = date(2026, 11, 25)


@pytest.fixture
def supervisor(pg_db):
    boss = auth.create_advisor(
        pg_db, email="s@bank.example", full_name="S", password="x" * 12, role=Role.supervisor
    )
    features = {"age": 40, "income": 40_000.0, "seniority": 5.0, "payment_incidents": 0, "credit_score": 700}
    as_of = {f"{name}_as_of": TODAY for name in features} | {"oldest_as_of": TODAY}
    pg_db.add_all(
        Client(
            **features,
            **as_of,
            advisor_id=boss.id,
            latest_probability=n / 50,
            latest_recommendation="review" if n % 3 else "eligible",
            latest_risk_band="C" if n % 3 else "A",
            # Approved rare, as at scale (a few %): most clients have no decision.
            latest_decision_outcome="approved" if n % 5 == 1 else None,
        )
        for n in range(50)
    )
    pg_db.commit()
    return auth.CurrentAdvisor.of(boss)


def _plans(db, viewer, criteria: ClientFilter) -> list[str]:
    """The plan of each statement the page runs, the planner told to avoid scans and
    sorts (so that, on a few rows, it shows which index it can use)."""
    statements: list[tuple[str, object]] = []
    connection = db.connection()
    connection.exec_driver_sql("ANALYZE client")  # every client active: its index no help

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    connection.exec_driver_sql("SET LOCAL enable_sort = off")
    sa.event.listen(connection, "before_cursor_execute", capture)
    try:
        list_clients(db, viewer, criteria, today=TODAY)
    finally:
        sa.event.remove(connection, "before_cursor_execute", capture)
    return [
        "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters))
        for statement, parameters in statements
    ]


def test_an_id_fragment_is_found_through_the_trigram_index(pg_db, supervisor):
    # Enough clients (5,000) for a scan to cost more than the index.
    table = sa.inspect(Client).local_table
    copied = [c for c in table.c if c.name != "id"]
    copies = sa.select(sa.func.gen_random_uuid(), *copied).select_from(
        table.join(sa.func.generate_series(1, 100).table_valued("n"), sa.true())
    )
    pg_db.execute(sa.insert(table).from_select(["id", *(c.name for c in copied)], copies))
    # The new ids into the index proper (not its pending list, which costs as a scan) and
    # the planner's statistics, as VACUUM ANALYZE would leave them (not in a transaction).
    pg_db.connection().exec_driver_sql("SELECT gin_clean_pending_list('ix_client_id_hex_trgm')")
    pg_db.connection().exec_driver_sql("ANALYZE client")
    wanted = pg_db.exec(sa.select(Client.id)).first()[0]
    fragment = wanted.hex[11:19]
    statement = sa.select(Client.id).where(clients_service._id_fragment_condition(fragment))
    compiled = statement.compile(pg_db.get_bind())
    plan = "\n".join(
        r[0] for r in pg_db.connection().exec_driver_sql("EXPLAIN " + str(compiled), compiled.params)
    )
    assert "Bitmap Index Scan on ix_client_id_hex_trgm" in plan, plan
    rows, _ = list_clients(pg_db, supervisor, ClientFilter(id_prefix=fragment), today=TODAY)
    assert [r.id for r in rows] == [wanted]


@pytest.mark.parametrize(
    ("criteria", "index", "first"),
    [
        ({"recommendation": "review"}, "ix_client_recommendation_probability", [0.98, 0.94, 0.92]),
        ({"risk_band": "C"}, "ix_client_risk_band_probability", [0.98, 0.94, 0.92]),
        ({"decision_status": "approved"}, "ix_client_decision_outcome_probability", [0.92, 0.82, 0.72]),
    ],
)
def test_many_matches_of_one_recommendation_are_read_in_order(
    pg_db, supervisor, monkeypatch, criteria, index, first
):
    monkeypatch.setattr(clients_service, "FILTER_FIRST_UP_TO", 0)  # as past the count's cap
    page = _plans(pg_db, supervisor, ClientFilter(**criteria))[-1]
    assert index in page, page
    rows, _ = list_clients(pg_db, supervisor, ClientFilter(**criteria, page_size=3), today=TODAY)
    assert [r.latest_probability for r in rows] == first


def test_a_chip_the_planner_expects_far_above_the_cap_reads_more_than_the_cap(pg_db, supervisor, monkeypatch):
    counted = clients_service.quick_counts(pg_db, supervisor, ClientFilter(), TODAY)
    assert counted["to_do"] == 50 and counted["contests"] == 0  # counted: the planner expects few
    monkeypatch.setattr(clients_service, "CHIP_ESTIMATE_TRUSTED_ABOVE", 0)  # as if it expected many
    planned = clients_service.quick_counts(pg_db, supervisor, ClientFilter(), TODAY)
    assert all(clients_service.is_capped(n) for n in planned.values()), planned
