"""Database engine, sessions and migrations.

One engine per database URL and process. SQLite gets WAL (readers never block
the writer) and ``secure_delete`` (erased rows are overwritten on disk, which
the retention purge relies on).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from sqlmodel import Session

from alembic import command
from neobank_dashboard.settings import PROJECT_ROOT, get_settings

logger = logging.getLogger(__name__)
ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
# PostgreSQL connections per process. Each Granian worker has its own pool: the total,
# workers x (POOL_SIZE + MAX_OVERFLOW), must stay under the server's max_connections
# (100 by default) with room for migrations, administration and other services. The pool
# covers a worker's usual concurrency (the thread pool the routes' database work runs in:
# 6 threads on 2 cores): an overflow connection is closed at check-in, so a pool smaller
# than the load forks a PostgreSQL backend for many requests (5 + 5 cost 6-9 % of the
# throughput in benchmarks/load_test.py).
POOL_SIZE = 8
MAX_OVERFLOW = 2
PING_AFTER_IDLE_SECONDS = 10.0


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the driver, open transactions (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL: no corruption on a crash, one fsync per checkpoint instead of per
    # commit; a power cut may lose the last commits. SQLite is the laptop database.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # IMMEDIATE takes the write lock up front: two writers never both read the
    # audit chain's last hash and then fork it, and never fail on lock upgrade.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def get_engine(url: str | None = None) -> sa.Engine:
    # The default URL is resolved before the cache, so that it follows the settings.
    return _engine(url or get_settings().database_url)


@lru_cache(maxsize=8)
def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = sa.create_engine(url, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)
    sa.event.listen(engine, "connect", _checked_in)  # a new connection needs no ping
    sa.event.listen(engine, "checkin", _checked_in)
    sa.event.listen(engine, "checkout", functools.partial(_ping_if_idle, engine.dialect))
    return engine


def _checked_in(_dbapi_connection, record) -> None:
    if record is not None:
        record.info["checked_in_at"] = time.monotonic()


def _ping_if_idle(dialect, dbapi_connection, record, _proxy) -> None:
    """Test a pooled connection before use only when it sat idle: SQLAlchemy's
    ``pool_pre_ping`` costs a round trip on every checkout (an eighth of a score's
    time). A connection that broke while busy fails that one statement, and SQLAlchemy
    then discards the whole pool."""
    idle_since = record.info.get("checked_in_at")
    if idle_since is not None and time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    try:
        alive = dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error:
        alive = False
    if not alive:
        raise sa.exc.DisconnectionError("stale pooled connection")  # the pool retries


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def migrate(url: str | None = None) -> None:
    """Bring the database schema to the latest alembic revision."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    with get_engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def truncate_write_ahead_log(session: Session) -> None:
    """SQLite: copy committed pages into the database file and empty the -wal file,
    so that deleted rows leave no copy in it (PostgreSQL: nothing to do)."""
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        return
    connection = engine.engine.raw_connection()
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    if busy:
        logger.warning("WAL checkpoint incomplete (readers busy): retried at the next purge")
