"""The operators' command line: ``neobank COMMAND [ACTION] [OPTIONS]``.

One module per command, each adding its parser to the dispatcher with the
helpers of :mod:`.options`. The ``[project.scripts]`` entry installs ``neobank``;
``python -m neobank_dashboard.cli`` is the same without installing, and the old
module paths (``python -m neobank_dashboard.accounts``...) are aliases.
"""

from __future__ import annotations

import argparse

from neobank_dashboard.cli import accounts, api_clients, audit, docs, outcomes, prod, retention, seed

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
    args = parser().parse_args(argv)
    return args.run(args)
