"""Reading a labelled CSV and checking its target, with one-line errors.

Every problem a user can cause with a file (missing, unreadable, empty, bad
target) raises :class:`DataError` whose message names the problem in one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from modeling.errors import DataError
from modeling.features import FEATURE_NAMES
from modeling.public_datasets import is_german_credit_layout, read_german_credit

TARGET = "defaulted"
"""The 0/1 outcome column of a training frame (1 = the client defaulted)."""
APPLICATION_DATE = "application_date"
"""Optional column: when present, the latest applications are the test split."""


def _first_line(path: Path) -> str:
    with path.open("rb") as file:
        return file.readline(4096).decode("utf-8", errors="replace")


def read_csv(path: Path) -> pd.DataFrame:
    """The CSV at ``path`` with at least one row; :class:`DataError` otherwise.

    UCI German credit's ``german.data`` (space-separated, no header) is read
    with the code book's column names: its outcome is ``credit_risk``.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if not path.is_file():
        raise DataError(f"{path}: not a file")
    try:
        german_credit = is_german_credit_layout(_first_line(path))
        frame = read_german_credit(path) if german_credit else pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataError(f"{path}: not a readable CSV file ({first_line})") from None
    if frame.empty:
        raise DataError(f"{path}: the file has a header but no rows")
    return frame


def _positive_value(values: Sequence, positive: str | None, target: str) -> object:
    """Which of the two target ``values`` marks a default (the positive class)."""
    if positive is not None:
        for value in values:
            if str(value) == positive or (
                isinstance(value, int | float | np.number) and _same_number(value, positive)
            ):
                return value
        shown = ", ".join(repr(str(value)) for value in values)
        raise DataError(f"--positive {positive!r} is not a value of target {target!r} ({shown})")
    if all(isinstance(value, int | float | np.number | np.bool_) for value in values):
        return max(values)
    shown = ", ".join(repr(str(value)) for value in values)
    raise DataError(f"target {target!r} has two text values ({shown}): name the default one with --positive")


def _same_number(value: float | np.number, text: str) -> bool:
    try:
        return float(text) == float(value)
    except ValueError:
        return False


def binary_target(series: pd.Series, positive: str | None = None) -> np.ndarray:
    """0/1 outcomes (n,) from a two-valued column; 1 = ``positive`` (default:
    the larger of two numbers, e.g. 1 of 0/1)."""
    name = series.name
    missing = int(series.isna().sum())
    if missing:
        raise DataError(f"target {name!r} has {missing} missing value(s)")
    values = series.unique()
    if len(values) < 2:
        raise DataError(f"target {name!r} is constant ({str(values[0])!r}): need two values")
    if len(values) > 2:
        raise DataError(f"target {name!r} has {len(values)} distinct values: need exactly two")
    positive_value = _positive_value(sorted(values, key=str), positive, str(name))
    return (series == positive_value).to_numpy(dtype=np.int64)


def features_and_target(
    frame: pd.DataFrame, target: str, positive: str | None = None, drop: Sequence[str] = ()
) -> tuple[pd.DataFrame, np.ndarray]:
    """Split ``frame`` into feature columns (all but ``target`` and ``drop``;
    infinite numbers become missing values) and 0/1 outcomes (n,)."""
    if target not in frame.columns:
        raise DataError(f"target column {target!r} not found; columns: {_list(frame.columns)}")
    missing_drop = [name for name in drop if name not in frame.columns]
    if missing_drop:
        raise DataError(f"--drop column(s) not found: {', '.join(missing_drop)}")
    y = binary_target(frame[target], positive)
    X = frame.drop(columns=[target, *drop]).replace([np.inf, -np.inf], np.nan)
    if X.shape[1] == 0:
        raise DataError("no feature column left besides the target")
    return X, y


def application_training_frame(
    frame: pd.DataFrame, target: str = TARGET, positive: str | None = None
) -> pd.DataFrame:
    """The five features (numbers), a 0/1 ``defaulted`` column and, when the
    frame has one, the ``application_date`` (parsed), from a frame that
    contains them (other columns are ignored)."""
    missing = [name for name in FEATURE_NAMES if name not in frame.columns]
    if missing:
        raise DataError(f"the five features are required; missing: {', '.join(missing)}")
    not_numeric = [name for name in FEATURE_NAMES if not pd.api.types.is_numeric_dtype(frame[name])]
    if not_numeric:
        raise DataError(f"feature column(s) not numeric: {', '.join(not_numeric)}")
    if target not in frame.columns:
        raise DataError(f"target column {target!r} not found; columns: {_list(frame.columns)}")
    training = frame[list(FEATURE_NAMES)].copy()
    training[TARGET] = binary_target(frame[target], positive)
    if APPLICATION_DATE in frame.columns:
        try:
            training[APPLICATION_DATE] = pd.to_datetime(frame[APPLICATION_DATE])
        except (ValueError, TypeError) as error:
            raise DataError(
                f"column {APPLICATION_DATE!r} holds a value that is not a date: {error}"
            ) from None
        if training[APPLICATION_DATE].isna().any():
            raise DataError(f"column {APPLICATION_DATE!r} has missing dates")
    return training


def _list(columns: Sequence[str], limit: int = 30) -> str:
    shown = ", ".join(map(str, list(columns)[:limit]))
    return shown + (", ..." if len(columns) > limit else "")
