"""From a probability of default to a recommendation and a risk band: the one place.

- ``review`` inside the grey zone (``low <= p <= high``, the probabilities
  whose best decision is a toss-up, chosen by the model's cost analysis) and
  whenever a *critical* feature (the feature spec says which) is stale;
- otherwise the model's cost-minimising rule: ``not_eligible`` when
  ``p >= threshold``, ``eligible`` below it;
- risk bands A (lowest risk) to E, cut at half the threshold, the grey zone
  and twice the threshold, so that a band never straddles the grey zone.

The rules are vectorised (numpy) so the batch path and the single-row path run
the same code; the scalar helpers wrap one-element arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from modeling.features import FEATURES_BY_NAME
from neobank_dashboard.db.models import Recommendation
from neobank_dashboard.services.freshness import STALE_MONTHS


class RiskBand(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


# risk_bands cuts band C at the grey zone's bounds exactly: "in the grey zone" is "band C".
GREY_ZONE_BAND = RiskBand.C

RISK_BAND_LABELS: dict[RiskBand, tuple[str, str]] = {
    RiskBand.A: ("Risque très faible", "Very low risk"),
    RiskBand.B: ("Risque faible", "Low risk"),
    RiskBand.C: ("Zone grise", "Grey zone"),
    RiskBand.D: ("Risque élevé", "High risk"),
    RiskBand.E: ("Risque très élevé", "Very high risk"),
}


class NoteCode(StrEnum):
    below_threshold = "below_threshold"
    above_threshold = "above_threshold"
    grey_zone = "grey_zone"
    stale_critical_data = "stale_critical_data"


@dataclass(frozen=True)
class RecommendationNote:
    """Why the recommendation is what it is, in words an advisor can repeat."""

    code: NoteCode
    text_fr: str
    text_en: str
    features: tuple[str, ...] = ()


def _validate(threshold: float, grey_zone: Sequence[float]) -> tuple[float, float]:
    low, high = float(grey_zone[0]), float(grey_zone[1])
    if not (0.0 <= low <= high <= 1.0 and 0.0 <= threshold <= 1.0):
        raise ValueError(f"invalid threshold {threshold} or grey zone {grey_zone}")
    return low, high


def recommendations(
    probabilities: np.ndarray,
    threshold: float,
    grey_zone: Sequence[float],
    stale_critical: np.ndarray | None = None,
) -> np.ndarray:
    """Recommendation per row, shape (n,) of strings.

    ``probabilities`` (n,) on 0-1; ``stale_critical`` (n,) bool, True when a
    critical feature of the row is stale.
    """
    low, high = _validate(threshold, grey_zone)
    p = np.asarray(probabilities, dtype=float)
    stale = np.zeros(p.shape, bool) if stale_critical is None else np.asarray(stale_critical, bool)
    return np.select(
        [stale | ((p >= low) & (p <= high)), p < threshold],
        [Recommendation.review.value, Recommendation.eligible.value],
        Recommendation.not_eligible.value,
    ).astype(object)


def risk_bands(probabilities: np.ndarray, threshold: float, grey_zone: Sequence[float]) -> np.ndarray:
    """Risk band per row (A lowest risk ... E highest), shape (n,) of strings."""
    low, high = _validate(threshold, grey_zone)
    p = np.asarray(probabilities, dtype=float)
    return np.select(
        [p < min(threshold / 2, low), p < low, p <= high, p <= max(2 * threshold, high)],
        [RiskBand.A.value, RiskBand.B.value, RiskBand.C.value, RiskBand.D.value],
        RiskBand.E.value,
    ).astype(object)


def recommend(
    probability: float,
    threshold: float,
    grey_zone: Sequence[float],
    stale_critical: Sequence[str] = (),
) -> tuple[Recommendation, RiskBand]:
    """The recommendation and risk band of one score (same rules as the arrays)."""
    p = np.array([probability])
    recommendation = recommendations(p, threshold, grey_zone, np.array([bool(stale_critical)]))
    return Recommendation(recommendation[0]), RiskBand(risk_bands(p, threshold, grey_zone)[0])


def notes(
    probability: float,
    threshold: float,
    grey_zone: Sequence[float],
    stale_critical: Sequence[str] = (),
) -> list[RecommendationNote]:
    """Every reason behind the recommendation of one score, most important first."""
    low, high = _validate(threshold, grey_zone)
    result: list[RecommendationNote] = []
    if stale_critical:
        labels_fr = ", ".join(FEATURES_BY_NAME[name].label_fr.lower() for name in stale_critical)
        labels_en = ", ".join(FEATURES_BY_NAME[name].label_en.lower() for name in stale_critical)
        months = STALE_MONTHS
        result.append(
            RecommendationNote(
                NoteCode.stale_critical_data,
                f"Données critiques de plus de {months} mois ({labels_fr}) : "
                "à mettre à jour avant de décider, examen par un conseiller requis.",
                f"Critical data older than {months} months ({labels_en}): "
                "update it before deciding; an advisor must review.",
                tuple(stale_critical),
            )
        )
    if low <= probability <= high:
        result.append(
            RecommendationNote(
                NoteCode.grey_zone,
                "Probabilité de défaut dans la zone grise autour du seuil : "
                "le modèle ne tranche pas, un conseiller décide.",
                "Probability of default in the grey zone around the threshold: "
                "the model cannot separate the cases, an advisor decides.",
            )
        )
    elif probability < threshold:
        result.append(
            RecommendationNote(
                NoteCode.below_threshold,
                "Probabilité de défaut sous le seuil d'acceptation, hors zone grise.",
                "Probability of default below the acceptance threshold, outside the grey zone.",
            )
        )
    else:
        result.append(
            RecommendationNote(
                NoteCode.above_threshold,
                "Probabilité de défaut au-dessus du seuil d'acceptation, hors zone grise.",
                "Probability of default above the acceptance threshold, outside the grey zone.",
            )
        )
    return result
