"""A page's parameters together: the whole query string, the values, and (by its filters alone, as
controls never narrow) narrowing and facet counts.

``Values`` is what a page holds: immutable and hashable, so a view of the data can be cached by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import numpy as np

from dashboard.filters import Filter
from dashboard.frameindex import FrameIndex
from dashboard.params import Param

Query = Mapping[str, Sequence[str]]


class Values(Mapping[str, Any]):
    """A page's filter values: immutable and hashable, so a view can be cached by them."""

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self._data = dict(values or {})
        self._key = tuple(sorted((k, _hashable(v)) for k, v in self._data.items()))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        return f"Values({self._data!r})"

    def but(self, **changes: Any) -> Values:
        return Values(self._data | changes)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def defaults(params: Sequence[Param]) -> dict[str, Any]:
    return {p.key: p.default for p in params}


def parse(query: Query, params: Sequence[Param], options: Mapping[str, Sequence[str]]) -> tuple[Values, int]:
    """Values for every parameter from a query string, and how many query items were ignored.

    Unknown keys, values not among a facet's ``options``, numbers out of range and repeated
    keys of single-valued parameters are dropped; what is valid is kept.
    """
    values = defaults(params)
    known = {p.key: p for p in params}
    ignored = sum(len(v) for k, v in query.items() if k not in known)
    for key, raw in query.items():
        if key in known:
            values[key], dropped = known[key].parse(list(raw), options.get(key, ()))
            ignored += dropped
    return Values(values), ignored


def to_query(values: Mapping[str, Any], params: Sequence[Param]) -> dict[str, list[str]]:
    """The query string for ``values``: parameters at their default are left out."""
    return {p.key: p.to_query(values[p.key]) for p in params if p.key in values and values[p.key] != p.default}


def query_string(values: Mapping[str, Any], params: Sequence[Param]) -> str:
    return urlencode(to_query(values, params), doseq=True)


def describe(values: Mapping[str, Any], params: Sequence[Param]) -> list[str]:
    """The active filters in words, e.g. ``Body system: cardiovascular, renal and urinary``."""
    return [p.describe(values[p.key]) for p in params if p.key in values and values[p.key] != p.default]


FIRST_FILTERS = 3
"""Filters a panel shows in its grid on a first visit (one row on a wide screen); the rest wait
behind "More filters": each multi-select is a long task for a phone's browser to lay out."""


@dataclass(frozen=True)
class Panel:
    """A filter panel's inputs: ``across`` its top (the search boxes), the ``grid`` shown at once,
    and the ``more`` drawn when asked for (at once when one of them is in use)."""

    across: tuple[Param, ...]
    grid: tuple[Param, ...]
    more: tuple[Param, ...]
    in_use: int
    """How many of ``more`` hold a value other than their default."""

    @property
    def more_label(self) -> str:
        used = f", {self.in_use} in use" if self.in_use else ""
        return f"More filters ({len(self.more)}{used})"


def panel(params: Sequence[Param], values: Mapping[str, Any], first: int = FIRST_FILTERS) -> Panel:
    """Split a panel's ``params`` (in their order) into search boxes, the first ``first`` of the
    rest, and the others."""
    across = tuple(p for p in params if p.widget().spans)
    rest = [p for p in params if not p.widget().spans]
    more = tuple(rest[first:])
    return Panel(across, tuple(rest[:first]), more, in_use(more, values))


def in_use(params: Iterable[Param], values: Mapping[str, Any]) -> int:
    """How many of ``params`` hold a value other than their default (a section or panel that holds
    them opens by itself)."""
    return sum(1 for p in params if p.key in values and values[p.key] != p.default)


def filters(params: Iterable[Param]) -> list[Filter]:
    """The parameters that narrow rows (a control, such as a sort order, does not)."""
    return [f for p in params if (f := p.as_filter()) is not None]


def masks(idx: FrameIndex, values: Mapping[str, Any], params: Sequence[Param]) -> dict[str, np.ndarray]:
    """Each filter's own mask (only those that narrow at their current value)."""
    out = {}
    for p in filters(params):
        found = p.mask(idx, values.get(p.key, p.default))
        if found is not None:
            out[p.key] = found
    return out


def _all(found: Sequence[np.ndarray], idx: FrameIndex) -> np.ndarray:
    return np.logical_and.reduce(found) if found else idx.everything()


def mask(idx: FrameIndex, values: Mapping[str, Any], params: Sequence[Param]) -> np.ndarray:
    """Rows that match every parameter."""
    return _all(list(masks(idx, values, params).values()), idx)


@dataclass(frozen=True)
class Narrowed:
    """The rows that match every filter, and for each facet the rows each of its values would
    give with every *other* filter applied (what its widget shows beside each value)."""

    keep: np.ndarray
    counts: Mapping[str, Mapping[str, int]]

    @property
    def total(self) -> int:
        return int(self.keep.sum())


def narrow(idx: FrameIndex, values: Mapping[str, Any], params: Sequence[Param]) -> Narrowed:
    """``mask`` and the facet counts at once: each filter's own mask is computed a single time."""
    own = masks(idx, values, params)
    keep = _all(list(own.values()), idx)
    rows: dict[frozenset[str], np.ndarray | None] = {frozenset(): None}
    counts: dict[str, dict[str, int]] = {}
    for p in filters(params):
        others = frozenset(key for key in own if key != p.key)
        if others not in rows:  # facets whose other filters are the same share one set of row positions
            rows[others] = np.flatnonzero(keep if others == frozenset(own) else _all([own[k] for k in others], idx))
        found = p.counts(idx, rows[others])
        if found is not None:
            counts[p.key] = found
    return Narrowed(keep, counts)


def options(idx: FrameIndex, params: Iterable[Param]) -> dict[str, list[str]]:
    """Each facet's values present in the data, for the widgets and for parsing a URL."""
    return {p.key: found for p in filters(params) if (found := p.offered(idx)) is not None}
