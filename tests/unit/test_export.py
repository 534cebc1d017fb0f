"""CSV downloads neutralise spreadsheet formulas and keep everything else as it was."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard.export import neutralise, to_csv_bytes


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Dizziness", "Dizziness"),
        ("0.5-2 mg/kg", "0.5-2 mg/kg"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_download_neutralises_text_keeps_numbers_and_header() -> None:
    frame = pd.DataFrame({"effect": ["=cmd|' /C calc'!A0", "Nausea"], "pct": [-1.5, 28.0], "=x": ["a", "@b"]})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["effect", "pct", "'=x"], ["'=cmd|' /C calc'!A0", "-1.5", "a"], ["Nausea", "28.0", "'@b"]]


def test_download_is_utf8_with_bom_for_spreadsheets() -> None:
    data = to_csv_bytes(pd.DataFrame({"population": ["adults ≥65"]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert "≥65" in data.decode("utf-8-sig")


def test_missing_values_stay_empty() -> None:
    frame = pd.DataFrame({"a": pd.Series(["x", None], dtype="str"), "b": [1.0, None]})
    assert to_csv_bytes(frame).decode("utf-8-sig").splitlines() == ["a,b", "x,1.0", ","]
