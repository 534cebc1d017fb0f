"""Read and validate every table of a folder; serve the last valid version of a broken one.

``load_catalog(folder)`` is a one-off read (the command line uses it). ``CatalogStore`` is the
long-lived form the app shares between all sessions: each file is parsed once per change
(keyed on path, modification time, size and inode), a table whose new file fails keeps
serving its previous valid version, and problems are returned as data, never raised.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import pandas as pd

from dashboard.csvio import read_csv_bytes, read_csv_file
from dashboard.diff import TableDiff, diff_frames
from dashboard.problems import Problem
from dashboard.schema import TABLES, TableSpec
from dashboard.validate import Checked, check_references, check_table

log = logging.getLogger(__name__)

Signature = tuple[int, int, int] | None
"""(mtime_ns, size, inode) of a file, or None when it cannot be stat'ed."""


def signature(path: Path) -> Signature:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


@dataclass(frozen=True, eq=False)
class Frames(Mapping[str, pd.DataFrame | None]):
    """The served frames of some tables (None for a table that is unavailable)."""

    tables: tuple[tuple[str, pd.DataFrame | None], ...]

    def __getitem__(self, name: str) -> pd.DataFrame | None:
        for table, frame in self.tables:
            if table == name:
                return frame
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self.tables)

    def __len__(self) -> int:
        return len(self.tables)


@dataclass(frozen=True)
class TableState:
    """What the app serves for one table, and what is wrong with its file right now."""

    spec: TableSpec
    frame: pd.DataFrame | None
    problems: tuple[Problem, ...]
    fallback: bool
    loaded_at: datetime | None
    checked_at: datetime
    version: str | None = None
    """sha256 of the served file's bytes (None while no version is served)."""

    @property
    def available(self) -> bool:
        return self.frame is not None

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> int:
        return 0 if self.frame is None else len(self.frame)


HISTORY = 10
"""Versions whose changes each table remembers (older ones are forgotten: memory stays bounded)."""


def short(version: str | None) -> str:
    """The first 12 hex characters of a version: enough to tell versions apart on a page or a printout."""
    return version[:12] if version else "none"


@dataclass(frozen=True)
class Change:
    """One valid version of a table replacing the previous valid one, and what changed."""

    table: str
    at: datetime
    old_version: str | None
    new_version: str | None
    diff: TableDiff


@dataclass(frozen=True)
class Catalog:
    folder: Path
    tables: Mapping[str, TableState]
    changes: Mapping[str, tuple[Change, ...]] = field(default_factory=dict)
    """Per table, its remembered changes, newest first."""

    @cached_property
    def version(self) -> str:
        """The catalog's version: a hash over every table's served version (12 hex characters)."""
        text = ";".join(f"{name}={state.version or '-'}" for name, state in sorted(self.tables.items()))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def recent_changes(self) -> list[Change]:
        """Every remembered change, newest first."""
        found = [c for changes in self.changes.values() for c in changes]
        return sorted(found, key=lambda c: c.at, reverse=True)

    def frame(self, name: str) -> pd.DataFrame | None:
        return self.tables[name].frame

    def frames(self, names: Iterable[str]) -> Frames:
        """The served frames of ``names`` only: what a derivation keyed on their versions may read."""
        return Frames(tuple((n, self.tables[n].frame) for n in names))

    @property
    def problems(self) -> list[Problem]:
        return [p for state in self.tables.values() for p in state.problems]

    def versions(self, names: Iterable[str]) -> tuple[tuple[str, str | None], ...]:
        """Identifies the served versions of some tables: a new valid file makes a new version."""
        return tuple((n, self.tables[n].version) for n in names)

    def troubled(self, names: Iterable[str]) -> list[TableState]:
        """The tables among ``names`` that have problems or serve a last valid version."""
        return [self.tables[n] for n in names if not self.tables[n].valid or self.tables[n].fallback]

    @cached_property
    def as_of(self) -> str | None:
        """The latest date a source was checked, else the newest served file's date."""
        sources = self.frame("sources")
        if sources is not None and "accessed" in sources:
            dates = pd.to_datetime(sources["accessed"], errors="coerce", format="%Y-%m-%d").dropna()
            if len(dates):
                return dates.max().strftime("%Y-%m-%d")
        loaded = [s.loaded_at for s in self.tables.values() if s.loaded_at is not None]
        return max(loaded).strftime("%Y-%m-%d") if loaded else None


