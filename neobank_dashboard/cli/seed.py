"""Seed the demo portfolio: ``neobank seed --clients N``.

Development mode only. ``--if-empty`` (used by ``make run``) does nothing when
clients already exist, so a second start reuses the data. When a champion
model is registered, the new clients are scored at once (vectorised batches);
otherwise the app scores them at start-up. ``--rescore`` seeds nothing and
rescores the whole portfolio with the current champion.

Both run in batches, one transaction each, with a progress bar on a terminal
and a plain line every few seconds elsewhere (CI logs, pipes). An interrupted
run leaves whole batches only: the same seeding command adds the missing
clients, and ``--rescore --resume STARTED_AT`` (the start time a rescoring
prints first) finishes a rescoring without redoing the clients it scored.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from neobank_dashboard.cli.options import command, fail
from neobank_dashboard.db import migrate, session_scope
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.demo import (
    DemoDisabledError,
    ensure_demo_accounts,
    ensure_demo_partner,
    portfolio_size,
    seed_portfolio,
)
from neobank_dashboard.services.retention import ensure_default_policies
from neobank_dashboard.settings import get_settings

PLAIN_PROGRESS_SECONDS = 10.0
"""Without a terminal, one progress line at most this often (and one at the end)."""


def register(commands: argparse._SubParsersAction) -> None:
    parser = command(commands, "seed", "seed the demo portfolio, or rescore it", doc=__doc__, run=run)
    parser.add_argument("--clients", type=int, default=10_000, help="number of clients (10000)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    parser.add_argument("--if-empty", action="store_true", help="skip when clients exist")
    parser.add_argument(
        "--rescore", action="store_true", help="seed nothing; rescore every client with the champion model"
    )
    parser.add_argument(
        "--resume",
        metavar="STARTED_AT",
        type=_timestamp,
        help="with --rescore: finish the rescoring that started at STARTED_AT "
        "(as it printed); clients the champion scored since are skipped",
    )


def run(args: argparse.Namespace) -> int:
    if args.clients < 0:
        args.parser.error("--clients must be zero or more")
    if args.resume and not args.rescore:
        args.parser.error("--resume goes with --rescore")
    migrate()
    if args.rescore:
        return _score(only_unscored=False, resume_since=args.resume)
    with session_scope() as session:
        ensure_default_policies(session)
        existing = portfolio_size(session)
        if args.if_empty and existing:
            if get_settings().demo_accounts:  # accounts added since the first seed
                ensure_demo_accounts(session)
                ensure_demo_partner(session)
            print(f"Demo portfolio already present ({existing} clients): nothing to seed.")
            return 0
        try:
            with progress("Seeding clients", args.clients) as update:
                created = seed_portfolio(session, args.clients, seed=args.seed, on_progress=update)
        except DemoDisabledError as error:
            return fail(str(error))
        except KeyboardInterrupt:
            print(
                "Interrupted: the clients of every finished batch are kept; the same command "
                "adds the missing ones.",
                file=sys.stderr,
            )
            return 130
    present = f" ({args.clients - created} were already there)" if created < args.clients else ""
    print(f"Seeded {created} pseudonymous demo clients{present} and the demo accounts.")
    code = _score(only_unscored=True)
    if code == 0:
        _seed_outcomes(args.seed)  # and the monitoring history
    return code


def _seed_outcomes(seed: int) -> None:
    """Outcomes for the scored demo clients and their challenger scores, so the
    monitoring report has data on a fresh machine."""
    from neobank_dashboard.services.outcomes import seed_demo_outcomes
    from neobank_dashboard.services.shadow import backfill_shadow_scores

    with session_scope() as session:
        added = seed_demo_outcomes(session, seed=seed)
        backfill_shadow_scores(session, datetime.fromtimestamp(0, UTC), utcnow())
    if added:
        print(f"Recorded {added} demo outcomes drawn from the synthetic ground truth.")
    _seed_history(seed)


def _seed_history(seed: int) -> None:
    """A stored report of the last 30 days, today's demo scores included (what
    /monitoring opens with until the first night; it also refreshes this month's row
    of the history), and a few synthetic months before it, so the page's charts have a
    past on a fresh machine."""
    from neobank_dashboard.services.demo_history import DEMO_ACTOR, seed_demo_history
    from neobank_dashboard.services.monitoring_nightly import days_window, recent_days, store_report
    from neobank_dashboard.services.scoring import get_service

    model = get_service().loaded_model
    if model is None:
        return
    with session_scope() as session:
        store_report(session, *days_window(*recent_days(utcnow().date())), actor=DEMO_ACTOR)
        months = seed_demo_history(session, model, get_settings().model_dir, seed=seed)
    if months:
        print(f"Recorded {len(months)} months of demo monitoring history.")


def _score(*, only_unscored: bool, resume_since: datetime | None = None) -> int:
    """Score the portfolio with the registered champion, if there is one."""
    from neobank_dashboard.services.scoring import (
        can_resume,
        count_to_rescore,
        get_service,
        rescore_all,
    )

    model = get_service().load()
    if model is None:
        print(
            "No valid champion model yet: the clients stay unscored until the app starts with one "
            "(`make model` trains it; `make run` trains it before seeding)."
        )
        return 0 if only_unscored else 1
    started = resume_since or utcnow()
    finish = (
        "run the same command again, or start the app"
        if only_unscored
        else f"neobank seed --rescore --resume {started.isoformat()}"
    )
    try:
        with session_scope() as session:
            if resume_since and not can_resume(session, model, resume_since):
                return fail(
                    "scores made since that run started come from another model; "
                    "rescore everything with --rescore alone"
                )
            total = count_to_rescore(session, only_unscored=only_unscored, resume_since=resume_since)
            print(
                f"Scoring {total:,} clients with model {model.version[:12]} ({model.name}), "
                f"run started {started.isoformat()}.",
                flush=True,
            )
            with progress("Scoring clients", total) as update:
                scored = rescore_all(
                    session, model, only_unscored=only_unscored, resume_since=resume_since, on_progress=update
                )
    except KeyboardInterrupt:
        print(f"Interrupted: every finished batch is kept. To finish: {finish}", file=sys.stderr)
        return 130
    print(f"Scored {scored} clients with model {model.version[:12]} ({model.name}).")
    return 0


def _timestamp(text: str) -> datetime:
    """An ISO 8601 time; without a UTC offset, local time."""
    return datetime.fromisoformat(text).astimezone()


# ------------------------------------------------------------------ progress


@contextmanager
def progress(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """A callback taking the number of items done so far, shown as a rich
    progress bar (done/total, rate, ETA) on a terminal, and as plain lines,
    one every :data:`PLAIN_PROGRESS_SECONDS` and one at the end, otherwise."""
    console = Console()
    if console.is_terminal:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            _RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console) as bar:
            task = bar.add_task(description, total=total)
            yield lambda done: bar.update(task, completed=done)
        return
    lines = _PlainProgress(description, total)
    try:
        yield lines.update
    finally:  # the last state, also when the run stops half-way
        if lines.printed != lines.done:
            lines.print()


class _RateColumn(ProgressColumn):
    """Items per second."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f}/s" if task.speed else "-/s", style="progress.data.speed")


class _PlainProgress:
    """Progress as log lines: ``description: done/total (pct) rate/s, ETA m:ss``."""

    def __init__(self, description: str, total: int):
        self.description, self.total, self.done = description, total, 0
        self.printed: int | None = None
        self.started = self.last_line = time.monotonic()

    def update(self, done: int) -> None:
        self.done = done
        if time.monotonic() - self.last_line >= PLAIN_PROGRESS_SECONDS:
            self.print()

    def print(self) -> None:
        now = time.monotonic()
        self.last_line, self.printed = now, self.done
        rate = self.done / max(now - self.started, 1e-9)
        share = f"{self.done / self.total:.0%}" if self.total else "100%"
        left = max(self.total - self.done, 0)
        eta = _clock(left / rate) if rate else ("0:00" if not left else "?")
        print(
            f"{self.description}: {self.done:,}/{self.total:,} ({share}) {rate:,.0f}/s, ETA {eta}", flush=True
        )


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
