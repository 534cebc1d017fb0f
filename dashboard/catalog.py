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
from dashboard.csvlines import Lines
from dashboard.diff import TableDiff, diff_frames
from dashboard.problems import Problem
from dashboard.schema import TABLES, TableSpec
from dashboard.schema.spec import PAGES_TARGET
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
    notes: tuple[Problem, ...] = ()
    """Warnings about the current file that do not stop it being served (see ``Checked.notes``)."""

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

    @property
    def notes(self) -> list[Problem]:
        """Warnings about the current files (served all the same)."""
        return [p for state in self.tables.values() for p in state.notes]

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
    return CatalogStore(Path(folder), restarts=False).refresh()


@dataclass(frozen=True)
class _Served:
    """A table's version that went live: its frame, when, its digest and its rows' lines."""

    frame: pd.DataFrame
    at: datetime
    digest: str | None
    lines: Lines


class CatalogStore:
    """Thread-safe, shared by every session: call ``refresh()`` on each page run.

    New files go live together or not at all: each refresh takes every file that differs from
    the version served (the pending set), drops those with problems of their own, and checks the
    references across tables on the set as it would be served. A pending file that cites ids
    the set lacks is refused; a pending file that would leave an unchanged table citing ids it
    no longer has is refused too, with a problem naming that table. Each refresh reads one
    resolved folder: when the data folder is a symbolic link swapped to a new version
    (``python -m dashboard swap``), a refresh sees the old folder or the new one, never a mix."""

    def __init__(self, folder: Path, tables: tuple[TableSpec, ...] = TABLES, *, restarts: bool = True) -> None:
        """``restarts``: a long-lived store (the app's) says when a table is unavailable since it started."""
        self.folder = folder
        self._restarts = restarts
        self._tables = tables
        self._lock = threading.Lock()
        self._signatures: dict[str, Signature] = {}
        self._checked: dict[str, Checked] = {}
        self._good: dict[str, _Served] = {}
        self._history: dict[str, deque[Change]] = {spec.name: deque(maxlen=HISTORY) for spec in tables}
        self._catalog: Catalog | None = None

    @property
    def current(self) -> Catalog | None:
        """The catalog of the last refresh (None before the first)."""
        return self._catalog

    def refresh(self) -> Catalog:
        folder, current = self._look()
        with self._lock:
            if self._catalog is not None and current == self._signatures:
                return self._catalog
            now = datetime.now(UTC)
            for spec in self._tables:
                if spec.name not in self._checked or current[spec.name] != self._signatures.get(spec.name):
                    self._checked[spec.name] = _read(folder, spec, current[spec.name])
            changed = [n for n in current if current[n] != self._signatures.get(n) or self._catalog is None]
            self._signatures = current
            self._catalog = self._build(now, first=self._catalog is None)
            _log_changes(self._catalog, changed)
            return self._catalog

    def _look(self) -> tuple[Path, dict[str, Signature]]:
        """The folder as it resolves now (one version of a linked folder per refresh) and its files'
        signatures; resolved again if that version was removed meanwhile."""
        for _ in range(3):
            folder = Path(os.path.realpath(self.folder))
            current = {spec.name: signature(folder / spec.file) for spec in self._tables}
            if folder.is_dir() or not os.path.islink(self.folder):
                break
        return folder, current

    def _build(self, now: datetime, *, first: bool) -> Catalog:
        checked = dict(self._checked)
        accepted, refused, left = self._settle(checked)
        if first and self._restarts:
            for name in refused:
                refused[name].append(_restart_notice(_by_name(self._tables)[name], refused[name]))
        states: dict[str, TableState] = {}
        for spec in self._tables:
            mine = checked[spec.name]
            if spec.name in accepted:
                states[spec.name] = self._accept(spec, mine, now)
                continue
            problems = tuple(refused.get(spec.name, ())) or mine.problems or tuple(left.get(spec.name, ()))
            states[spec.name] = self._state(spec, mine, problems, now)
        changes = {name: tuple(reversed(history)) for name, history in self._history.items()}
        return Catalog(self.folder, states, changes)

    def _settle(
        self, checked: Mapping[str, Checked]
    ) -> tuple[set[str], dict[str, list[Problem]], dict[str, list[Problem]]]:
        """Which pending files go live (``accepted``), which are refused and why, and the reference
        problems left on tables that keep serving (none, unless served versions disagree)."""
        specs = _by_name(self._tables)
        accepted = {
            name
            for name, mine in checked.items()
            if not mine.problems
            and mine.frame is not None
            and (name not in self._good or self._good[name].digest != mine.digest)
        }
        refused: dict[str, list[Problem]] = {}
        while True:
            served = {name: self._candidate(name, checked, accepted) for name in checked}
            failures = {
                name: found
                for name, mine in served.items()
                if mine is not None and (found := check_references(specs[name], mine, Frames(_frames(served))))
            }
            refusing: dict[str, list[Problem]] = {}
            for name, problems in failures.items():
                if name in accepted:  # its new file cites ids the set lacks
                    refusing.setdefault(name, []).extend(problems)
                    continue
                for target, found in _by_target(specs[name], problems).items():
                    if target in accepted:  # an unchanged table would lose ids it cites
                        known = _ids(specs[name], target, served[target])
                        refusing.setdefault(target, []).append(_breaks(specs[target], specs[name], found, known))
            for name, problems in refusing.items():
                accepted.discard(name)
                refused.setdefault(name, []).extend(problems)
            moved = bool(refusing)
            if not moved:
                return accepted, refused, failures

    def _candidate(self, name: str, checked: Mapping[str, Checked], accepted: set[str]) -> Checked | None:
        """The version of a table the set would serve: its new file if accepted, else the served one."""
        if name in accepted:
            return checked[name]
        good = self._good.get(name)
        return None if good is None else Checked(good.frame, (), good.lines, good.digest)

    def _accept(self, spec: TableSpec, mine: Checked, now: datetime) -> TableState:
        assert mine.frame is not None
        previous = self._good.get(spec.name)
        if previous is not None:
            diff = diff_frames(spec, previous.frame, mine.frame)
            self._history[spec.name].append(Change(spec.name, now, previous.digest, mine.digest, diff))
        self._good[spec.name] = _Served(mine.frame, now, mine.digest, mine.lines)
        return TableState(spec, mine.frame, (), False, now, now, mine.digest, mine.notes)

    def _state(self, spec: TableSpec, mine: Checked, problems: tuple[Problem, ...], now: datetime) -> TableState:
        good = self._good.get(spec.name)
        if good is None:
            return TableState(spec, None, problems, False, None, now, notes=mine.notes)
        fallback = bool(problems) and good.digest != mine.digest
        notes = mine.notes if good.digest == mine.digest else ()
        return TableState(spec, good.frame, problems, fallback, good.at, now, good.digest, notes)


