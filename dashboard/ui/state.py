"""What every page shares: settings and the catalog store, one per process for all sessions."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from dashboard.catalog import Catalog, CatalogStore
from dashboard.settings import ENVIRONMENT, Settings


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
    """The tables as they are now: each file is re-read only when it changed on disk."""
    return _store(str(settings().data_dir)).refresh()
