"""Where each row of a CSV file starts: the line number an editor shows, for every problem report.

Counting is cheap when rows follow the header one per line (row ``i`` is on line ``i + 2``); files
with quoted line breaks or blank lines get a vectorised quote-parity scan, and files with broken
rows the csv module's exact slow path, which also says what is wrong with each broken row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

from dashboard.problems import Problem


@dataclass(frozen=True)
class Lines:
    """The line an editor shows for each data row (the header is line 1)."""

    starts: np.ndarray | None = None
    """Line of each data row when rows do not simply follow the header one per line."""

    def of(self, row: int) -> int:
        return int(self.starts[row]) if self.starts is not None else row + 2


def newlines(data: bytes, end: int) -> int:
    """Line breaks before ``end``. numpy over 1 MiB slices: the comparison's temporary stays in the
    CPU cache (15 ms for 109 MB, against 33 ms in one piece and 43 ms for bytes.count)."""
    raw = np.frombuffer(data, dtype=np.uint8, count=end)
    step = 1 << 20
    return sum(int(np.count_nonzero(raw[i : i + step] == 10)) for i in range(0, end, step))


SHORT_LINE = 2 << 20
"""``line_breaks`` says whether every line is at most this long (2 MiB)."""


def line_breaks(data: bytes, end: int) -> tuple[int, bool]:
    """Line breaks before ``end``, and whether every line is at most ``SHORT_LINE`` bytes: true when
    each whole 1 MiB slice holds a line break (a longer line would cover a whole slice). The same
    count as ``newlines``, at the same cost."""
    raw = np.frombuffer(data, dtype=np.uint8, count=end)
    step = SHORT_LINE // 2
    counts = [int(np.count_nonzero(raw[i : i + step] == 10)) for i in range(0, end, step)]
    whole = counts[: end // step]
    return sum(counts), all(whole)


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def record_lines(body: bytes) -> np.ndarray:
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


def scan_records(name: str, data: bytes, width: int) -> tuple[list[int], list[Problem]]:
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
