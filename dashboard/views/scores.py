"""Score changes on the Outcomes page: the rows whose source reports a difference between the arms'
mean scores (in points of a scale, or standardised), laid out for a forest plot and its table.

Each unit gets its own panel (``panel``): MADRS points are never drawn on one axis with HDRS points,
and a standardised difference (SMD, Hedges g) is in standard deviations, never read as points.
Within a panel the rows are grouped by drug, then ordered by when they were measured.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from dashboard import wording
from dashboard.schema.values import DRUGS

MEASURES = ("MD", "SMD", "Hedges g")
"""The measures that are a difference of mean scores, in the order their panels come."""

COLUMNS: tuple[str, ...] = ("panel", "drug", "study", "timepoint", "comparator", "estimate_ci", "favours")
COLUMNS += ("measure", "scale", "n_drug", "n_comparator", "evidence", "definition", "source_id", "outcome_id")
"""The table twin's columns."""

_UNITS = (
    (re.compile(r"(\d+(?:\.\d+)?)\s*(?:h|hours?)\b", re.IGNORECASE), 1.0),
    (re.compile(r"\bdays?\s+(\d+(?:\.\d+)?)", re.IGNORECASE), 24.0),
    (re.compile(r"(\d+(?:\.\d+)?)[\s-]*days?\b", re.IGNORECASE), 24.0),
    (re.compile(r"\bweeks?\s+(\d+(?:\.\d+)?)", re.IGNORECASE), 168.0),
    (re.compile(r"(\d+(?:\.\d+)?)[\s-]*weeks?\b", re.IGNORECASE), 168.0),
    (re.compile(r"(\d+(?:\.\d+)?)[\s-]*months?\b", re.IGNORECASE), 730.0),
)


def timepoint_hours(text: object) -> float:
    """When a row was measured, in hours after the start, from the first time its timepoint names
    ("24 h after first dose" 24, "day 28" 672, "4 weeks (day 28)" 672); NaN where it names none
    ("end of treatment"), so such rows sort last."""
    if not isinstance(text, str):
        return math.nan
    found = [(m.start(), float(m.group(1)) * hours) for pattern, hours in _UNITS for m in [pattern.search(text)] if m]
    return min(found)[1] if found else math.nan


def _drug_rank(drug: str) -> int:
    return DRUGS.index(drug) if drug in DRUGS else len(DRUGS)


def _scale(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def score_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with a reported difference of mean scores (``MEASURES``), each with its panel, its
    label, its estimate in words (``estimate_ci``), which way it points (``favours``) and whether its
    source prints an interval; ordered by panel (mean differences by scale, then standardised ones),
    then drug (in the order of ``DRUGS``), then time, then study. Rows without an estimate are left out."""
    if rows.empty or "measure" not in rows:
        return rows.iloc[0:0].assign(panel=pd.Series(dtype=str))
    measured = rows[rows["measure"].astype(str).isin(MEASURES) & rows["mean_difference"].notna()].copy()
    if measured.empty:
        return measured.assign(panel=pd.Series(dtype=str))
    measures = measured["measure"].astype(str).tolist()
    scales = [_scale(s) for s in measured["scale"]] if "scale" in measured else [None] * len(measured)
    d, lo, hi = (
        measured[c].astype(float).tolist() for c in ("mean_difference", "mean_difference_low", "mean_difference_high")
    )
    measured["panel"] = [wording.score_panel(m, s) for m, s in zip(measures, scales, strict=True)]
    measured["estimate_ci"] = [
        wording.reported(a, b, c, m, s) for a, b, c, m, s in zip(d, lo, hi, measures, scales, strict=True)
    ]
    measured["favours"] = [wording.favours(a, b, c) for a, b, c in zip(d, lo, hi, strict=True)]
    measured["has_interval"] = measured["mean_difference_low"].notna() & measured["mean_difference_high"].notna()
    measured["hours"] = measured["timepoint"].map(timepoint_hours)
    measured["label"] = (
        measured["drug"].astype(str) + ": " + measured["study"].astype(str) + ", " + measured["timepoint"].astype(str)
    )
    # panels: mean differences first (the scale with most rows first), then SMD, then Hedges g
    measure_rank = measured["measure"].astype(str).map(MEASURES.index)
    panel_size = measured.groupby("panel")["panel"].transform("size")
    order = np.lexsort(
        (
            measured["study"].astype(str).to_numpy(),
            measured["hours"].fillna(np.inf).to_numpy(),
            measured["drug"].astype(str).map(_drug_rank).to_numpy(),
            measured["panel"].to_numpy(),
            -panel_size.to_numpy(),
            measure_rank.to_numpy(),
        )
    )
    return measured.iloc[order]
