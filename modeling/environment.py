"""What an artefact records about how it was made, and the check on loading.

An artefact records the library versions it was trained with
(``environment.json``) and the git commit of the code. A pickled scikit-learn
or XGBoost model is only guaranteed to load and predict the same under the
versions that wrote it: on loading, a different major version of one of
:data:`STRICT_LIBRARIES` refuses the artefact (retrain it), and any other
version difference of a recorded library warns (:class:`EnvironmentDriftWarning`):
the scores may differ slightly, so rerun the validation before relying on them.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import platform
import subprocess
from pathlib import Path

LIBRARIES = ("numpy", "pandas", "scipy", "sklearn", "statsmodels", "xgboost", "joblib")
"""Modules whose versions an artefact records (import names: the xgboost
distribution may be ``xgboost-cpu``)."""
UNIMPORTED_LIBRARIES = ("shap",)
"""Recorded from the installed distribution's metadata, not imported: shap
takes seconds to import, and a web process needs it only to unpickle a
histogram boosting champion's explainer (whose shap objects it pickles)."""
STRICT_LIBRARIES = ("sklearn", "xgboost")
"""A different major version of these refuses the artefact."""


class EnvironmentDriftWarning(UserWarning):
    """The running library versions differ from the artefact's (same major)."""


def current_environment() -> dict:
    """Python, platform and library versions of this process."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": {name: importlib.import_module(name).__version__ for name in LIBRARIES}
        | {name: importlib.metadata.version(name) for name in UNIMPORTED_LIBRARIES},
    }


def git_commit() -> str | None:
    """The commit of the code that trains (with ``+dirty`` when the working
    tree has changes), or None outside a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, check=True, timeout=5
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=here,
            capture_output=True,
            text=True,
            check=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("+dirty" if dirty else "")


def _major(version: str) -> str:
    return version.split(".")[0]


def incompatibilities(recorded: dict, running: dict) -> tuple[list[str], list[str]]:
    """``(refusals, warnings)``: strict libraries whose major version
    differs, and other recorded libraries whose version differs."""
    refusals: list[str] = []
    drifts: list[str] = []
    for name, version in recorded.get("libraries", {}).items():
        now = running["libraries"].get(name)
        if now is None or now == version:
            continue
        message = f"{name} {version} (artefact) vs {now} (running)"
        (refusals if name in STRICT_LIBRARIES and _major(now) != _major(version) else drifts).append(message)
    return refusals, drifts
