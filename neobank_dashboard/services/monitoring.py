"""The monitoring report over a window of scores: stability, backtest, fairness,
challenger. The rules and their thresholds are in :mod:`modeling.monitoring`.

Aggregation happens in SQL (stability, backtest and fairness each scan the
window's scores once; the challenger reads the narrow shadow table), so the cost grows with the window's rows
inside the database and Python only sees a few thousand aggregates: bin counts
for the stability indices, probability buckets for the backtest and the
challenger, (age band, recommendation, decision) groups for fairness.

Which rows each section reads:

- stability: every score made in the window; the score's PSI only the scores
  of the champion, whose training reference it is compared with;
- backtest and challenger: the window's scores with an outcome (a score
  counts as defaulted when any outcome recorded for it says so);
- fairness: every score of the window, the outcome being the advisor's
  decision when there is one, else the model's recommendation (approved
  means recommended ``eligible``; ``review`` is not an approval); the share
  of refusals age alone decides: the champion's scores at or above its
  threshold, rescored at the training's median age (the promotion gate of
  ``modeling.validation.age_alone_refusals``, here on the window's clients).

A section without rows says so (``"status": "no_data"`` and a ``reason``),
with its numbers null: never a division by zero.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session

from modeling import monitoring as rules
from modeling.challenger import load_reference
from modeling.features import FEATURE_NAMES
from modeling.scoring import ScoringModel
from neobank_dashboard.db import MonitoringReport, RepaymentOutcome, ShadowScore
from neobank_dashboard.db.models import Decision, Outcome, Recommendation, Score, table_of
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.recommendation import RiskBand

OK, NO_DATA = "ok", "no_data"
# PostgreSQL, for the report's transaction only: its group-bys (~50,000 estimated groups,
# ~2,000 real) fit in memory instead of sorting on disk, and JIT compilation (0.2 s a
# query) costs more than it saves on these one-off scans (EXPLAIN ANALYZE in docs/performance.md).
REPORT_SETTINGS = {"work_mem": "32MB", "jit": "off"}
BUCKET_SCALE = 10**rules.PROBABILITY_DECIMALS
_score = table_of(Score)


def _no_data(reason: str, **empty) -> dict:
    return {"status": NO_DATA, "reason": reason, **empty}


def _in_window(since: datetime, until: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(_score.c.created_at >= since, _score.c.created_at < until)


def _window(since: datetime, until: datetime) -> sa.Subquery:
    """The window's scores with their snapshot's five feature values (typed
    columns the database computes from the JSON snapshot)."""
    columns = [_score.c[name] for name in ("id", "probability", "model_version", "recommendation")]
    features = [_score.c[f"snapshot_{name}"].label(name) for name in FEATURE_NAMES]
    return sa.select(*columns, *features).where(_in_window(since, until)).subquery("window_scores")


# ------------------------------------------------------------------ stability


def _bin_counts(counts_at_or_below: list[int], total: int) -> list[int]:
    cumulative = [0, *counts_at_or_below, total]
    return [cumulative[i + 1] - cumulative[i] for i in range(len(cumulative) - 1)]


def _stability(
    session: Session, since: datetime, until: datetime, reference: dict, version: str
) -> dict[str, tuple[float | None, int]]:
    """PSI of the champion's scores and CSI of each feature, in one scan."""
    window = _window(since, until)
    champion = window.c.model_version == version
    distributions: dict[str, tuple[sa.ColumnElement, sa.ColumnElement[bool], dict]] = {
        name: (window.c[name], sa.true(), reference["features"][name]) for name in FEATURE_NAMES
    }
    distributions["score"] = (window.c.probability, champion, reference["score"])
    columns = [sa.func.count(), sa.func.sum(sa.case((champion, 1), else_=0))]
    for value, where, bins in distributions.values():
        columns += [
            sa.func.sum(sa.case((sa.and_(where, value <= edge), 1), else_=0)) for edge in bins["edges"]
        ]
    row = [int(v or 0) for v in session.execute(sa.select(*columns).select_from(window)).one()]
    total, champion_total, at = row[0], row[1], 2
    indices = {}
    for name, (_, _, bins) in distributions.items():
        width = len(bins["edges"])
        counts = _bin_counts(row[at : at + width], champion_total if name == "score" else total)
        at += width
        indices[name] = (rules.stability_index(bins["shares"], counts), sum(counts))
    return indices


