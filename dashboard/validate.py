"""Check a parsed table against its pandera schema; every failure becomes a Problem.

The reader has already typed the columns (``dashboard.csvio``); cells that did not convert come
as ``BadCell`` records and are missing in the frame, so pandera's range and value checks still run
on every other cell and the analyst sees the whole list at once. Pandera's failures are sorted by
their structured fields (the reason code, the check object, the column, the row index), never by
matching message text. A dtype failure means the reader and the declaration disagree about a
column's kind: it is reported, never dropped.

``check_references`` is the check across tables: every id a column cites exists in the table it
refers to (or, for a claim's page, among the dashboard's pages), and then each table's rules across
tables hold (for example, the outcome rows an analysis pools fit together).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.errors
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrorReason

from dashboard.columns import DUPLICATE_KEY, RowCheck
from dashboard.csvio import RawTable
from dashboard.csvlines import Lines
from dashboard.pagespec import PageSpec
from dashboard.pagespecs import PAGES, PATHS
from dashboard.problems import Problem
from dashboard.schema import TableSpec
from dashboard.schema.spec import PAGES_TARGET, Reference

_REASONS = {
    SchemaErrorReason.SERIES_CONTAINS_NULLS: "required value is empty",
    SchemaErrorReason.COLUMN_NOT_IN_DATAFRAME: "required column is missing",
}
_TYPE_REASONS = {SchemaErrorReason.WRONG_DATATYPE, SchemaErrorReason.DATATYPE_COERCION}
"""A column whose dtype is not its kind's: the reader and the declaration have drifted apart."""


@dataclass(frozen=True)
class Checked:
    """A validated table: ``frame`` is typed and complete only when ``problems`` is empty.

    ``notes`` are warnings: the table is served, but the analyst should know (an optional column
    left out, empty rows skipped)."""

    frame: pd.DataFrame | None
    problems: tuple[Problem, ...]
    lines: Lines = field(default_factory=Lines)
    digest: str | None = None
    notes: tuple[Problem, ...] = ()


NEAR = 0.8
"""How alike (difflib's ratio, ignoring case) an extra column's name and a missing declared one
must be for the extra one to be taken as a misspelling: n_durg/n_drug is 0.83, incidnce_pct/
incidence_pct 0.96, my_notes/notes 0.77."""


def check_table(spec: TableSpec, raw: RawTable) -> Checked:
    if raw.frame is None:
        return Checked(None, raw.problems, raw.lines, raw.digest, raw.notes)
    header, fatal, missing = _header(spec, list(raw.frame.columns))
    notes = raw.notes + tuple(missing)
    if fatal:
        return Checked(None, raw.problems + tuple(header), raw.lines, raw.digest, notes)
    problems = [*raw.problems, *header, *_bad_cells(spec, raw), *_schema_problems(spec, raw)]
    problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    return Checked(raw.frame, tuple(problems), raw.lines, raw.digest, notes)


def _header(spec: TableSpec, present: list[str]) -> tuple[list[Problem], bool, list[Problem]]:
    """What is wrong with the header: misspelt declared columns and missing required ones (errors;
    ``fatal``: the rows are not checked until the header is right), and missing optional columns
    (warnings).
    Extra columns are allowed, unless one is a near miss of a declared column the file lacks."""
    columns = spec.columns
    missing = [name for name in columns if name not in present]
    extras = {name.lower(): name for name in present if name not in columns}
    errors: list[Problem] = []
    notes: list[Problem] = []
    fatal = False
    for name in missing:
        required = bool(columns[name].required)
        near = difflib.get_close_matches(name.lower(), list(extras), n=1, cutoff=NEAR)
        if near:
            extra = extras.pop(near[0])
            what = "a required column" if required else "an optional column"
            message = (
                f"did you mean {name}? {name} is {what} that is not in the header; rename {extra} to {name} "
                "(extra columns are allowed, but not one whose name is this close to a declared column's)"
            )
            errors.append(Problem(spec.file, 1, extra, message))
            fatal = True  # the rest is checked once the header is right: no row-by-row echo of it
        elif required:
            errors.append(Problem(spec.file, None, name, "required column is missing"))
            fatal = True
        else:
            notes.append(Problem(spec.file, None, name, missing_optional(spec, name)))
    return errors, fatal, [] if fatal else notes


