"""Percentiles for the dashboard agree with the spreadsheet definition (PERCENTILE.INC)."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskscreen.workflow.stats import percentile


def test_known_values() -> None:
    assert percentile([], 50) is None
    assert percentile([7], 90) == 7
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10, 1, 5, 3, 8, 2, 9, 4, 7, 6], 90) == pytest.approx(9.1)
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1], 101)


@given(st.lists(st.integers(0, 400), min_size=2, max_size=50))
def test_median_and_inclusive_quantiles(values: list[int]) -> None:
    assert percentile(values, 50) == pytest.approx(statistics.median(values))
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    assert percentile(values, 90) == pytest.approx(deciles[8])
    assert min(values) <= percentile(values, 90) <= max(values)  # type: ignore[operator]