def _stability_entry(index: float | None, n: int, reason: str) -> dict:
    if index is None:
        return _no_data(reason, n=n, psi=None, level=None)
    return {"status": OK, "n": n, "psi": index, "level": rules.stability_level(index).value}


# ------------------------------------------------------------------- backtest


def _defaulted() -> sa.Subquery:
    """Scores with a default among their outcomes (defaults are rare: a small set)."""
    outcome = table_of(RepaymentOutcome)
    return sa.select(outcome.c.score_id).where(outcome.c.defaulted).distinct().subquery("defaulted")


def _grouped(kind: str, key, probability, y, *where) -> sa.Select:
    """Rows ``(kind, key, bucket, n, defaults, sum p, sum p², sum p·y)``."""
    bucket = sa.cast(probability * BUCKET_SCALE, sa.Integer)
    return (
        sa.select(
            sa.literal(kind).label("kind"),
            key,
            bucket,
            sa.func.count(),
            sa.func.sum(y),
            sa.func.sum(probability),
            sa.func.sum(probability * probability),
            sa.func.sum(probability * y),
        )
        .where(*where)
        .group_by(key, bucket)
    )


def _outcome_buckets(session: Session, since: datetime, until: datetime) -> dict[str, list]:
    """Probability buckets of the window's scores with an outcome.

    Returns rows ``(key, bucket, n, defaults, sum p, sum p², sum p·y)`` per kind:
    ``band`` (key: risk band; the champion's probability, from the scores),
    ``champion`` and ``challenger`` (key: challenger name; the scores it shadowed,
    bucketed by each model's probability, from the narrow shadow table alone).
    """
    outcome, shadow, defaulted = table_of(RepaymentOutcome), table_of(ShadowScore), _defaulted()
    y = sa.case((defaulted.c.score_id.is_not(None), 1), else_=0)
    bands = _grouped(
        "band",
        _score.c.risk_band,
        _score.c.probability,
        y,
        _in_window(since, until),
        sa.exists().where(outcome.c.score_id == _score.c.id),
    ).select_from(_score.outerjoin(defaulted, defaulted.c.score_id == _score.c.id))
    shadowed = (
        sa.select(shadow.c.challenger, shadow.c.champion_probability, shadow.c.probability, y.label("y"))
        .select_from(shadow.outerjoin(defaulted, defaulted.c.score_id == shadow.c.score_id))
        .where(
            shadow.c.scored_at >= since,
            shadow.c.scored_at < until,
            sa.exists().where(outcome.c.score_id == shadow.c.score_id),
        )
        .cte("shadowed")
        .prefix_with("MATERIALIZED")
    )
    query = sa.union_all(
        bands,
        _grouped("champion", shadowed.c.challenger, shadowed.c.champion_probability, shadowed.c.y),
        _grouped("challenger", shadowed.c.challenger, shadowed.c.probability, shadowed.c.y),
    )
    rows: dict[str, list] = {"band": [], "champion": [], "challenger": []}
    for kind, *row in session.execute(query):
        rows[kind].append(row)
    return rows


def _backtest(rows: list) -> dict:
    """Per risk band and overall, from the ``band`` rows of :func:`_outcome_buckets`."""
    if not rows:
        return _no_data(
            "no outcomes for the window's scores", bands=[], auc=None, level=None, calibration=None
        )
    buckets = rules.Buckets.of([row[1:] for row in rows])
    bands: list[dict[str, Any]] = []
    for band in RiskBand:
        mine = [row for row in rows if row[0] == band]  # (band, bucket, n, defaults, sum p, ...)
        if mine:
            n, defaults = sum(int(r[2]) for r in mine), sum(int(r[3]) for r in mine)
            bands.append(
                {"band": band.value, **rules.band_backtest(n, defaults, sum(float(r[4]) for r in mine))}
            )
    level = rules.worst([rules.TrafficLight(b["level"]) for b in bands], list(rules.TrafficLight))
    assert level is not None  # rows is non-empty and every row is in a band
    return {
        "status": OK,
        "n": buckets.total,
        "bands": bands,
        "auc": rules.auc(buckets),
        "level": level.value,
        "calibration": rules.calibration(buckets),
    }


