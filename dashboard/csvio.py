"""Read one CSV file into a typed frame, turning every way a file can be broken into a Problem
with the line an editor shows. Never raises on bad bytes.

The reader is given each declared column's kind (``TableSpec.kinds``, ``dashboard.kinds``) and
parses with the kind's Arrow type: numbers are parsed as numbers, dates as dates, and repeating
text is dictionary-encoded while reading. When the typed read fails, the file is read once more as
text: if that works, each declared column is converted by its kind on its own, and the cells that
would not convert are reported as ``BadCell`` records (and left empty), so validation sees every
other cell and never types a column again. If even the text read fails, ``dashboard.filechecks``
says why from the file's bytes. The frame crosses from Arrow to pandas once.

Parsing uses pyarrow's CSV reader (fast, multi-threaded, RFC 4180 quoting). Line numbers are only
worked out when a file has quotes, blank lines or broken rows; otherwise data row ``i`` sits on
line ``i + 2``.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from dashboard import filechecks
from dashboard.csvlines import SHORT_LINE, Lines, line_breaks, line_of, newlines, record_lines, scan_records
from dashboard.filechecks import BLOCK_BYTES
from dashboard.kinds import ColumnKind
from dashboard.problems import Problem

MAX_BYTES = 1024 * 1024 * 1024
"""Largest file read (1 GiB); larger is refused with a message rather than exhausting memory."""


@dataclass(frozen=True)
class BadCell:
    """A cell that is not of its column's declared type; it is missing in the frame."""

    row: int
    column: str
    text: str
    expected: str


@dataclass(frozen=True)
class RawTable:
    """The parsed file: typed columns (``None`` for an empty cell), or the problems that stopped it.

    ``read_as`` says how it was read: ``"typed"`` in one pass, or ``"text"`` when a cell did not
    convert and the columns were converted one by one (``bad_cells`` lists those cells)."""

    frame: pd.DataFrame | None
    problems: tuple[Problem, ...]
    lines: Lines = field(default_factory=Lines)
    bad_cells: tuple[BadCell, ...] = ()
    read_as: str = "typed"
    digest: str | None = None
    """sha256 of the file's bytes: the identity of this version of the table."""
    notes: tuple[Problem, ...] = ()
    """What was read past without being an error (entirely empty rows skipped)."""


Kinds = Mapping[str, ColumnKind]
"""The kind of each declared column; columns not named are read as text."""


