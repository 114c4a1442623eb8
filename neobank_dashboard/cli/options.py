"""What every command shares: its parser, the database it works on, dates as arguments,
errors, old module paths."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Literal, Protocol

from neobank_dashboard.db.connection import describe_database, is_sqlite
from neobank_dashboard.settings import get_settings

Handler = Callable[[argparse.Namespace], int]
DatabaseUse = Literal["refuse-sqlite-in-prod", "checked-by-command", "none"]
"""How a command uses the database (the dispatcher's :func:`database_in_use`): every
command names it on stderr; under ``NEOBANK_ENV=prod`` an SQLite database is refused
before the command runs, unless the command checks it itself (``neobank prod`` lists it
with every other insecure setting)."""


def command(
    commands: argparse._SubParsersAction,
    name: str,
    help: str,
    *,
    doc: str | None = None,
    run: Handler | None = None,
    database: DatabaseUse | None = None,
) -> argparse.ArgumentParser:
    """A (sub)command: ``doc`` is its ``--help`` text as written, ``run`` what it does,
    ``database`` how it uses the database (default: it reads or writes it, and SQLite is
    refused in production; a verb inherits its command's).

    The parser is in the parsed arguments (``args.parser``), so that a command
    refuses a bad combination of options with the usual usage message.
    """
    parser = commands.add_parser(
        name, help=help, description=doc or help, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.set_defaults(parser=parser)
    if run is not None:
        parser.set_defaults(run=run)
    if database is not None:
        parser.set_defaults(database=database)
    return parser


def database_in_use(use: DatabaseUse) -> int | None:
    """Say on stderr which database the command works on (never a password); refuse the
    development SQLite file under ``NEOBANK_ENV=prod``. The exit code when refused."""
    if use == "none":
        return None
    settings = get_settings()
    url = settings.database_url
    development = " (development)" if is_sqlite(url) else ""
    print(f"database: {describe_database(url)}{development}", file=sys.stderr)
    if settings.is_prod and is_sqlite(url) and use == "refuse-sqlite-in-prod":
        return fail(
            f"NEOBANK_ENV=prod but the database is the {describe_database(url)}: nothing was done. "
            "Set REFLEX_DB_URL to the production PostgreSQL, e.g. load the production settings "
            "first (set -a; . ./prod.env; set +a)"
        )
    return None


def actions(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    """The verbs of a command (``neobank accounts create``): one is required."""
    return parser.add_subparsers(dest="action", required=True, metavar="ACTION")


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def fail(message: str, code: int = 2) -> int:
    """Say why the command stopped, on stderr, and return its exit code."""
    print(f"error: {message}", file=sys.stderr)
    return code


class Main(Protocol):
    def __call__(self, argv: list[str] | None = None) -> int: ...


def alias(name: str) -> Main:
    """``main`` of an old module path: ``python -m neobank_dashboard.accounts create``
    runs ``neobank accounts create``."""

    def main(argv: list[str] | None = None) -> int:
        from neobank_dashboard.cli import main as neobank

        return neobank([name, *(sys.argv[1:] if argv is None else argv)])

    return main
