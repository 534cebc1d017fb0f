"""What state a served table is in, in words: one vocabulary for the warning banner and the Data page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from dashboard.catalog import Catalog, Change, TableState, short
from dashboard.diff import changed_cells

NOTICE_FOR = timedelta(minutes=30)
"""How long after a swap every page says that the data changed."""


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
                "version": short(table.version),
                "status": status(table, public=True).short,
                "problems": len(table.problems),
                "last loaded (UTC)": _time(table.loaded_at),
            }
            for table in catalog.tables.values()
        ]
    )


def _when(moment: datetime) -> str:
    return moment.strftime("%H:%M UTC")


def update_notices(catalog: Catalog, now: datetime, within: timedelta = NOTICE_FOR) -> list[str]:
    """At most one line for every table swapped in during the last ``within``, however many swaps:
    ``Data updated at 14:05 UTC: 3 rows changed in side effects.`` for one table, else
    ``Data updated at 14:05 UTC: 3 tables (side effects, sources, studies).`` (the latest time)."""
    recent = [c for c in catalog.recent_changes() if now - c.at <= within and not c.diff.same]
    if not recent:
        return []
    titles = list(dict.fromkeys(catalog.tables[c.table].spec.title.lower() for c in recent))
    when = _when(max(c.at for c in recent))
    if len(recent) == 1:
        return [f"Data updated at {when}: {recent[0].diff.summary()} in {titles[0]}."]
    if len(titles) == 1:
        return [f"Data updated at {when}: {len(recent)} updates of {titles[0]}."]
    return [f"Data updated at {when}: {len(titles)} tables ({', '.join(titles)})."]


CHANGE_COLUMNS = ["when (UTC)", "table", "from version", "to version", "rows added", "rows removed"]
CHANGE_COLUMNS += ["rows changed", "what changed"]


def changes_rows(changes: list[Change], catalog: Catalog) -> pd.DataFrame:
    """The Data page's list of changes: when, which table, from which version to which, what changed."""
    return pd.DataFrame(
        [
            {
                "when (UTC)": _time(c.at),
                "table": catalog.tables[c.table].spec.title,
                "from version": short(c.old_version),
                "to version": short(c.new_version),
                "rows added": len(c.diff.added),
                "rows removed": len(c.diff.removed),
                "rows changed": c.diff.changed_rows,
                "what changed": c.diff.summary(),
            }
            for c in changes
        ],
        columns=CHANGE_COLUMNS,
    )


def changed_cell_rows(changes: list[Change]) -> pd.DataFrame:
    """Every remembered changed cell, with the change it belongs to (newest change first)."""
    frames = [
        changed_cells([c.diff]).assign(when=_time(c.at), version=f"{short(c.old_version)} -> {short(c.new_version)}")
        for c in changes
    ]
    columns = ["when", "table", "version", "key", "column", "old", "new"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
