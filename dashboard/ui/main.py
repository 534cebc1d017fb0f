"""Entry point of the app: shared header, navigation, the page, and an error boundary."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from dashboard.ui import layout, nav, resources

log = logging.getLogger("dashboard")
ICON = Path(__file__).resolve().parent / "assets" / "icon.png"


def configure_logging() -> None:
    """Our log lines (refused links, broken CSVs, page failures with tracebacks) go to the server's stderr."""
    logger = logging.getLogger("dashboard")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def main() -> None:
    configure_logging()
    resources.housekeeper()
    resources.site_baker()
    # Streamlit's page paints in its centered layout before the script's first message arrives; a wide
    # layout would then move the whole page sideways on every first visit (a layout shift of about 0.23).
    st.set_page_config(page_title=layout.APP_TITLE, page_icon=str(ICON), layout="centered")
    try:
        with resources.run_slot(), resources.page_run() as catalog:
            settings = resources.settings()
            current = st.navigation(nav.build(), position="top")  # a sidebar would appear after first paint
            layout.header(settings, catalog)
            layout.banner(settings, catalog, nav.spec_of(current).tables)
            current.run()
            layout.footer(catalog)
    except Exception:
        log.exception("page failed")
        st.error(
            "Sorry, this page could not be shown. The problem has been logged; please reload, or choose another page.",
            icon=":material/error:",
        )
