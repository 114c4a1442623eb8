"""Realised outcomes and the monitoring report from the command line.

``neobank outcomes import FILE.csv``: columns ``client_id``,
``defaulted`` (1/0, true/false, yes/no) and ``observed_on`` (YYYY-MM-DD), one
outcome a line, checked line by line like the API's items: the valid lines are
stored, each bad line is reported with its number. Importing the same file
again stores nothing new. Exit code 0 when every line is stored or already
there, 1 when some were rejected, 2 when the file cannot be read.

``neobank outcomes report``: compute and store tonight's
monitoring report now (what the nightly job does), unless it exists.
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from pathlib import Path

from neobank_dashboard.cli.options import actions, command, fail
from neobank_dashboard.db import OutcomeSource, migrate, session_scope
from neobank_dashboard.services.outcomes import BATCH_MAX, ItemStatus, OutcomeItem, record_outcomes

CLI_ACTOR = "system:outcomes-cli"
COLUMNS = ("client_id", "defaulted", "observed_on")
_FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


class CsvError(ValueError):
    """The file as a whole cannot be imported (missing, unreadable, wrong header)."""


def parse_line(row: dict[str, str]) -> tuple[OutcomeItem | None, list[tuple[str, str]]]:
    """One CSV line as an item, or the problems of its fields."""
    problems = []
    flag = _FLAGS.get((row.get("defaulted") or "").strip().lower())
    if flag is None:
        problems.append(("defaulted", "must be 1/0, true/false or yes/no"))
    try:
        observed_on = date.fromisoformat((row.get("observed_on") or "").strip())
    except ValueError:
        problems.append(("observed_on", "must be a date YYYY-MM-DD"))
    if problems or flag is None:
        return None, problems
    return OutcomeItem((row.get("client_id") or "").strip(), flag, observed_on), []


def read_outcomes(path: Path) -> list[tuple[int, OutcomeItem | None, list[tuple[str, str]]]]:
    """``(line number, item or None, problems)`` for every data line of the file."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise CsvError(f"{path}: missing column(s) {', '.join(missing)}; need {', '.join(COLUMNS)}")
            return [(reader.line_num, *parse_line(row)) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CsvError(f"{path}: cannot be read ({error})") from None


def import_file(path: Path) -> int:
    """Import the file in batches of the API's size; print a summary; the exit code."""
    lines = read_outcomes(path)
    rejected = [(line, problems) for line, item, problems in lines if item is None]
    valid = [(line, item) for line, item, _ in lines if item is not None]
    counts = dict.fromkeys(ItemStatus, 0)
    counts[ItemStatus.rejected] = len(rejected)
    for start in range(0, len(valid), BATCH_MAX):
        chunk = valid[start : start + BATCH_MAX]
        with session_scope() as session:
            results = record_outcomes(
                session, [item for _, item in chunk], actor=CLI_ACTOR, source=OutcomeSource.csv
            )
        for (line, _), result in zip(chunk, results):
            counts[result.status] += 1
            if result.errors:
                rejected.append((line, result.errors))
    for line, problems in sorted(rejected):
        print(
            f"line {line}: " + "; ".join(f"{field} {reason}" for field, reason in problems), file=sys.stderr
        )
    print(", ".join(f"{n} {status.value}" for status, n in counts.items()))
    return 1 if rejected else 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = command(commands, "outcomes", "realised outcomes and the monitoring report", doc=__doc__)
    verbs = actions(parser)
    command(verbs, "import", "import outcomes from a CSV file", run=_import).add_argument("file", type=Path)
    command(verbs, "report", "compute and store tonight's monitoring report now", run=lambda _args: _report())


def _import(args: argparse.Namespace) -> int:
    migrate()
    try:
        return import_file(args.file)
    except CsvError as error:
        return fail(str(error))


def _report() -> int:
    from neobank_dashboard.services.monitoring_nightly import run_nightly_report
    from neobank_dashboard.services.scoring import get_service

    migrate()
    get_service().load()
    report = run_nightly_report()
    if report is None:
        print("Tonight's monitoring report is already stored.")
        return 0
    alerts = report.sections["alerts"]
    print(
        f"Monitoring report {report.id} stored: " + (f"alerts {', '.join(alerts)}" if alerts else "no alert")
    )
    return 0
