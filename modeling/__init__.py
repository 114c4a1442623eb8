"""Credit-default modelling for the neobank dashboard; imports no web code.

The web app needs only what is re-exported here: the feature spec, the loaded
``ScoringModel`` and its ``Explanation``/``Reason`` outputs, and the registry
functions; plus ``modeling.reasons.reasons`` (not re-exported: the name is its
module's). ``from modeling.features import ...`` stays light (no ML libraries).
"""

from modeling.features import FEATURE_NAMES, FEATURES, FEATURES_BY_NAME, Feature, validate_features

_LAZY = {
    "ScoringModel": "modeling.scoring",
    "Explanation": "modeling.explain",
    "Reason": "modeling.reasons",
    "load_champion": "modeling.registry",
    "load_artefact": "modeling.registry",
    "train": "modeling.registry",
    "ArtefactIntegrityError": "modeling.registry",
    "NoChampionError": "modeling.registry",
}

__all__ = [
    "FEATURES",
    "FEATURES_BY_NAME",
    "FEATURE_NAMES",
    "ArtefactIntegrityError",
    "Explanation",
    "Feature",
    "NoChampionError",
    "Reason",
    "ScoringModel",
    "load_artefact",
    "load_champion",
    "train",
    "validate_features",
]


def __getattr__(name: str):
    """Import the ML-heavy parts (scikit-learn, XGBoost) on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'modeling' has no attribute {name!r}")
