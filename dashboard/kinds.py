"""Column kinds: everything one kind of column is, in one class each.

A kind owns how the reader parses the column (its Arrow type, and how a column read as text is
converted cell by cell), the pandas dtype the validated frame holds (pandera checks it), the
Frictionless type of the data package, how a table shows it and how the docs name it. pandera's
engine dtypes (one class per dtype, a registry from names to instances) are the model.

The column vocabulary (``dashboard.columns``) declares every column with one of these kinds; the
reader (``dashboard.csvio``), the docs and data package (``dashboard.describe``) and the table
block (``dashboard.ui.tables``) ask the kind and never switch on its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NO_ROWS = np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class Display:
    """How a table shows a kind's cells: the column type of the table widget and its format
    (printf-style for numbers, moment.js-style for dates)."""

    style: str
    """One of ``text``, ``number``, ``link``, ``date`` (the table block maps each to a column type)."""
    format: str | None = None


class ColumnKind:
    """Free text: read as Arrow text, held as pandas' Arrow-backed strings."""

    name: ClassVar[str] = "text"
    words: ClassVar[str] = "text"
    """How the docs' schema table names the kind."""
    arrow: ClassVar[pa.DataType] = pa.string()
    dtype: ClassVar[object] = str
    """The dtype pandera checks the validated frame's column against."""
    frictionless: ClassVar[str] = "string"
    frictionless_format: ClassVar[str | None] = None
    display: ClassVar[Display] = Display("text")
    expected: ClassVar[str] = "text"
    """A cell that does not convert is reported as "not <expected>"."""
    rule: ClassVar[str | None] = None
    """The rule every cell of the kind follows, in the docs' words (None: nothing beyond text)."""
    cites: ClassVar[str | None] = None
    """``"one"`` or ``"many"`` for a column that cites sources.csv (each id must exist there)."""

    def parse(self, text: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
        """A column that was read as text, in this kind's Arrow type, and the rows whose cell did
        not convert (left empty)."""
        return text, NO_ROWS

    def __repr__(self) -> str:
        return f"<{self.name} column kind>"

    # A kind has no state of its own: two instances of one class are the same kind (pandera copies
    # a column's metadata, so the kind a declaration holds is a copy of the one in KINDS).
    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))


class Identifier(ColumnKind):
    """A short id that rows or other tables refer to."""

    name = "id"
    words = "identifier"


class Link(ColumnKind):
    """A web address; the table shows it as a link (after the views allow-list its scheme)."""

    name = "url"
    words = "web address"
    frictionless_format = "uri"
    display = Display("link")
    rule = "https:// or http:// link"


class SourceList(ColumnKind):
    """Several source ids in one cell, separated by "; "."""

    name = "sources"
    words = "source ids"
    cites = "many"
    rule = "source_id(s) present in sources.csv"


class _Coded(ColumnKind):
    """Text that repeats across rows, dictionary-encoded while reading and held as a category
    (fast filters and facet counts over a million rows)."""

    arrow = pa.dictionary(pa.int32(), pa.string())
    dtype = "category"

    def parse(self, text: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
        return pc.dictionary_encode(text), NO_ROWS


class Label(_Coded):
    """Free text that repeats across rows (a population, a comparator)."""

    name = "label"
    words = "text"


class Choice(_Coded):
    """One of a declared list of values."""

    name = "choice"
    words = "choice"


class Source(_Coded):
    """The id of one source in sources.csv."""

    name = "source"
    words = "source id"
    cites = "one"
    rule = "source_id present in sources.csv"


class Number(ColumnKind):
    """A real number."""

    name = "number"
    words = "number"
    arrow = pa.float64()
    dtype = "float64"
    frictionless = "number"
    display = Display("number", "%g")
    expected = "a number"

    def parse(self, text: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
        values, wrong = _numbers(text, whole=False)
        return pa.chunked_array([pa.array(values, from_pandas=True)]), wrong


class Integer(ColumnKind):
    """A whole number (empty cells allowed: pandas' nullable Int64)."""

    name = "integer"
    words = "whole number"
    arrow = pa.int64()
    dtype = "Int64"
    frictionless = "integer"
    display = Display("number", "%d")
    expected = "a whole number"

    def parse(self, text: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
        values, wrong = _numbers(text, whole=True)
        return pa.chunked_array([pa.array(values, from_pandas=True).cast(pa.int64())]), wrong


class Date(ColumnKind):
    """A calendar date written as ISO 8601 ``YYYY-MM-DD`` (the only form that is not ambiguous:
    30/11/2026 and 11/30/2026 are both written somewhere)."""

    name = "date"
    words = "date"
    arrow = pa.date32()
    dtype = "datetime64[ms]"
    frictionless = "date"
    display = Display("date", "YYYY-MM-DD")
    expected = "a date written YYYY-MM-DD (for 30 November 2026: 2026-11-30)"
    rule = "date as YYYY-MM-DD"

    def parse(self, text: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
        stamps = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
        # strptime accepts a day past the month's end (2026-02-30); writing the date back must
        # give the cell's own text, or the cell is not a real date.
        same = pc.equal(pc.strftime(stamps, format="%Y-%m-%d"), text)
        good = pc.fill_null(same, False).to_numpy(zero_copy_only=False)
        given = pc.is_valid(text).to_numpy(zero_copy_only=False)
        dates = pc.if_else(pa.chunked_array([pa.array(good)]), pc.cast(stamps, pa.date32()), None)
        return dates, np.flatnonzero(given & ~good)


def _numbers(text: pa.ChunkedArray, *, whole: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each cell as a float (NaN where empty or not a number) and the rows that did not convert."""
    try:
        numbers = pc.cast(text, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = pa.chunked_array([pd.to_numeric(text.to_pandas(), errors="coerce").to_numpy(dtype="float64")])
    values = numbers.to_numpy()
    given = pc.is_valid(text).to_numpy(zero_copy_only=False)
    good = np.isfinite(values)
    if whole:
        good &= np.mod(np.nan_to_num(values), 1) == 0
    return np.where(good, values, np.nan), np.flatnonzero(given & ~good)


TEXT, IDENTIFIER, LINK, SOURCES = ColumnKind(), Identifier(), Link(), SourceList()
LABEL, CHOICE, SOURCE = Label(), Choice(), Source()
NUMBER, INTEGER, DATE = Number(), Integer(), Date()

KINDS: dict[str, ColumnKind] = {
    kind.name: kind for kind in (TEXT, IDENTIFIER, LINK, SOURCES, LABEL, CHOICE, SOURCE, NUMBER, INTEGER, DATE)
}
"""Every kind by its name."""
