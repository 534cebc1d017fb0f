"""What can be wrong with a CSV file as a whole (before or instead of its cells): empty, binary,
UTF-16, not UTF-8, another delimiter, a broken header, a row longer than the reader's block.

Each check looks at the bytes itself and returns a ``Problem`` with the line an editor shows;
none reads a parser's error text. ``dashboard.csvio`` runs them around the typed read.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from dashboard.csvlines import line_of
from dashboard.problems import Problem

BLOCK_BYTES = 16 * 1024 * 1024
"""pyarrow parses in blocks; one record must fit in a block, so this is also the longest row."""

_OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def byte_problem(name: str, data: bytes) -> Problem | None:
    """An empty file, UTF-16 text or a binary file: nothing in it can be read as CSV."""
    if not data or data.isspace():  # isspace() stops at the first other byte: no copy of a big file
        return Problem(name, None, None, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(name, 1, None, "file is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)")
    nul = data.find(b"\x00")
    if nul >= 0:
        return Problem(name, line_of(data, nul), None, "file is binary (it contains NUL bytes), not CSV text")
    return None


def utf8_problem(name: str, data: bytes) -> Problem | None:
    """The first byte that is not UTF-8, with its line."""
    if data.isascii():  # no copy, and most files are
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        byte = data[err.start : err.start + 1].hex().upper()
        message = "text is not UTF-8; save the file as UTF-8 (in Excel: CSV UTF-8)"
        return Problem(name, line_of(data, err.start), None, message, f"byte 0x{byte}")
    return None


def header(name: str, data: bytes) -> tuple[list[str], list[Problem]]:
    """The column names of the first line, and what is wrong with them."""
    first = data[: 256 * 1024].decode("utf-8-sig", errors="replace")
    try:
        names = next(csv.reader(io.StringIO(first)), [])
    except csv.Error:
        names = []
    names = [n.strip() for n in names]
    if len(names) == 1:
        for delimiter, word in _OTHER_DELIMITERS.items():
            if delimiter in names[0]:
                return names, [Problem(name, 1, None, f"columns are separated by {word}; use commas", names[0])]
    if not names:
        return names, [Problem(name, 1, None, "the first line is not a CSV header")]
    return names, _name_problems(name, names)


def _name_problems(name: str, names: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, column in enumerate(names, start=1):
        if not column:
            problems.append(Problem(name, 1, None, f"column {index} of the header has no name"))
        elif column in seen:
            problems.append(Problem(name, 1, column, "column name appears more than once"))
        seen.add(column)
    return problems


def longest_record(data: bytes) -> tuple[int, int]:
    """The longest record in bytes and the line it starts on (line breaks inside quoted cells
    belong to their record: a quote-parity scan)."""
    raw = np.frombuffer(data, dtype=np.uint8)
    breaks = np.flatnonzero(raw == 10)
    quotes_before = np.searchsorted(np.flatnonzero(raw == 34), breaks)
    ends = np.append(breaks[quotes_before % 2 == 0], raw.size)
    starts = np.concatenate(([0], ends[:-1] + 1))
    longest = int(np.argmax(ends - starts))
    return int(ends[longest] - starts[longest]), line_of(data, int(starts[longest]))


def unparsable(name: str, data: bytes) -> Problem:
    """Why a file the CSV reader refused (even as plain text) cannot be read, checked on its bytes."""
    found = utf8_problem(name, data)
    if found is not None:
        return found
    length, line = longest_record(data)
    if length >= BLOCK_BYTES:
        return Problem(name, line, None, f"a row is longer than {BLOCK_BYTES // 2**20} MiB")
    return Problem(name, None, None, "file cannot be parsed as CSV")
