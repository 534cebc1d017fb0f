"""What every page's data needs: source columns, column picking, the rows a view shows.

Nothing here renders anything; every function takes frames and returns frames or plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard import filterset
from dashboard.frameindex import FrameIndex
from dashboard.frameindex import index as build_index
from dashboard.links import safe_url, source_href
from dashboard.params import Param
from dashboard.schema import TableSpec


def map_values(series: pd.Series, mapping: Callable[[Any], object] | Mapping[Any, object]) -> pd.Series:
    """``series.map(mapping)`` computed once per distinct value: a million rows of a categorical
    column cost as much as its few categories. The result is categorical too."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    # The distinct values as plain objects, in the order they appear: mapping a categorical would map
    # its categories, whose order need not be the order the codes above count in.
    mapped = pd.Series(np.asarray(uniques, dtype=object)).map(mapping)
    new_codes, categories = pd.factorize(mapped, use_na_sentinel=True)
    keep = codes >= 0
    out_codes = np.full(len(series), -1, dtype=np.int64)
    out_codes[keep] = new_codes[codes[keep]]
    return pd.Series(pd.Categorical.from_codes(out_codes, categories=categories), index=series.index)


def map_rows(columns: Sequence[pd.Series], mapping: Callable[..., object]) -> pd.Series:
    """``mapping(*cells)`` of each row of ``columns`` (None for an empty cell), computed once per
    distinct combination of their values: the rows become one integer each (mixed radix over each
    column's factor codes), never one string each. The result is categorical, its categories in the
    order they first appear (as ``map_values`` gives them); where ``mapping`` returns None or NaN
    the row is empty."""
    index = columns[0].index
    rows = len(index)
    key = np.zeros(rows, dtype=np.int64)
    span = 1
    uniques: list[list[object]] = []
    for series in columns:
        codes, found = pd.factorize(series, use_na_sentinel=True)
        radix = len(found) + 1
        if span > (2**62) // radix:  # too many combinations for one integer: one tuple per row instead
            tuples = zip(*(s.astype(object).where(s.notna(), None) for s in columns), strict=True)
            return map_values(pd.Series(list(tuples), index=index, dtype=object), lambda cell: mapping(*cell))
        key = key * radix + (codes.astype(np.int64) + 1)
        span *= radix
        uniques.append([None, *found.tolist()])  # code 0 is an empty cell
    key_codes, keys = pd.factorize(key)
    values = []
    for combined in np.asarray(keys, dtype=np.int64).tolist():
        cells: list[object] = []
        for found in reversed(uniques):
            combined, code = divmod(combined, len(found))
            cells.append(found[code])
        values.append(mapping(*reversed(cells)))
    mapped = pd.Series(values, dtype=object)
    new_codes, categories = pd.factorize(mapped, use_na_sentinel=True)
    out_codes = new_codes[key_codes] if rows else np.empty(0, dtype=np.int64)
    return pd.Series(pd.Categorical.from_codes(out_codes, categories=categories), index=index)


def with_sources(df: pd.DataFrame, sources: pd.DataFrame | None) -> pd.DataFrame:
    """Add ``source_kind``, ``source`` (click-through to the Sources page) and ``source_url``."""
    out = df.copy(deep=False)
    ids = out["source_id"]
    out["source"] = map_values(ids, source_href)
    if sources is None:
        out["source_kind"] = pd.NA
        out["source_url"] = pd.NA
        return out
    table = sources.set_index(sources["source_id"].astype(str))
    out["source_kind"] = map_values(ids, table["kind"].astype(str).to_dict())
    out["source_url"] = map_values(ids, table["url"].map(safe_url, na_action="ignore").to_dict())
    return out


def with_studies(df: pd.DataFrame, studies: pd.DataFrame | None) -> pd.DataFrame:
    """Add ``study_kind`` (the kind of evidence) and ``study_name`` from the study each row's
    ``study_id`` names; empty where the studies table is unavailable or the row names no study."""
    out = df.copy(deep=False)
    if studies is None or "study_id" not in df:
        out["study_kind"] = pd.Series(pd.NA, index=df.index, dtype="string")
        out["study_name"] = pd.Series(pd.NA, index=df.index, dtype="string")
        return out
    table = studies.set_index(studies["study_id"].astype(str))
    ids = _as_text(out["study_id"])
    out["study_kind"] = map_values(ids, table["kind"].astype(str).to_dict())
    out["study_name"] = map_values(ids, table["name"].astype(str).to_dict())
    return out


def _as_text(series: pd.Series) -> pd.Series:
    """The column's values as text: a categorical column keeps its codes and only its (few)
    categories become text (converting a million rows to text costs seconds)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.rename_categories(series.cat.categories.astype("string"))
    return series.astype("string")


def cited_ids(df: pd.DataFrame) -> pd.Series:
    """Every source id each row cites (``source_id`` and ``more_source_ids``), one per line."""
    main = df["source_id"].dropna().astype(str)
    if "more_source_ids" not in df:
        return main.reset_index(drop=True)
    more = df["more_source_ids"].dropna().astype(str).str.split(";").explode().str.strip()
    return pd.concat([main, more[more != ""]], ignore_index=True)


def pick(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The listed columns that the frame has (optional columns may be absent), in that order."""
    return frame[[c for c in columns if c in frame.columns]]


DERIVED = frozenset(
    {"source", "source_kind", "source_url", "difference_pct", "rows_citing", "study_kind", "study_name"}
    | {"events_per_arm", "difference_ci", "ratio_ci", "number_needed", "per_100", "evidence", "interval_note"}
    | {"rd_pct", "rd_low_pct", "rd_high_pct", "rr", "rr_low", "rr_high"}
)
"""Columns the views compute (never taken for columns an analyst added to a file)."""


def analyst_columns(frame: pd.DataFrame, spec: TableSpec) -> list[str]:
    """Columns an analyst added to a file (not in the schema, not computed here): kept and shown."""
    declared = spec.columns
    return [c for c in frame.columns if c not in declared and c not in DERIVED and not str(c).startswith("rows_")]


def shown_columns(frame: pd.DataFrame, spec: TableSpec | None, columns: list[str] | None) -> list[str]:
    """What a table shows: the listed columns the frame has, then any column an analyst added."""
    if columns is None:
        return list(frame.columns)
    extra = analyst_columns(frame, spec) if spec is not None else []
    return [c for c in dict.fromkeys([*columns, *extra]) if c in frame.columns]


@dataclass(frozen=True)
class Indexed:
    """A page's table with the index its filters read (built once per data version)."""

    frame: pd.DataFrame
    index: FrameIndex
    params: tuple[Param, ...]
    options: dict[str, list[str]] = field(init=False, compare=False)
    """Each facet's values present in the table: counted once per data version, not on every run."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", filterset.options(self.index, self.params))

    @classmethod
    def of(cls, frame: pd.DataFrame, params: tuple[Param, ...]) -> Indexed:
        return cls(frame, build_index(frame, params), params)

    def narrow(self, values: Mapping[str, Any]) -> filterset.Narrowed:
        return filterset.narrow(self.index, values, self.params)


@dataclass(frozen=True)
class Selection:
    """The rows one view shows (the top ones, already in order) and how many match in all."""

    top: pd.DataFrame
    total: int
