"""Rows in the layout of UCI ``german.data``, for tests that must not need the real file."""

from __future__ import annotations

import numpy as np


def german_credit_rows(count: int, seed: int = 0) -> str:
    """``count`` rows: 21 space-separated fields, no header, the checking-account code
    first, the outcome last (1 good, 2 bad; bad more often for an overdrawn account)."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(count):
        checking = int(rng.integers(1, 5))
        amount = int(rng.integers(250, 15_000))
        bad = rng.random() < 0.15 + 0.1 * (checking == 1) + amount / 100_000
        fields = [f"A1{checking}", str(int(rng.integers(4, 72))), "A34", "A43", str(amount)]
        fields += ["A61", "A73", "2", "A93", "A101", "2", "A121", str(int(rng.integers(19, 75)))]
        fields += ["A143", "A152", "1", "A173", "1", "A191", "A201", "2" if bad else "1"]
        rows.append(" ".join(fields))
    return "\n".join(rows) + "\n"
