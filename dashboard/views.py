"""Pure data shaping for the pages: joins, derived columns and headline figures.

Nothing here renders anything; every function takes frames and returns frames or plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from dashboard.links import safe_url
from dashboard.schema import TableSpec

SOURCES_PAGE = "sources"


def source_page_link(source_id: str) -> str:
    """Relative link to the Sources page narrowed to one source (works under any base path)."""
    return f"{SOURCES_PAGE}?source={quote(str(source_id), safe='')}"


def map_values(series: pd.Series, mapping: Callable[[Any], object] | Mapping[Any, object]) -> pd.Series:
    """``series.map(mapping)`` computed once per distinct value: a million rows of a categorical
    column cost as much as its few categories. The result is categorical too."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = pd.Series(uniques).map(mapping)
    new_codes, categories = pd.factorize(mapped, use_na_sentinel=True)
    keep = codes >= 0
    out_codes = np.full(len(series), -1, dtype=np.int64)
    out_codes[keep] = new_codes[codes[keep]]
    return pd.Series(pd.Categorical.from_codes(out_codes, categories=categories), index=series.index)


def with_sources(df: pd.DataFrame, sources: pd.DataFrame | None) -> pd.DataFrame:
    """Add ``source_kind``, ``source`` (click-through to the Sources page) and ``source_url``."""
    out = df.copy(deep=False)
    ids = out["source_id"]
    out["source"] = map_values(ids, source_page_link)
    if sources is None:
        out["source_kind"] = pd.NA
        out["source_url"] = pd.NA
        return out
    table = sources.set_index(sources["source_id"].astype(str))
    out["source_kind"] = map_values(ids, table["kind"].astype(str).to_dict())
    out["source_url"] = map_values(ids, table["url"].map(safe_url, na_action="ignore").to_dict())
    return out


def cited_ids(df: pd.DataFrame) -> pd.Series:
    """Every source id each row cites (``source_id`` and ``more_source_ids``), one per line."""
    main = df["source_id"].dropna().astype(str)
    if "more_source_ids" not in df:
        return main.reset_index(drop=True)
    more = df["more_source_ids"].dropna().astype(str).str.split(";").explode().str.strip()
    return pd.concat([main, more[more != ""]], ignore_index=True)