def read_csv_file(path: Path, kinds: Kinds | None = None) -> RawTable:
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return _broken(
                name, None, f"file is too large ({size // 2**20} MiB; the limit is {MAX_BYTES // 2**20} MiB)"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        return _broken(name, None, "file is missing")
    except IsADirectoryError:
        return _broken(name, None, "is a folder, not a file")
    except OSError as err:
        return _broken(name, None, f"file cannot be read ({err.strerror or type(err).__name__})")
    return read_csv_bytes(name, data, kinds)


def read_csv_bytes(name: str, data: bytes, kinds: Kinds | None = None) -> RawTable:
    """Parse ``data`` with the declared ``kinds`` (columns not named stay text)."""
    digest = _Digest(data)  # hashed on another thread while this one parses (hashlib lets go of the GIL)
    return replace(_read_bytes(name, data, kinds or {}), digest=digest.result())


def _read_bytes(name: str, data: bytes, kinds: Kinds) -> RawTable:
    found = filechecks.byte_problem(name, data)
    if found:
        return RawTable(None, (found,))
    header, header_problems = filechecks.header(name, data)
    if header_problems:
        return RawTable(None, tuple(header_problems))
    end = _content_end(data)
    if data.find(b"\n", 0, end) < 0:
        return _broken(name, None, "has a header but no data rows")
    declared = {c: k for c, k in kinds.items() if c in header}
    breaks, short_lines = line_breaks(data, end)
    block = _block_size(data, end, short_lines)
    parsed = _typed_or_text(data, end, header, declared, block)
    notes: tuple[Problem, ...] = ()
    if _may_have_empty_rows(data, end, parsed, breaks):  # the rare case: read again without the empty rows
        data, empty = _blank_empty_rows(data, end)
        if empty:
            notes = (_empty_note(name, empty),)
            end = _content_end(data)
            if data.find(b"\n", 0, end) < 0:
                return RawTable(None, (Problem(name, None, None, "has a header but no data rows"),), notes=notes)
            parsed, breaks = _typed_or_text(data, end, header, declared, block), newlines(data, end)
    if parsed is None:
        return RawTable(None, (filechecks.unparsable(name, data),), notes=notes)
    table, bad_rows, convert = parsed
    if table.num_rows == 0 and bad_rows == 0:
        return RawTable(None, (Problem(name, None, None, "has a header but no data rows"),), notes=notes)
    problems: tuple[Problem, ...] = ()
    if bad_rows:
        starts, row_problems = scan_records(name, data, len(header))
        if table.num_rows != len(starts):
            return RawTable(None, tuple(row_problems), notes=notes)
        lines, problems = Lines(np.asarray(starts)), tuple(row_problems)
    else:
        lines = Lines(None if breaks == table.num_rows else record_lines(data[:end]))
    frame, bad_cells = _to_frame(table, convert)
    return RawTable(frame, problems, lines, bad_cells, "text" if convert else "typed", notes=notes)


_EMPTY_ROW = re.compile(rb"^[ \t,]*(?=\r?$)", re.MULTILINE)
"""A line with nothing but commas and spaces: the empty rows Excel leaves below a table."""


def _may_have_empty_rows(data: bytes, end: int, parsed: tuple[pa.Table, int, Kinds] | None, breaks: int) -> bool:
    """Whether the file may hold entirely empty rows, from what the read already knows: rows the
    reader refused (a short row of commas), no column without an empty cell (full rows of commas
    parse as rows of empty cells), or more lines than rows with a blank line among them (the reader
    skips blank lines; they are counted for the note). Most files have a column with no empty cell
    and one row per line, and take none of the searches."""
    if parsed is None:
        return True
    table, bad_rows, _ = parsed
    if bad_rows or table.num_rows == 0 or all(column.null_count > 0 for column in table.columns):
        return True
    return breaks != table.num_rows and (data.find(b"\n\n", 0, end) >= 0 or data.find(b"\n\r\n", 0, end) >= 0)


def _blank_empty_rows(data: bytes, end: int) -> tuple[bytes, list[int]]:
    """``data`` with every entirely empty row (only commas and spaces, or nothing) emptied to its
    bare line break, so the reader skips it and every other row keeps its line; and the lines of
    those rows. Text inside a quoted cell is never touched (a quote-parity test)."""
    start = data.find(b"\n") + 1
    found = [m.span() for m in _EMPTY_ROW.finditer(data, start, end)]
    if not found:
        return data, []
    spans = np.array(found, dtype=np.int64)
    quotes = np.flatnonzero(np.frombuffer(data, dtype=np.uint8, count=end) == 34)
    outside = np.searchsorted(quotes, spans[:, 0]) % 2 == 0
    spans = spans[outside]
    if not len(spans):
        return data, []
    pieces, last = [], 0
    for begin, stop in spans.tolist():
        pieces.append(data[last:begin])
        last = stop
    pieces.append(data[last:])
    lines = [line_of(data, int(begin)) for begin in spans[:, 0][: _LISTED_LINES + 1]]
    lines += [0] * (len(spans) - len(lines))  # only the count of the rest is reported
    return b"".join(pieces), lines


_LISTED_LINES = 5


def _empty_note(name: str, lines: list[int]) -> Problem:
    shown = [str(line) for line in lines[:_LISTED_LINES] if line]
    more = "" if len(lines) <= _LISTED_LINES else f" and {len(lines) - _LISTED_LINES} more"
    word = "row" if len(lines) == 1 else "rows"
    where = "line" if len(lines) == 1 else "lines"
    message = f"{len(lines)} entirely empty {word} skipped ({where} {', '.join(shown)}{more})"
    return Problem(name, None, None, message)


PARSE_BYTES = 2 * SHORT_LINE
"""The block the reader parses a file in when every line is well within it: a block's columns still
sit in the CPU cache while they are converted (a quarter less CPU than 16 MiB blocks on a 700 MB file)."""


def _block_size(data: bytes, end: int, short_lines: bool) -> int:
    """``PARSE_BYTES`` when no record can straddle such blocks (no quotes, so a record is one line,
    and every line at most half a block: ``short_lines``); else ``BLOCK_BYTES``, which is also the
    longest row."""
    if end <= PARSE_BYTES or not short_lines or data.find(b'"', 0, end) >= 0:
        return BLOCK_BYTES
    return PARSE_BYTES


def _typed_or_text(
    data: bytes, end: int, header: list[str], kinds: Kinds, block: int = BLOCK_BYTES
) -> tuple[pa.Table, int, Kinds] | None:
    """The table read with each kind's Arrow type; else read as text, with the kinds still to
    convert column by column; None when not even text can be read (the bytes say why)."""
    types = {c: k.arrow for c, k in kinds.items() if k.arrow != pa.string()}
    try:
        return (*_parse(data, end, header, types, block), {})
    except (pa.ArrowInvalid, UnicodeDecodeError):
        if not types:
            return None
    try:
        return (*_parse(data, end, header, {}, block), kinds)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None


class _Digest:
    """sha256 of ``data``: at once for a small file, on a thread of its own for a large one."""

    THREAD_BYTES = 8 * 2**20

    def __init__(self, data: bytes) -> None:
        self._value: str | None = None
        self._thread: threading.Thread | None = None
        if len(data) < self.THREAD_BYTES:
            self._value = hashlib.sha256(data).hexdigest()
        else:
            self._thread = threading.Thread(target=self._hash, args=(data,), name="csv-sha256", daemon=True)
            self._thread.start()

    def _hash(self, data: bytes) -> None:
        self._value = hashlib.sha256(data).hexdigest()

    def result(self) -> str:
        if self._thread is not None:
            self._thread.join()
        assert self._value is not None
        return self._value


def _content_end(data: bytes) -> int:
    """Where the content ends: blank lines and spaces at the very end are common and harmless."""
    end = len(data)
    while end and data[end - 1] in b" \t\r\n":
        end -= 1
    return end


def _broken(name: str, line: int | None, message: str, value: str | None = None) -> RawTable:
    return RawTable(None, (Problem(name, line, None, message, value),))


def _parse(
    data: bytes, end: int, header: list[str], types: Mapping[str, pa.DataType], block: int = BLOCK_BYTES
) -> tuple[pa.Table, int]:
    bad_rows = 0

    def skip(_row: object) -> str:
        nonlocal bad_rows
        bad_rows += 1
        return "skip"

    read = pcsv.ReadOptions(block_size=block, skip_rows=1, column_names=header)
    parse = pcsv.ParseOptions(newlines_in_values=b'"' in data, invalid_row_handler=skip)
    convert = pcsv.ConvertOptions(
        column_types={c: types.get(c, pa.string()) for c in header},
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    source = pa.BufferReader(pa.py_buffer(data)[:end])
    table = pcsv.read_csv(source, read_options=read, parse_options=parse, convert_options=convert)
    return table, bad_rows


def _to_frame(table: pa.Table, convert: Kinds) -> tuple[pd.DataFrame, tuple[BadCell, ...]]:
    """Trim text cells, make cells that are empty after trimming missing, convert the columns of
    a file that was read as text (``convert``), and hand over to pandas once."""
    columns: list[pa.ChunkedArray] = []
    bad: list[BadCell] = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        # Text in one chunk first (see below): it is looked at, and trimmed when it must be, once.
        cleaned = _clean(_one_chunk(column) if pa.types.is_string(column.type) else column)
        kind = convert.get(name)
        if kind is not None:
            text = cleaned
            cleaned, wrong = kind.parse(text)
            bad.extend(BadCell(int(row), name, str(text[int(row)]), kind.expected) for row in wrong)
        columns.append(cleaned)
    # Text in one chunk: taking a few rows from text split over the reader's blocks costs ten times
    # more than from one array, and every view takes rows. Only text needs it: numbers and
    # categories become single numpy arrays in pandas anyway (combining them first costs 60 ms
    # on a million rows for nothing).
    columns = [_one_chunk(c) if pa.types.is_string(c.type) else c for c in columns]
    frame = pa.Table.from_arrays(columns, names=table.column_names).to_pandas(
        types_mapper=_pandas_type, date_as_object=False
    )
    return frame, tuple(bad)


def _one_chunk(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return column if column.num_chunks <= 1 else pa.chunked_array([column.combine_chunks()], type=column.type)


def _clean(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_dictionary(column.type):
        return _clean_dictionary(column)
    if not pa.types.is_string(column.type) or not needs_trim(column):
        return column
    trimmed = pc.utf8_trim_whitespace(column)
    if not pc.any(pc.equal(trimmed, "")).as_py():
        return trimmed
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


_ASCII_SPACE = np.zeros(256, dtype=bool)
_ASCII_SPACE[[9, 10, 11, 12, 13, 32]] = True
_EDGE_SUSPECT = _ASCII_SPACE | (np.arange(256) >= 0x80)
"""Bytes a cell may not start or end with to be left as it is: ASCII white space, and any byte of a
character beyond ASCII (some of which are white space: a no-break space, an ideographic space)."""


def needs_trim(column: pa.ChunkedArray) -> bool:
    """Whether some cell of a text column has white space at either end, or is empty (then trimming
    changes it), from the first and last byte of each cell: no copy of the text. Cheap enough to
    spare the copy that trimming makes of every text column, most of which have nothing to trim.
    Conservative: a cell that starts or ends with a character beyond ASCII says yes."""
    for chunk in column.chunks:
        if not len(chunk):
            continue
        _, offsets_buffer, data_buffer = chunk.buffers()
        offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[chunk.offset : chunk.offset + len(chunk) + 1]
        starts, ends = offsets[:-1], offsets[1:]
        filled = ends > starts
        if chunk.null_count:
            given = chunk.is_valid().to_numpy(zero_copy_only=False)
            if np.any(given & ~filled):
                return True
            filled &= given
        elif not filled.all():
            return True
        if data_buffer is None or not filled.any():
            continue
        data = np.frombuffer(data_buffer, dtype=np.uint8)
        last = len(data) - 1
        edges = _EDGE_SUSPECT[data[np.minimum(starts, last)]] | _EDGE_SUSPECT[data[np.maximum(ends - 1, 0)]]
        if np.any(edges & filled):
            return True
    return False


def _clean_dictionary(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Trim the (few) dictionary values; re-encode only if trimming merged or emptied some."""
    column = column.unify_dictionaries()
    values = column.chunk(0).dictionary if column.num_chunks else pa.array([], pa.string())
    trimmed = pc.utf8_trim_whitespace(values)
    if trimmed.equals(values):
        return column
    if len(pc.unique(trimmed)) == len(trimmed) and not pc.any(pc.equal(trimmed, "")).as_py():
        chunks = [pa.DictionaryArray.from_arrays(c.indices, trimmed) for c in column.chunks]
        return pa.chunked_array(chunks, type=column.type)
    return pc.dictionary_encode(_clean(column.cast(pa.string())))


def _pandas_type(arrow: pa.DataType) -> object:
    if arrow == pa.string():
        return pd.StringDtype("pyarrow", na_value=np.nan)
    if arrow == pa.int64():
        return pd.Int64Dtype()
    return None
