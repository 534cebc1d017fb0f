"""Read one CSV file into a typed frame, turning every way a file can be broken into a Problem
with the line an editor shows. Never raises on bad bytes.

The reader is given the declared Arrow type of each column (``TableSpec.read_types``): numbers are
parsed as numbers and repeating text is dictionary-encoded while reading. When a cell does not
convert, the file is read once more as text and each declared column converted on its own; the
cells that would not convert are reported as ``BadCell`` records (and left empty), so validation
sees every other cell and never types a column again. The frame crosses from Arrow to pandas once.

Parsing uses pyarrow's CSV reader (fast, multi-threaded, RFC 4180 quoting). Line numbers are only
worked out when a file has quotes, blank lines or broken rows; otherwise data row ``i`` sits on
line ``i + 2``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from dashboard.csvlines import Lines, line_of, newlines, record_lines, scan_records
from dashboard.problems import Problem

MAX_BYTES = 1024 * 1024 * 1024
"""Largest file read (1 GiB); larger is refused with a message rather than exhausting memory."""

BLOCK_BYTES = 16 * 1024 * 1024
"""pyarrow parses in blocks; one record must fit in a block, so this is also the longest row."""

_OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


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


Types = Mapping[str, pa.DataType]
"""Arrow type per column name; columns not named are read as text."""


def read_csv_file(path: Path, types: Types | None = None) -> RawTable:
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
    return read_csv_bytes(name, data, types)


def read_csv_bytes(name: str, data: bytes, types: Types | None = None) -> RawTable:
    """Parse ``data`` with the declared ``types`` (columns not named stay text)."""
    digest = _Digest(data)  # hashed on another thread while this one parses (hashlib lets go of the GIL)
    return replace(_read_bytes(name, data, types), digest=digest.result())


def _read_bytes(name: str, data: bytes, types: Types | None) -> RawTable:
    found = _byte_problems(name, data)
    if found:
        return RawTable(None, (found,))
    header, header_problems = _header(name, data)
    if header_problems:
        return RawTable(None, tuple(header_problems))
    end = _content_end(data)
    if data.find(b"\n", 0, end) < 0:
        return _broken(name, None, "has a header but no data rows")
    types = {c: t for c, t in (types or {}).items() if c in header}
    read_as = "typed"
    try:
        try:
            table, bad_rows = _parse(data, end, header, types)
        except pa.ArrowInvalid as err:
            if not types or "conversion error" not in str(err) or "UTF8" in str(err):
                raise
            table, bad_rows = _parse(data, end, header, {})
            read_as = "text"
    except (pa.ArrowInvalid, UnicodeDecodeError) as err:
        return RawTable(None, (_parse_error(name, data, err),))
    if table.num_rows == 0 and bad_rows == 0:
        return _broken(name, None, "has a header but no data rows")
    problems: tuple[Problem, ...] = ()
    if bad_rows:
        starts, row_problems = scan_records(name, data, len(header))
        if table.num_rows != len(starts):
            return RawTable(None, tuple(row_problems))
        lines, problems = Lines(np.asarray(starts)), tuple(row_problems)
    else:
        lines = Lines(None if newlines(data, end) == table.num_rows else record_lines(data[:end]))
    frame, bad_cells = _to_frame(table, types if read_as == "text" else {})
    return RawTable(frame, problems, lines, bad_cells, read_as)


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


def _byte_problems(name: str, data: bytes) -> Problem | None:
    if not data or data.isspace():  # isspace() stops at the first other byte: no copy of a big file
        return Problem(name, None, None, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(name, 1, None, "file is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)")
    nul = data.find(b"\x00")
    if nul >= 0:
        return Problem(name, line_of(data, nul), None, "file is binary (it contains NUL bytes), not CSV text")
    return None


def _utf8_problem(name: str, data: bytes) -> Problem | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        byte = data[err.start : err.start + 1].hex().upper()
        message = "text is not UTF-8; save the file as UTF-8 (in Excel: CSV UTF-8)"
        return Problem(name, line_of(data, err.start), None, message, f"byte 0x{byte}")
    return None


def _header(name: str, data: bytes) -> tuple[list[str], list[Problem]]:
    first = data[: 256 * 1024].decode("utf-8-sig", errors="replace")
    try:
        names = next(csv.reader(io.StringIO(first)), [])
    except csv.Error:
        names = []
    names = [n.strip() for n in names]
    problems: list[Problem] = []
    if len(names) <= 1 and names:
        for delimiter, word in _OTHER_DELIMITERS.items():
            if delimiter in names[0]:
                message = f"columns are separated by {word}; use commas"
                problems.append(Problem(name, 1, None, message, names[0]))
                return names, problems
    seen: set[str] = set()
    for index, column in enumerate(names, start=1):
        if not column:
            problems.append(Problem(name, 1, None, f"column {index} of the header has no name"))
        elif column in seen:
            problems.append(Problem(name, 1, column, "column name appears more than once"))
        seen.add(column)
    if not names:
        problems.append(Problem(name, 1, None, "the first line is not a CSV header"))
    return names, problems


def _parse(data: bytes, end: int, header: list[str], types: Types) -> tuple[pa.Table, int]:
    bad_rows = 0

    def skip(_row: object) -> str:
        nonlocal bad_rows
        bad_rows += 1
        return "skip"

    read = pcsv.ReadOptions(block_size=BLOCK_BYTES, skip_rows=1, column_names=header)
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


def _parse_error(name: str, data: bytes, err: Exception) -> Problem:
    if "UTF8" in str(err) or isinstance(err, UnicodeDecodeError):
        found = _utf8_problem(name, data)
        if found is not None:
            return found
    if "straddling" in str(err) or "block" in str(err):
        return Problem(name, None, None, f"a row is longer than {BLOCK_BYTES // 2**20} MiB")
    return Problem(name, None, None, "file cannot be parsed as CSV")


def _to_frame(table: pa.Table, convert: Types) -> tuple[pd.DataFrame, tuple[BadCell, ...]]:
    """Trim text cells, make cells that are empty after trimming missing, convert the columns of
    a file that was read as text (``convert``), and hand over to pandas once."""
    columns: list[pa.ChunkedArray] = []
    bad: list[BadCell] = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        cleaned = _clean(column)
        if name in convert:
            cleaned, wrong = _convert(name, cleaned, convert[name])
            bad.extend(wrong)
        columns.append(cleaned)
    # Text in one chunk: taking a few rows from text split over the reader's blocks costs ten times
    # more than from one array, and every view takes rows. Only text needs it: numbers and
    # categories become single numpy arrays in pandas anyway (combining them first costs 60 ms
    # on a million rows for nothing).
    columns = [_one_chunk(c) if pa.types.is_string(c.type) else c for c in columns]
    return pa.Table.from_arrays(columns, names=table.column_names).to_pandas(types_mapper=_pandas_type), tuple(bad)


def _one_chunk(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return column if column.num_chunks <= 1 else pa.chunked_array([column.combine_chunks()], type=column.type)


def _convert(name: str, text: pa.ChunkedArray, target: pa.DataType) -> tuple[pa.ChunkedArray, list[BadCell]]:
    """One text column to its declared type; cells that do not convert become missing."""
    if pa.types.is_dictionary(target):
        return pc.dictionary_encode(text), []
    try:
        numbers = pc.cast(text, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = pa.chunked_array([pd.to_numeric(text.to_pandas(), errors="coerce").to_numpy(dtype="float64")])
    values = numbers.to_numpy()
    given = pc.is_valid(text).to_numpy(zero_copy_only=False)
    good = np.isfinite(values)
    whole = pa.types.is_integer(target)
    if whole:
        good &= np.mod(np.nan_to_num(values), 1) == 0
    wrong = np.flatnonzero(given & ~good)
    expected = "a whole number" if whole else "a number"
    cells = [BadCell(int(row), name, str(text[int(row)]), expected) for row in wrong]
    values = np.where(good, values, np.nan)
    if whole:
        return pa.chunked_array([pa.array(values, from_pandas=True).cast(pa.int64())]), cells
    return pa.chunked_array([pa.array(values, from_pandas=True)]), cells


def _clean(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_dictionary(column.type):
        return _clean_dictionary(column)
    if not pa.types.is_string(column.type):
        return column
    trimmed = pc.utf8_trim_whitespace(column)
    if not pc.any(pc.equal(trimmed, "")).as_py():
        return trimmed
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


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
