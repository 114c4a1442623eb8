"""Group commit: the writes of concurrent requests share one transaction.

A score answered 200 must be stored and audited, so each request waits for the
COMMIT that holds its rows. A COMMIT per request costs an fsync each, and on SQLite
every writer queues for the single write lock. Here a writer thread takes the items
waiting in its queue (up to ``max_batch``), writes them all with one
``write_batch(session, items)`` call (a few multi-row statements), commits once, and
only then releases their requests. Alone, a request waits for nobody.

- ``write_batch`` raising fails nobody yet: each item of that batch is then written
  alone, in a transaction of its own, so a bad item fails alone.
- A COMMIT that fails fails every request it held: none of them is answered 200.
- A connection lost before the COMMIT is retried once on a fresh connection (the
  server rolled the transaction back); lost during the COMMIT, the requests fail and
  the API answers 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Generic, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from neobank_dashboard.db.engine import get_engine

Item = TypeVar("Item")
Result = TypeVar("Result")
MAX_BATCH = 64
"""Items per transaction at most: enough to absorb a burst, small enough that one
transaction's locks stay short."""


@dataclass
class _Pending(Generic[Item, Result]):
    item: Item
    done: Future[Result]


class GroupCommitter(Generic[Item, Result]):
    """``writers`` threads take batches from one queue: one for SQLite (one writer at a
    time anyway), a few for PostgreSQL, whose round trips then overlap."""

    def __init__(
        self,
        write_batch: Callable[[Session, Sequence[Item]], Sequence[Result]],
        *,
        writers: int = 1,
        max_batch: int = MAX_BATCH,
    ):
        self.write_batch = write_batch
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Pending[Item, Result]] = queue.SimpleQueue()
        for n in range(writers):
            threading.Thread(target=self._serve, name=f"group-commit-{n}", daemon=True).start()

    def submit(self, item: Item) -> Future[Result]:
        pending: _Pending[Item, Result] = _Pending(item, Future())
        self._queue.put(pending)
        return pending.done

    async def write(self, item: Item) -> Result:
        """``item``'s result, once the transaction that holds it has committed."""
        return await asyncio.wrap_future(self.submit(item))

    def _serve(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                if not self._commit(batch) and len(batch) > 1:
                    for pending in batch:  # find the bad item: each alone
                        self._commit([pending])
            except BaseException as error:  # noqa: BLE001 - the thread must outlive any failure
                for pending in batch:
                    if not pending.done.done():
                        pending.done.set_exception(error)

    def _commit(self, batch: list[_Pending[Item, Result]], *, retried: bool = False) -> bool:
        """True when the batch was settled (committed, or its commit failed); False when
        ``write_batch`` raised on a batch of several (nothing written, nobody told)."""
        with Session(get_engine(), expire_on_commit=False) as session:
            try:
                results = self.write_batch(session, [p.item for p in batch])
            except Exception as error:  # noqa: BLE001 - handed to the request(s) it concerns
                session.rollback()
                if connection_lost(error) and not retried:
                    # Before COMMIT the server rolled the transaction back: writing the
                    # batch again on a fresh connection cannot double anything.
                    return self._commit(batch, retried=True)
                if len(batch) > 1 and not connection_lost(error):
                    return False
                for pending in batch:
                    pending.done.set_exception(error)
                return True
            try:
                session.commit()
            except Exception as error:  # noqa: BLE001 - every request it held fails
                # Lost during COMMIT, the outcome is unknown: no retry here, the callers
                # answer 503 and retry with their request id, which finds what was stored.
                session.rollback()
                for pending in batch:
                    pending.done.set_exception(error)
                return True
        for pending, result in zip(batch, results, strict=True):
            pending.done.set_result(result)
        return True


def connection_lost(error: BaseException) -> bool:
    """The database connection broke (server restart, failover, a killed backend)."""
    return isinstance(error, sa.exc.DBAPIError) and (
        error.connection_invalidated or isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError)
    )
