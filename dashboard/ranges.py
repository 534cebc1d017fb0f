"""How the dashboard writes a range of numbers (a dose, the time one dose takes), so a regimen
reads the same in a chart's labels, its hover, the Compare page and the Overview's headlines."""

from __future__ import annotations

import pandas as pd


def number(value: float) -> str:
    """``0.5``, ``40``, ``2``: as people write them, never ``40.0``."""
    return f"{value:g}"


def span(low: float | None, high: float | None, unit: str = "", *, missing: str = "") -> str:
    """``0.5 mg/kg`` when both ends agree, ``0.5-0.75 mg/kg`` when they differ, ``missing`` when
    either end is absent: with one end unknown there is no range to state."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return missing
    text = number(low) if low == high else f"{number(low)}-{number(high)}"
    return f"{text} {unit}" if unit else text
