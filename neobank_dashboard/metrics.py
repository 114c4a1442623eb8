"""Prometheus metrics: the production figures the benchmarks measure, watched live.

Several Granian workers are several processes, so counters live in
``prometheus_client``'s multiprocess mode when ``PROMETHEUS_MULTIPROC_DIR`` is set
(the production launcher sets it to a fresh folder before the workers start: the
variable must exist before this module is imported). Without it (development, tests,
the standalone API) the process's own registry is used.

No label ever carries a client id, a feature value or a token: routes are path
templates (``/api/v1/clients/{client_id}``), never raw paths.
"""

from __future__ import annotations

import collections
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import event
from sqlalchemy.orm import Session

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_PENDING_SCORES = "metrics_pending_scores"

# Latency buckets around the targets: p99 <= 100 ms for a score, 500 ms for a list.
_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

REQUEST_SECONDS = Histogram(
    "neobank_http_request_duration_seconds",
    "Time from the request's arrival to the last byte of its answer.",
    ["method", "route"],
    buckets=_LATENCY_BUCKETS,
)
RESPONSES = Counter(
    "neobank_http_responses_total",
    "Answers by route and HTTP status (errors are the 4xx and 5xx).",
    ["method", "route", "status"],
)
SCORES = Counter(
    "neobank_scores_total",
    "Scores stored, by channel (ui, api) and recommendation.",
    ["channel", "recommendation"],
)
POOL_CONNECTIONS_IN_USE = Gauge(
    "neobank_db_pool_connections_in_use",
    "Database connections checked out of the pool, summed over live workers.",
    multiprocess_mode="livesum",
)
AUDIT_LOCK_WAIT_SECONDS = Histogram(
    "neobank_audit_chain_lock_wait_seconds",
    "Time a transaction waited for an audit hash chain's lock (PostgreSQL).",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
)


def note_scores(session: Session, rows: Iterable[Mapping]) -> None:
    """Count score rows written in ``session``: added to ``neobank_scores_total`` when its
    transaction commits, forgotten if it rolls back."""
    pending = session.info.setdefault(_PENDING_SCORES, collections.Counter())
    pending.update((str(row["channel"]), str(row["recommendation"])) for row in rows)


@event.listens_for(Session, "after_commit")
def _count_committed_scores(session: Session) -> None:
    for (channel, recommendation), n in session.info.pop(_PENDING_SCORES, {}).items():
        SCORES.labels(channel, recommendation).inc(n)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_scores(session: Session) -> None:
    session.info.pop(_PENDING_SCORES, None)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, summed over every worker in
    multiprocess mode, and their content type."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def fresh_multiprocess_dir(data_dir: Path) -> Path:
    """An empty folder for the workers' metric files: the files of a previous run
    would otherwise be added to this run's counters."""
    folder = data_dir / "prometheus"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, mode=0o700)
    return folder
