"""What state a served table is in, in words: one vocabulary for the warning banner and the Data page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from dashboard.catalog import Catalog, TableState


@dataclass(frozen=True)
class Status:
    state: str
    """``valid``, ``fallback`` (serving the last valid version), ``problems`` or ``unavailable``."""
    short: str
    """For the Data page's status column."""
    banner: str
    """For the warning at the top of a page (empty when the table is valid)."""


def status(table: TableState, *, public: bool) -> Status:
    title, count = table.spec.title.lower(), len(table.problems)
    if table.valid:
        return Status("valid", "valid", "")
    if table.fallback:
        state, short = "fallback", "new file has problems: serving the last valid version"
        banner = (
            f"The {title} table could not be updated: its new file has {count} problem(s). "
            "Showing the last valid version."
        )
    elif table.available:
        state, short, banner = "problems", "has problems", f"The {title} table has {count} problem(s)."
    else:
        state, short = "unavailable", "unavailable: the file has problems"
        banner = (
            f"The {title} table is unavailable: its file has {count} problem(s) and no earlier valid version exists."
        )
    return Status(state, short, banner if public else banner + " See the Data page for details.")


def banners(catalog: Catalog, tables: tuple[str, ...], *, public: bool) -> list[str]:
    """The warnings a page that reads ``tables`` shows."""
    return [text for name in tables if (text := status(catalog.tables[name], public=public).banner)]


def _time(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def table_rows(catalog: Catalog) -> pd.DataFrame:
    """One row per table for the Data page: rows served, status, problems, when it was loaded."""
    return pd.DataFrame(
        [
            {
                "table": table.spec.title,
                "file": table.spec.file,
                "rows": table.rows,
                "status": status(table, public=True).short,
                "problems": len(table.problems),
                "last loaded (UTC)": _time(table.loaded_at),
            }
            for table in catalog.tables.values()
        ]
    )