def missing_optional(spec: TableSpec, name: str) -> str:
    """What is lost when an optional column is left out: the rules that cannot check it, the
    filters and the numbers the pages then lack."""
    parts = ["optional column is not in the header"]
    rules = [check.message for check in spec.row_checks if name in check.columns]
    if rules:
        parts.append("rules not checked without it: " + "; ".join(f'"{rule}"' for rule in rules))
    refs = [ref for ref in spec.references if ref.column == name]
    if refs:
        parts.append("no reference to " + ", ".join(f"{r.table}.csv" for r in refs) + " is checked")
    pages = [page for page in PAGES if spec.name in page.tables]
    filters = [
        f"the {page.title} page has no {param.label!r} filter"
        for page in pages
        for param in page.params
        if param.reads == (name,)  # a filter over this column alone: gone with it
    ]
    parts += filters
    loses = spec.columns[name].metadata.get("loses")
    if loses:
        parts.append(f"lost on the {_titles(pages)} pages: {loses}")
    elif pages:
        parts.append(f"the {_titles(pages)} pages do not show it")
    return "; ".join(parts)


def _titles(pages: Sequence[PageSpec]) -> str:
    titles = [page.title for page in pages]
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]


def _bad_cells(spec: TableSpec, raw: RawTable) -> Iterator[Problem]:
    for cell in raw.bad_cells:
        yield Problem(spec.file, raw.lines.of(cell.row), cell.column, f"not {cell.expected}", cell.text)


def _schema_problems(spec: TableSpec, raw: RawTable) -> list[Problem]:
    assert raw.frame is not None
    try:
        spec.schema.validate(raw.frame, lazy=True, inplace=True)
    except pandera.errors.SchemaErrors as errors:
        bad = {(cell.row, cell.column) for cell in raw.bad_cells}
        found: dict[tuple[object, ...], Problem] = {}
        for error in errors.schema_errors:
            for key, problem in _problems_of(spec, raw, error, bad):
                found.setdefault(key, problem)
        return list(found.values())
    return []


def _problems_of(
    spec: TableSpec, raw: RawTable, error: SchemaError, bad: set[tuple[int, str]]
) -> Iterator[tuple[tuple[object, ...], Problem]]:
    """Problems of one pandera failure, each with a key so that a row is reported once per rule."""
    reason = error.reason_code
    column = error.schema.name if isinstance(error.schema, pa.Column) else None
    if reason in _TYPE_REASONS:
        read = raw.frame[column].dtype if raw.frame is not None and column in raw.frame else None
        message = f"column was read as {read} but its kind holds {error.schema.dtype}: reader and declaration disagree"
        yield ("type", column), Problem(spec.file, None, column, message)
        return
    if reason == SchemaErrorReason.COLUMN_NOT_IN_DATAFRAME:
        name = str(error.failure_cases) if error.failure_cases is not None else column
        yield ("missing", name), Problem(spec.file, None, name, _REASONS[reason])
        return
    for row in _rows(error):
        if column is not None and (row, column) in bad:
            continue  # already reported as a cell that is not of its type
        if reason == SchemaErrorReason.SERIES_CONTAINS_DUPLICATES:
            if (found := _duplicate(spec, raw, row, (str(column),))) is not None:
                yield ("dup", row, column), found
        elif getattr(error.check, "error", None) == DUPLICATE_KEY:
            if (found := _duplicate(spec, raw, row, spec.key)) is not None:
                yield ("dup", row, spec.key), found
        elif (check := spec.row_check(str(getattr(error.check, "name", "")))) is not None:
            yield ("row", row, check.name), _row_check(spec, raw, check, row)
        else:
            message = _REASONS.get(reason) or str(getattr(error.check, "error", None) or error.check)
            value = None if column is None else _cell(raw.frame, row, str(column))
            yield ("cell", row, column, message), Problem(spec.file, raw.lines.of(row), column, message, value)


def _rows(error: SchemaError) -> list[int]:
    cases = error.failure_cases
    if not isinstance(cases, pd.DataFrame) or "index" not in cases:
        return []
    return sorted({int(i) for i in cases["index"].dropna()})


