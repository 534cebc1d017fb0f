"""Filters as data: a page declares its parameters once; these pure functions parse a query
string into values (ignoring what is unknown or invalid), write values back to a query string,
count facet values and narrow a frame. The UI only draws widgets for them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd

MAX_SEARCH = 100
"""Longest search text kept from a URL or the search box."""

MAX_VALUES = 200
"""Most values one multi-valued parameter may carry (longer lists are a hostile URL)."""

Query = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Facet:
    """A multi-select over the values of ``column``; the query string repeats ``key``."""

    key: str
    column: str
    label: str


@dataclass(frozen=True)
class Search:
    """Case-insensitive text search: every word must appear in one of ``columns``."""

    key: str
    columns: tuple[str, ...]
    label: str = "Search"


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    options: tuple[str, ...]

    @property
    def default(self) -> str:
        return self.options[0]


@dataclass(frozen=True)
class Number:
    key: str
    label: str
    minimum: float
    maximum: float
    default: float
    step: float = 1.0


Param = Facet | Search | Choice | Number


def defaults(params: Sequence[Param]) -> dict[str, Any]:
    return {p.key: _default(p) for p in params}


def _default(p: Param) -> Any:
    if isinstance(p, Facet):
        return ()
    if isinstance(p, Search):
        return ""
    return p.default


def parse(query: Query, params: Sequence[Param], options: Mapping[str, Sequence[str]]) -> tuple[dict[str, Any], int]:
    """Values for every parameter from a query string, and how many query items were ignored.

    Unknown keys, values not among a facet's ``options``, numbers out of range and repeated
    keys of single-valued parameters are dropped; what is valid is kept.
    """
    values = defaults(params)
    known = {p.key: p for p in params}
    ignored = sum(len(v) for k, v in query.items() if k not in known)
    for key, raw in query.items():
        if key in known:
            value, dropped = _parse_one(known[key], list(raw), options)
            values[key] = value
            ignored += dropped
    return values, ignored


def _parse_one(p: Param, raw: list[str], options: Mapping[str, Sequence[str]]) -> tuple[Any, int]:
    if isinstance(p, Facet):
        allowed = set(options.get(p.key, ()))
        chosen = list(dict.fromkeys(v for v in raw[:MAX_VALUES] if v in allowed))
        return tuple(chosen), len(raw) - len(chosen)
    last = raw[-1] if raw else ""
    extra = max(len(raw) - 1, 0)
    if isinstance(p, Search):
        text = " ".join(last.split())[:MAX_SEARCH]
        return text, extra + (text != " ".join(last.split()))
    if isinstance(p, Choice):
        return (last, extra) if last in p.options else (p.default, extra + 1)
    number = _number(last)
    if number is None or not p.minimum <= number <= p.maximum:
        return p.default, extra + 1
    return number, extra


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def to_query(values: Mapping[str, Any], params: Sequence[Param]) -> dict[str, list[str]]:
    """The query string for ``values``: parameters at their default are left out."""
    out: dict[str, list[str]] = {}
    for p in params:
        value = values.get(p.key, _default(p))
        if value == _default(p):
            continue
        if isinstance(p, Facet):
            out[p.key] = [str(v) for v in value]
        elif isinstance(p, Number):
            out[p.key] = [f"{value:g}"]
        else:
            out[p.key] = [str(value)]
    return out


def query_string(values: Mapping[str, Any], params: Sequence[Param]) -> str:
    return urlencode(to_query(values, params), doseq=True)


# --- narrowing a frame -------------------------------------------------------------------


def mask(df: pd.DataFrame, values: Mapping[str, Any], params: Sequence[Param], skip: str | None = None) -> np.ndarray:
    """Rows that match every facet and the search (leaving out parameter ``skip``)."""
    keep = np.ones(len(df), dtype=bool)
    for p in params:
        if p.key == skip:
            continue
        if isinstance(p, Facet) and values.get(p.key):
            keep &= df[p.column].isin(list(values[p.key])).to_numpy(dtype=bool, na_value=False)
        elif isinstance(p, Search) and values.get(p.key):
            keep &= search_mask(df, p.columns, str(values[p.key]))
    return keep


def apply(df: pd.DataFrame, values: Mapping[str, Any], params: Sequence[Param]) -> pd.DataFrame:
    return df[mask(df, values, params)]


def search_mask(df: pd.DataFrame, columns: Iterable[str], text: str) -> np.ndarray:
    """Every word of ``text`` must appear (ignoring case) in at least one of ``columns``."""
    present = [c for c in columns if c in df.columns]
    keep = np.ones(len(df), dtype=bool)
    for word in text.split()[:10]:
        hit = np.zeros(len(df), dtype=bool)
        for column in present:
            found = df[column].astype("string").str.contains(word, case=False, regex=False)
            hit |= found.to_numpy(dtype=bool, na_value=False)
        keep &= hit
    return keep


def options(df: pd.DataFrame, column: str, order: Sequence[str] = ()) -> list[str]:
    """The values a facet offers: the schema's order first, then the rest alphabetically."""
    present = set(df[column].dropna().astype(str).unique()) if column in df else set()
    first = [v for v in order if v in present]
    return first + sorted(present - set(first), key=str.casefold)


def counts(df: pd.DataFrame, values: Mapping[str, Any], params: Sequence[Param], facet: Facet) -> dict[str, int]:
    """How many rows each value of ``facet`` would give, with every other filter applied."""
    return all_counts(df, values, params).get(facet.key, {})


def all_counts(df: pd.DataFrame, values: Mapping[str, Any], params: Sequence[Param]) -> dict[str, dict[str, int]]:
    """``counts`` for every facet at once: each parameter's own mask is computed a single time."""
    own = {p.key: mask(df, values, [p]) for p in params if values.get(p.key)}
    out: dict[str, dict[str, int]] = {}
    for facet in params:
        if not isinstance(facet, Facet) or facet.column not in df:
            continue
        others = [m for key, m in own.items() if key != facet.key]
        column = df[facet.column]
        if others:
            column = column[np.logical_and.reduce(others)]
        tally = column.value_counts(dropna=True, sort=False)
        out[facet.key] = {str(k): int(v) for k, v in tally.items() if v}
    return out


def describe(values: Mapping[str, Any], params: Sequence[Param]) -> list[str]:
    """The active filters in words, e.g. ``Body system: cardiovascular, renal and urinary``."""
    words = []
    for p in params:
        value = values.get(p.key, _default(p))
        if value == _default(p):
            continue
        shown = ", ".join(value) if isinstance(p, Facet) else (f"{value:g}" if isinstance(p, Number) else value)
        words.append(f"{p.label}: {shown}")
    return words
