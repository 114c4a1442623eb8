"""Data-subject requests: access, rectification, restriction, erasure, objection."""

from __future__ import annotations

import json
import struct
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from neobank_dashboard.db.engine import truncate_write_ahead_log
from neobank_dashboard.db.models import (
    AuditEvent,
    Client,
    ClientStatus,
    Decision,
    Outcome,
    Role,
    Score,
)
from neobank_dashboard.services import decisions, retention, rgpd, scoring
from neobank_dashboard.services.auth import SupervisorRequiredError
from neobank_dashboard.services.clients import ClientFilter, ClientNotFoundError, batch_scorable, list_clients
from neobank_dashboard.services.retention import ensure_default_policies
from tests.support.factories import (
    TODAY,
    day,
    make_advisor,
    make_client,
    make_contest,
    make_decision,
    make_outcome,
    make_score,
)

CANARY_INCOME = 987654.321
NOT_A_CLIENT_REFERENCE = {
    ("apiclient", "client_id"): "OAuth client identifier of a partner application",
}


@pytest.fixture
def people(db):
    ensure_default_policies(db)
    people = {"advisor": make_advisor(db), "boss": make_advisor(db, Role.supervisor)}
    db.commit()
    return people


def _customer(db, people, **values) -> Client:
    """A client with an advisor, a score, an approved decision on it and its outcome."""
    client = make_client(db, advisor=people["advisor"], days_ago=30, **values)
    score = make_score(db, client, days_ago=20)
    make_decision(db, score, people["advisor"], days_ago=20)
    make_outcome(db, score, days_ago=5)
    db.commit()
    return client


def _actions(db, client) -> list[str]:
    return list(
        db.exec(
            select(AuditEvent.action).where(AuditEvent.object_id == str(client.id)).order_by(AuditEvent.id)
        )
    )


@pytest.mark.parametrize(
    "request_type",
    [
        lambda db, actor, c: rgpd.export_client(db, actor, c.id),
        lambda db, actor, c: rgpd.rectify(db, actor, c.id, "income", 1.0, TODAY),
        lambda db, actor, c: rgpd.restrict(db, actor, c.id, "accuracy_contested"),
        lambda db, actor, c: rgpd.lift_restriction(db, actor, c.id),
        lambda db, actor, c: rgpd.erase(db, actor, c.id),
        lambda db, actor, c: rgpd.object_to_processing(db, actor, c.id),
    ],
    ids=["export", "rectify", "restrict", "lift", "erase", "object"],
)
def test_only_supervisors_handle_requests(db, people, request_type):
    client = _customer(db, people)
    with pytest.raises(SupervisorRequiredError):
        request_type(db, people["advisor"], client)


def test_unknown_client_is_not_found(db, people):
    with pytest.raises(ClientNotFoundError):
        rgpd.export_client(db, people["boss"], "not-a-uuid")


# ----------------------------------------------------------------- access


def _tables_referring_to_clients() -> set[str]:
    """Every table with a foreign key to client.id or a column named client_id."""
    client = SQLModel.metadata.tables["client"]
    found = set()
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            by_key = any(fk.column.table is client for fk in column.foreign_keys)
            by_name = column.name == "client_id" and (table.name, column.name) not in NOT_A_CLIENT_REFERENCE
            if by_key or by_name:
                found.add(table.name)
    return found


def test_export_covers_every_table_that_refers_to_a_client(db, people):
    client = _customer(db, people)
    other = _customer(db, people)
    for contested in (client, other):
        decision = db.exec(select(Decision).where(Decision.client_id == contested.id)).one()
        make_contest(db, decision, people["advisor"])
    export = rgpd.export_client(db, people["boss"], client.id)
    assert _tables_referring_to_clients() | {"client"} <= export["tables"].keys()
    assert {"score", "decision"} <= _tables_referring_to_clients()
    for name, rows in export["tables"].items():
        table = SQLModel.metadata.tables[name]
        key = table.c.id if name == "client" else table.c.client_id
        expected = db.execute(
            sa.select(sa.func.count()).select_from(table).where(key == client.id)
        ).scalar_one()
        assert len(rows) == expected > 0, name
        assert str(other.id) not in json.dumps(rows)
    assert export["tables"]["client"][0]["income"] == client.income
    json.dumps(export)  # machine-readable as it stands


def test_export_says_who_accessed_the_record_and_how_long_it_is_kept(db, people):
    client = _customer(db, people)
    rgpd.object_to_processing(db, people["boss"], client.id)
    export = rgpd.export_client(db, people["boss"], client.id)
    assert [e["action"] for e in export["access_log"]] == ["rgpd_objection"]
    assert {p["category"] for p in export["retention_policies"]} >= {"client_records"}
    db.commit()
    assert _actions(db, client)[-1] == "rgpd_access_export"


# ------------------------------------------------------------ rectification


def test_rectification_rescores_supersedes_and_flags_the_pending_decision(db, people, serving):
    client = make_client(db, advisor=people["advisor"], days_ago=30)
    old = scoring.score_client(db, client, actor="advisor:1", channel="ui", purpose="credit_application")
    decision = decisions.record_decision(
        db, people["advisor"], client, Outcome.referred, "Waiting for the last payslip."
    )
    db.commit()
    new = rgpd.rectify(db, people["boss"], client.id, "income", 55_000, day(2))
    db.commit()
    db.refresh(old)
    db.refresh(decision)
    db.refresh(client)
    assert new.id != old.id and old.superseded and not new.superseded
    assert new.features["values"]["income"] == 55_000
    assert new.purpose == old.purpose == "credit_application"
    assert (client.income, client.income_as_of) == (55_000, day(2))
    assert client.latest_probability == new.probability
    assert decision.needs_review
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "rgpd_rectification")).one()
    assert event.details == {
        "corrected": {"income": day(2).isoformat()},
        "decisions_flagged": 1,
        "not_rescored": None,
    }


