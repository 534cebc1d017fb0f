"""The side-effects page's data: which rows each section shows, in which order, with which chart.

``prepare`` runs once per data version (the sourced frame and its filter index); ``view`` once per
data version and filter values; ``rows`` builds a download's every matching row when it is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, filterset
from dashboard.catalog import Frames
from dashboard.filterset import Values
from dashboard.pagespecs import SIDE_EFFECTS_PAGE, SORT
from dashboard.views.common import Indexed, Selection, with_sources

MAX_ROWS = 1000
"""Rows of a view kept for display; downloads build every matching row on demand."""

RATED = {
    "acute": "Dosing-day (acute) effects",
    "repeated use": "Effects over a course or in maintenance (repeated use)",
}
LONG_TERM = "long-term"


@dataclass(frozen=True)
class Prepared(Indexed):
    """The side-effects table with its source columns and filter index, and which rows have a rate."""

    rated: np.ndarray


def prepare(frames: Frames) -> Prepared:
    effects = frames["side_effects"]
    assert effects is not None
    frame = with_difference(with_sources(effects, frames["sources"]))
    table = Indexed.of(frame, SIDE_EFFECTS_PAGE.params)
    return Prepared(table.frame, table.index, table.params, frame["incidence_pct"].notna().to_numpy())


def with_difference(effects: pd.DataFrame) -> pd.DataFrame:
    """Add ``difference_pct``: drug minus comparator, in percentage points (where both exist)."""
    out = effects.copy(deep=False)
    out["difference_pct"] = (out["incidence_pct"] - out["comparator_pct"]).round(1)
    return out


def sort_column(by: str) -> str:
    return "difference_pct" if by == "difference" else "incidence_pct"


def sort_effects(effects: pd.DataFrame, by: str) -> pd.DataFrame:
    """Highest first, by rate on drug or by the difference from the comparator."""
    return effects.sort_values([sort_column(by), "incidence_pct"], ascending=False, na_position="last", kind="stable")


def top_rows(effects: pd.DataFrame, keep: np.ndarray, by: str, n: int) -> Selection:
    """The ``n`` highest rows among ``keep`` in ``sort_effects`` order, without sorting the whole table."""
    rows = np.flatnonzero(keep)
    total = len(rows)
    if len(rows) > n:
        key = effects[sort_column(by)].to_numpy(dtype="float64", na_value=np.nan)[rows]
        key = np.where(np.isnan(key), -np.inf, key)
        rows = rows[np.argpartition(-key, n - 1)[:n]] if n > 0 else rows[:0]
    return Selection(sort_effects(effects.iloc[np.sort(rows)], by), total)


@dataclass(frozen=True)
class Section:
    """One rated timeframe: its rows (top ones, in order), how many match, and its chart."""

    timeframe: str
    heading: str
    selection: Selection
    figure: go.Figure


@dataclass(frozen=True)
class EffectsView:
    counts: dict[str, dict[str, int]]
    everything: Selection
    sections: tuple[Section, ...]
    long_term: Selection

    @property
    def summary_figure(self) -> go.Figure | None:
        """The chart the printable summary carries: the dosing-day one, when the view has it."""
        return next((s.figure for s in self.sections if s.timeframe == "acute"), None)


def _part(prepared: Prepared, keep: np.ndarray, timeframe: str | None, *, rated: bool) -> np.ndarray:
    part = keep
    if timeframe is not None:
        part = part & (prepared.frame["timeframe"] == timeframe).to_numpy()
    return part & prepared.rated if rated else part


def matching(prepared: Prepared, values: Values, timeframe: str | None = None, *, rated: bool = False) -> np.ndarray:
    return _part(prepared, filterset.mask(prepared.index, values, prepared.params), timeframe, rated=rated)


def view(prepared: Prepared, values: Values) -> EffectsView:
    narrowed = prepared.narrow(values)
    by = str(values[SORT.key])
    sections = []
    for timeframe, heading in RATED.items():
        selection = top_rows(prepared.frame, _part(prepared, narrowed.keep, timeframe, rated=True), by, MAX_ROWS)
        if selection.total:
            title = f"{heading}: drug vs comparator"
            figure = charts.build_incidence(selection.top, title=title, total=selection.total)
            sections.append(Section(timeframe, heading, selection, figure))
    return EffectsView(
        counts=dict(narrowed.counts),  # type: ignore[arg-type]
        everything=top_rows(prepared.frame, narrowed.keep, by, MAX_ROWS),
        sections=tuple(sections),
        long_term=top_rows(prepared.frame, _part(prepared, narrowed.keep, LONG_TERM, rated=False), by, MAX_ROWS),
    )


def rows(prepared: Prepared, values: Values, timeframe: str | None = None, *, rated: bool = False) -> pd.DataFrame:
    """Every matching row in display order (for a download; computed when it is clicked)."""
    return sort_effects(prepared.frame[matching(prepared, values, timeframe, rated=rated)], str(values[SORT.key]))


def headline_effects(effects: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The most frequent dosing-day effects that have a comparator rate, from the largest pool."""
    rated = effects[
        (effects["timeframe"] == "acute") & effects["incidence_pct"].notna() & effects["comparator_pct"].notna()
    ]
    if rated.empty:
        return rated
    pool = rated.groupby("population", observed=True).size().idxmax()
    same_pool = rated[rated["population"] == pool]
    return same_pool.sort_values("incidence_pct", ascending=False).head(n)
