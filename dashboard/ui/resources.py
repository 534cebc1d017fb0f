"""The process's shared resources (not any session's state): settings, the catalog store, the cache of
derived data, the housekeeper and the run slots, one of each per server process for all sessions."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TypeVar

import streamlit as st

from dashboard.bake.publish import SiteBaker
from dashboard.bake.site import bake as bake_site
from dashboard.cache import Cache, Held
from dashboard.catalog import Catalog, CatalogStore
from dashboard.filterset import Values, defaults
from dashboard.memory import Housekeeper
from dashboard.pagespec import PageSpec
from dashboard.settings import ENVIRONMENT, Settings

T = TypeVar("T")
log = logging.getLogger("dashboard")


@st.cache_resource(show_spinner=False)
def _settings(environment: tuple[str | None, ...]) -> Settings:
    present = {name: value for name, value in zip(ENVIRONMENT, environment, strict=True) if value is not None}
    return Settings.from_env(present)


def settings() -> Settings:
    """Read once per distinct environment (so a warning about a bad value is logged once)."""
    return _settings(tuple(os.environ.get(name) for name in ENVIRONMENT))


@st.cache_resource(show_spinner=False)
def _store(folder: str) -> CatalogStore:
    return CatalogStore(Path(folder))


_run = threading.local()
"""The catalog of the page run on this thread (Streamlit runs each script run on one thread)."""


@contextmanager
def page_run() -> Iterator[Catalog]:
    """One catalog for a whole page run: the header, the banner, the page and the footer all read
    the same version of every table, even if the data is swapped while the page builds."""
    _run.catalog = _fresh_catalog()
    try:
        yield _run.catalog
    finally:
        _run.catalog = None


def catalog() -> Catalog:
    """The tables of this page run (see ``page_run``); outside a run, the tables as they are now."""
    pinned: Catalog | None = getattr(_run, "catalog", None)
    return pinned if pinned is not None else _fresh_catalog()


def _fresh_catalog() -> Catalog:
    """The tables as they are now: each file is re-read only when it changed on disk.

    After a reload the old version's memory (and the file's bytes) is handed back at once rather
    than at the housekeeper's next round: a large table would otherwise be held twice."""
    store = _store(str(settings().data_dir))
    before = store.current
    now = store.refresh()
    if now is not before:
        held().retain(partial(_served, now))
        housekeeper().tidy()
    return now


@st.cache_resource(show_spinner=False)
def _cache(max_bytes: int) -> Cache:
    # Preparing a large table (a page's prepared data on a million rows) leaves about as much
    # again in freed temporaries; they are handed back at once, not at the housekeeper's next round.
    return Cache(max_bytes=max_bytes, max_entries=2048, max_age=3600, after_large=housekeeper().tidy)


def cache() -> Cache:
    """The process's one cache of derived data, bounded by DASHBOARD_CACHE_MB."""
    return _cache(settings().cache_mb * 2**20)


def _served(catalog: Catalog, versions: Hashable) -> bool:
    """Whether ``versions`` (as ``Catalog.versions`` gives them) are the ones ``catalog`` serves."""
    return isinstance(versions, tuple) and catalog.versions(name for name, _ in versions) == versions


@st.cache_resource(show_spinner=False)
def held() -> Held:
    """The process's prepared page data, one per page for the served data version (never evicted by
    the derived results that DASHBOARD_CACHE_MB bounds)."""
    return Held(after_large=housekeeper().tidy)


def prepare(fn: Callable[..., T], catalog: Catalog, tables: Iterable[str]) -> T:
    """``fn(frames of tables)``: a page's prepared data and index, computed once per served version of
    ``tables`` and held while that version is served (apart from the cache). Never mutate the result."""
    names = tuple(tables)
    return held().get(fn, catalog.versions(names), (catalog.frames(names),))


def derive(
    fn: Callable[..., T],
    catalog: Catalog,
    tables: Iterable[str],
    *args: Hashable,
    inputs: tuple[object, ...] | None = None,
) -> T:
    """``fn(*inputs, *args)`` computed once per served version of ``tables`` and ``args``, for all sessions.

    ``inputs`` default to the frames of ``tables``; anything passed instead must itself be derived
    from those tables (it is identified by their versions, not by its contents). Never mutate the result."""
    names = tuple(tables)
    return cache().get(fn, catalog.versions(names), args, (catalog.frames(names),) if inputs is None else inputs)


def warm(specs: Iterable[PageSpec]) -> None:
    """What a first visitor would wait for, done before the server takes one (see ``serve``): read and
    check every table, import each page's view module, prepare each page's data, and compute each
    filtered page's view with its filters as a bare URL sets them. A page whose required table is
    unavailable is left to say so itself."""
    with page_run() as current:
        for spec in specs:
            views = spec.views()
            if views is None or any(current.frame(name) is None for name in spec.required):
                continue
            try:
                prepared = prepare(views.prepare, current, spec.tables)
                if spec.params and hasattr(views, "view"):
                    derive(views.view, current, spec.tables, Values(defaults(spec.params)), inputs=(prepared,))
            except Exception:  # the page will show its own error to a visitor; the server must still start
                log.exception("could not prepare the %s page ahead of its first visitor", spec.path)


@st.cache_resource(show_spinner=False)
def _site_baker(folder: str, site: str, current: Settings) -> SiteBaker:
    baker = SiteBaker(_store(folder), Path(site), partial(bake_site, settings=current))
    baker.start()
    return baker


def site_baker() -> SiteBaker | None:
    """When DASHBOARD_SITE_DIR is set, one per server process: re-bakes the public pages and the open
    data API on every new valid data version (within its interval, with no restart)."""
    current = settings()
    if current.site_dir is None:
        return None
    return _site_baker(str(current.data_dir), str(current.site_dir), current)


@st.cache_resource(show_spinner=False)
def housekeeper() -> Housekeeper:
    """One per server process: collects garbage and returns free memory every 30 s."""
    keeper = Housekeeper()
    keeper.start()
    return keeper


RUN_SLOTS = 2
"""Page runs that build at once. Python runs one thread at a time anyway, so more slots only add
memory (every waiting run holds its temporaries) without adding speed; with a crowd of visitors,
runs queue here instead."""
SLOT_WAIT = 30.0


@st.cache_resource(show_spinner=False)
def _slots() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(RUN_SLOTS)


@contextmanager
def run_slot() -> Iterator[None]:
    """Hold one of the process's run slots while a page builds (never wait more than SLOT_WAIT)."""
    slots = _slots()
    acquired = slots.acquire(timeout=SLOT_WAIT)
    try:
        yield
    finally:
        if acquired:
            slots.release()