def test_rectifying_a_restricted_client_corrects_without_scoring(db, people):
    client = _customer(db, people)
    rgpd.restrict(db, people["boss"], client.id, rgpd.RestrictionGround.accuracy_contested)
    assert rgpd.rectify(db, people["boss"], client.id, "credit_score", 640, TODAY) is None
    db.commit()
    db.refresh(client)
    assert client.credit_score == 640 and client.latest_probability is None
    assert db.exec(select(Score).where(Score.client_id == client.id, Score.superseded.is_(False))).all() == []
    assert db.exec(select(Decision.needs_review)).all() == [True]


@pytest.fixture
def scoring_off():
    service = scoring.get_service()
    previous = service.loaded_model
    service.use(None)
    yield
    service.use(previous)


def test_rectification_with_scoring_switched_off_still_corrects(db, people, scoring_off):
    client = _customer(db, people)
    assert rgpd.rectify(db, people["boss"], client.id, "payment_incidents", 1, TODAY) is None
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "rgpd_rectification")).one()
    assert event.details["not_rescored"] == "no_model" and client.payment_incidents == 1


def test_invalid_rectification_is_refused_without_echoing_the_value(db, people):
    client = _customer(db, people)
    with pytest.raises(rgpd.RectificationError) as refused:
        rgpd.rectify(db, people["boss"], client.id, "income", -CANARY_INCOME, TODAY)
    assert "987654" not in str(refused.value) and refused.value.problems[0][0] == "income"
    with pytest.raises(rgpd.RectificationError):
        rgpd.rectify(db, people["boss"], client.id, "income", 1.0, TODAY + timedelta(days=1))
    with pytest.raises(rgpd.RectificationError):
        rgpd.rectify(db, people["boss"], client.id, "name", 1.0, TODAY)


# ------------------------------------------------------ restriction, objection


def _listed(db, people) -> set:
    rows, _ = list_clients(db, people["boss"], ClientFilter(page_size=200), today=TODAY)
    return {row.id for row in rows}


def _batch(db) -> set:
    return set(db.exec(select(Client.id).where(batch_scorable())).all())


def test_restriction_takes_the_client_out_of_lists_and_scoring_at_once(db, people):
    client = _customer(db, people)
    rgpd.restrict(db, people["boss"], client.id, "legal_claims")
    db.commit()
    assert client.id not in _listed(db, people) and client.id not in _batch(db)
    with pytest.raises(scoring.ClientNotScorableError):
        scoring.score_client(db, client, actor="advisor:1", channel="ui")
    rgpd.lift_restriction(db, people["boss"], client.id)
    db.commit()
    assert client.id in _listed(db, people) and client.id in _batch(db)
    assert _actions(db, client) == ["rgpd_restriction", "rgpd_restriction_lifted"]


def test_objection_leaves_batch_scoring_and_skips_are_logged(db, people):
    client, other = _customer(db, people), _customer(db, people)
    rgpd.object_to_processing(db, people["boss"], client.id)
    db.commit()
    assert client.id in _listed(db, people)
    assert _batch(db) == {other.id}
    assert scoring.record_batch_skips(db, actor="system") == 1
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "batch_scoring_skipped")).one()
    assert event.details == {"count": 1, "reason": "objection"} and event.outcome == "skipped"


# ------------------------------------------------------------------ erasure


def test_erasure_of_a_customer_holds_the_record_until_the_legal_hold_ends(db, people):
    client = _customer(db, people)
    rgpd.erase(db, people["boss"], client.id)
    db.commit()
    assert client.status == ClientStatus.erased and client.relationship_ended_on == TODAY
    assert client.retention_until == TODAY + timedelta(days=5 * 365)
    assert client.id not in _listed(db, people) and client.id not in _batch(db)
    client_id, hold_end = client.id, client.retention_until
    retention.run_purge(db, TODAY)
    assert db.get(Client, client_id) is not None
    report = retention.run_purge(db, hold_end)
    assert report.counts()["erasure"] == {"outcome": 1, "decision": 1, "score": 1, "client": 1}
    assert db.get(Client, client_id) is None


def test_erasure_of_a_prospect_goes_at_the_next_purge(db, people):
    prospect = make_client(db, days_ago=10)
    db.commit()
    rgpd.erase(db, people["boss"], prospect.id)
    db.commit()
    assert prospect.retention_until == TODAY and prospect.relationship_ended_on is None
    prospect_id = prospect.id
    retention.run_purge(db, TODAY)
    assert db.get(Client, prospect_id) is None


def _database_bytes(url: str) -> bytes:
    path = Path(url.split("///", 1)[1])
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("customer", [True, False], ids=["customer", "prospect"])
def test_erased_client_leaves_no_trace_in_the_sqlite_files(db_url, db, people, customer):
    client = make_client(db, advisor=people["advisor"] if customer else None, income=CANARY_INCOME)
    make_score(db, client)
    db.commit()
    traces = {
        "income": struct.pack(">d", CANARY_INCOME),
        "income text": b"987654.321",
        "pseudonym": client.id.hex.encode(),
    }
    pseudonym_in_logs = str(client.id).encode()
    truncate_write_ahead_log(db)
    assert all(trace in _database_bytes(db_url) for trace in traces.values())

    rgpd.erase(db, people["boss"], client.id)
    db.commit()
    hold_end = client.retention_until
    retention.run_purge(db, hold_end)
    files = _database_bytes(db_url)
    assert [name for name, trace in traces.items() if trace in files] == []
    if customer:  # five years on, the security logs naming it are gone too
        assert pseudonym_in_logs not in files