def _cell(frame: pd.DataFrame | None, row: int, column: str) -> str | None:
    if frame is None or column not in frame:
        return None
    value = frame[column].iat[row]
    if pd.isna(value):
        return None
    return f"{value:g}" if isinstance(value, float) else str(value)


def _duplicate(spec: TableSpec, raw: RawTable, row: int, columns: tuple[str, ...]) -> Problem | None:
    """The row repeats an earlier row's key; None when its key has an empty cell (an empty cell
    equals nothing, not even another empty cell: it is reported as empty where it must not be)."""
    assert raw.frame is not None
    key = [c for c in columns if c in raw.frame]
    values = raw.frame[key].iloc[row]
    if values.isna().any():
        return None
    same = (raw.frame[key] == values).all(axis=1).to_numpy().nonzero()[0]
    if not same.size or int(same[0]) == row:
        return None
    first = int(same[0])
    what = key[0] if len(key) == 1 else f"({', '.join(key)})"
    message = f"duplicate {what}: same as line {raw.lines.of(first)}"
    return Problem(spec.file, raw.lines.of(row), "+".join(key), message, " | ".join(str(v) for v in values))


def _row_check(spec: TableSpec, raw: RawTable, check: RowCheck, row: int) -> Problem:
    value = ", ".join(f"{c}={_cell(raw.frame, row, c)}" for c in check.columns)
    if check.explain is not None and raw.frame is not None:
        column, message = check.explain(raw.frame, row)
        return Problem(spec.file, raw.lines.of(row), column, message, value)
    message = check.message
    if check.earlier is not None and raw.frame is not None:
        found = check.earlier(raw.frame, row)
        if found is not None:
            what, repeated, first = found
            message = f"same {what} as line {raw.lines.of(first)}: {repeated}"
    return Problem(spec.file, raw.lines.of(row), check.columns[0], message, value)


def check_references(spec: TableSpec, mine: Checked, served: Mapping[str, pd.DataFrame | None]) -> list[Problem]:
    """Ids of ``mine`` that are not in the (served) tables they refer to."""
    assert mine.frame is not None
    problems: list[Problem] = []
    for ref in spec.references:
        known = _known_ids(spec, mine, ref, served)
        if ref.column in mine.frame.columns and known is not None:
            problems.extend(_unknown_ids(spec, mine, ref, known))
    if problems:  # a rule across tables reads the rows the ids name: only once every id is known
        return problems
    for check in spec.cross_checks:
        others = {name: served.get(name) for name in check.tables}
        present = {name: frame for name, frame in others.items() if frame is not None}
        if len(present) == len(others):
            for row, column, message, value in check.failures(mine.frame, present):
                problems.append(Problem(spec.file, mine.lines.of(row), column, message, value))
    return problems


def _known_ids(
    spec: TableSpec, mine: Checked, ref: Reference, served: Mapping[str, pd.DataFrame | None]
) -> set[object] | None:
    """The ids a reference may name (None: the target table is unavailable, nothing to check)."""
    if ref.table == PAGES_TARGET:
        return set(PATHS)
    target = mine.frame if ref.table == spec.name else served.get(ref.table)
    if target is None:
        return None
    if ref.target not in target:  # an optional id column left out
        return set()
    return set(target[ref.target].dropna().unique().tolist())  # distinct first: a million rows name few ids


def _unknown_ids(spec: TableSpec, mine: Checked, ref: Reference, known: set[object]) -> list[Problem]:
    assert mine.frame is not None
    column = mine.frame[ref.column]
    present = column.notna().to_numpy()
    if ref.many:
        rows = np.flatnonzero(present)
        lists = column.iloc[rows].astype(str).str.split(";")
        unknown = [int(i) for i, ids in zip(rows, lists, strict=True) if any(x.strip() not in known for x in ids)]
    else:
        unknown = [int(i) for i in np.flatnonzero(present & ~column.isin(known).to_numpy())]
    target = "the dashboard's pages" if ref.table == PAGES_TARGET else f"{ref.target} of {ref.table}.csv"
    message = f"not found in {target}"
    return [Problem(spec.file, mine.lines.of(row), ref.column, message, str(column.iat[row])) for row in unknown]
