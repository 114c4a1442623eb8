"""PostgreSQL pool: a connection that broke while it sat idle is replaced unseen."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from neobank_dashboard.db import engine as engine_module

BACKEND_PID = sa.text("SELECT pg_backend_pid()")


@pytest.fixture
def private_engine(postgres_url):
    """The app's engine set-up with a pool of its own (the shared one serves other tests)."""
    engine = engine_module._engine.__wrapped__(postgres_url)
    yield engine
    engine.dispose()


def test_a_connection_that_died_while_idle_is_replaced(private_engine, postgres_url, monkeypatch):
    engine = private_engine
    with engine.connect() as connection:
        idle_pid = connection.execute(BACKEND_PID).scalar()
    # The server ends it (a restart, an idle timeout, a failover) while it sits in the pool.
    with sa.create_engine(postgres_url).connect() as admin:
        assert admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": idle_pid}).scalar()
    assert engine.pool.checkedin() == 1  # the next checkout gets the dead connection
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)  # "it sat idle long"
    with engine.connect() as connection:
        assert connection.execute(BACKEND_PID).scalar() != idle_pid


def test_a_busy_connection_is_not_pinged(private_engine, monkeypatch):
    engine = private_engine
    with engine.connect():
        pass
    pings = []
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or True)
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
    assert pings == []