def source_usage(sources: pd.DataFrame, tables: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Sources with the number of rows citing each, in total and per table."""
    out = sources.copy()
    total = pd.Series(0, index=out.index)
    for name, frame in tables.items():
        if frame is None or "source_id" not in frame:
            continue
        per = cited_ids(frame).value_counts()
        column = out["source_id"].map(per).fillna(0).astype(int)
        out[f"rows_{name}"] = column
        total += column
    out["rows_citing"] = total
    out["url"] = out["url"].map(safe_url, na_action="ignore")
    return out


def weight_doses(regimens: pd.DataFrame, kg: float) -> pd.DataFrame:
    """Arithmetic only: total mg of one administration for each mg/kg regimen at ``kg``."""
    per_kg = regimens[regimens["dose_unit"] == "mg/kg"]
    out = per_kg[["regimen_id", "drug", "route", "purpose", "dose_min", "dose_max", "source_id"]].copy()
    out.insert(4, "weight_kg", kg)
    out["total_mg_min"] = (per_kg["dose_min"] * kg).round(1)
    out["total_mg_max"] = (per_kg["dose_max"] * kg).round(1)
    return out.reset_index(drop=True)


def with_difference(effects: pd.DataFrame) -> pd.DataFrame:
    """Add ``difference_pct``: drug minus comparator, in percentage points (where both exist)."""
    out = effects.copy(deep=False)
    out["difference_pct"] = (out["incidence_pct"] - out["comparator_pct"]).round(1)
    return out


def sort_effects(effects: pd.DataFrame, by: str) -> pd.DataFrame:
    """Highest first, by rate on drug or by the difference from the comparator."""
    column = "difference_pct" if by == "difference" else "incidence_pct"
    return effects.sort_values([column, "incidence_pct"], ascending=False, na_position="last", kind="stable")


def top_effects_by(effects: pd.DataFrame, keep: np.ndarray, by: str, n: int) -> pd.DataFrame:
    """The ``n`` highest rows among ``keep`` in ``sort_effects`` order, without sorting the whole table."""
    column = "difference_pct" if by == "difference" else "incidence_pct"
    rows = np.flatnonzero(keep)
    if len(rows) > n:
        key = effects[column].to_numpy(dtype="float64", na_value=np.nan)[rows]
        key = np.where(np.isnan(key), -np.inf, key)
        rows = rows[np.argpartition(-key, n - 1)[:n]] if n > 0 else rows[:0]
    return sort_effects(effects.iloc[np.sort(rows)], by)


def chain_edges(mechanism: pd.DataFrame) -> pd.DataFrame:
    """The proposed chain of action as (from, to) pairs, from the ``leads_to`` column."""
    if "leads_to" not in mechanism:
        return pd.DataFrame(columns=["entity", "leads_to", "confidence", "source_id"])
    edges = mechanism[mechanism["leads_to"].notna()]
    return edges[["entity", "leads_to", "confidence", "source_id"]].reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    detail: str
    source_id: str


def _fmt(value: float) -> str:
    return f"{value:g}"


def standard_iv(regimens: pd.DataFrame) -> Headline | None:
    """The IV ketamine protocol that most depression regimens share (dose and infusion time)."""
    iv = regimens[
        (regimens["route"] == "IV")
        & (regimens["purpose"] == "depression")
        & (regimens["drug"] == "racemic ketamine")
        & (regimens["source_kind"] != "clinic article")
    ]
    iv = iv.dropna(subset=["duration_min_minutes"])
    if iv.empty:
        return None
    groups = iv.groupby(["dose_min", "dose_max", "dose_unit", "duration_min_minutes"], dropna=False)
    (dose_min, dose_max, unit, minutes), rows = max(groups, key=lambda g: (len(g[1]), -g[0][0]))
    dose = _fmt(dose_min) if dose_min == dose_max else f"{_fmt(dose_min)}-{_fmt(dose_max)}"
    detail = f"in {len(rows)} of {len(iv)} IV depression regimens with a stated infusion time"
    return Headline(
        "Usual IV ketamine protocol", f"{dose} {unit} over {_fmt(minutes)} min", detail, str(rows["source_id"].iloc[0])
    )


def article_dose(regimens: pd.DataFrame) -> Headline | None:
    rows = regimens[regimens["source_kind"] == "clinic article"]
    if rows.empty:
        return None
    row = rows.iloc[0]
    minutes = f"{_fmt(row['duration_min_minutes'] / 60)}-{_fmt(row['duration_max_minutes'] / 60)} h"
    value = f"{_fmt(row['dose_min'])}-{_fmt(row['dose_max'])} {row['dose_unit']} over {minutes}"
    return Headline("The clinic article claims", value, "not what trials or labels use", str(row["source_id"]))


def top_effects(effects: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The most frequent dosing-day effects that have a comparator rate, from the largest pool."""
    rated = effects[
        (effects["timeframe"] == "acute") & effects["incidence_pct"].notna() & effects["comparator_pct"].notna()
    ]
    if rated.empty:
        return rated
    pool = rated.groupby("population").size().idxmax()
    same_pool = rated[rated["population"] == pool]
    return same_pool.sort_values("incidence_pct", ascending=False).head(n)


def pick(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The listed columns that the frame has (optional columns may be absent), in that order."""
    return frame[[c for c in columns if c in frame.columns]]


DERIVED = frozenset({"source", "source_kind", "source_url", "difference_pct", "rows_citing"})


def analyst_columns(frame: pd.DataFrame, spec: TableSpec) -> list[str]:
    """Columns an analyst added to a file (not in the schema, not computed here): kept and shown."""
    declared = spec.columns
    return [c for c in frame.columns if c not in declared and c not in DERIVED and not str(c).startswith("rows_")]


@dataclass(frozen=True)
class Selection:
    """The rows one view shows (the top ones, already in order) and how many match in all."""

    top: pd.DataFrame
    total: int


def select_effects(effects: pd.DataFrame, keep: np.ndarray, by: str, n: int) -> Selection:
    return Selection(top_effects_by(effects, keep, by, n), int(keep.sum()))
