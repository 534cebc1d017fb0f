"""Data page: each table's status, its rows, and the schema behind it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.describe import column_rows
from dashboard.schema import TABLES
from dashboard.ui import state


def render() -> None:
    settings, catalog = state.settings(), state.catalog()
    st.header("Data")
    for spec in TABLES:
        table = catalog.tables[spec.name]
        with st.expander(f"{spec.title} ({spec.file}): {table.rows} rows", expanded=True):
            st.text(spec.description)
            if table.problems:
                st.warning(f"{len(table.problems)} problem(s) in {spec.file}")
                st.dataframe(pd.DataFrame([p.as_dict() for p in table.problems]), hide_index=True)
            if table.frame is not None:
                st.dataframe(table.frame, hide_index=True)
            st.dataframe(pd.DataFrame(column_rows(spec)), hide_index=True)
    if not settings.public:
        st.caption("Data folder:")
        st.text(str(catalog.folder))
