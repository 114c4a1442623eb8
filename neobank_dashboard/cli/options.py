"""What every command shares: its parser, dates as arguments, errors, old module paths."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Protocol

Handler = Callable[[argparse.Namespace], int]


def command(
    commands: argparse._SubParsersAction,
    name: str,
    help: str,
    *,
    doc: str | None = None,
    run: Handler | None = None,
) -> argparse.ArgumentParser:
    """A (sub)command: ``doc`` is its ``--help`` text as written, ``run`` what it does.

    The parser is in the parsed arguments (``args.parser``), so that a command
    refuses a bad combination of options with the usual usage message.
    """
    parser = commands.add_parser(
        name, help=help, description=doc or help, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.set_defaults(parser=parser)
    if run is not None:
        parser.set_defaults(run=run)
    return parser


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
