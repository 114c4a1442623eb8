"""Bulk database helpers for portfolio-sized writes (seeding, rescoring)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from sqlmodel import Session


def compute_ahead(function: Callable, items: Iterable) -> Iterator:
    """``function(item)`` for each item, in order, computed one item ahead in a
    worker thread: while the caller writes one result to the database (waiting
    on I/O, without the GIL), the next one is computed. ``items`` is consumed
    in the caller's thread, so it may read from the caller's session;
    ``function`` must not touch the session."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="compute-ahead") as worker:
        pending = None
        for item in items:
            upcoming = worker.submit(function, item)
            if pending is not None:
                yield pending.result()
            pending = upcoming
        if pending is not None:
            yield pending.result()


def bulk_insert(session: Session, table: sa.Table, rows: Sequence[Mapping]) -> None:
    """Insert ``rows`` (dicts with the same keys, in ``table``'s Python types)
    in the session's transaction, with no ORM objects and no RETURNING.

    PostgreSQL gets one ``COPY ... FROM STDIN`` (JSON columns serialised here,
    as SQLAlchemy's JSON type would); other databases (SQLite) one executemany.
    """
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(sa.insert(table), rows)
        return
    names = list(rows[0])
    plain = [name for name in names if not isinstance(table.c[name].type, sa.JSON)]
    documents = [name for name in names if name not in plain]
    quote = session.get_bind().dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(map(quote, plain + documents))}) FROM STDIN"
    dumps = json.dumps
    # SQLAlchemy types the DBAPI cursor by PEP 249, which has no context manager; psycopg's has.
    with session.connection().connection.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row([*(row[name] for name in plain), *(dumps(row[name]) for name in documents)])
