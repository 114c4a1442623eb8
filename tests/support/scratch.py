"""Scratch folders for benchmarks and live apps, removed when the work ends: normally, on
an error, on Ctrl-C, and on SIGTERM (turned into Ctrl-C meanwhile, so ``finally`` blocks
run: the servers started inside are stopped before their files are removed)."""

from __future__ import annotations

import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def interrupt_on_sigterm() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt in the main thread while the block runs.

    Left alone outside the main thread, or when a handler is already installed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous not in (signal.SIG_DFL, None):
        yield
        return
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    """A new temporary folder (``<tmp>/<prefix>…``), removed with its content afterwards.

    Stop what writes into it (servers, database engines) inside the block."""
    with ExitStack() as stack:
        stack.enter_context(interrupt_on_sigterm())
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True))
        yield Path(folder)
