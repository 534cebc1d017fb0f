"""Small helpers the pages share."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.catalog import Catalog
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


def count_caption(shown: int, total: int, noun: str) -> None:
    st.caption(f"{shown:,} of {total:,} {noun} match the filters.")
