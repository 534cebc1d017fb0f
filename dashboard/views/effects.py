"""The side-effects page's data: which rows each section shows, in which order, with which charts.

``prepare`` runs once per data version (the sourced frame and its filter index); ``view`` once per
data version and filter values; ``rows`` builds a download's every matching row when it is asked for.
A rated section draws one comparison at a time unless the reader picks several (rows of different
trials are never ranked on one axis); it opens on the largest randomised comparison in view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, filterset, wording
from dashboard.catalog import Frames
from dashboard.filterset import Values
from dashboard.pagespecs import BARS, MEASURE, SIDE_EFFECTS_PAGE, SORT
from dashboard.params import Param
from dashboard.schema.side_effects import CHART, CHARTS
from dashboard.views import evidence
from dashboard.views.common import Indexed, Selection, with_sources, with_studies

MAX_ROWS = 1000
"""Rows of a view kept for display; downloads build every matching row on demand."""

RATED = {
    "acute": "Acute effects, which come with a dose (each row says over what period they were counted)",
    "repeated use": "Effects over a course or in maintenance (repeated use)",
}
LONG_TERM = "long-term"
COMPARISON = "comparison"
_GROUPING = [COMPARISON, "study_kind", "n_drug", "n_comparator"]


@dataclass(frozen=True)
class Prepared(Indexed):
    """The side-effects table with its source and study columns and filter index, which rows have a
    rate, and each comparison's size and kind (per data version, not per filter)."""

    rated: np.ndarray
    facts: evidence.ComparisonFacts


def prepare(frames: Frames) -> Prepared:
    effects = frames["side_effects"]
    assert effects is not None
    sourced = with_studies(with_sources(effects, frames["sources"]), frames["studies"])
    frame = evidence.with_comparison(with_difference(sourced))
    table = Indexed.of(frame, SIDE_EFFECTS_PAGE.params)
    facts = evidence.comparison_facts(frame.loc[:, [c for c in _GROUPING if c in frame]])
    return Prepared(table.frame, table.index, table.params, frame["incidence_pct"].notna().to_numpy(), facts)


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


def with_evidence(selection: Selection) -> Selection:
    """The shown rows with their intervals, numbers needed and per-100 wording (never all rows)."""
    return Selection(evidence.add(selection.top), selection.total)


@dataclass(frozen=True)
class Section:
    """One rated timeframe: the comparisons drawn, their rows (top ones, in order), and the charts."""

    timeframe: str
    heading: str
    comparisons: tuple[str, ...]
    chosen: bool
    """True when the reader picked the comparisons; False when the section opened on the largest one."""
    randomised: bool
    """Every comparison drawn is randomised (by its study's kind)."""
    selection: Selection
    others: int
    """Comparisons in this timeframe that match the filters but are not drawn."""
    measure: str
    headings: dict[str, str] = field(compare=False)

    @cached_property
    def figure(self) -> go.Figure:
        """The rates on each arm; built when first drawn (a section the page does not draw costs nothing)."""
        top = self.selection
        title = f"{self.heading}: drug vs comparator"
        return charts.build_incidence(top.top, title=title, total=top.total, headings=self.headings)

    @cached_property
    def forest(self) -> go.Figure:
        """The difference (or ratio) with its 95% interval; built when first drawn."""
        title = f"{self.heading}: difference with 95% CI"
        top = self.selection
        return charts.build_forest(top.top, measure=self.measure, title=title, headings=self.headings, total=top.total)


@dataclass(frozen=True)
class EffectsView:
    counts: dict[str, dict[str, int]]
    total: int
    """Rows that match the filters (the first of them, with their evidence, come from ``every_row``)."""
    sections: tuple[Section, ...]
    long_term: Selection
    matches: np.ndarray = field(compare=False, repr=False)
    """The rows that match the filters, one bit per row of the prepared frame (``np.packbits``): the
    table of every row picks from them without filtering again (a search at 1M rows costs 100 ms or
    more), at an eighth of a byte per row for each view the cache keeps."""

    def keep(self, rows: int) -> np.ndarray:
        """The matching rows as a mask over a frame of ``rows`` rows."""
        return np.unpackbits(self.matches, count=rows).view(bool)

    @property
    def summary_figure(self) -> go.Figure | None:
        """The chart the printable summary carries: the dosing-day forest plot, when the view has it."""
        return next((s.forest for s in self.sections if s.timeframe == "acute"), None)


def _part(prepared: Prepared, keep: np.ndarray, timeframe: str | None, *, rated: bool) -> np.ndarray:
    part = keep
    if timeframe is not None:
        part = part & (prepared.frame["timeframe"] == timeframe).to_numpy()
    return part & prepared.rated if rated else part


def matching(prepared: Prepared, values: Values, timeframe: str | None = None, *, rated: bool = False) -> np.ndarray:
    return _part(prepared, filterset.mask(prepared.index, values, prepared.params), timeframe, rated=rated)


