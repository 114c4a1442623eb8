"""The app's background work: start-up scoring and the nightly retention purge.

At start-up, loads (and verifies) the champion model once per process, then
scores, in the background and in small batches, the clients that have no score
yet (``make run`` seeds the portfolio before it trains the model); the standalone
API shares it. Every night at DAILY_PURGE_AT the retention purge runs. Everything
blocking runs in worker threads, never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta

from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services import scoring
from neobank_dashboard.services.monitoring_nightly import NIGHTLY_REPORT_AT, run_nightly_report
from neobank_dashboard.services.retention import DAILY_PURGE_AT, run_daily_purge

logger = logging.getLogger(__name__)
STARTUP_BATCH_SIZE = 1_000
"""Small batches keep each SQLite write lock short while the app already serves."""


async def start_scoring() -> asyncio.Task | None:
    """Load the model; return the background task scoring unscored clients (or None)."""
    status = await asyncio.to_thread(scoring.load_model)
    # The imports and the model are a few million long-lived objects: out of the
    # collector's reach, a full collection under load no longer walks them all.
    gc.freeze()
    if not status.model_loaded:
        logger.warning(
            "no valid model (%s): scoring answers 503 until one is registered and the app restarts",
            status.problem,
        )
        return None
    return asyncio.create_task(_score_unscored(), name="score-unscored-clients")


async def _score_unscored() -> None:
    try:
        scored = await asyncio.to_thread(scoring.score_unscored_clients, STARTUP_BATCH_SIZE)
        if scored:
            logger.info("scored %d clients that had no score", scored)
    except asyncio.CancelledError:
        raise
    except Exception:
        logger.exception("scoring the unscored clients failed")


@contextlib.asynccontextmanager
async def scoring_lifespan(*_args) -> AsyncIterator[None]:
    """Lifespan: Reflex ``app.register_lifespan_task`` and FastAPI ``lifespan=``."""
    task = await start_scoring()
    try:
        yield
    finally:
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def seconds_until_next_run(now: datetime, at: time = DAILY_PURGE_AT) -> float:
    run = datetime.combine(now.date(), at)
    if run <= now:
        run += timedelta(days=1)
    return (run - now).total_seconds()


async def retention_daily_task(url: str | None = None) -> None:
    """Lifespan task of the app: purge once a day at DAILY_PURGE_AT, in a worker thread."""
    while True:
        await asyncio.sleep(seconds_until_next_run(utcnow()))
        try:
            await asyncio.to_thread(run_daily_purge, url)
        except Exception:  # a failed night must not stop the next ones
            logger.exception("daily retention purge failed; next attempt tomorrow")


async def monitoring_nightly_task(url: str | None = None) -> None:
    """Lifespan task of the app: the monitoring report once a night at NIGHTLY_REPORT_AT,
    in a thread (one worker computes it; the others find it stored)."""
    while True:
        await asyncio.sleep(seconds_until_next_run(utcnow(), NIGHTLY_REPORT_AT))
        try:
            await asyncio.to_thread(run_nightly_report, url)
        except Exception:  # a failed night must not stop the next ones
            logger.exception("nightly monitoring report failed; next attempt tomorrow")
