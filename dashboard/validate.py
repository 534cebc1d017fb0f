"""Check a parsed table against its pandera schema; every failure becomes a Problem.

A valid file arrives typed (numbers parsed, allowed-value columns as categories). When a cell
did not convert, the file arrives as text and numbers are converted here, before pandera runs,
so that a cell that is not a number is reported as such and the range checks still run on every
other cell (the analyst sees the whole list at once, not the first failure).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.errors
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.csvio import RawTable
from dashboard.problems import Problem
from dashboard.schema import DUPLICATE_KEY, TableSpec

_ARROW_TYPES = {
    "number": pa.float64(),
    "integer": pa.int64(),
    "choice": pa.dictionary(pa.int32(), pa.string()),
    "source": pa.dictionary(pa.int32(), pa.string()),
    "label": pa.dictionary(pa.int32(), pa.string()),
}


def arrow_types(spec: TableSpec) -> dict[str, pa.DataType]:
    """How the reader should parse each declared column on the fast path."""
    return {name: _ARROW_TYPES[spec.kind(name)] for name in spec.columns if spec.kind(name) in _ARROW_TYPES}


_BUILTIN_MESSAGES = {
    "not_nullable": "required value is empty",
    "column_in_dataframe": "required column is missing",
}


@dataclass(frozen=True)
class Checked:
    """A validated table: ``frame`` is typed and complete only when ``problems`` is empty."""

    frame: pd.DataFrame | None
    problems: tuple[Problem, ...]
    lines: np.ndarray | None = None

    def line(self, row: int) -> int:
        return int(self.lines[row]) if self.lines is not None else row + 2


def check_table(spec: TableSpec, raw: RawTable) -> Checked:
    if raw.frame is None:
        return Checked(None, raw.problems)
    missing = [
        Problem(spec.file, None, name, "required column is missing")
        for name, column in spec.columns.items()
        if column.required and name not in raw.frame.columns
    ]
    if missing:
        return Checked(None, raw.problems + tuple(missing), raw.lines)
    frame, type_problems, bad_cells = _convert(spec, raw)
    problems = list(raw.problems) + type_problems + _schema_problems(spec, raw, frame, bad_cells)
    problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    return Checked(frame, tuple(problems), raw.lines)


def _convert(spec: TableSpec, raw: RawTable) -> tuple[pd.DataFrame, list[Problem], set[tuple[int, str]]]:
    assert raw.frame is not None
    frame = raw.frame.copy(deep=False)
    problems: list[Problem] = []
    bad_cells: set[tuple[int, str]] = set()
    for name in spec.columns_of_kind("choice", "source", "label"):
        if name in frame.columns and not isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].astype("category")
    for name in spec.columns_of_kind("number", "integer"):
        if name not in frame.columns or pd.api.types.is_numeric_dtype(frame[name]):
            continue
        integer = spec.kind(name) == "integer"
        values, bad = _to_number(frame[name], integer=integer)
        frame[name] = values
        what = "not a whole number" if integer else "not a number"
        for row in np.flatnonzero(bad):
            problems.append(Problem(spec.file, raw.line(int(row)), name, what, str(raw.frame[name].iat[row])))
            bad_cells.add((int(row), name))
    return frame, problems, bad_cells


def _to_number(text: pd.Series, *, integer: bool) -> tuple[pd.Series, np.ndarray]:
    """Fast pyarrow cast for clean columns; a per-cell fallback finds the bad ones."""
    try:
        floats = pc.cast(pa.array(text, type=pa.string(), from_pandas=True), pa.float64()).to_numpy(
            zero_copy_only=False
        )
        values = pd.Series(floats, index=text.index)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = pd.to_numeric(text, errors="coerce").astype("float64")
    given = text.notna().to_numpy()
    finite = np.isfinite(values.to_numpy(dtype="float64", na_value=np.nan))
    bad = given & ~finite
    if integer:
        whole = finite & (np.mod(np.nan_to_num(values.to_numpy(dtype="float64", na_value=np.nan)), 1) == 0)
        bad |= given & finite & ~whole
        values = values.where(~pd.Series(bad, index=text.index)).round().astype("Int64")
    else:
        values = values.where(~pd.Series(bad, index=text.index))
    return values, bad


def _schema_problems(
    spec: TableSpec, raw: RawTable, frame: pd.DataFrame, bad_cells: set[tuple[int, str]]
) -> list[Problem]:
    try:
        spec.schema.validate(frame, lazy=True, inplace=True)
    except pandera.errors.SchemaErrors as errors:
        return _from_failures(spec, raw, frame, errors.failure_cases, bad_cells)
    return []


def _from_failures(
    spec: TableSpec, raw: RawTable, frame: pd.DataFrame, cases: pd.DataFrame, bad_cells: set[tuple[int, str]]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[int, str]] = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        row = None if pd.isna(case.index) else int(case.index)
        column = None if pd.isna(case.column) else str(case.column)
        if check.startswith(("dtype(", "coerce_dtype(")) or (row, column) in bad_cells:
            continue
        if row is not None and check in (DUPLICATE_KEY, "field_uniqueness"):
            key = spec.key if check == DUPLICATE_KEY else (str(column),)
            if (row, check) not in seen:
                seen.add((row, check))
                problems.append(_duplicate(spec, raw, frame, row, key))
            continue
        if row is not None and check in spec.row_checks:
            if (row, check) not in seen:
                seen.add((row, check))
                problems.append(_row_check(spec, raw, frame, check, row))
            continue
        line = None if row is None else raw.line(row)
        value = None if row is None or column is None or column not in frame else _cell(frame, row, column)
        problems.append(Problem(spec.file, line, column, _message(check), value))
    return problems


def _message(check: str) -> str:
    return _BUILTIN_MESSAGES.get(check, check)


def _cell(frame: pd.DataFrame, row: int, column: str) -> str | None:
    value = frame[column].iat[row]
    if pd.isna(value):
        return None
    return f"{value:g}" if isinstance(value, float) else str(value)


def _duplicate(spec: TableSpec, raw: RawTable, frame: pd.DataFrame, row: int, columns: tuple[str, ...]) -> Problem:
    key = list(columns)
    values = frame[key].iloc[row]
    same = (frame[key] == values).all(axis=1).to_numpy().nonzero()[0]
    first = int(same[0]) if same.size else row
    what = key[0] if len(key) == 1 else f"({', '.join(key)})"
    message = f"duplicate {what}: same as line {raw.line(first)}"
    return Problem(spec.file, raw.line(row), "+".join(key), message, " | ".join(str(v) for v in values))


def _row_check(spec: TableSpec, raw: RawTable, frame: pd.DataFrame, check: str, row: int) -> Problem:
    first, second = spec.row_checks[check]
    value = f"{first}={_cell(frame, row, first)}, {second}={_cell(frame, row, second)}"
    return Problem(spec.file, raw.line(row), first, check, value)