# ------------------------------------------------------------------- fairness


def _age_band(age: sa.ColumnElement) -> sa.ColumnElement:
    return sa.case(
        *(
            (age <= last if last is not None else age >= first, label)
            for label, first, last in rules.AGE_BANDS
        ),
    )


def _age_alone(session: Session, since: datetime, until: datetime, model: ScoringModel | None) -> dict:
    """Of the champion's refusals in the window, the share that the training's median age
    would turn eligible, all else equal."""
    gate = (model.metrics.get("gates") or {}).get("age_alone") if model else None
    if model is None or gate is None:
        return _no_data("the champion has no age bound", refusals=0, decided_by_age_alone=0, share=None)
    window = _window(since, until)
    rows = session.execute(
        sa.select(*(window.c[name] for name in FEATURE_NAMES)).where(
            window.c.model_version == model.version, window.c.probability >= model.threshold
        )
    ).all()
    if not rows:
        return _no_data(
            "no refusals by the champion in the window", refusals=0, decided_by_age_alone=0, share=None
        )
    # tuples first: numpy reads SQLAlchemy rows item by item (3 s for 130,000 rows, 0.2 s this way)
    X = np.array([tuple(row) for row in rows], dtype=np.float64)
    X[:, FEATURE_NAMES.index("age")] = gate["median_age"]
    decided = int(np.sum(model.predict_proba_array(X) < model.threshold))
    return {
        "status": OK,
        "refusals": len(rows),
        "decided_by_age_alone": decided,
        "share": decided / len(rows),
        "median_age": gate["median_age"],
        "limit": gate["limit"],
    }


def _fairness(session: Session, since: datetime, until: datetime, model: ScoringModel | None) -> dict:
    decision = table_of(Decision)
    latest = sa.select(sa.func.max(decision.c.id).label("id")).group_by(decision.c.score_id).subquery()
    final = (
        sa.select(decision.c.score_id, decision.c.outcome)
        .join(latest, latest.c.id == decision.c.id)
        .subquery()
    )
    window = _window(since, until)
    band = _age_band(window.c.age).label("band")
    rows = session.execute(
        sa.select(
            band, window.c.recommendation, final.c.outcome, sa.func.count(), sa.func.sum(window.c.probability)
        )
        .select_from(window.outerjoin(final, final.c.score_id == window.c.id))
        .group_by(band, window.c.recommendation, final.c.outcome)
    ).all()
    age_alone = _age_alone(session, since, until, model)
    if not rows:
        return _no_data(
            "no scores in the window", age_bands=[], adverse_impact_ratio=None, age_alone=age_alone
        )
    approved, refused = Outcome.approved.value, Outcome.refused.value
    eligible, not_eligible = Recommendation.eligible.value, Recommendation.not_eligible.value
    groups = rules.fairness_by_group(
        groups=[r[0] for r in rows],
        weights=[r[3] for r in rows],
        approved=[(r[2] == approved) if r[2] else (r[1] == eligible) for r in rows],
        refused_by_model=[r[1] == not_eligible for r in rows],
        refused_finally=[(r[2] == refused) if r[2] else (r[1] == not_eligible) for r in rows],
        mean_probability=[float(r[4]) / r[3] for r in rows],
    )
    bands = [{"band": label, **groups[label]} for label, _, _ in rules.AGE_BANDS if label in groups]
    ratio = rules.adverse_impact_ratio(groups)
    return {
        "status": OK,
        "age_bands": bands,
        "adverse_impact_ratio": ratio,
        "below_four_fifths": ratio is not None and ratio < rules.ADVERSE_IMPACT_FLOOR,
        "age_alone": age_alone,
    }


