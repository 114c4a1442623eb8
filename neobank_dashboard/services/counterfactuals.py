"""What would make a client eligible: one computation for the client page, the
API and the decision letter.

Options are computed for a stored score, on the model version that made it
(the loaded champion, or the same verified artefact from the registry when the
champion has changed since), with the app's recommendation rule: so the
numbers match the score the advisor sees and a letter can be reissued
identically. Changed values are new observations, hence fresh: the rule
applied to them is the probability rule, without the stale-data review.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlmodel import Session

from modeling import ArtefactIntegrityError, ScoringModel, load_artefact
from modeling.counterfactuals import Change, EligibilityRule, counterfactuals
from neobank_dashboard.db.models import Client, Recommendation, Score
from neobank_dashboard.services import scoring
from neobank_dashboard.services.recommendation import recommend, recommendations
from neobank_dashboard.settings import get_settings

TARGET = Recommendation.eligible
OBJECTION = "the client objected to automated scoring: no model-based options, manual assessment"


@dataclass(frozen=True)
class CounterfactualOption:
    changes: tuple[Change, ...]
    probability: float
    recommendation: Recommendation


def eligibility_rule(model: ScoringModel) -> EligibilityRule:
    """The app's rule (threshold and grey zone of ``model``) as a predicate on probabilities."""
    return lambda p: recommendations(p, model.threshold, model.grey_zone) == TARGET.value


@lru_cache(maxsize=4)
def _archived_model(version: str) -> ScoringModel:
    if not (len(version) == 64 and all(c in "0123456789abcdef" for c in version)):
        raise ArtefactIntegrityError(f"{version[:12]!r} is not a model version")
    model = load_artefact(get_settings().model_dir / version)
    if model.version != version:
        raise ArtefactIntegrityError(f"artefact {version[:12]} holds {model.version[:12]}")
    return scoring.configure_for_serving(model)


def model_of(score: Score) -> ScoringModel:
    """The model that made ``score``: the loaded champion or its verified artefact.

    Raises :class:`~neobank_dashboard.services.scoring.ScoringUnavailableError`
    when that version is no longer in the registry.
    """
    loaded = scoring.get_service().loaded_model
    if loaded is not None and loaded.version == score.model_version:
        return loaded
    try:
        return _archived_model(score.model_version)
    except (ArtefactIntegrityError, OSError) as error:
        raise scoring.ScoringUnavailableError(
            "model_version_unavailable",
            f"the model version {score.model_version[:12]} of this score is not in the registry",
        ) from error


def options_for_values(model: ScoringModel, values: dict[str, float]) -> list[CounterfactualOption]:
    """Up to three options that make these five features eligible, smallest first."""
    options = counterfactuals(model, values, eligibility_rule(model))
    result = []
    for option in options:
        recommendation, _ = recommend(option.probability, model.threshold, model.grey_zone)
        result.append(CounterfactualOption(option.changes, float(option.probability), recommendation))
    return result


def options_for_score(score: Score) -> list[CounterfactualOption]:
    """The options of a stored score ([] when it is eligible)."""
    if score.recommendation == TARGET:
        return []
    values = {name: float(value) for name, value in score.features["values"].items()}
    return options_for_values(model_of(score), values)


def options_for_client(session: Session, client: Client) -> list[CounterfactualOption] | None:
    """The options of the client's current score; None when it has none yet.

    Raises :class:`~neobank_dashboard.services.scoring.ClientNotScorableError`
    when the client objected to automated scoring: options are model output too.
    """
    if client.objection:
        raise scoring.ClientNotScorableError("objection", OBJECTION)
    score = scoring.latest_score(session, client.id)
    return None if score is None else options_for_score(score)
