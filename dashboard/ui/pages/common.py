"""Small helpers the pages share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.catalog import Catalog
from dashboard.ui import state
from dashboard.views import with_sources


def table_or_stop(catalog: Catalog, name: str) -> pd.DataFrame:
    """The served frame of ``name``; if it is unavailable, say so and stop the page (the banner explains)."""
    frame = catalog.frame(name)
    if frame is None:
        st.info(
            f"The {catalog.tables[name].spec.title.lower()} table is not available right now.",
            icon=":material/database_off:",
        )
        st.stop()
    return frame


def sourced(catalog: Catalog, frame: pd.DataFrame) -> pd.DataFrame:
    return with_sources(frame, catalog.frame("sources"))


def sourced_table(
    catalog: Catalog, name: str, prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None
) -> pd.DataFrame:
    """``name`` with its source columns (and ``prepare`` applied), built once per data version."""
    frame = table_or_stop(catalog, name)
    key = state.version(catalog, (name, "sources"))
    return state.derived(f"sourced:{name}", key, lambda: sourced(catalog, prepare(frame) if prepare else frame))


def sourced_or_none(catalog: Catalog, name: str) -> pd.DataFrame | None:
    """Like ``sourced_table`` for a table the page can do without."""
    return sourced_table(catalog, name) if catalog.frame(name) is not None else None


def freeze(values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list | tuple) else v) for k, v in values.items()))


def figure(
    kind: str, catalog: Catalog, tables: Iterable[str], values: Mapping[str, Any], make: Callable[[], go.Figure]
) -> go.Figure:
    """A chart built once per data version and filter values, then shared by every session."""
    return state.per_view(f"figure:{kind}", (*state.version(catalog, tables), freeze(values)), make)


def count_caption(shown: int, total: int, noun: str) -> None:
    st.caption(f"{shown:,} of {total:,} {noun} match the filters.")
