"""Recording outcomes: item-by-item validation, idempotency, the CSV import, the demo seed."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlmodel import select

from neobank_dashboard.db import AuditEvent, ClientStatus, OutcomeSource, RepaymentOutcome
from neobank_dashboard.outcomes import main as outcomes_cli
from neobank_dashboard.services.outcomes import OutcomeItem, record_outcomes, seed_demo_outcomes
from tests.support.factories import TODAY, day, make_client, make_score


def record(db, *items):
    results = record_outcomes(db, list(items), actor="advisor:1", source=OutcomeSource.api, today=TODAY)
    db.commit()
    return results


def test_each_item_is_checked_on_its_own_and_the_valid_ones_are_stored(db):
    scored = make_client(db, days_ago=40)
    make_score(db, scored, days_ago=30)
    erased = make_client(db, status=ClientStatus.erased)
    make_score(db, erased, days_ago=5)
    never_scored = make_client(db)
    db.commit()
    results = record(
        db,
        OutcomeItem(str(scored.id), True, day(2)),
        OutcomeItem(str(uuid.uuid4()), False, day(2)),
        OutcomeItem("not-a-uuid", False, day(2)),
        OutcomeItem(str(scored.id), False, day(-1)),
        OutcomeItem(str(scored.id), False, day(31)),
        OutcomeItem(str(erased.id), False, day(1)),
        OutcomeItem(str(never_scored.id), False, day(1)),
    )
    assert [r.status for r in results] == ["stored"] + ["rejected"] * 6
    assert [r.errors for r in results[1:]] == [
        [("client_id", "is not a known client")],
        [("client_id", "is not a client id (UUID)")],
        [("observed_on", f"is in the future (today is {TODAY.isoformat()})")],
        [("observed_on", f"is before the client's first score ({day(30).isoformat()})")],
        [("client_id", "is erased: its data is not processed any more")],
        [("observed_on", "the client was never scored")],
    ]
    stored = db.exec(select(RepaymentOutcome)).all()
    assert [(o.client_id, o.defaulted, o.observed_on) for o in stored] == [(scored.id, True, day(2))]
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "outcomes_recorded")).one()
    assert event.details == {"source": "api", "stored": 1, "unchanged": 0, "rejected": 6}


def test_an_outcome_follows_the_latest_score_made_by_its_day(db):
    client = make_client(db, days_ago=40)
    first = make_score(db, client, days_ago=30, superseded=True)
    second = make_score(db, client, days_ago=10)
    db.commit()
    record(db, OutcomeItem(str(client.id), False, day(20)), OutcomeItem(str(client.id), True, day(10)))
    by_day = {o.observed_on: o.score_id for o in db.exec(select(RepaymentOutcome))}
    assert by_day == {day(20): first.id, day(10): second.id}


def test_the_same_outcome_again_stores_nothing_and_a_contradiction_is_refused(db):
    client = make_client(db, days_ago=40)
    make_score(db, client, days_ago=30)
    db.commit()
    item = OutcomeItem(str(client.id), True, day(3))
    assert record(db, item)[0].status == "stored"
    assert record(db, item)[0].status == "unchanged"
    contradiction = record(db, OutcomeItem(str(client.id), False, day(3)))[0]
    assert contradiction.status == "rejected"
    assert contradiction.errors == [("defaulted", "this client's outcome on that day is already 'defaulted'")]
    assert db.exec(select(sa.func.count()).select_from(RepaymentOutcome)).one() == 1


def test_the_csv_import_reports_bad_lines_and_is_idempotent(db, cli_database, tmp_path, capsys):
    client = make_client(db, days_ago=40)
    make_score(db, client, days_ago=30)
    db.commit()
    csv = tmp_path / "outcomes.csv"
    csv.write_text(
        "client_id,defaulted,observed_on\n"
        f"{client.id},yes,{day(5).isoformat()}\n"
        f"{client.id},maybe,{day(4).isoformat()}\n"
        f"{uuid.uuid4()},0,{day(4).isoformat()}\n"
    )
    assert outcomes_cli(["import", str(csv)]) == 1
    output = capsys.readouterr()
    assert "line 3: defaulted must be 1/0, true/false or yes/no" in output.err
    assert "line 4: client_id is not a known client" in output.err
    assert output.out.strip() == "1 stored, 0 unchanged, 2 rejected"
    csv.write_text(f"client_id,defaulted,observed_on\n{client.id},1,{day(5).isoformat()}\n")
    assert outcomes_cli(["import", str(csv)]) == 0
    assert capsys.readouterr().out.strip() == "0 stored, 1 unchanged, 0 rejected"


@pytest.mark.parametrize(
    "content, message",
    [("client_id,defaulted\nx,1\n", "missing column(s) observed_on"), (b"\xff\xfe\x00", "cannot be read")],
)
def test_a_file_that_cannot_be_imported_exits_2(cli_database, tmp_path, capsys, content, message):
    csv = tmp_path / "outcomes.csv"
    csv.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert outcomes_cli(["import", str(csv)]) == 2
    assert message in capsys.readouterr().err


def test_demo_outcomes_follow_the_current_scores_once(db):
    clients = [make_client(db, days_ago=3, income=1_000.0 * (i + 1)) for i in range(30)]
    for client in clients:
        make_score(db, client, days_ago=1)
    db.commit()
    assert seed_demo_outcomes(db, seed=1, today=TODAY) == 30
    db.commit()
    assert seed_demo_outcomes(db, seed=1, today=TODAY) == 0
    outcomes = db.exec(select(RepaymentOutcome)).all()
    assert {o.source for o in outcomes} == {"demo"} and {o.observed_on for o in outcomes} == {TODAY}
