"""``python -m modeling``: train the application model, benchmark any CSV.

Problems with the user's file or arguments end with one line on stderr and
exit code 2. The ML libraries are imported only after the data has been read
and checked, so a bad file is reported within a second.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from modeling.constants import (
    COST_MISSED_DEFAULT,
    COST_REFUSED_GOOD_CLIENT,
    DEFAULT_FOLDS,
    DEFAULT_ROWS,
)
from modeling.data import TARGET, application_training_frame, features_and_target, read_csv
from modeling.errors import CandidateError, DataError
from modeling.public_datasets import GERMAN_CREDIT_COLUMNS, GERMAN_CREDIT_TARGET

USAGE_ERROR = 2


def _progress(message: str) -> None:
    print(f"[modeling] {message}", file=sys.stderr, flush=True)


def _whole_number(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {value:g}")
    return value


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def parser() -> argparse.ArgumentParser:
    """The command line's parser (also the docs test's argument check)."""
    root = argparse.ArgumentParser(prog="python -m modeling", description=__doc__.splitlines()[0])
    commands = root.add_subparsers(dest="command", required=True)

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument("--folds", type=_whole_number(2), default=DEFAULT_FOLDS)
        command.add_argument("--seed", type=_whole_number(0), default=0)
        command.add_argument(
            "--cost-fn",
            type=_positive_float,
            default=COST_MISSED_DEFAULT,
            help="cost of a missed default (default %(default)s)",
        )
        command.add_argument(
            "--cost-fp",
            type=_positive_float,
            default=COST_REFUSED_GOOD_CLIENT,
            help="cost of a wrongly refused good client (default %(default)s)",
        )
        command.add_argument("--positive", help="target value that means default")
        command.add_argument("--out", type=Path, required=True)

    train = commands.add_parser("train", help="train and register the application's champion")
    train.add_argument("--data", type=Path, help="CSV with the five features (default: synthetic)")
    train.add_argument("--target", default=TARGET, help="outcome column of --data")
    train.add_argument(
        "--rows",
        type=_whole_number(100),
        default=DEFAULT_ROWS,
        help="synthetic clients when no --data (default %(default)s)",
    )
    train.add_argument("--candidates", type=_names, help="comma-separated candidate names")
    common(train)

    benchmark = commands.add_parser("benchmark", help="compare every candidate on any CSV")
    benchmark.add_argument("--data", type=Path, required=True)
    benchmark.add_argument("--target", required=True, help="two-valued outcome column")
    benchmark.add_argument(
        "--drop",
        nargs="+",
        action="extend",
        default=[],
        metavar="COL",
        help="columns to leave out (identifiers, row indexes)",
    )
    common(benchmark)
    return root


def _train(arguments: argparse.Namespace) -> None:
    data = None
    if arguments.data is not None:
        data = application_training_frame(read_csv(arguments.data), arguments.target, arguments.positive)
    from modeling.registry import train

    artefact = train(
        arguments.out,
        data,
        rows=arguments.rows,
        seed=arguments.seed,
        candidates=arguments.candidates,
        folds=arguments.folds,
        cost_fn=arguments.cost_fn,
        cost_fp=arguments.cost_fp,
        on_progress=_progress,
    )
    print(artefact)


def _benchmark(arguments: argparse.Namespace) -> None:
    frame = read_csv(arguments.data)
    if tuple(frame.columns) == GERMAN_CREDIT_COLUMNS:
        _progress(
            f"{arguments.data.name}: UCI German credit layout (space-separated, no header), read with "
            f"the code book's column names; outcome {GERMAN_CREDIT_TARGET!r} (1 good, 2 bad)"
        )
    X, y = features_and_target(frame, arguments.target, arguments.positive, arguments.drop)
    from modeling.costs import Costs
    from modeling.report import benchmark

    report = benchmark(
        X,
        y,
        arguments.out,
        folds=arguments.folds,
        seed=arguments.seed,
        costs=Costs(arguments.cost_fn, arguments.cost_fp),
        title=f"Benchmark: {arguments.data.name}, target {arguments.target}",
        on_progress=_progress,
    )
    for row in report["candidates"]:
        print(
            f"{row['name']:<24} CV ROC AUC {row['cv_roc_auc_mean']:.4f} ± "
            f"{row['cv_roc_auc_std']:.4f}  CV expected cost {row['cv_expected_cost_mean']:.4f}  "
            f"expected cost (test split) {row['expected_cost']:.4f}"
        )
    print(f"champion: {report['champion']}; report: {arguments.out / 'report.md'}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = parser().parse_args(argv)
    try:
        {"train": _train, "benchmark": _benchmark}[arguments.command](arguments)
    except (DataError, CandidateError) as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except OSError as error:  # e.g. --out is a file, or not writable
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
