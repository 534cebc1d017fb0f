"""Shared layout: header with the appointment link, the notice, the data-problem banner, footer.

Only constant, developer-written strings go through markdown here; any text that comes from
a CSV, a URL or the environment is shown with ``st.text`` or inside ``st.dataframe``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from dashboard.catalog import Catalog
from dashboard.pagespecs import DATA
from dashboard.settings import Settings
from dashboard.ui import nav
from dashboard.ui.filterbar import FILTER_PANEL
from dashboard.views.status import banners, update_notices
from dashboard.wording import NOTICE


def appointment_button(settings: Settings) -> None:
    if settings.appointment_url is None:
        st.button(
            settings.appointment_label,
            disabled=True,
            key="appointment-disabled",
            type="primary",
            help="Appointment booking is not configured on this site.",
        )
        st.caption("Appointment booking is not available on this site yet.")
    else:
        st.link_button(settings.appointment_label, settings.appointment_url, type="primary")


APP_TITLE = "Ketamine for depression: the evidence"

# A constant style sheet (no data in it): every focusable element shows where the keyboard is; a filter's
# placeholder, shown while its widget's code loads, is as tall as the labelled widget, so nothing below moves.
STYLE_CSS = f"""<style>
:focus-visible {{ outline: 3px solid #0B57A4 !important; outline-offset: 2px !important; }}
[class*="st-key-{FILTER_PANEL}"] [data-testid="stSkeleton"] {{ height: 4.25rem; }}
</style>"""


def header(settings: Settings, catalog: Catalog) -> None:
    """The app's name and data date, the notice and the appointment button atop every page.

    Nothing goes in the sidebar: a sidebar drawn after the first paint pushes the whole page sideways
    (the navigation sits in the top bar instead, see ``main``)."""
    st.html(STYLE_CSS)
    as_of = f" Data as of {catalog.as_of}." if catalog.as_of else ""
    st.caption(f"{APP_TITLE}.{as_of}")
    notice, action = st.columns([2, 1], vertical_alignment="center")
    with notice:
        st.info(NOTICE, icon=":material/info:")
    with action:
        appointment_button(settings)


def banner(settings: Settings, catalog: Catalog, tables: tuple[str, ...]) -> None:
    """Warn when a table this page reads has problems or is served from its last valid version;
    say when the data changed in the last half hour, with a link to what changed."""
    for text in banners(catalog, tables, public=settings.public):
        st.warning(text, icon=":material/warning:")
    notices = update_notices(catalog, datetime.now(UTC))
    if notices:
        with st.container(border=True):
            for text in notices:
                st.text(text)
            st.page_link(nav.page_file(DATA), label="See what changed on the Data page", icon=":material/history:")


def footer(catalog: Catalog) -> None:
    st.divider()
    as_of = f" Data as of {catalog.as_of}." if catalog.as_of else ""
    st.caption(
        "Educational, not medical advice. Every row cites its source; see the Sources page."
        + as_of
        + f" Data version {catalog.version}."
    )
