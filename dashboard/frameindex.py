"""The columns that filters read, coded once per data version.

Each facet or search column becomes integer codes into its distinct values (categories keep their
own codes; other columns are dictionary-encoded by Arrow). A filter then works on the distinct
values (a few hundred, usually) and maps the answer to rows with one array lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import ClassVar, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

FOLD_BYTES = 100
"""Average length of a column's values from which searching a lower-case copy pays for its memory
(long notes: about half the time; values of a few words: no faster)."""


@dataclass(frozen=True)
class Coded:
    """One column as codes into its distinct values: ``shifted`` holds each row's code + 1 (0 for an
    empty cell) in the smallest unsigned type, so a million rows of a column with fewer than 255
    values take 1 MB and gathers read little memory."""

    shifted: np.ndarray
    values: pa.Array
    by_row: bool = False
    """Each row has a value of its own: ``values`` is the column itself, in row order (free text)."""

    @classmethod
    def of(cls, codes: np.ndarray, values: pa.Array) -> Coded:
        """From codes into ``values`` (-1 where the cell is empty)."""
        kind = np.uint8 if len(values) < 255 else np.uint16 if len(values) < 65535 else np.uint32
        return cls(np.add(codes, 1, dtype=np.int64).astype(kind), values)

    @classmethod
    def rows_of(cls, text: pa.Array) -> Coded:
        """A column whose every row keeps its own value (the values are the column, in row order)."""
        return replace(cls.of(np.arange(len(text)), text), by_row=True)

    @cached_property
    def labels(self) -> list[str]:
        return [str(v) for v in self.values.to_pylist()]

    @cached_property
    def folded(self) -> pa.Array | None:
        """The values in lower case when they are long text (``FOLD_BYTES`` a value on average) and
        every one is ASCII (else None): an ASCII word is then found as a literal pattern
        (``dashboard.filters.find_word``), the same rows sooner than a case-insensitive search. Short
        values are searched as fast either way, and a copy of them would only take memory. Made on
        the first search of a data version, and kept with it."""
        given = len(self.values) - self.values.null_count
        if not given or pc.sum(pc.binary_length(self.values)).as_py() < FOLD_BYTES * given:
            return None
        ascii_only = pc.all(pc.string_is_ascii(self.values)).as_py()
        return None if ascii_only is False else pc.ascii_lower(self.values)

    def lookup(self, wanted: np.ndarray) -> np.ndarray:
        """Rows whose value is wanted, from one flag per distinct value (an empty cell is never wanted)."""
        if self.by_row:
            return np.asarray(wanted, dtype=bool)
        return np.concatenate(([False], wanted))[self.shifted]

    def tally(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Rows per distinct value, among ``rows`` (positions, or a mask) when given. Positions are
        cheaper: a mask is turned into them first, and one set of positions can serve many columns."""
        if rows is not None and rows.dtype == bool:
            rows = np.flatnonzero(rows)
        shifted = self.shifted if rows is None else self.shifted.take(rows)
        return np.bincount(shifted, minlength=len(self.values) + 1)[1:]


SAMPLE = 65_536
"""Rows a search-only column is sampled on: if most of them differ, the column is free text."""


def code(series: pd.Series, *, counted: bool = True) -> Coded:
    """Categories keep their codes; other columns are dictionary-encoded by Arrow (as text).

    A column only searched (``counted=False``: no facet counts its values) whose sampled rows mostly
    differ is free text: each row keeps its own value, as for a column whose values all differ, and
    a million distinct strings are not hashed for a dictionary that would save nothing."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = pa.array(series.cat.categories.astype(str), type=pa.string())
        return Coded.of(series.cat.codes.to_numpy(), categories)
    as_text = series if pd.api.types.is_string_dtype(series.dtype) else series.astype("string")
    text = pa.array(as_text, type=pa.string(), from_pandas=True)
    if isinstance(text, pa.ChunkedArray):  # a large column arrives in chunks: one dictionary for all of them
        text = text.combine_chunks()
    if not counted and len(text) > SAMPLE and mostly_distinct(text.slice(0, SAMPLE)):
        return Coded.rows_of(text)
    encoded = pc.dictionary_encode(text)
    if len(encoded.dictionary) == len(text) and text.null_count == 0:
        # Every value differs (a free-text column): the values are the column itself, in row order,
        # and share its text with the frame instead of holding a second copy (20 MB on 1M rows).
        return Coded.rows_of(text)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return Coded.of(codes, encoded.dictionary)


def mostly_distinct(text: pa.Array) -> bool:
    """The distinct values are more than half the given (non-empty) cells."""
    given = len(text) - text.null_count
    return given > 0 and pc.count_distinct(text).as_py() > given // 2


@dataclass(frozen=True)
class FrameIndex:
    """The columns that filters read, coded once per data version (shared, never mutated)."""

    rows: int
    columns: Mapping[str, Coded]
    free_text: FreeText | None
    """The free-text columns joined in lower case (the function ``free_text`` below), made with the
    index: made on a data version's first search instead, it made that visitor wait 410-450 ms at a
    million rows, against 50-130 ms for later searches."""

    @property
    def nbytes(self) -> int:
        joined = 0 if self.free_text is None else self.free_text.folded.nbytes
        return sum(c.shifted.nbytes + c.values.nbytes for c in self.columns.values()) + joined

    def everything(self) -> np.ndarray:
        return np.ones(self.rows, dtype=bool)


@dataclass(frozen=True)
class FreeText:
    """Several free-text columns as one lower-case text per row, the columns' values joined by a line
    break: a search word never holds white space, so it never matches across two columns. Only ASCII
    words are looked for in it (``dashboard.filters.find_literal``): an ASCII letter lower-cased is
    the same byte whatever else the text holds, so it finds the rows a case-insensitive search of
    each column finds (one known exception: a dotted capital I, lower-cased, holds an "i")."""

    columns: tuple[str, ...]
    folded: pa.Array
    SEPARATOR: ClassVar[str] = "\n"


class Reads(Protocol):
    @property
    def reads(self) -> tuple[str, ...]: ...


def index(frame: pd.DataFrame, params: Iterable[Reads]) -> FrameIndex:
    """Code every column that ``params`` facet or search over (columns the frame lacks are skipped).
    A parameter whose class says ``counts_values = False`` (a search) only looks values up; every
    other one may count rows per distinct value, so its columns get exact dictionaries."""
    params = list(params)
    names = dict.fromkeys(c for p in params for c in p.reads if c in frame.columns)
    counted = {c for p in params if getattr(p, "counts_values", True) for c in p.reads}
    columns = {name: code(frame[name], counted=name in counted) for name in names}
    return FrameIndex(len(frame), columns, free_text(columns))


def free_text(columns: Mapping[str, Coded]) -> FreeText | None:
    """The columns whose every row keeps its own text (``Coded.by_row``: an extract's record names
    and notes, and columns nearly always empty), joined row by row in lower case, when there are two
    or more (else None). An ASCII word is then looked for in one pass over a million rows instead of
    one per column: Arrow's cost is mostly per value, empty ones included, so four passes over short
    texts cost far more than one over all of them."""
    names = tuple(name for name, coded in columns.items() if coded.by_row)
    if len(names) < 2:
        return None
    joined = pc.binary_join_element_wise(
        *(pc.fill_null(columns[name].values, "") for name in names), FreeText.SEPARATOR
    )
    ascii_only = pc.all(pc.string_is_ascii(joined)).as_py() is not False
    return FreeText(names, pc.ascii_lower(joined) if ascii_only else pc.utf8_lower(joined))
