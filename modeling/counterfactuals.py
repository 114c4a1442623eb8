"""What would change the outcome: the smallest realistic changes that make a
client eligible, searched on the scoring model itself (no surrogate).

Realistic means: only actionable features move (never age), at most
:data:`MAX_CHANGED` of them per option, each only in the direction that lowers
the risk (the feature spec's ``risk_direction`` reversed: incidents go down,
income, seniority and credit score go up), in multiples of the spec's
``change_step`` (500 €, one year, one incident, 10 points) and never past the
feature's range (seniority also stays within ``age - MIN_WORKING_AGE``).

Search. Along one such line the model's probability is monotone (the
risk directions are the champion's monotone constraints), so the first
eligible point of the line is found by bisection on the step lattice. Every
line of a stage is bisected at once, one vectorised model call per halving:
first the single-feature lines, then for each ordered pair (first, second)
the second feature's line from :data:`PAIR_GRID` settings of the first below
its own single-feature minimum (or 1, 2, 4, 8... steps when it has none).
About 16 calls per stage for the longest line (income, 20,000 steps of 500 €).

Size of a change: the sum over changed features of ``|change| / scale``, the
scale being the training median (the model's ``reference_values``), at least
one ``change_step``: a change counts as a share of the typical client's value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import permutations

import numpy as np

from modeling.features import FEATURE_NAMES, FEATURES, FEATURES_BY_NAME, MIN_WORKING_AGE
from modeling.scoring import ScoringModel

MAX_OPTIONS = 3
MAX_CHANGED = 2
PAIR_GRID = 8
"""Settings of a pair's first feature tried below its single-feature minimum."""

EligibilityRule = Callable[[np.ndarray], np.ndarray]
"""Probabilities of default (n,) -> True where the recommendation is eligible."""

_ACTIONABLE = tuple(i for i, f in enumerate(FEATURES) if f.actionable and not f.immutable)
_AGE = FEATURE_NAMES.index("age")
_SENIORITY = FEATURE_NAMES.index("seniority")


@dataclass(frozen=True)
class Change:
    """One feature moved from the client's value to ``to`` (feature units)."""

    feature: str
    before: float
    to: float


@dataclass(frozen=True)
class Option:
    """Changes that together make the client eligible; ``probability`` is the
    model's probability of default (0-1) with them applied."""

    changes: tuple[Change, ...]
    probability: float
    size: float

    def applied_to(self, values: dict[str, float]) -> dict[str, float]:
        return values | {change.feature: change.to for change in self.changes}


@dataclass(frozen=True)
class _Lines:
    """n search lines: row i moves feature ``column[i]`` of ``base[i]`` to
    ``start + k * step`` (k = 1..length, the last point clipped to ``bound``).
    ``first``/``first_k``: the change already in ``base`` (-1/0 for none)."""

    base: np.ndarray
    column: np.ndarray
    step: np.ndarray
    bound: np.ndarray
    length: np.ndarray
    first: np.ndarray
    first_k: np.ndarray

    def rows(self, k: np.ndarray, lines: np.ndarray | None = None) -> np.ndarray:
        """The points at steps ``k`` of the given ``lines`` (default: all)."""
        lines = np.arange(len(self.base)) if lines is None else lines
        rows = self.base[lines]
        column, step, bound = self.column[lines], self.step[lines], self.bound[lines]
        moved = rows[np.arange(len(lines)), column] + k * step
        rows[np.arange(len(lines)), column] = np.where(
            step > 0, np.minimum(moved, bound), np.maximum(moved, bound)
        )
        return rows


def _geometry(client: np.ndarray) -> dict[int, tuple[float, float, int]]:
    """Per actionable feature that can lower the risk: (signed step, bound, number of steps)."""
    result = {}
    for column in _ACTIONABLE:
        feature = FEATURES[column]
        direction = -feature.risk_direction
        bound = feature.maximum if direction > 0 else feature.minimum
        if column == _SENIORITY:
            bound = min(bound, client[_AGE] - MIN_WORKING_AGE)
        distance = (bound - client[column]) * direction
        if distance > 0:
            length = int(np.ceil(distance / feature.change_step - 1e-9))
            result[column] = (direction * feature.change_step, float(bound), length)
    return result


def _first_settings(length: int, alone: int | None) -> np.ndarray:
    """Steps of a pair's first feature: an even grid below its single-feature
    minimum ``alone``; without one, an even grid over its whole line and 1, 2,
    4, 8... steps, so that small changes are tried on long lines too."""
    if alone is not None:
        return np.unique(np.linspace(1, alone - 1, PAIR_GRID).round().astype(int)[: max(alone - 1, 0)])
    doubling = np.minimum(2 ** np.arange(int(np.ceil(np.log2(length))) + 1), length)
    return np.unique(np.concatenate([np.linspace(1, length, PAIR_GRID).round().astype(int), doubling]))


def _lines(client: np.ndarray, geometry: dict, specs: list[tuple[int, int, int]], limit: dict) -> _Lines:
    """Lines from ``(column, first, first_k)`` specs (first = -1: a single
    change), each at most ``limit[column]`` steps long when given."""
    base = np.repeat(client[None, :], len(specs), axis=0)
    for i, (_, first, k) in enumerate(specs):
        if first >= 0:
            step, bound, _ = geometry[first]
            moved = client[first] + k * step
            base[i, first] = min(moved, bound) if step > 0 else max(moved, bound)
    column = np.array([spec[0] for spec in specs])
    return _Lines(
        base=base,
        column=column,
        step=np.array([geometry[c][0] for c in column]),
        bound=np.array([geometry[c][1] for c in column]),
        length=np.array([min(geometry[c][2], limit.get(c, geometry[c][2])) for c in column]),
        first=np.array([spec[1] for spec in specs]),
        first_k=np.array([spec[2] for spec in specs]),
    )


