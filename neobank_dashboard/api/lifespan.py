"""Start-up of the scoring service, shared by Reflex and the standalone API.

Loads (and verifies) the champion model once per process, then scores, in
the background and in small batches, the clients that have no score yet
(``make run`` seeds the portfolio before it trains the model). Everything
blocking runs in worker threads, never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from neobank_dashboard.services import scoring

logger = logging.getLogger(__name__)
STARTUP_BATCH_SIZE = 1_000
"""Small batches keep each SQLite write lock short while the app already serves."""


async def start_scoring() -> asyncio.Task | None:
    """Load the model; return the background task scoring unscored clients (or None)."""
    status = await asyncio.to_thread(scoring.load_model)
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
