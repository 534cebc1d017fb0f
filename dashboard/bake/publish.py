"""Publish a bake atomically, and re-bake when a new valid catalog version appears.

A bake is written whole into a fresh folder beside the served one; a symlink (``current``) is then
swapped to it in one rename, so a visitor (nginx serves ``<site>/current``) sees either the whole
previous bake or the whole new one, never a half-written site. A catalog with any problem is not
baked: the previous bake keeps serving until every table is valid again.

``SiteBaker`` is a daemon thread the app starts when ``DASHBOARD_SITE_DIR`` is set: it refreshes
the catalog every few seconds (so a swapped file is baked within the interval even when nobody is
on the interactive pages) and publishes each new valid version.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from dashboard.catalog import Catalog, CatalogStore

log = logging.getLogger(__name__)

CURRENT = "current"
"""The symlink nginx serves: always a whole bake."""
BUILDS = ".builds"
KEEP = 2
"""Bakes kept on disk: the one served and the one before it (a visitor mid-download keeps it)."""

Write = Callable[[Catalog, Path], object]
"""Writes a whole bake of ``catalog`` into an empty folder."""


def publish(site: Path, catalog: Catalog, write: Write) -> Path | None:
    """Bake ``catalog`` into a new folder and make it the served one; None (and nothing changed)
    when the catalog has problems or the bake fails."""
    if catalog.problems:
        log.warning("site not re-baked: %d problem(s) in the tables; the previous bake keeps serving",
                    len(catalog.problems))  # fmt: skip
        return None
    build = site / BUILDS / f"{catalog.version}-{time.time_ns()}"  # never the folder being served
    build.mkdir(parents=True)
    try:
        write(catalog, build)
    except Exception:
        log.exception("site bake failed; the previous bake keeps serving")
        shutil.rmtree(build, ignore_errors=True)
        return None
    _swap(site / CURRENT, build)
    _prune(site, keep=build)
    return build


def _swap(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` in one rename (a new symlink replaces the old one atomically)."""
    staged = link.with_name(f".{link.name}.new")
    staged.unlink(missing_ok=True)
    staged.symlink_to(target.relative_to(link.parent), target_is_directory=True)
    os.replace(staged, link)


def _prune(site: Path, *, keep: Path) -> None:
    """Remove older bakes, never the one just made nor the one served now (replicas sharing the
    folder may have swapped in another since: theirs is never pulled from under nginx)."""
    spared = {keep, served(site)}
    olds = [p for p in (site / BUILDS).iterdir() if p not in spared]
    for old in sorted(olds, key=lambda p: p.stat().st_mtime, reverse=True)[KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def served(site: Path) -> Path | None:
    """The folder the site serves now (None before the first bake)."""
    link = site / CURRENT
    return link.resolve() if link.is_symlink() else None


class SiteBaker(threading.Thread):
    """Re-bakes the site on every new valid catalog version, checked every ``interval`` seconds."""

    def __init__(self, store: CatalogStore, site: Path, write: Write, interval: float = 10.0) -> None:
        super().__init__(name="dashboard-site-baker", daemon=True)
        self.store, self.site, self.write, self.interval = store, site, write, interval
        self.stopped = threading.Event()
        self.baked: str | None = None
        """The catalog version the served bake shows."""
        self.refused: str | None = None
        """The last version that could not be baked (tried again only when the tables change)."""

    def run(self) -> None:
        self.round()
        while not self.stopped.wait(self.interval):
            self.round()

    def round(self) -> None:
        """Publish the catalog if its version is new and every table is valid."""
        catalog = self.store.refresh()
        if catalog.version in (self.baked, self.refused):
            return
        if publish(self.site, catalog, self.write) is None:
            self.refused = catalog.version
        else:
            self.baked = catalog.version
