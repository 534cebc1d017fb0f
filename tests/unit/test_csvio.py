"""Every way a CSV file can be broken becomes one clear Problem with the editor's line."""

from __future__ import annotations

import hashlib

import pyarrow as pa
import pytest

from dashboard.csvio import PARSE_BYTES, needs_trim, read_csv_bytes
from dashboard.csvlines import SHORT_LINE, line_breaks


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", None, "file is empty"),
        (b"  \n\n", None, "file is empty"),
        (b"a,b,c\n", None, "has a header but no data rows"),
        (b"a,b,c\r\n", None, "has a header but no data rows"),
        (b"a;b;c\n1;2;3\n", 1, "columns are separated by semicolons; use commas"),
        (b"a\tb\tc\n1\t2\t3\n", 1, "columns are separated by tabs; use commas"),
        (b"a,b,c\n1,2,3\n1,\xe9t\xe9,3\n", 3, "text is not UTF-8"),
        ("a,b\n1,2\n".encode("utf-16"), 1, "file is UTF-16 text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, "file is binary"),
        (b"a,b,c\n1,2,3\n1,2,3,4\n", 3, "too many fields: 4 instead of 3"),
        (b"a,b,c\n1,2\n1,2,3\n", 2, "too few fields: 2 instead of 3"),
        (b"a,b,c\n1,2,3\n4,5", 3, "last line is incomplete (2 of 3 fields)"),
        (b'a,b,c\n1,2,3\n4,"5,6\n', 3, "a quoted field is never closed"),
        (b"a,b,a\n1,2,3\n", 1, "column name appears more than once"),
        (b"a,,c\n1,2,3\n", 1, "column 2 of the header has no name"),
    ],
)
def test_broken_file_gives_one_clear_problem(data: bytes, line: int | None, message: str) -> None:
    raw = read_csv_bytes("t.csv", data)
    assert [p.line for p in raw.problems] == [line]
    assert message in raw.problems[0].message


def test_bom_and_crlf_are_fine() -> None:
    raw = read_csv_bytes("t.csv", b"\xef\xbb\xbfa,b\r\n1,2\r\n3,4\r\n")
    assert raw.problems == ()
    assert raw.frame is not None
    assert list(raw.frame.columns) == ["a", "b"]
    assert raw.frame.to_dict("records") == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]


def test_quoted_newlines_and_blank_lines_keep_editor_line_numbers() -> None:
    raw = read_csv_bytes("t.csv", b'a,b\n1,"two\nlines"\n\n3,"x ""quoted"" word"\n5,6\n')
    assert raw.problems == ()
    assert raw.frame is not None
    assert raw.frame["b"].tolist() == ["two\nlines", 'x "quoted" word', "6"]
    assert [raw.lines.of(i) for i in range(3)] == [2, 5, 6]


def test_broken_row_is_reported_and_other_rows_keep_their_lines() -> None:
    raw = read_csv_bytes("t.csv", b'a,b\n1,"x\ny"\n1,2,3\n4,5\n')
    assert [(p.line, p.message) for p in raw.problems] == [(4, "too many fields: 3 instead of 2")]
    assert raw.frame is not None
    assert [raw.lines.of(i) for i in range(len(raw.frame))] == [2, 5]


def test_cells_are_trimmed_and_empty_cells_are_missing() -> None:
    raw = read_csv_bytes("t.csv", b"a,b\n  x  ,\n")
    assert raw.frame is not None
    assert raw.frame["a"].iat[0] == "x"
    assert raw.frame["b"].isna().all()


def test_problem_text_is_one_line_even_for_hostile_values() -> None:
    raw = read_csv_bytes("t.csv", b"a;b\n1;2\n")
    assert "\n" not in str(raw.problems[0])
    assert str(raw.problems[0]) == "t.csv:1: columns are separated by semicolons; use commas (a;b)"


@pytest.mark.parametrize("rows", [3, 700_000])  # a few bytes, and over 8 MB (hashed on its own thread)
def test_every_read_names_the_version_of_its_bytes(rows: int) -> None:
    data = b"a,b\n" + b"".join(b"row%d,%d\n" % (i, i) for i in range(rows))
    assert (len(data) > 8 * 2**20) == (rows > 3)
    raw = read_csv_bytes("t.csv", data)
    assert raw.frame is not None
    assert len(raw.frame) == rows
    assert raw.digest == hashlib.sha256(data).hexdigest()
    broken = read_csv_bytes("t.csv", data + b"\x00")
    assert broken.frame is None
    assert broken.digest == hashlib.sha256(data + b"\x00").hexdigest()


@pytest.mark.parametrize(
    ("cells", "trimmed"),
    [
        (["x", "a b", None], False),
        (["x", " y"], True),
        (["x", "y\t"], True),
        (["x", "\u00a0y"], True),  # a no-break space is white space too
        (["x", "y\u3000"], True),
        (["x", ""], True),  # an empty cell that is not missing becomes missing
        ([None, None], False),
    ],
)
def test_needs_trim_finds_every_cell_that_trimming_changes(cells: list[str | None], trimmed: bool) -> None:
    column = pa.chunked_array([pa.array(["clean"]), pa.array(cells, pa.string())])
    assert needs_trim(column) is trimmed
    assert needs_trim(pa.chunked_array([pa.array([" a", *cells, "b "]).slice(1, len(cells))])) is trimmed


def test_large_files_with_leading_and_trailing_spaces_are_trimmed() -> None:
    rows = 200_000  # several parse blocks
    data = b"a,b\n" + b"".join(b"row%d, %d\n" % (i, i) for i in range(rows)) + b"last,  \n"
    raw = read_csv_bytes("t.csv", data)
    assert raw.frame is not None
    assert raw.frame["b"].iloc[:3].tolist() == ["0", "1", "2"]
    assert raw.frame["b"].isna().tolist() == [False] * rows + [True]


def test_line_breaks_counts_lines_and_tells_whether_every_line_is_short() -> None:
    data = b"a,b\n" + b"1,2\n" * 1_000_000
    assert line_breaks(data, len(data)) == (1_000_001, True)
    gap = data + b"x" * (SHORT_LINE + 10) + b"\n" + b"3,4\n" * 10
    assert line_breaks(gap, len(gap)) == (1_000_012, False)
    assert line_breaks(b"a\nbb", 4) == (1, True)


def test_a_row_longer_than_a_parse_block_is_read_whole() -> None:
    long_cell = b"y" * (PARSE_BYTES + 10)
    data = b"a,b\n" + b"".join(b"row%d,%d\n" % (i, i) for i in range(600_000)) + b"last," + long_cell + b"\n"
    raw = read_csv_bytes("t.csv", data)
    assert raw.problems == ()
    assert raw.frame is not None
    assert len(raw.frame) == 600_001
    assert raw.frame["b"].iat[-1] == long_cell.decode()
