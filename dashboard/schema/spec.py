"""What a table declaration is: ``TableSpec`` (its pandera schema, key, references and row rules)
and ``table()``, which builds one from its columns."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from dashboard.columns import RowCheck, unique_together
from dashboard.kinds import ColumnKind

PAGES_TARGET = "pages"
"""A reference to the dashboard's own pages (``dashboard.pagespecs.PATHS``), not to a table."""


@dataclass(frozen=True)
class Reference:
    """``column`` holds ids of ``target`` in table ``table`` (several, "; "-separated, if ``many``);
    ``table`` may be ``PAGES_TARGET``: the column names pages of the dashboard."""

    column: str
    table: str
    target: str
    many: bool = False


CrossFailure = tuple[int, str, str, str]
"""(row position, column, message, the cell's value) of a row that breaks a rule across tables."""


@dataclass(frozen=True)
class CrossCheck:
    """A rule over a table's rows and the rows of other tables it names (``tables``): ``failures``
    gets this table's frame and the served frames of ``tables`` (all present) and returns each
    failing row. It runs after the id references, and only when the other tables are available."""

    name: str
    tables: tuple[str, ...]
    failures: Callable[[pd.DataFrame, Mapping[str, pd.DataFrame]], list[CrossFailure]]


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    description: str
    schema: pa.DataFrameSchema
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    row_checks: tuple[RowCheck, ...] = ()
    order: int = 0
    """Place among the tables (the Data page, the docs and the data package list them in this order)."""
    cross_checks: tuple[CrossCheck, ...] = ()

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> dict[str, pa.Column]:
        return dict(self.schema.columns)

    def kind(self, name: str) -> ColumnKind:
        kind: ColumnKind = self.columns[name].metadata["kind"]
        return kind

    def unit(self, name: str) -> str | None:
        unit = self.columns[name].metadata["unit"]
        return None if unit is None else str(unit)

    def kinds(self) -> dict[str, ColumnKind]:
        """Each declared column's kind: how the reader parses it (undeclared columns are text)."""
        return {name: self.kind(name) for name in self.columns}

    def allowed(self, name: str) -> tuple[str, ...]:
        """The allowed values of a choice column, in their declared order (empty for other columns)."""
        for check in self.columns[name].checks:
            if "allowed_values" in check.statistics:
                return tuple(str(v) for v in check.statistics["allowed_values"])
        return ()

    def row_check(self, name: str) -> RowCheck | None:
        return next((c for c in self.row_checks if c.name == name), None)


def table(
    name: str,
    title: str,
    description: str,
    columns: dict[str, pa.Column],
    key: Sequence[str],
    *,
    order: int,
    checks: Sequence[RowCheck] = (),
    references: Sequence[Reference] = (),
    cross_checks: Sequence[CrossCheck] = (),
) -> TableSpec:
    """A table's declaration; every column whose kind cites sources is checked against sources.csv."""
    cited = [
        Reference(name_, "sources", "source_id", many=kind.cites == "many")
        for name_, column in columns.items()
        if (kind := column.metadata["kind"]).cites
    ]
    table_checks = [c.as_pandera() for c in checks]
    if len(key) > 1:
        table_checks.append(unique_together(key))
    schema = pa.DataFrameSchema(
        columns, checks=table_checks, strict=False, name=name, title=title, description=description
    )
    return TableSpec(
        name, title, description, schema, tuple(key), (*cited, *references), tuple(checks), order, tuple(cross_checks)
    )
