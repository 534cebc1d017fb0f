"""CSV downloads that are safe to open in a spreadsheet.

A cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return, which some
spreadsheets skip before such a character) is a formula to Excel, LibreOffice and Google Sheets.
Such text cells are prefixed with an apostrophe, as OWASP advises; numbers stay numbers.
"""

from __future__ import annotations

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def _neutralise_column(column: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return column
    text = column.astype("string")
    risky = text.str.startswith(TRIGGERS).fillna(False).to_numpy(dtype=bool)
    if not risky.any():
        return column
    return text.where(~risky, "'" + text)


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with formula-like text cells (and column names) neutralised."""
    out = pd.DataFrame({str(neutralise(str(name))): _neutralise_column(df[name]) for name in df.columns})
    out.index = df.index
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM (so Excel reads accents right), CRLF-free, formula cells neutralised."""
    return safe_frame(df).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
