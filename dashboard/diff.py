"""What changed between two valid versions of a table, row by row on the table's declared key.

Plain pandas on the declared keys rather than a diff library: every table already declares its key
(``TableSpec.key``) and arrives typed, so rows are matched by key and cells compared as values (41
and 41.0 are the same number; trimmed text is the same text), whatever the order of rows or columns.
daff and csv-diff compare text lines or cells as strings, and datacompy is built for one-off reports
of two frames with tolerance settings we do not need; none of them knows our key declarations.

A row whose key changed is reported as one row removed and one added. Columns added or removed
are reported as such, and cells are compared on the columns both versions have.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from dashboard.schema import TableSpec

MAX_CELLS = 5000
"""Changed cells kept per diff (the counts are always complete); a whole-file rewrite of a large
table would otherwise hold every cell twice."""


@dataclass(frozen=True)
class CellChange:
    key: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class TableDiff:
    table: str
    key: tuple[str, ...]
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed_rows: int = 0
    changed: tuple[CellChange, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    cells_left_out: int = 0
    """Changed cells not kept (beyond MAX_CELLS)."""

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed_rows or self.columns_added or self.columns_removed)

    def summary(self) -> str:
        """e.g. ``3 rows changed, 1 added`` (``no change`` when there is none)."""
        parts = [
            f"{n} row{'s' if n != 1 else ''} {what}"
            for n, what in ((self.changed_rows, "changed"), (len(self.added), "added"), (len(self.removed), "removed"))
            if n
        ]
        parts += [f"column {c} added" for c in self.columns_added] + [
            f"column {c} removed" for c in self.columns_removed
        ]
        return ", ".join(parts) or "no change"


def shown(value: object) -> str:
    """A cell as text: numbers without trailing zeros, an empty cell as empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating):
        return f"{float(value):g}"
    return str(value)


def keys(frame: pd.DataFrame, columns: Iterable[str]) -> pd.Series:
    """Each row's key as one text value (columns joined with `` | ``)."""
    parts = [frame[c].map(shown) for c in columns]
    joined = parts[0].astype(str)
    for part in parts[1:]:
        joined = joined + " | " + part.astype(str)
    return joined


def _differs(old: pd.Series, new: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(old) and pd.api.types.is_numeric_dtype(new):
        a = old.to_numpy(dtype="float64", na_value=np.nan)
        b = new.to_numpy(dtype="float64", na_value=np.nan)
        return ~((a == b) | (np.isnan(a) & np.isnan(b)))
    a, b = old.astype("string"), new.astype("string")
    both_missing = (a.isna() & b.isna()).to_numpy()
    equal = (a == b).fillna(False).to_numpy(dtype=bool)
    return ~(equal | both_missing)


def diff_frames(spec: TableSpec, old: pd.DataFrame, new: pd.DataFrame) -> TableDiff:
    key = tuple(spec.key)
    old_keys, new_keys = keys(old, key), keys(new, key)
    added = tuple(new_keys[~new_keys.isin(old_keys)])
    removed = tuple(old_keys[~old_keys.isin(new_keys)])
    common = [c for c in old.columns if c in new.columns and c not in key]
    before = old.set_axis(old_keys.to_numpy()).loc[lambda f: ~f.index.isin(removed)]
    after = new.set_axis(new_keys.to_numpy()).loc[before.index]
    changed: list[CellChange] = []
    rows_changed = np.zeros(len(before), dtype=bool)
    total_cells = 0
    for column in common:
        differs = _differs(before[column], after[column])
        if not differs.any():
            continue
        rows_changed |= differs
        total_cells += int(differs.sum())
        for position in np.flatnonzero(differs)[: max(MAX_CELLS - len(changed), 0)]:
            changed.append(
                CellChange(
                    str(before.index[position]),
                    column,
                    shown(before[column].iloc[position]),
                    shown(after[column].iloc[position]),
                )
            )
    return TableDiff(
        table=spec.name,
        key=key,
        added=added,
        removed=removed,
        changed_rows=int(rows_changed.sum()),
        changed=tuple(changed),
        columns_added=tuple(c for c in new.columns if c not in old.columns),
        columns_removed=tuple(c for c in old.columns if c not in new.columns),
        cells_left_out=total_cells - len(changed),
    )


def changed_cells(diffs: Iterable[TableDiff]) -> pd.DataFrame:
    """Every kept changed cell of some diffs as rows: table, key, column, old, new."""
    rows = [{"table": d.table, **asdict(c)} for d in diffs for c in d.changed]
    return pd.DataFrame(rows, columns=["table", "key", "column", "old", "new"])


# --- for people and scripts --------------------------------------------------------------------


def as_text(diffs: Iterable[TableDiff]) -> str:
    lines: list[str] = []
    for d in diffs:
        if d.same:
            continue
        lines.append(f"{d.table}: {d.summary()}")
        lines += [f"  added: {k}" for k in d.added] + [f"  removed: {k}" for k in d.removed]
        lines += [f"  changed: {c.key}: {c.column}: {c.old!r} -> {c.new!r}" for c in d.changed]
        if d.cells_left_out:
            lines.append(f"  ... and {d.cells_left_out} more changed cells")
    return "\n".join(lines) + ("\n" if lines else "")


def _md(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("\n", " ")


def _code(value: str) -> str:
    """Text for an inline code span: a backtick would end the span early."""
    return value.replace("`", "'").replace("\n", " ")


def as_markdown(diffs: Iterable[TableDiff]) -> str:
    out: list[str] = []
    for d in diffs:
        if d.same:
            continue
        out.append(f"### {d.table}: {d.summary()}\n")
        out += [f"- added: `{_code(k)}`" for k in d.added] + [f"- removed: `{_code(k)}`" for k in d.removed]
        if d.changed:
            out += ["", "| key | column | old | new |", "| --- | --- | --- | --- |"]
            out += [f"| {_md(c.key)} | {_md(c.column)} | {_md(c.old)} | {_md(c.new)} |" for c in d.changed]
        out.append("")
    return "\n".join(out)


def as_json(diffs: Iterable[TableDiff]) -> str:
    tables = [asdict(d) | {"summary": d.summary(), "same": d.same} for d in diffs]
    return json.dumps({"same": all(t["same"] for t in tables), "tables": tables}, indent=2, ensure_ascii=False) + "\n"
