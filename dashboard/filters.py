"""The filters: the parameters that narrow a table's rows (``Search`` over text columns, ``Facet``
over one column's values). Each kind, like every parameter (``dashboard.params``), reads itself from
a URL, writes itself back, says itself in words and in the docs and describes its input; a filter
also narrows a frame, and a facet offers its values with the rows each would give. Datasette's
filter classes, which carry their own SQL and their own human wording, are the model; a page only
lists its filters. Controls that never narrow rows (a sort order, a body weight) are in
``dashboard.controls``.

Narrowing runs on a ``FrameIndex`` (``dashboard.frameindex``) built once per data version: every
facet and search column as integer codes over its distinct values. A filter nobody used before
therefore costs one pass over each column's distinct values (Arrow's substring kernel for search)
and one lookup per row, never a conversion of every row to text.

A page's parameters together (parsing a whole query string, narrowing, facet counts) are in
``dashboard.filterset``.
"""

from __future__ import annotations

import os
from abc import abstractmethod
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.frameindex import FrameIndex, FreeText
from dashboard.params import Param, single_value
from dashboard.widgets import MultiSelect, TextBox

MAX_SEARCH = 100
"""Longest search text kept from a URL or the search box."""

MAX_WORDS = 10
"""Search words used (more are ignored: each one is a pass over the distinct values)."""

MAX_VALUES = 200
"""Most values one multi-valued parameter may carry (longer lists are a hostile URL)."""

# --- the filters -----------------------------------------------------------------------------


class Filter(Param):
    """A parameter that narrows a table's rows; a facet also offers its values, with counts."""

    @abstractmethod
    def mask(self, idx: FrameIndex, value: Any) -> np.ndarray | None:
        """Rows that pass, or None when the value narrows nothing (nothing chosen)."""

    def offered(self, idx: FrameIndex) -> list[str] | None:
        """The values a multi-select offers (None: this filter offers no list)."""
        return None

    def counts(self, idx: FrameIndex, rows: np.ndarray | None) -> dict[str, int] | None:
        """Rows per offered value among ``rows`` (positions; all rows if None). None: no list offered."""
        return None

    def as_filter(self) -> Filter:
        return self


@dataclass(frozen=True)
class Facet(Filter):
    """A multi-select over the values of ``column``; the query string repeats ``key``.

    ``order`` lists values in the order the schema declares them (the rest follow alphabetically)."""

    key: str
    column: str
    label: str
    order: tuple[str, ...] = ()
    limit: int = MAX_VALUES
    """Most values a reader may choose at once."""

    @property
    def reads(self) -> tuple[str, ...]:
        return (self.column,)

    @property
    def default(self) -> tuple[str, ...]:
        return ()

    def parse(self, raw: Sequence[str], options: Sequence[str]) -> tuple[tuple[str, ...], int]:
        allowed = set(options)
        chosen = tuple(dict.fromkeys(v for v in raw[:MAX_VALUES] if v in allowed))[: self.limit]
        return chosen, len(raw) - len(chosen)

    def to_query(self, value: Sequence[str]) -> list[str]:
        return [str(v) for v in value]

    def shown(self, value: Sequence[str]) -> str:
        return ", ".join(value)

    def doc(self) -> str:
        most = f", up to {self.limit}" if self.limit < MAX_VALUES else ""
        return f"`{self.key}` ({self.label.lower()}, repeatable{most})"

    def example(self, present: Sequence[str]) -> tuple[str, ...] | None:
        return (present[0],) if present else None

    def widget(self) -> MultiSelect:
        return MultiSelect(self.label, self.limit if self.limit < MAX_VALUES else None)

    def to_widget(self, value: Sequence[str]) -> list[str]:
        return list(value)

    def from_widget(self, raw: Iterable[str]) -> tuple[str, ...]:
        return tuple(raw)

    def mask(self, idx: FrameIndex, value: Sequence[str]) -> np.ndarray | None:
        coded = idx.columns.get(self.column)
        if not value or coded is None:
            return None
        return coded.lookup(pc.is_in(coded.values, pa.array(list(value), pa.string())).to_numpy(zero_copy_only=False))

    def offered(self, idx: FrameIndex) -> list[str]:
        """The values present, in the schema's order first, then alphabetically."""
        coded = idx.columns.get(self.column)
        if coded is None:
            return []
        present = {label for label, n in zip(coded.labels, coded.tally(), strict=True) if n}
        first = [v for v in self.order if v in present]
        return first + sorted(present - set(first), key=str.casefold)

    def counts(self, idx: FrameIndex, rows: np.ndarray | None) -> dict[str, int]:
        coded = idx.columns.get(self.column)
        if coded is None:
            return {}
        return {label: int(n) for label, n in zip(coded.labels, coded.tally(rows), strict=True) if n}