def drawn(prepared: Prepared, part: np.ndarray, values: Values) -> tuple[tuple[str, ...], bool, int]:
    """The comparisons a section draws: those the reader chose, else the largest randomised one
    among the section's rows (else the largest other comparison; a label pool without a comparator
    only when nothing else matches); and how many other comparisons match. Works on the comparison
    codes (one pass over the rows), then on the few comparisons."""
    coded = prepared.index.columns[COMPARISON]
    names = [name for name, n in zip(coded.labels, coded.tally(part), strict=True) if n]
    chosen = tuple(c for c in values.get(COMPARISON, ()) if c in names)
    if chosen:
        return chosen, True, len(names) - len(chosen)
    largest = evidence.largest_of(names, prepared.facts)
    return ((largest,) if largest else ()), False, max(len(names) - 1, 0)


def _rows_of(prepared: Prepared, comparisons: tuple[str, ...]) -> np.ndarray:
    coded = prepared.index.columns[COMPARISON]
    return coded.lookup(np.isin(np.asarray(coded.labels, dtype=object), list(comparisons)))


def drawn_words(section: Section) -> str:
    """Which comparisons a section's charts show, and how to see others, in words."""
    return wording.drawn(
        section.comparisons, chosen=section.chosen, others=section.others, randomised=section.randomised
    )


def _section(prepared: Prepared, keep: np.ndarray, values: Values, timeframe: str, heading: str) -> Section | None:
    part = _part(prepared, keep, timeframe, rated=True)
    if not part.any():
        return None
    comparisons, chosen, others = drawn(prepared, part, values)
    part = part & _rows_of(prepared, comparisons)
    bars = BARS.limit(values.get(BARS.key))
    selection = with_evidence(top_rows(prepared.frame, part, str(values[SORT.key]), bars))
    headings = {name: evidence.heading(selection.top[selection.top[COMPARISON] == name]) for name in comparisons}
    return Section(
        timeframe,
        heading,
        comparisons,
        chosen,
        all(prepared.facts.randomised.get(name, False) for name in comparisons),
        selection,
        others,
        str(values[MEASURE.key]),
        headings,
    )


def view(prepared: Prepared, values: Values) -> EffectsView:
    narrowed = prepared.narrow(values)
    by = str(values[SORT.key])
    sections = [_section(prepared, narrowed.keep, values, t, h) for t, h in RATED.items()]
    return EffectsView(
        counts=dict(narrowed.counts),  # type: ignore[arg-type]
        total=int(np.count_nonzero(narrowed.keep)),
        sections=tuple(s for s in sections if s is not None),
        long_term=top_rows(prepared.frame, _part(prepared, narrowed.keep, LONG_TERM, rated=False), by, MAX_ROWS),
        matches=np.packbits(narrowed.keep),
    )


def every_row(prepared: Prepared, view: EffectsView, values: Values) -> Selection:
    """The first ``MAX_ROWS`` matching rows in display order, with their evidence columns: the table
    of every row, which the page builds only when the reader opens it. Apart from ``view``, so that a
    new filter does not pick and word a thousand rows (70 columns of them, on a wide extract) that
    nobody asked to see; it takes the matching rows from ``view`` (the same filters), not from
    filtering again."""
    keep = view.keep(len(prepared.frame))
    return with_evidence(top_rows(prepared.frame, keep, str(values[SORT.key]), MAX_ROWS))


def controls(view: EffectsView, values: Values) -> tuple[Param, ...]:
    """The chart settings worth offering: how the measure compares arms only beside the differences
    it changes, and which timeframes to draw only when there is more than one."""
    shown: tuple[Param, ...] = (CHART, SORT, BARS)
    if values.get(CHART.key) != CHART.default:
        shown += (MEASURE,)
    if len(view.sections) > 1:
        shown += (CHARTS,)
    return shown


def rows(prepared: Prepared, values: Values, timeframe: str | None = None, *, rated: bool = False) -> pd.DataFrame:
    """Every matching row in display order, with its evidence columns (for a download; computed
    when it is clicked)."""
    found = sort_effects(prepared.frame[matching(prepared, values, timeframe, rated=rated)], str(values[SORT.key]))
    return evidence.add(found)


def section_rows(prepared: Prepared, values: Values, section: Section) -> pd.DataFrame:
    """Every row of the comparisons a section draws (its chart data, in full, for a download)."""
    found = rows(prepared, values, section.timeframe, rated=True)
    return found[found[COMPARISON].astype(str).isin(section.comparisons)]


def headline_effects(effects: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The most frequent dosing-day effects that have a comparator rate, from the largest pool,
    with their intervals."""
    rated = effects[
        (effects["timeframe"] == "acute") & effects["incidence_pct"].notna() & effects["comparator_pct"].notna()
    ]
    if rated.empty:
        return rated
    pool = rated.groupby("population", observed=True).size().idxmax()
    same_pool = rated[rated["population"] == pool]
    return evidence.add(same_pool.sort_values("incidence_pct", ascending=False).head(n))
