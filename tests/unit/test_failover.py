"""A lost database connection under a scoring request (issue 13, item 11): retried once
where the transaction surely rolled back, otherwise a 503 with Retry-After, never a 500,
and never a score stored twice or unaudited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from neobank_dashboard.db import get_engine
from neobank_dashboard.db.group_commit import GroupCommitter
from neobank_dashboard.db.models import AuditEvent, Score
from neobank_dashboard.services.scoring import grouped
from neobank_dashboard.settings import get_settings
from tests.unit.test_group_commit import _prepared


@pytest.fixture
def on_postgres(postgres_url, serving, monkeypatch):
    from tests.conftest import _empty_all_tables

    _empty_all_tables(postgres_url)
    monkeypatch.setenv("REFLEX_DB_URL", postgres_url)
    get_settings.cache_clear()
    yield postgres_url
    get_settings.cache_clear()


def test_a_connection_killed_under_the_writes_is_retried_on_a_fresh_one(on_postgres):
    kills = []

    def write_then_die_once(session, items):
        scores = grouped.write_new_clients(session, items)
        if not kills:  # the server ends this backend, as a failover or a restart would
            kills.append(session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
            with get_engine(on_postgres).connect() as admin:
                admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": kills[0]})
                admin.commit()
            session.execute(sa.text("SELECT 1"))  # the dead connection raises here
        return scores

    committer = GroupCommitter(write_then_die_once, writers=1)
    score = committer.submit(_prepared(1)[0]).result(timeout=30)
    assert kills, "the backend was killed"
    with Session(get_engine(on_postgres)) as session:
        assert [s.id for s in session.exec(select(Score))] == [score.id]  # stored once
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "score")).all()
        assert [e.details["score_id"] for e in events] == [score.id]  # audited once


def test_a_connection_lost_at_commit_answers_503_with_retry_after(on_postgres, monkeypatch):
    from neobank_dashboard.api.main import create_app
    from neobank_dashboard.services.tokens import Principal, Scope
    from tests.api.conftest import score_body, token_for

    def lost(self):
        raise sa.exc.OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(grouped, "_committer", None)  # a committer on this database
    client = TestClient(create_app(), raise_server_exceptions=False)
    headers = token_for(Principal.partner("partner-x", {Scope.score_write}))
    monkeypatch.setattr(Session, "commit", lost)
    response = client.post("/api/v1/score", json=score_body(request_id="lost-at-commit"), headers=headers)
    monkeypatch.undo()
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert response.json()["error"] == "database_unavailable"
    with Session(get_engine(on_postgres)) as session:
        assert session.exec(select(Score)).all() == []
