"""The operators' command line: ``neobank COMMAND [ACTION] [OPTIONS]``.

One module per command, each adding its parser to the dispatcher with the
helpers of :mod:`.options`. The ``[project.scripts]`` entry installs ``neobank``;
``python -m neobank_dashboard.cli`` is the same without installing, and the old
module paths (``python -m neobank_dashboard.accounts``...) are aliases.
"""

from __future__ import annotations

import argparse

import sqlalchemy as sa
from pydantic import ValidationError

from neobank_dashboard.cli import accounts, api_clients, audit, docs, outcomes, prod, retention, seed
from neobank_dashboard.cli.options import database_in_use, fail
from neobank_dashboard.db.connection import connection_problem
from neobank_dashboard.settings import get_settings, invalid_settings_message

COMMANDS = (seed, accounts, api_clients, retention, audit, outcomes, docs, prod)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="neobank",
        description="Operate the credit-eligibility dashboard. `neobank COMMAND --help` tells more.",
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    """Run one command: first name its database (and refuse SQLite in production), then
    turn a database that cannot be reached into one sentence instead of a traceback."""
    args = parser().parse_args(argv)
    try:
        url = get_settings().database_url
    except ValidationError as error:
        return fail(invalid_settings_message(error))
    refused = database_in_use(getattr(args, "database", "refuse-sqlite-in-prod"))
    if refused is not None:
        return refused
    try:
        return args.run(args)
    except sa.exc.OperationalError as error:
        return fail(connection_problem(url, error))