def load_catalog(folder: Path | str) -> Catalog:
    """Read every table once, with no memory of earlier versions."""
    return CatalogStore(Path(folder)).refresh()


class CatalogStore:
    """Thread-safe, shared by every session: call ``refresh()`` on each page run."""

    def __init__(self, folder: Path, tables: tuple[TableSpec, ...] = TABLES) -> None:
        self.folder = folder
        self._tables = tables
        self._lock = threading.Lock()
        self._signatures: dict[str, Signature] = {}
        self._checked: dict[str, Checked] = {}
        self._good: dict[str, tuple[pd.DataFrame, datetime, str | None]] = {}
        self._history: dict[str, deque[Change]] = {spec.name: deque(maxlen=HISTORY) for spec in tables}
        self._catalog: Catalog | None = None

    @property
    def current(self) -> Catalog | None:
        """The catalog of the last refresh (None before the first)."""
        return self._catalog

    def refresh(self) -> Catalog:
        current = {spec.name: signature(self.folder / spec.file) for spec in self._tables}
        with self._lock:
            if self._catalog is not None and current == self._signatures:
                return self._catalog
            now = datetime.now(UTC)
            for spec in self._tables:
                if spec.name not in self._checked or current[spec.name] != self._signatures.get(spec.name):
                    self._checked[spec.name] = _read(self.folder, spec, current[spec.name])
            changed = [n for n in current if current[n] != self._signatures.get(n) or self._catalog is None]
            self._signatures = current
            self._catalog = self._build(now)
            _log_changes(self._catalog, changed)
            return self._catalog

    def _build(self, now: datetime) -> Catalog:
        checked = dict(self._checked)
        served = {n: c.frame if not c.problems else self._good.get(n, (None,))[0] for n, c in checked.items()}
        states: dict[str, TableState] = {}
        for spec in self._tables:
            mine = checked[spec.name]
            problems = mine.problems
            if not problems and mine.frame is not None:
                problems = tuple(check_references(spec, mine, served))
            states[spec.name] = self._state(spec, mine, problems, now)
        changes = {name: tuple(reversed(history)) for name, history in self._history.items()}
        return Catalog(self.folder, states, changes)

    def _state(self, spec: TableSpec, mine: Checked, problems: tuple[Problem, ...], now: datetime) -> TableState:
        if not problems and mine.frame is not None:
            previous = self._good.get(spec.name)
            if previous is None or (previous[0] is not mine.frame and previous[2] != mine.digest):
                if previous is not None:
                    diff = diff_frames(spec, previous[0], mine.frame)
                    self._history[spec.name].append(Change(spec.name, now, previous[2], mine.digest, diff))
                self._good[spec.name] = (mine.frame, now, mine.digest)
            frame, loaded_at, version = self._good[spec.name]
            return TableState(spec, frame, (), False, loaded_at, now, version)
        good = self._good.get(spec.name)
        if good is None:
            return TableState(spec, None, problems, False, None, now)
        return TableState(spec, good[0], problems, True, good[1], now, good[2])


def _log_changes(catalog: Catalog, changed: list[str]) -> None:
    """One server log line per table whose file changed: loaded, or why not (never shown to visitors)."""
    for name in changed:
        state = catalog.tables[name]
        if state.valid:
            log.info("%s: loaded %d rows", state.spec.file, state.rows)
            continue
        outcome = "serving the last valid version" if state.fallback else "table unavailable"
        log.warning(
            "%s: %d problem(s), %s; first: %s", state.spec.file, len(state.problems), outcome, state.problems[0]
        )


def _read(folder: Path, spec: TableSpec, sig: Signature) -> Checked:
    path = folder / spec.file
    if sig is None and not path.exists():
        return Checked(None, (Problem(spec.file, None, None, "file is missing"),))
    return check_table(spec, read_csv_file(path, spec.kinds()))


def check_bytes(spec: TableSpec, data: bytes, catalog: Catalog) -> Checked:
    """Validate an uploaded file against the schema and the catalog's current tables; nothing is stored."""
    checked = check_table(spec, read_csv_bytes(spec.file, data, spec.kinds()))
    if checked.problems or checked.frame is None:
        return checked
    served = {name: state.frame for name, state in catalog.tables.items()}
    return Checked(checked.frame, tuple(check_references(spec, checked, served)), checked.lines, checked.digest)
