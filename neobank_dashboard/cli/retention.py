"""The retention purge from the command line.

``neobank retention purge [--dry-run] [--today YYYY-MM-DD]``

The running app purges daily on its own; this command is for operators and
for previews. A purge as of a future date would delete data early, so it is
allowed as a dry run only.
"""

from __future__ import annotations

import argparse

from neobank_dashboard.cli.options import actions, command, fail, iso_date
from neobank_dashboard.db import migrate, session_scope
from neobank_dashboard.db.types import utcnow
from neobank_dashboard.services.retention import (
    MissingPolicyError,
    PurgeReport,
    ensure_default_policies,
    run_purge,
)

CLI_ACTOR = "system:retention-cli"


def format_report(report: PurgeReport) -> str:
    verb = "would delete or change" if report.dry_run else "deleted or changed"
    lines = [
        f"Retention purge as of {report.today.isoformat()}"
        + (" (dry run: nothing changed)" if report.dry_run else "")
    ]
    width = max(len(step.target) for step in report.steps)
    for step in report.steps:
        lines.append(f"  {step.category:<18} {step.target:<{width}} {step.rows:>8}")
    lines.append(f"Total rows {verb}: {report.total}")
    return "\n".join(lines)


def register(commands: argparse._SubParsersAction) -> None:
    parser = command(commands, "retention", "the retention purge", doc=__doc__, run=run)
    purge = command(actions(parser), "purge", "apply the retention policies now")
    purge.add_argument("--dry-run", action="store_true", help="count, change nothing")
    purge.add_argument(
        "--today", type=iso_date, metavar="YYYY-MM-DD", help="purge as of this date (default: today, UTC)"
    )


def run(args: argparse.Namespace) -> int:
    real_today = utcnow().date()
    today = args.today or real_today
    if today > real_today and not args.dry_run:
        args.parser.error("--today in the future would delete data early: add --dry-run")
    migrate()
    try:
        with session_scope() as session:
            ensure_default_policies(session)
            report = run_purge(session, today, dry_run=args.dry_run, actor=CLI_ACTOR)
    except MissingPolicyError as error:
        return fail(str(error))
    print(format_report(report))
    return 0
