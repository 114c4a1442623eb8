"""The one definition of the five scoring features.

Validation, pipelines, explanations, reason texts and the web app all read
ranges, labels, units and risk directions from here; nothing else restates
them. Ranges are inclusive and in the units given by ``unit_en``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast


@dataclass(frozen=True)
class Feature:
    """One scoring input: its meaning, valid range and role in explanations.

    ``risk_direction`` is domain knowledge, used as the models' monotone
    constraint and by the reason codes' value guard: +1 when a higher value
    raises the risk of default, -1 when it lowers it, 0 when the effect is not
    monotone. Age is -1 within ``AGE_MODELLED_RANGE`` only (younger applicants
    default more often in German credit and Give Me Some Credit); the
    models treat older ages alike.
    ``critical`` marks features whose stale data (older than
    :data:`STALE_AFTER_DAYS`) forces a human review.
    ``what_if_span`` is ``(floor, factor)`` where the valid range is too wide for a
    what-if slider: its top is ``max(floor, factor * the client's value)``.
    ``change_step`` is the smallest change a person understands (counterfactual
    options move in multiples of it); ``step`` is the input precision of the dashboard.
    """

    name: str
    label_fr: str
    label_en: str
    unit_fr: str
    unit_en: str
    kind: type
    minimum: float
    maximum: float
    risk_direction: int
    actionable: bool
    immutable: bool
    critical: bool
    step: float
    change_step: float
    description_fr: str
    description_en: str
    what_if_span: tuple[float, float] | None = None


FEATURES: tuple[Feature, ...] = (
    Feature(
        name="age",
        label_fr="Âge",
        label_en="Age",
        unit_fr="ans",
        unit_en="years",
        kind=int,
        minimum=18,
        maximum=120,
        risk_direction=-1,
        actionable=False,
        immutable=True,
        critical=False,
        step=1,
        change_step=1,
        description_fr=(
            "Âge du client en années révolues, collecté pour vérifier la majorité "
            "et parce que le risque de défaut varie selon l'âge."
        ),
        description_en=(
            "The client's age in completed years, collected to check legal age "
            "and because the risk of default varies with age."
        ),
    ),
    Feature(
        name="income",
        label_fr="Revenu annuel net",
        label_en="Annual net income",
        unit_fr="€ / an",
        unit_en="€ / year",
        kind=float,
        minimum=0,
        maximum=10_000_000,
        risk_direction=-1,
        actionable=True,
        immutable=False,
        critical=True,
        step=1_000,
        change_step=500,
        description_fr=(
            "Revenu net annuel du client en euros, collecté pour évaluer sa capacité de remboursement."
        ),
        description_en=(
            "The client's annual net income in euros, collected to assess the capacity to repay."
        ),
        what_if_span=(150_000, 3),
    ),
    Feature(
        name="seniority",
        label_fr="Ancienneté professionnelle",
        label_en="Job seniority",
        unit_fr="ans",
        unit_en="years",
        kind=float,
        minimum=0,
        maximum=106,
        risk_direction=-1,
        actionable=True,
        immutable=False,
        critical=False,
        step=0.5,
        change_step=1,
        description_fr=(
            "Années passées dans l'emploi actuel, collectées comme indicateur de stabilité des revenus."
        ),
        description_en=("Years spent in the current employment, collected as a sign of income stability."),
    ),
    Feature(
        name="payment_incidents",
        label_fr="Incidents de paiement",
        label_en="Payment incidents",
        unit_fr="incidents",
        unit_en="incidents",
        kind=int,
        minimum=0,
        maximum=50,
        risk_direction=1,
        actionable=True,
        immutable=False,
        critical=True,
        step=1,
        change_step=1,
        description_fr=(
            "Nombre d'incidents de paiement des cinq dernières années, collecté "
            "car les retards passés annoncent les défauts futurs."
        ),
        description_en=(
            "Number of payment incidents over the last five years, collected "
            "because past arrears predict future default."
        ),
        what_if_span=(10, 2),
    ),
    Feature(
        name="credit_score",
        label_fr="Score de crédit",
        label_en="Credit score",
        unit_fr="points",
        unit_en="points",
        kind=int,
        minimum=300,
        maximum=850,
        risk_direction=-1,
        actionable=True,
        immutable=False,
        critical=True,
        step=5,
        change_step=10,
        description_fr=(
            "Score du bureau de crédit, sur l'échelle propre au bureau (ses bornes "
            "sont la plage de cette variable), collecté comme synthèse externe de "
            "l'historique de crédit."
        ),
        description_en=(
            "The credit bureau's score, on the bureau's own scale (its bounds are "
            "this feature's range), collected as an external summary of the "
            "credit history."
        ),
    ),
)

FEATURE_NAMES: tuple[str, ...] = tuple(feature.name for feature in FEATURES)
FEATURES_BY_NAME: dict[str, Feature] = {feature.name: feature for feature in FEATURES}

MIN_WORKING_AGE = 14
"""Scoring-contract rule: ``seniority <= age - MIN_WORKING_AGE``."""

STALE_AFTER_DAYS = 183
"""Data older than six months is stale; stale ``critical`` data forces review."""


def what_if_range(name: str, client: Mapping[str, float]) -> tuple[float, float]:
    """A what-if slider's bounds for one client: the valid range, narrowed to the
    feature's ``what_if_span`` and, for seniority, to the client's working years."""
    feature = FEATURES_BY_NAME[name]
    high = feature.maximum
    if feature.what_if_span is not None:
        floor, factor = feature.what_if_span
        high = min(high, max(floor, factor * client[name]))
    if name == "seniority":
        high = min(high, client["age"] - MIN_WORKING_AGE)
    return feature.minimum, high


def display_number(value: float) -> str:
    """English display of a number: ``10,000,000``, ``16.5``."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _number_problem(feature: Feature, value: object) -> str | None:
    """Why ``value`` is not an acceptable number for ``feature``, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number, got {type(value).__name__}"
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number"
    if feature.kind is int and isinstance(value, float) and not value.is_integer():
        return "must be a whole number"
    if not feature.minimum <= value <= feature.maximum:
        # The value itself is not echoed: an integer of hundreds of digits has no float.
        shown = display_number(value) if abs(value) < 1e15 else "a number out of range"
        return (
            f"must be between {display_number(feature.minimum)} and "
            f"{display_number(feature.maximum)} {feature.unit_en}, got {shown}"
        )
    return None


def _as_number(value: object) -> object:
    """Unwrap numpy scalars (they are numbers too) without touching bools."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, bool) and getattr(value, "ndim", None) == 0:
        return item()
    return value


def validate_features(values: Mapping[str, object]) -> list[tuple[str, str]]:
    """Every problem with one client's feature values, as ``(field, reason)``.

    Checks presence of the five features, unknown fields, types (a bool is not
    a number; a float for an integer feature only if it is integral),
    NaN/infinity, ranges, and the cross-rule ``seniority <= age - 14``.
    Numpy scalars are accepted like Python numbers. An empty list means valid.
    """
    problems: list[tuple[str, str]] = []
    numbers: dict[str, float] = {}
    for feature in FEATURES:
        if feature.name not in values:
            problems.append((feature.name, "is missing"))
            continue
        value = _as_number(values[feature.name])
        problem = _number_problem(feature, value)
        if problem:
            problems.append((feature.name, problem))
        else:
            numbers[feature.name] = float(cast(float, value))  # _number_problem found a real number
    problems.extend((name, "is not a known feature") for name in values if name not in FEATURES_BY_NAME)
    if "age" in numbers and "seniority" in numbers:
        limit = numbers["age"] - MIN_WORKING_AGE
        if numbers["seniority"] > limit:
            problems.append(
                (
                    "seniority",
                    (
                        f"must be at most age - {MIN_WORKING_AGE} = {display_number(limit)} "
                        f"years, got {display_number(numbers['seniority'])}"
                    ),
                )
            )
    return problems