def _first_eligible(
    model: ScoringModel, lines: _Lines, is_eligible: EligibilityRule
) -> tuple[np.ndarray, np.ndarray]:
    """Per line, the smallest k whose point is eligible (0 where none is) and
    the probability there; the base of every line is known not eligible."""
    hi = lines.length.copy()
    probability = model.predict_proba_array(lines.rows(hi))
    reachable = is_eligible(probability)
    lo = np.zeros_like(hi)
    while True:
        open_ = np.flatnonzero(reachable & (hi - lo > 1))
        if not len(open_):
            break
        mid = (lo[open_] + hi[open_]) // 2
        p = model.predict_proba_array(lines.rows(mid, open_))
        good = is_eligible(p)
        hi[open_[good]], probability[open_[good]] = mid[good], p[good]
        lo[open_[~good]] = mid[~good]
    return np.where(reachable, hi, 0), probability


def _size(client: np.ndarray, row: np.ndarray, scale: np.ndarray) -> float:
    return float((np.abs(row - client) / scale).sum())


def counterfactuals(
    model: ScoringModel,
    values: dict[str, float],
    is_eligible: EligibilityRule,
    *,
    max_options: int = MAX_OPTIONS,
) -> list[Option]:
    """Up to ``max_options`` options, smallest first, each with its own set of
    changed features; [] when the client is already eligible or nothing within
    the rules makes them so. ``values``: the five validated features."""
    client = np.array([float(values[name]) for name in FEATURE_NAMES])
    if is_eligible(model.predict_proba_array(client[None, :]))[0]:
        return []
    geometry = _geometry(client)
    if not geometry:
        return []
    singles = _lines(client, geometry, [(column, -1, 0) for column in geometry], {})
    k, probability = _first_eligible(model, singles, is_eligible)
    alone = {int(c): int(step) for c, step in zip(singles.column, k) if step > 0}
    candidates = [
        (row, float(p), frozenset([int(c)]))
        for row, p, c, step in zip(singles.rows(k), probability, singles.column, k)
        if step > 0
    ]
    specs = [
        (second, first, int(step))
        for first, second in permutations(geometry, 2)
        for step in _first_settings(geometry[first][2], alone.get(first))
    ]
    # A pair whose second change reaches the single-feature minimum is dominated
    # by that single change: its line stops one step before.
    specs = [spec for spec in specs if alone.get(spec[0], 2) > 1]
    if specs:
        pairs = _lines(client, geometry, specs, {c: k - 1 for c, k in alone.items()})
        k, probability = _first_eligible(model, pairs, is_eligible)
        for row, p, c, first, step in zip(pairs.rows(k), probability, pairs.column, pairs.first, k):
            if step > 0:
                candidates.append((row, float(p), frozenset([int(first), int(c)])))
    steps = np.array([f.change_step for f in FEATURES])
    scale = np.maximum(np.abs(np.asarray(model.reference_values, dtype=float)), steps)
    return _best(client, candidates, scale, max_options)


def _best(client: np.ndarray, candidates: list, scale: np.ndarray, max_options: int) -> list[Option]:
    """The smallest candidates, one per set of changed features."""
    chosen: dict[frozenset, Option] = {}
    for row, probability, columns in sorted(candidates, key=lambda c: _size(client, c[0], scale)):
        if columns in chosen:
            continue
        changes = tuple(
            Change(FEATURES[j].name, _typed(j, client[j]), _typed(j, row[j])) for j in sorted(columns)
        )
        chosen[columns] = Option(changes, probability, round(_size(client, row, scale), 6))
        if len(chosen) == max_options:
            break
    return list(chosen.values())


def _typed(column: int, value: float) -> float:
    feature = FEATURES[column]
    return int(round(value)) if feature.kind is int else round(float(value), 6)


def respects_rules(values: dict[str, float], option: Option) -> list[str]:
    """Every rule an option breaks (empty: it is realistic); for tests and audits."""
    problems = []
    if not 1 <= len(option.changes) <= MAX_CHANGED:
        problems.append(f"changes {len(option.changes)} features")
    after = option.applied_to(values)
    for change in option.changes:
        feature = FEATURES_BY_NAME[change.feature]
        moved = (change.to - change.before) * -feature.risk_direction
        if not feature.actionable or feature.immutable:
            problems.append(f"{feature.name} is not actionable")
        if moved <= 0:
            problems.append(f"{feature.name} moves against its plausible direction")
        bounds = {feature.maximum if -feature.risk_direction > 0 else feature.minimum}
        if feature.name == "seniority":
            bounds.add(values["age"] - MIN_WORKING_AGE)
        on_step = abs(moved / feature.change_step - round(moved / feature.change_step)) < 1e-6
        if not (on_step or change.to in bounds):
            problems.append(f"{feature.name} does not move in steps of {feature.change_step}")
        if not feature.minimum <= change.to <= feature.maximum:
            problems.append(f"{feature.name} leaves its range")
    if after["seniority"] > after["age"] - MIN_WORKING_AGE:
        problems.append("seniority exceeds age - 14")
    return problems
