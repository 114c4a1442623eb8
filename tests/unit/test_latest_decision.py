"""The client's stored latest decision outcome, which the status filters read, follows
every path that writes a decision, and the migration fills it with the same meaning."""

from __future__ import annotations

from datetime import date

import pytest
from alembic.config import Config
from sqlmodel import col, select

from alembic import command
from neobank_dashboard.db import get_engine
from neobank_dashboard.db.engine import ALEMBIC_INI, PROJECT_ROOT
from neobank_dashboard.db.models import Client, Decision, Outcome, Review, Role, Score
from neobank_dashboard.services import reviews
from neobank_dashboard.services.clients import ClientFilter, list_clients
from neobank_dashboard.services.decisions import record_decision
from neobank_dashboard.services.worklist import DecisionStatus, decision_statuses
from tests.support.factories import at, make_advisor, make_client, make_score

WHY = "Payslips and bank statements checked with the client."
TODAY = date(2026, 11, 25)


@pytest.fixture
def people(db):
    people = {"camille": make_advisor(db), "sophie": make_advisor(db, Role.supervisor)}
    db.commit()
    return people


def _listed(db, viewer, status: DecisionStatus) -> set:
    rows, _ = list_clients(db, viewer, ClientFilter(decision_status=status), today=TODAY)
    return {r.id for r in rows}


def test_a_decision_sets_the_status_and_a_later_one_replaces_it(db, people):
    camille = people["camille"]
    client = make_client(db, advisor=camille)
    make_score(db, client)
    db.commit()
    assert client.latest_decision_outcome is None
    assert client.id in _listed(db, camille, DecisionStatus.none)
    record_decision(db, camille, client, Outcome.refused, WHY)
    db.commit()
    assert db.get(Client, client.id).latest_decision_outcome == "refused"
    assert client.id in _listed(db, camille, DecisionStatus.refused)
    assert client.id not in _listed(db, camille, DecisionStatus.none)
    record_decision(db, camille, client, Outcome.approved, WHY)
    db.commit()
    assert db.get(Client, client.id).latest_decision_outcome == "approved"
    assert client.id in _listed(db, camille, DecisionStatus.approved)
    assert client.id not in _listed(db, camille, DecisionStatus.refused)


def test_a_review_overturning_the_decision_moves_the_client_to_the_new_status(db, people):
    camille, sophie = people["camille"], people["sophie"]
    client = make_client(db, advisor=camille)
    score = make_score(db, client)
    score.recommendation, score.risk_band = "not_eligible", "E"
    db.add(score)
    decision = record_decision(db, camille, client, Outcome.approved, WHY)  # against the model: reviewed
    db.commit()
    review_id = db.exec(select(Review.id).where(Review.decision_id == decision.id)).one()
    reviews.resolve(db, sophie, review_id, "changed", WHY, "refused")
    db.commit()
    assert db.get(Client, client.id).latest_decision_outcome == "refused"
    assert client.id in _listed(db, sophie, DecisionStatus.refused)
    assert client.id not in _listed(db, sophie, DecisionStatus.approved)


def test_the_migration_fills_the_status_as_the_decisions_say(db, db_url, people):
    """Downgraded past the column and upgraded again: the backfill gives each client the
    outcome of its latest decision (by time, then id), none without a decision."""
    camille = people["camille"]
    undecided, decided_twice, tied = (make_client(db, advisor=camille) for _ in range(3))
    for client in (undecided, decided_twice, tied):
        make_score(db, client)
    db.commit()

    # Written directly, with chosen times (the order of recording is not the order of time).
    def decide(client, outcome, days_ago):
        score_id = db.exec(select(Score.id).where(Score.client_id == client.id)).first()
        db.add(
            Decision(
                score_id=score_id,
                client_id=client.id,
                advisor_id=camille.id,
                outcome=outcome,
                justification=WHY,
                created_at=at(days_ago),
            )
        )
        db.flush()

    decide(decided_twice, "referred", 1)
    decide(decided_twice, "approved", 3)  # recorded later, taken earlier: not the latest
    decide(tied, "approved", 2)
    decide(tied, "refused", 2)  # same time, higher id: the latest
    db.commit()
    db.close()
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    engine = get_engine(db_url)
    for target in ("9e4b6d2f7a18", "head"):
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            (command.downgrade if target != "head" else command.upgrade)(config, target)
    ids = [undecided.id, decided_twice.id, tied.id]
    stored = {c.id: c.latest_decision_outcome for c in db.exec(select(Client).where(col(Client.id).in_(ids)))}
    assert stored == {undecided.id: None, decided_twice.id: "referred", tied.id: "refused"}
    shown = decision_statuses(db, ids)
    assert [shown[i].status.value for i in ids] == ["none", "referred", "refused"]