def _by_name(tables: tuple[TableSpec, ...]) -> dict[str, TableSpec]:
    return {spec.name: spec for spec in tables}


def _ids(spec: TableSpec, target: str, mine: Checked | None) -> set[object]:
    """The ids the candidate version of ``target`` has, in the column ``spec`` cites."""
    if mine is None or mine.frame is None:
        return set()
    columns = {ref.target for ref in spec.references if ref.table == target}
    return {str(v) for c in columns if c in mine.frame for v in mine.frame[c].dropna()}


def _frames(served: Mapping[str, Checked | None]) -> tuple[tuple[str, pd.DataFrame | None], ...]:
    return tuple((name, None if mine is None else mine.frame) for name, mine in served.items())


def _by_target(spec: TableSpec, problems: list[Problem]) -> dict[str, list[Problem]]:
    """Reference problems grouped by the table whose ids are missing."""
    found: dict[str, list[Problem]] = {}
    for problem in problems:
        for ref in spec.references:
            if ref.column == problem.column:
                found.setdefault(ref.table, []).append(problem)
    return found


def _breaks(target: TableSpec, victim: TableSpec, problems: list[Problem], known: set[object]) -> Problem:
    """Why a valid new file is not put live: an unchanged table cites ids it no longer has."""
    first = problems[0]
    where = f"{first.file}:{first.line}" if first.line is not None else first.file
    cells = [p.value for p in problems if p.value is not None]
    ids = sorted({i.strip() for cell in cells for i in cell.split(";") if i.strip() not in known})
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    message = (
        f"not put live: {victim.file} would cite ids this file does not have ({shown}; first at {where}, "
        f"column {first.column}); keep them in this file, or change {victim.file} in the same swap"
    )
    return Problem(target.file, None, None, message)


def _restart_notice(spec: TableSpec, problems: list[Problem]) -> Problem:
    """After a restart no earlier version is kept (a read-only container keeps none): say so."""
    targets = sorted(_by_target(spec, problems))
    files = ["the dashboard's pages" if t == PAGES_TARGET else f"{t}.csv" for t in targets]
    because = f"it cites ids missing from {', '.join(files)}" if files else "it breaks a table that cites it"
    return Problem(
        spec.file,
        None,
        None,
        f"unavailable since the server started: {because}; a restart keeps no earlier version of the data, "
        "so correct the files and swap them in together",
    )


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
    """Validate an uploaded file against the schema and the catalog's current tables, as a swap would:
    its own references, and the references of the served tables that cite it; nothing is stored."""
    checked = check_table(spec, read_csv_bytes(spec.file, data, spec.kinds()))
    if checked.problems or checked.frame is None:
        return checked
    served = {name: state.frame for name, state in catalog.tables.items()} | {spec.name: checked.frame}
    problems = list(check_references(spec, checked, served))
    candidate = Checked(checked.frame, ())
    for name, state in catalog.tables.items():
        other = state.spec
        if name == spec.name or state.frame is None or not any(r.table == spec.name for r in other.references):
            continue
        found = _by_target(other, check_references(other, Checked(state.frame, ()), served)).get(spec.name)
        if found:
            problems.append(_breaks(spec, other, found, _ids(other, spec.name, candidate)))
    return Checked(checked.frame, tuple(problems), checked.lines, checked.digest, checked.notes)
