"""What every page shares: settings and the catalog store, one per process for all sessions."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import streamlit as st

from dashboard.catalog import Catalog, CatalogStore
from dashboard.memory import Housekeeper
from dashboard.settings import ENVIRONMENT, Settings

T = TypeVar("T")


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


def catalog() -> Catalog:
    """The tables as they are now: each file is re-read only when it changed on disk.

    After a reload the old version's memory (and the file's bytes) is handed back at once rather
    than at the housekeeper's next round: a large table would otherwise be held twice."""
    store = _store(str(settings().data_dir))
    before = store.current
    now = store.refresh()
    if now is not before:
        housekeeper().tidy()
    return now


def version(catalog: Catalog, names: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Identifies the served versions of some tables: a new valid file makes a new version."""
    return tuple((n, str(catalog.tables[n].loaded_at)) for n in names)


@st.cache_resource(max_entries=32, show_spinner=False)
def _derived(kind: str, key: tuple[object, ...], _make: Callable[[], Any]) -> Any:
    return _make()


def derived(kind: str, key: tuple[object, ...], make: Callable[[], T]) -> T:
    """Computed once per ``key`` (a table version) for all sessions: frames derived from a table,
    facet options. The result is shared: never mutate it."""
    return cast(T, _derived(kind, key, make))


@st.cache_resource(max_entries=256, ttl=3600, show_spinner=False)
def _per_view(kind: str, key: tuple[object, ...], _make: Callable[[], Any]) -> Any:
    return _make()


def per_view(kind: str, key: tuple[object, ...], make: Callable[[], T]) -> T:
    """Like ``derived`` for results that also depend on the filters (figures, the rows to show):
    popular views are computed once, and the cache is bounded in entries and age."""
    return cast(T, _per_view(kind, key, make))


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
