"""Shadow scoring: the challenger's probability for every stored score.

The challenger is stored in the champion's artefact (``modeling.challenger``):
the scores of champion ``v`` are shadowed by the challenger of ``v``. Shadow
probabilities feed the monitoring report's champion/challenger comparison
only: no page, letter or API response shows them, and they are deleted with
their score.

Two ways in: :func:`record_shadow_scores` right after scores are written (the
scoring write path's hook), and :func:`backfill_shadow_scores`, which the
nightly report runs first so a window is complete even for scores written
without the hook (seeding, batch rescoring, a process started before the
challenger existed).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session

from modeling.challenger import Challenger, load_challenger
from modeling.features import FEATURE_NAMES
from neobank_dashboard.db import ShadowScore
from neobank_dashboard.db.models import Score, id_of, table_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.settings import get_settings

logger = logging.getLogger(__name__)

BACKFILL_BATCH = 5_000
_challengers: dict[str, Challenger | None] = {}
_lock = threading.Lock()


def challenger_for(champion_version: str) -> Challenger | None:
    """The challenger stored with a champion's artefact (loaded once per process),
    or None when that artefact is absent, has none, or fails its integrity check."""
    with _lock:
        if champion_version in _challengers:
            return _challengers[champion_version]
    artefact = get_settings().model_dir / champion_version
    if not artefact.is_dir():
        return None  # not cached: another registry folder may hold it
    try:
        challenger = load_challenger(artefact)
    except Exception:  # an unusable challenger must never stop scoring
        logger.exception("challenger of %s could not be loaded", champion_version[:12])
        challenger = None
    with _lock:
        _challengers[champion_version] = challenger
    return challenger


def _shadow_rows(rows: Iterable[tuple[int, str, dict, float, datetime]]) -> list[dict]:
    """ShadowScore rows for ``(score id, model version, feature snapshot,
    probability, made at)`` of stored scores."""
    by_version: dict[str, list[tuple]] = {}
    for score_id, version, *rest in rows:
        by_version.setdefault(version, []).append((score_id, *rest))
    now = utcnow()
    shadow = []
    for version, items in by_version.items():
        challenger = challenger_for(version)
        if challenger is None:
            continue
        X = np.array([[float(item[1]["values"][name]) for name in FEATURE_NAMES] for item in items])
        probabilities = challenger.predict_proba_array(X)
        shadow += [
            {
                "score_id": score_id,
                "challenger": challenger.name,
                "champion_version": version,
                "probability": float(p),
                "champion_probability": champion,
                "scored_at": scored_at,
                "created_at": now,
            }
            for (score_id, _, champion, scored_at), p in zip(items, probabilities)
        ]
    return shadow


def record_shadow_scores(session: Session, scores: Sequence[Score]) -> int:
    """Score ``scores`` (just written, same transaction) with their champion's
    challenger and store the results; returns how many were stored."""
    rows = _shadow_rows((id_of(s), s.model_version, s.features, s.probability, s.created_at) for s in scores)
    if rows:
        session.execute(sa.insert(table_of(ShadowScore)), rows)
    return len(rows)


def backfill_shadow_scores(session: Session, since: datetime, until: datetime) -> int:
    """Shadow every score made in ``[since, until)`` that has no shadow score yet,
    in batches (committed by the caller). Returns how many were stored."""
    table, shadow = table_of(Score), table_of(ShadowScore)
    unshadowed = (
        sa.select(
            *(table.c[name] for name in ("id", "model_version", "features", "probability", "created_at"))
        )
        .where(
            table.c.created_at >= since,
            table.c.created_at < until,
            ~sa.exists().where(shadow.c.score_id == table.c.id),
        )
        .order_by(table.c.id)
    )
    stored, after = 0, 0
    while True:
        batch = session.execute(unshadowed.where(table.c.id > after).limit(BACKFILL_BATCH)).all()
        if not batch:
            return stored
        after = batch[-1][0]
        rows = _shadow_rows(batch)
        if rows:
            session.execute(sa.insert(shadow), rows)
        stored += len(rows)
