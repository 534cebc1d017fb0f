"""Swap a whole folder of tables into a running app in one step.

The app's data folder is a symbolic link to a version folder. ``swap(new, link)`` builds the next
version beside the others (the new folder's tables, and the current version's for any table the
new folder leaves out), validates that set together, cross-table references included, and only
then points the link at it with one ``rename``: a reader opening the link sees the old version or
the new one, never a mix and never nothing. The app's catalog resolves the link once per refresh.

Layout, for a link ``live``::

    live -> .live.versions/20261204T181500Z-0a1b2c3d4e5f
    .live.versions/20261204T181500Z-0a1b2c3d4e5f/   (the tables and a fresh datapackage.json)
    .live.versions/20261204T170200Z-...            (earlier versions, the newest KEEP kept)

Nothing is changed when the new set has any problem; the previous versions stay for a rollback
(``swap .live.versions/<older> live``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dashboard.catalog import Catalog, CatalogStore, load_catalog
from dashboard.describe import datapackage_json
from dashboard.problems import Problem
from dashboard.schema import TABLES

KEEP = 3
"""Version folders kept after a swap (the served one among them): the previous ones are the rollback."""
GRACE = timedelta(minutes=10)
"""No version swapped in less than this long ago is removed, however many swaps followed: a server's
refresh that began on it may still be reading it."""
STAMP = "%Y%m%dT%H%M%S.%fZ"


@dataclass(frozen=True)
class Swapped:
    """What a swap did: the version folder served now, or the problems that stopped it."""

    version: Path | None
    problems: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()
    kept: tuple[str, ...] = ()
    """Tables the new folder left out, carried over from the version served before."""
    ignored: tuple[str, ...] = ()
    """Files of the new folder that are not tables (not copied)."""
    catalog: Catalog | None = field(default=None, compare=False)


class SwapError(Exception):
    """The link cannot be swapped (it is a real folder, or a file is in its place)."""


def versions_dir(link: Path) -> Path:
    return link.parent / f".{link.name}.versions"


def swap(new: Path, link: Path, *, now: datetime | None = None) -> Swapped:
    """Make ``link`` serve the tables of ``new`` (completed from the current version), or nothing."""
    if link.exists() and not link.is_symlink():
        raise SwapError(
            f"{link} is a folder, not a link; a swap replaces a link in one step. Serve a link instead: "
            f"python -m dashboard swap {link} {link.parent / (link.name + '-live')}, then set DASHBOARD_DATA_DIR "
            "to that link"
        )
    if link.is_symlink() and not link.exists():
        raise SwapError(f"{link} is a link to a folder that no longer exists ({os.readlink(link)})")
    store = versions_dir(link)
    store.mkdir(exist_ok=True)
    current = Path(os.path.realpath(link)) if link.exists() else None
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=store))
    try:
        kept, ignored = _fill(staging, new, current)
        catalog = _check(staging, current)
        if catalog.problems:
            return Swapped(None, tuple(catalog.problems), tuple(catalog.notes), kept, ignored, catalog)
        (staging / "datapackage.json").write_text(datapackage_json(staging), encoding="utf-8")
        now = now or datetime.now(UTC)
        stamp = now.strftime(STAMP)
        version = store / f"{stamp}-{catalog.version}"
        staging.chmod(0o755)  # mkdtemp makes it private; the app may run as another user
        staging.rename(version)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    _point(link, version)
    _prune(store, {version, *([current] if current else [])}, now)
    return Swapped(version, (), tuple(catalog.notes), kept, ignored, catalog)


def _check(staging: Path, current: Path | None) -> Catalog:
    """The new set checked as the app would take it in after the current one: a new file that
    would break a table it leaves as it is is refused with a problem naming that table."""
    if current is None:
        return load_catalog(staging)
    store = CatalogStore(current, restarts=False)
    store.refresh()
    store.folder = staging
    return store.refresh()


def _fill(staging: Path, new: Path, current: Path | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Copy the tables of ``new`` (and of ``current`` for those it leaves out) into ``staging``."""
    kept = []
    for spec in TABLES:
        mine = new / spec.file
        if mine.exists():
            shutil.copyfile(mine, staging / spec.file)
        elif current is not None and (current / spec.file).is_file():
            shutil.copyfile(current / spec.file, staging / spec.file)
            kept.append(spec.file)
    tables = {spec.file for spec in TABLES}
    ignored = sorted(p.name for p in new.iterdir() if p.name not in tables and p.name != "datapackage.json")
    return tuple(kept), tuple(ignored)


def _point(link: Path, version: Path) -> None:
    """Point ``link`` at ``version`` in one rename (a relative target: the pair can be moved together)."""
    temporary = link.parent / f".{link.name}.{os.getpid()}.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(os.path.relpath(version, link.parent), temporary)
    os.replace(temporary, link)


def _prune(store: Path, keep: set[Path], now: datetime) -> None:
    """Remove all but the newest KEEP versions, never one in ``keep`` nor one younger than GRACE."""
    versions = sorted((p for p in store.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
    kept = {k.resolve() for k in keep}
    for old in versions[KEEP:]:
        if old.resolve() not in kept and now - _stamp(old) >= GRACE:
            shutil.rmtree(old, ignore_errors=True)


def _stamp(version: Path) -> datetime:
    """When a version was made, from its name (a folder that is not one is taken as new: kept)."""
    try:
        return datetime.strptime(version.name.split("-", 1)[0], STAMP).replace(tzinfo=UTC)
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)
