"""Column kinds: what the reader makes of a column is what its declaration says, cell by cell."""

from __future__ import annotations

import pandera.pandas as pa
import pyarrow as arrow
import pytest
from pandera.engines import pandas_engine

from dashboard import filechecks, kinds
from dashboard.csvio import read_csv_bytes, read_csv_file
from dashboard.describe import column_rule
from dashboard.filechecks import BLOCK_BYTES
from dashboard.problems import Problem
from dashboard.schema import SOURCES, TABLES
from dashboard.settings import DEFAULT_DATA_DIR
from dashboard.validate import check_table


@pytest.mark.parametrize("spec", TABLES, ids=lambda t: t.name)
def test_every_column_is_read_as_the_dtype_it_declares(spec) -> None:  # type: ignore[no-untyped-def]
    frame = read_csv_file(DEFAULT_DATA_DIR / spec.file, spec.kinds()).frame
    assert frame is not None
    for name, column in spec.columns.items():
        if name in frame:
            read = pandas_engine.Engine.dtype(frame[name].dtype)
            assert column.dtype.check(read), f"{spec.file}: {name} read as {read}, declared {column.dtype}"


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("2026-11-30", None),
        ("30/11/2026", "not a date written YYYY-MM-DD (for 30 November 2026: 2026-11-30)"),
        ("2026-13-45", "not a date written YYYY-MM-DD"),
        ("2026-02-30", "not a date written YYYY-MM-DD"),
        ("yesterday", "not a date written YYYY-MM-DD"),
    ],
)
def test_a_date_column_takes_iso_dates_only(cell: str, problem: str | None) -> None:
    header = "source_id,citation,year,kind,url,accessed\n"
    rows = f"A1,One,2020,trial,https://example.org/a,{cell}\nA2,Two,2021,trial,https://example.org/b,2026-01-02\n"
    checked = check_table(SOURCES, read_csv_bytes("sources.csv", (header + rows).encode(), SOURCES.kinds()))
    messages = [(p.line, p.column, p.message, p.value) for p in checked.problems]
    if problem is None:
        assert messages == []
        assert checked.frame is not None
        assert checked.frame["accessed"].dt.strftime("%Y-%m-%d").tolist() == ["2026-11-30", "2026-01-02"]
    else:
        assert len(messages) == 1
        line, column, message, value = messages[0]
        assert (line, column, value) == (2, "accessed", cell)
        assert message.startswith(problem)


def test_a_drift_between_reader_and_declaration_is_reported() -> None:
    """A column declared as a number but held as text (a reader that forgot its kind) is a problem,
    not something validation passes over."""
    data = b"source_id,citation,kind,url,year\nA1,One,trial,https://example.org/a,2020\n"
    raw = read_csv_bytes("sources.csv", data, {name: kinds.TEXT for name in SOURCES.columns})
    problems = check_table(SOURCES, raw).problems
    drifted = [(p.column, "reader and declaration disagree" in p.message) for p in problems]
    assert drifted == [("kind", True), ("year", True)]  # a category and a whole number held as text


def test_a_refused_file_is_explained_from_its_bytes() -> None:
    """When the CSV reader refuses a file even as text, the bytes say why (never its error text):
    a quoted cell with line breaks counts as one row."""
    long_row = b'a,b\n1,"2\n2"\n3,' + b"x" * (BLOCK_BYTES + 10) + b"\n5,6\n"
    assert filechecks.unparsable("t.csv", long_row) == Problem("t.csv", 4, None, "a row is longer than 16 MiB")
    bad_byte = b"a,b\n1,2\n3,\xff\n"
    assert filechecks.unparsable("t.csv", bad_byte).line == 3
    assert filechecks.unparsable("t.csv", b"a,b\n1,2\n").message == "file cannot be parsed as CSV"


@pytest.mark.parametrize(
    ("column", "rule"),
    [
        (SOURCES.columns["accessed"], "date as YYYY-MM-DD"),
        (SOURCES.columns["year"], "1,900 to 2,100"),
        (SOURCES.columns["url"], "https:// or http:// link"),
        (
            pa.Column("Int64", metadata={"kind": kinds.INTEGER, "unit": None}, checks=[pa.Check.in_range(1, 1e8)]),
            "required; 1 to 100,000,000",
        ),
    ],
)
def test_the_docs_say_what_each_kind_enforces(column: pa.Column, rule: str) -> None:
    assert column_rule(column) == rule


def test_every_kind_reads_its_own_cells_back() -> None:
    """Each kind parses a column of text into its Arrow type and flags only what does not convert."""
    cells = arrow.chunked_array([["1", "2.5", None, "x"]])
    for kind in kinds.KINDS.values():
        parsed, wrong = kind.parse(cells)
        assert parsed.type == kind.arrow, kind
        assert len(parsed) == 4
        expected = {"number": [3], "integer": [1, 3], "date": [0, 1, 3]}.get(kind.name, [])
        assert wrong.tolist() == expected, kind