# ----------------------------------------------------------------- challenger


def _model_summary(buckets: rules.Buckets) -> dict:
    return {"auc": rules.auc(buckets), **rules.calibration(buckets)}


def _challenger(champion: list, challenger: list) -> dict:
    """Champion and challenger on the same outcomes (rows of :func:`_outcome_buckets`)."""
    if not champion:
        return _no_data("no outcomes with a shadow score in the window", name=None, n=0)
    champion_buckets = rules.Buckets.of([row[1:] for row in champion])
    ours = _model_summary(champion_buckets)
    theirs = _model_summary(rules.Buckets.of([row[1:] for row in challenger]))
    return {
        "status": OK,
        "name": ", ".join(sorted({row[0] for row in champion})),
        "n": champion_buckets.total,
        "champion": ours,
        "challenger": theirs,
        "challenger_better": theirs["brier"] < ours["brier"],
    }


# --------------------------------------------------------------------- report


def build_report(
    session: Session,
    since: datetime,
    until: datetime,
    *,
    champion_version: str | None,
    model_dir: Path,
    champion: ScoringModel | None = None,
) -> dict:
    """The report's JSON sections over scores made in ``[since, until)``; ``champion``
    (default: the scoring service's model, when of ``champion_version``) rescores the
    window's refusals for the age-alone share."""
    if session.get_bind().dialect.name == "postgresql":
        for name, value in REPORT_SETTINGS.items():
            session.execute(sa.text(f"SET LOCAL {name} = '{value}'"))
    if champion is None:
        from neobank_dashboard.services.scoring import get_service

        champion = get_service().loaded_model
    if champion is not None and champion.version != champion_version:
        champion = None
    reference = None
    if champion_version and (model_dir / champion_version).is_dir():
        reference = load_reference(model_dir / champion_version)
    if champion_version is None or reference is None:
        reason = (
            "no champion model loaded" if not champion_version else "the champion has no training reference"
        )
        population = _no_data(reason, n=0, psi=None, level=None)
        features = [{"name": name, **_no_data(reason, n=0, psi=None, level=None)} for name in FEATURE_NAMES]
    else:
        indices = _stability(session, since, until, reference, champion_version)
        population = _stability_entry(*indices["score"], "no champion scores in the window")
        features = [
            {"name": name, **_stability_entry(*indices[name], "no scores in the window")}
            for name in FEATURE_NAMES
        ]
    buckets = _outcome_buckets(session, since, until)
    report: dict[str, Any] = {
        "window": {"since": since.isoformat(), "until": until.isoformat()},
        "model_version": champion_version,
        "computed_at": utcnow().isoformat(),
        "population": population,
        "features": features,
        "backtest": _backtest(buckets["band"]),
        "fairness": _fairness(session, since, until, champion),
        "challenger": _challenger(buckets["champion"], buckets["challenger"]),
    }
    report["alerts"] = alerts(report)
    return report


def alerts(report: dict) -> list[str]:
    """What the staff pages' banner names: stability alerts and red backtest bands."""
    found = ["population"] if report["population"].get("level") == rules.StabilityLevel.alert else []
    found += [
        f"feature:{f['name']}" for f in report["features"] if f.get("level") == rules.StabilityLevel.alert
    ]
    found += [
        f"backtest:{b['band']}" for b in report["backtest"]["bands"] if b["level"] == rules.TrafficLight.red
    ]
    return found


def latest_report(session: Session) -> MonitoringReport | None:
    """The most recently computed stored report (the nightly job's)."""
    table = table_of(MonitoringReport)
    row = session.execute(sa.select(table.c.id).order_by(table.c.computed_at.desc()).limit(1)).scalar()
    return session.get(MonitoringReport, row) if row is not None else None


def stored_alerts(session: Session) -> list[str]:
    """The alerts of the latest stored report, in one narrow query (every staff page asks)."""
    table = table_of(MonitoringReport)
    sections = session.execute(
        sa.select(table.c.sections).order_by(table.c.computed_at.desc()).limit(1)
    ).scalar()
    return list(sections.get("alerts", [])) if sections else []
