"""Figures for the review dashboard: median and 90th percentile of the days taken to decide."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) by linear interpolation between closest ranks (as numpy's
    default and spreadsheets' PERCENTILE.INC); None when there are no values."""
    if not 0 <= q <= 100:
        raise ValueError(f"a percentile is between 0 and 100 (got {q})")
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
