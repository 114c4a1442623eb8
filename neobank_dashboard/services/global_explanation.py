"""The champion's global shap explanation, read from its artefact once per version.

Kept in this process (a few hundred sampled clients, computed at training), so the
model page's state holds only which version it shows, never the data itself.
"""

from __future__ import annotations

import logging
import threading

from modeling.challenger import load_global_explanation
from neobank_dashboard.settings import get_settings

logger = logging.getLogger(__name__)

_explanations: dict[str, dict | None] = {}
_lock = threading.Lock()


def global_explanation(version: str) -> dict | None:
    """The summary and dependence data stored with artefact ``version``, or None: a linear
    champion has none (its coefficients say it), and an absent or altered artefact shows none."""
    with _lock:
        if version in _explanations:
            return _explanations[version]
    artefact = get_settings().model_dir / version
    if not version or not artefact.is_dir():
        return None  # not cached: another registry folder may hold it
    try:
        explanation = load_global_explanation(artefact)
    except Exception:  # the page shows the rest of the model without it
        logger.exception("global explanation of %s could not be loaded", version[:12])
        explanation = None
    with _lock:
        _explanations[version] = explanation
    return explanation
