"""The first ``make run`` log does not tell a newcomer to start what is starting."""

from __future__ import annotations

import logging

import rxconfig


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_reflex_init_message_loses_its_run_hint_and_keeps_the_rest():
    logger = logging.getLogger("reflex.reflex")
    assert any(isinstance(f, rxconfig.WithoutNextStepHint) for f in logger.filters)
    collect = Collect()
    logger.addHandler(collect)
    try:
        logger.warning("Initialized neobank_dashboard. Run `uv run reflex run` to start the app.")
        logger.warning("Initialized neobank_dashboard. Install dependencies from `requirements.txt`.")
    finally:
        logger.removeHandler(collect)
    assert collect.lines == [
        "Initialized neobank_dashboard.",
        "Initialized neobank_dashboard. Install dependencies from `requirements.txt`.",
    ]
