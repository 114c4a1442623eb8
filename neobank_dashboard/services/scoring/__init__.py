"""The one scoring service: the dashboard and the API call these functions, so they
can never disagree on a number.

- :mod:`.model`: the champion model of this process, verified at load, and the
  kill switch (``SCORING_MODE=manual``): no model, no automatic score.
- :mod:`.validation`: inputs against the feature spec, the declared purpose,
  whether a client may be scored.
- :mod:`.results`: :class:`ScoreResult` and the vectorised :func:`score_arrays`
  (one code path for one row and for many); :func:`score_features` scores
  without storing (the what-if).
- :mod:`.record`: the stored form of a score, one writer for one client and
  for a portfolio, and its reader :func:`result_of`.
- :mod:`.persistence`: :func:`score_client`, :func:`submit_client`,
  :func:`submit_clients`: supersede, ``Client.latest_*``, idempotency, audit, in
  the caller's transaction.
- :mod:`.rescoring`: :func:`rescore_all` in batches, resumable.
- :mod:`.shaping`: a score as staff, partners and the dashboard see it.

These functions are synchronous and CPU-bound: async callers run them in a
thread (``asyncio.to_thread``), never on the event loop.
"""

from neobank_dashboard.services.scoring.model import (
    MANUAL_MODE_MESSAGE,
    NO_MODEL_MESSAGE,
    ScoringService,
    ScoringStatus,
    ScoringUnavailableError,
    configure_for_serving,
    current_model,
    get_service,
    load_model,
    scoring_status,
)
from neobank_dashboard.services.scoring.persistence import (
    BatchItem,
    find_score,
    latest_score,
    save_score,
    score_client,
    submit_client,
    submit_clients,
)
from neobank_dashboard.services.scoring.record import result_of
from neobank_dashboard.services.scoring.rescoring import (
    RESCORE_BATCH_SIZE,
    can_resume,
    count_to_rescore,
    record_batch_skips,
    rescore_all,
    score_unscored_clients,
)
from neobank_dashboard.services.scoring.results import (
    Freshness,
    ScoredArrays,
    ScoreResult,
    score_arrays,
    score_features,
    score_many,
)
from neobank_dashboard.services.scoring.shaping import partner_view, staff_view, ui_view
from neobank_dashboard.services.scoring.validation import (
    ClientNotScorableError,
    FeatureValidationError,
    Purpose,
    check_inputs,
    client_inputs,
)

__all__ = [
    "MANUAL_MODE_MESSAGE",
    "NO_MODEL_MESSAGE",
    "RESCORE_BATCH_SIZE",
    "BatchItem",
    "ClientNotScorableError",
    "FeatureValidationError",
    "Freshness",
    "Purpose",
    "ScoreResult",
    "ScoredArrays",
    "ScoringService",
    "ScoringStatus",
    "ScoringUnavailableError",
    "can_resume",
    "check_inputs",
    "client_inputs",
    "configure_for_serving",
    "count_to_rescore",
    "current_model",
    "find_score",
    "get_service",
    "latest_score",
    "load_model",
    "partner_view",
    "record_batch_skips",
    "rescore_all",
    "result_of",
    "save_score",
    "score_arrays",
    "score_client",
    "score_features",
    "score_many",
    "score_unscored_clients",
    "scoring_status",
    "staff_view",
    "submit_client",
    "submit_clients",
    "ui_view",
]
