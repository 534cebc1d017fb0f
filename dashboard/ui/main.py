"""Entry point of the app: shared header, navigation, the page, and an error boundary."""

from __future__ import annotations

import logging

import streamlit as st

from dashboard.ui import layout, state
from dashboard.ui.pages import data

log = logging.getLogger("dashboard")


def main() -> None:
    st.set_page_config(
        page_title="Ketamine for depression: the evidence", page_icon=":material/science:", layout="wide"
    )
    settings, catalog = state.settings(), state.catalog()
    layout.header(settings, catalog)
    layout.banner(settings, catalog, catalog.tables)
    page = st.navigation([st.Page(data.render, title="Data", url_path="data", default=True)])
    page.run()
