"""Ranges are written one way everywhere: a dose, a fixed dose, an infusion time, a missing end."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.ranges import span


@pytest.mark.parametrize(
    ("low", "high", "unit", "expected"),
    [
        (0.5, 0.5, "mg/kg", "0.5 mg/kg"),  # a single dose per kilogram
        (0.5, 0.75, "mg/kg", "0.5-0.75 mg/kg"),  # a range per kilogram
        (56.0, 84.0, "mg", "56-84 mg"),  # fixed doses, written without ".0"
        (40.0, 40.0, "min", "40 min"),
        (120.0, 240.0, "min", "120-240 min"),
        (2.0, 4.0, "", "2-4"),  # no unit, no trailing space
    ],
)
def test_a_range_reads_as_people_write_it(low: float, high: float, unit: str, expected: str) -> None:
    assert span(low, high, unit) == expected


@pytest.mark.parametrize(
    ("low", "high"),
    [(None, None), (math.nan, 40.0), (40.0, math.nan), (pd.NA, pd.NA), (None, 84.0)],
)
def test_a_missing_end_gives_the_callers_wording(low: float | None, high: float | None) -> None:
    assert span(low, high, "min") == ""
    assert span(low, high, "min", missing="no data in these tables") == "no data in these tables"
