"""The champion model of this process and the kill switch.

The model is loaded once per process (:func:`load_model`, from the Reflex
lifespan task or the standalone API's lifespan) after its artefact hash is
verified. Without a valid model, or with ``SCORING_MODE=manual`` (the kill
switch), every scoring call raises :class:`ScoringUnavailableError`: never a
default score.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from modeling import ArtefactIntegrityError, NoChampionError, ScoringModel, load_champion
from neobank_dashboard.settings import get_settings

logger = logging.getLogger(__name__)

MANUAL_MODE_MESSAGE = "manual assessment required: automatic scoring is switched off (kill switch)"
NO_MODEL_MESSAGE = "manual assessment required: no valid scoring model is loaded"


class ScoringUnavailableError(RuntimeError):
    """No automatic score can be given now: the advisor assesses manually."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class ScoringStatus:
    """What the dashboard and ``/health`` show about automatic scoring."""

    mode: str
    model_loaded: bool
    model_version: str | None
    model_name: str | None
    problem: str | None

    @property
    def available(self) -> bool:
        return self.mode == "auto" and self.model_loaded

    @property
    def message(self) -> str | None:
        """Why scoring is unavailable, for people; None when it is available."""
        if self.mode != "auto":
            return MANUAL_MODE_MESSAGE
        if not self.model_loaded:
            return NO_MODEL_MESSAGE
        return None


class ScoringService:
    """The champion model of this process, loaded once and verified."""

    def __init__(self) -> None:
        self._model: ScoringModel | None = None
        self._problem: str | None = "not loaded yet"
        self._lock = threading.Lock()

    def load(self, registry_dir: Path | None = None) -> ScoringModel | None:
        """Load and verify the champion; on failure keep no model and remember why.

        The reason is logged with its details (paths included) but only a
        generic problem code is ever shown to callers.
        """
        registry_dir = Path(registry_dir or get_settings().model_dir)
        try:
            model = load_champion(registry_dir)
        except NoChampionError as error:
            self._set(None, "no_champion")
            logger.warning("scoring disabled: %s", error)
        except ArtefactIntegrityError as error:
            self._set(None, "integrity_check_failed")
            logger.error("scoring disabled, model artefact refused: %s", error)
        except Exception:  # any unreadable artefact means no model
            self._set(None, "unreadable_artefact")
            logger.exception("scoring disabled, model artefact unreadable")
        else:
            configure_for_serving(model)
            self._set(model, None)
            logger.info("scoring model %s (%s) loaded", model.version[:12], model.name)
        return self._model

    def _set(self, model: ScoringModel | None, problem: str | None) -> None:
        with self._lock:
            self._model, self._problem = model, problem

    def use(self, model: ScoringModel | None) -> None:
        """Serve ``model`` (tests, or a model loaded elsewhere); None unloads."""
        self._set(model, None if model is not None else "unloaded")

    @property
    def loaded_model(self) -> ScoringModel | None:
        return self._model

    def status(self) -> ScoringStatus:
        model, mode = self._model, get_settings().scoring_mode
        return ScoringStatus(
            mode=mode,
            model_loaded=model is not None,
            model_version=model.version if model else None,
            model_name=model.name if model else None,
            problem=self._problem,
        )

    def model(self) -> ScoringModel:
        """The model to score with now, or :class:`ScoringUnavailableError`."""
        if get_settings().scoring_mode != "auto":
            raise ScoringUnavailableError("manual_mode", MANUAL_MODE_MESSAGE)
        model = self._model
        if model is None:
            raise ScoringUnavailableError("no_model", NO_MODEL_MESSAGE)
        return model


def configure_for_serving(model: ScoringModel) -> ScoringModel:
    """One CPU thread per model call in a web process.

    A request scores one row: a second OpenMP thread brings nothing there, and
    on a busy machine (several workers, other processes) a parallel region
    waits for its descheduled thread, turning a 0.5 ms prediction into tens of
    milliseconds. Parallelism comes from the workers instead.
    """
    booster = getattr(model.explainer, "booster", None)
    if booster is not None and hasattr(booster, "set_param"):
        booster.set_param({"nthread": 1})
    return model


_service = ScoringService()


def get_service() -> ScoringService:
    return _service


def load_model(registry_dir: Path | None = None) -> ScoringStatus:
    """Load the champion into this process (start-up); never raises, see the status."""
    _service.load(registry_dir)
    return _service.status()


def scoring_status() -> ScoringStatus:
    """Is automatic scoring available? The dashboard shows the same state as the API."""
    return _service.status()


def current_model() -> ScoringModel:
    """The loaded model, or :class:`ScoringUnavailableError` (manual mode, no model)."""
    return _service.model()
