"""Read one CSV file into a frame of text columns, turning every way a file can be broken
into a Problem with the line an editor shows. Never raises on bad bytes.

Parsing uses pyarrow's CSV reader (fast, multi-threaded, RFC 4180 quoting). Line numbers
are only worked out when a file has quotes, blank lines or broken rows; otherwise data
row ``i`` sits on line ``i + 2``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from dashboard.problems import Problem

MAX_BYTES = 1024 * 1024 * 1024
"""Largest file read (1 GiB); larger is refused with a message rather than exhausting memory."""

BLOCK_BYTES = 16 * 1024 * 1024
"""pyarrow parses in blocks; one record must fit in a block, so this is also the longest row."""

_OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


@dataclass(frozen=True)
class RawTable:
    """All cells as text (``None`` for an empty cell); ``lines[i]`` is data row ``i``'s line."""

    frame: pd.DataFrame | None
    lines: np.ndarray | None
    problems: tuple[Problem, ...]

    def line(self, row: int) -> int:
        return int(self.lines[row]) if self.lines is not None else row + 2


Types = Mapping[str, pa.DataType]
"""Arrow type per column name for the fast path; columns not named are read as text."""


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
    """Parse ``data``. With ``types``, numbers are parsed as numbers and listed text columns
    dictionary-encoded while reading; if any cell does not convert, the file is read again as
    text so that every bad cell can be reported with its line."""
    found = _byte_problems(name, data)
    if found:
        return RawTable(None, None, (found,))
    header, header_problems = _header(name, data)
    if header_problems:
        return RawTable(None, None, tuple(header_problems))
    end = _content_end(data)
    if data.find(b"\n", 0, end) < 0:
        return _broken(name, None, "has a header but no data rows")
    try:
        try:
            table, bad_rows = _parse(data, end, header, types or {})
        except pa.ArrowInvalid as err:
            if not types or "conversion error" not in str(err) or "UTF8" in str(err):
                raise
            table, bad_rows = _parse(data, end, header, {})
    except (pa.ArrowInvalid, UnicodeDecodeError) as err:
        return RawTable(None, None, (_parse_error(name, data, err),))
    if table.num_rows == 0 and bad_rows == 0:
        return _broken(name, None, "has a header but no data rows")
    if bad_rows:
        starts, row_problems = _scan_records(name, data, len(header))
        if table.num_rows != len(starts):
            return RawTable(None, None, tuple(row_problems))
        return RawTable(_to_frame(table), np.asarray(starts), tuple(row_problems))
    lines = None if _newlines(data, end) == table.num_rows else _record_lines(data[:end])
    return RawTable(_to_frame(table), lines, ())


def _content_end(data: bytes) -> int:
    """Where the content ends: blank lines and spaces at the very end are common and harmless."""
    end = len(data)
    while end and data[end - 1] in b" \t\r\n":
        end -= 1
    return end


def _broken(name: str, line: int | None, message: str, value: str | None = None) -> RawTable:
    return RawTable(None, None, (Problem(name, line, None, message, value),))


def _newlines(data: bytes, end: int) -> int:
    """Line breaks before ``end`` (numpy counts about 1.5x faster than bytes.count)."""
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8, count=end) == 10))


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _byte_problems(name: str, data: bytes) -> Problem | None:
    if not data or data.isspace():  # isspace() stops at the first other byte: no copy of a big file
        return Problem(name, None, None, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(name, 1, None, "file is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)")
    nul = data.find(b"\x00")
    if nul >= 0:
        return Problem(name, _line_of(data, nul), None, "file is binary (it contains NUL bytes), not CSV text")
    return None


def _utf8_problem(name: str, data: bytes) -> Problem | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        byte = data[err.start : err.start + 1].hex().upper()
        message = "text is not UTF-8; save the file as UTF-8 (in Excel: CSV UTF-8)"
        return Problem(name, _line_of(data, err.start), None, message, f"byte 0x{byte}")
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


def _to_frame(table: pa.Table) -> pd.DataFrame:
    """Trim text cells and make cells that are empty after trimming missing; hand over to pandas."""
    columns = [_clean(column) for column in table.columns]
    cleaned = pa.Table.from_arrays(columns, names=table.column_names)
    return cleaned.to_pandas(types_mapper=_pandas_type)


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


def _record_lines(body: bytes) -> np.ndarray:
    """The line on which each data record starts, skipping blank lines and counting line breaks
    inside quoted cells (a quote-parity scan; only for files where row + 2 would be wrong)."""
    raw = np.frombuffer(body, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    quotes_before = np.searchsorted(np.flatnonzero(raw == 34), newlines)
    ends_at = np.flatnonzero(quotes_before % 2 == 0)
    end_pos = np.append(newlines[ends_at], len(body))
    end_line = np.append(ends_at + 1, newlines.size + 1)
    start_pos = np.concatenate(([0], end_pos[:-1] + 1))
    start_line = np.concatenate(([1], end_line[:-1] + 1))
    length = end_pos - start_pos
    crlf_blank = (length == 1) & (raw[np.minimum(start_pos, raw.size - 1)] == 13)
    keep = (length > 0) & ~crlf_blank
    return start_line[keep][1:]


def _scan_records(name: str, data: bytes, width: int) -> tuple[list[int], list[Problem]]:
    """Exact slow path for broken rows: the csv module tracks lines and field counts."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines: list[int] = []
    problems: list[Problem] = []
    start = 1
    last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
    try:
        for record in reader:
            if record and start > 1:
                _check_width(
                    name,
                    record,
                    start,
                    width,
                    lines,
                    problems,
                    truncated=reader.line_num >= last_line and not text.endswith("\n"),
                )
            start = reader.line_num + 1
    except csv.Error:
        problems.append(Problem(name, start, None, "a quoted field is never closed; the file may be cut short"))
    return lines, problems


def _check_width(
    name: str, record: list[str], line: int, width: int, lines: list[int], problems: list[Problem], *, truncated: bool
) -> None:
    if len(record) == width:
        lines.append(line)
    elif truncated and len(record) < width:
        message = f"last line is incomplete ({len(record)} of {width} fields); the file may have been caught mid-copy"
        problems.append(Problem(name, line, None, message))
    else:
        word = "many" if len(record) > width else "few"
        problems.append(Problem(name, line, None, f"too {word} fields: {len(record)} instead of {width}"))
