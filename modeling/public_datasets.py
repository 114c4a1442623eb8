"""Loaders for the public credit datasets that check the pipeline on real data.

The files live outside the repository (``../shared/datasets`` beside the
checkout); see that folder's README. German credit comes without a header and
space-separated: the ``benchmark`` command recognises that layout
(:func:`is_german_credit_layout`) and reads it with the code book's column
names (target ``credit_risk``: 1 good, 2 bad); :func:`write_german_credit_csv`
turns it into an ordinary CSV.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

GERMAN_CREDIT_COLUMNS = (
    "checking_status",
    "duration_months",
    "credit_history",
    "purpose",
    "credit_amount",
    "savings",
    "employment_since",
    "installment_rate",
    "personal_status_sex",
    "other_debtors",
    "residence_since",
    "property",
    "age",
    "other_installment_plans",
    "housing",
    "existing_credits",
    "job",
    "people_liable",
    "telephone",
    "foreign_worker",
    "credit_risk",
)
GERMAN_CREDIT_TARGET, GERMAN_CREDIT_BAD = "credit_risk", "2"
GERMAN_CREDIT_COSTS = (5.0, 1.0)
"""The UCI code book's cost matrix: accepting a bad client costs 5, refusing a good one 1."""

GIVE_ME_SOME_CREDIT_TARGET = "SeriousDlqin2yrs"
GIVE_ME_SOME_CREDIT_INDEX = "Unnamed: 0"
"""The unnamed row-index column pandas reads from ``cs-training.csv``."""


_GERMAN_CREDIT_FIRST_FIELD = re.compile(r"A1[1-4]")
"""The code book's first attribute, status of the checking account: A11 to A14."""


def is_german_credit_layout(first_line: str) -> bool:
    """Whether ``first_line`` of a file is a row of UCI ``german.data``: 21
    whitespace-separated fields, no header, the checking-account code first and
    the outcome (1 good, 2 bad) last."""
    fields = first_line.split()
    return (
        len(fields) == len(GERMAN_CREDIT_COLUMNS)
        and "," not in first_line
        and _GERMAN_CREDIT_FIRST_FIELD.fullmatch(fields[0]) is not None
        and fields[-1] in ("1", "2")
    )


def read_german_credit(path: Path) -> pd.DataFrame:
    """``german.data`` (1,000 rows, 20 attributes and ``credit_risk``)."""
    return pd.read_csv(path, sep=r"\s+", header=None, names=list(GERMAN_CREDIT_COLUMNS))


def write_german_credit_csv(source: Path, destination: Path) -> Path:
    """Convert ``german.data`` to a comma-separated file with a header."""
    read_german_credit(source).to_csv(destination, index=False)
    return destination