@dataclass(frozen=True)
class Search(Filter):
    """Case-insensitive text search: every word must appear in one of ``columns``."""

    key: str
    columns: tuple[str, ...]
    label: str = "Search"
    counts_values: ClassVar[bool] = False
    """A search only looks values up (``dashboard.frameindex.index`` may keep free text row by row)."""

    @property
    def reads(self) -> tuple[str, ...]:
        return self.columns

    @property
    def default(self) -> str:
        return ""

    def parse(self, raw: Sequence[str], options: Sequence[str]) -> tuple[str, int]:
        last, dropped = single_value(raw)
        words = " ".join(last.split())
        return words[:MAX_SEARCH], dropped + (len(words) > MAX_SEARCH)

    def to_query(self, value: str) -> list[str]:
        return [value]

    def shown(self, value: str) -> str:
        return value

    def doc(self) -> str:
        return f"`{self.key}` ({self.label.lower()})"

    def example(self, present: Sequence[str]) -> str | None:
        """The first word of the most common value (a search that finds something)."""
        words = present[0].split() if present else []
        return words[0] if words else None

    def widget(self) -> TextBox:
        return TextBox(self.label, MAX_SEARCH, "Type words to find in the text columns")

    def mask(self, idx: FrameIndex, value: str) -> np.ndarray | None:
        if not value:
            return None
        coded = {c: idx.columns[c] for c in self.columns if c in idx.columns}
        joined = idx.free_text
        if joined is not None and not set(joined.columns) <= set(coded):
            joined = None  # this search leaves out one of the joined columns
        keep = idx.everything()
        for word in value.split()[:MAX_WORDS]:
            hit = np.zeros(idx.rows, dtype=bool)
            found_joined = None if joined is None else find_joined(joined, word)
            done = joined.columns if joined is not None and found_joined is not None else ()
            for name, column in coded.items():
                if name in done:
                    continue
                found = find_word(column.values, column.folded if word.isascii() else None, word)
                flags = pc.fill_null(found, False).to_numpy(zero_copy_only=False)
                if flags.any():
                    hit |= column.lookup(flags)
            if found_joined is not None:
                hit |= found_joined
            keep &= hit
        return keep


def literal_pattern(word: str) -> str:
    """A regular expression (RE2) that matches ``word`` literally: every ASCII character that is not
    a letter or a digit is escaped (RE2 takes an escaped punctuation mark as itself)."""
    return "".join(f"\\{c}" if c.isascii() and not c.isalnum() and c.isprintable() else c for c in word)


SPLIT_ROWS = 250_000
"""Rows of joined free text from which a word is looked for in parts, one thread each (Arrow lets go
of the interpreter while it scans): a million rows of long notes take about half the time on two
cores. Below this, starting threads would cost more than it saves."""
MAX_PARTS = 4


def find_joined(joined: FreeText, word: str, parts: int | None = None) -> np.ndarray | None:
    """Which rows of ``joined`` hold ``word`` (a flag per row; None as ``find_literal``). A large
    text is cut into ``parts`` slices (by default one per core, up to ``MAX_PARTS``) searched at once."""
    text = joined.folded
    if parts is None:
        parts = min(cores(), MAX_PARTS) if len(text) >= SPLIT_ROWS else 1
    step = -(-len(text) // max(parts, 1))
    slices = [text.slice(start, step) for start in range(0, len(text), step)] if len(text) else [text]
    if len(slices) == 1:
        found = [find_literal(slices[0], word)]
    else:
        with ThreadPoolExecutor(len(slices)) as pool:
            found = list(pool.map(lambda part: find_literal(part, word), slices))
    if any(f is None for f in found):
        return None
    flags = [pc.fill_null(f, False).to_numpy(zero_copy_only=False) for f in found]
    return np.concatenate(flags) if len(flags) > 1 else np.asarray(flags[0], dtype=bool)


def cores() -> int:
    """Cores this process may run on (Linux keeps a container's limit in the affinity mask)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def find_literal(folded: pa.Array, word: str) -> pa.Array | None:
    """Which lower-case ``folded`` values hold ``word`` (ignoring case), as a literal pattern: RE2
    skips to each occurrence of its first byte. None when the word is not ASCII or RE2 refuses it
    (the caller then searches each column as it is)."""
    if not word.isascii():
        return None
    try:
        return pc.match_substring_regex(folded, literal_pattern(word.lower()))
    except pa.ArrowInvalid:
        return None


def find_word(values: pa.Array, folded: pa.Array | None, word: str) -> pa.Array:
    """Which ``values`` hold ``word``, ignoring case. With ``folded`` (the values in lower case,
    when every value is ASCII) and an ASCII word, the lower-case word is searched as a literal
    pattern: RE2 then skips to each occurrence of its first byte, where a case-insensitive search
    must look at every byte (about half the time on long notes), and the rows are the same."""
    found = None if folded is None else find_literal(folded, word)
    return found if found is not None else pc.match_substring(values, word, ignore_case=True)
