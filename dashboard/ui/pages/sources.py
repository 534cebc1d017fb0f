"""Sources: every reference, its kind, year and link, and how many rows cite it."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.pagespecs import SOURCE_PARAMS, SOURCES_PAGE
from dashboard.schema import SOURCES
from dashboard.ui import tables
from dashboard.ui.pages.common import Count, open_page, opening
from dashboard.views import sources
from dashboard.views.common import pick

INTRO = (
    "Every reference behind the tables: drug labels, trials, meta-analyses, reviews, and the clinic "
    "article that started the project, kept as one labelled source so its claims can be checked."
)
SUMMARY = ["source_id", "kind", "year", "citation", "url", "rows_citing"]
COLUMNS = ["source_id", "kind", "year", "citation", "url", "identifier", "rows_citing", "accessed"]
ROWS_CITING = st.column_config.NumberColumn(
    "Rows citing", help="Rows of all tables that cite this source.", format="%d"
)


def render() -> None:
    page = open_page(SOURCES_PAGE, sources.prepare)
    view = page.view(sources.view)
    opening(page, INTRO, SOURCE_PARAMS, view.counts, Count(len(view.shown), len(page.prepared.frame), "sources"))
    summary_rows = partial(pick, view.shown, SUMMARY)
    tables.summary_button(page.bar, figure=view.figure, rows=summary_rows, total=len(view.shown), catalog=page.catalog)
    if view.card is not None:
        _card(view.card)
    alt = "Number of table rows citing each source."
    tables.chart(
        view.figure, view.shown, None, key="sources:usage", name="source-usage", alt=alt, columns=sources.USAGE
    )
    alt = "References with kind, year, link and the number of rows citing each."
    config = {"rows_citing": ROWS_CITING}
    tables.table(view.shown, SOURCES, key="sources", name="sources", alt=alt, columns=COLUMNS, config=config)


def _card(card: sources.Card) -> None:
    """The landing card when a row's source link opened this page."""
    with st.container(border=True):
        st.caption("Selected source")
        st.text(card.citation)
        st.text(card.cited_by)
        if card.url is not None:
            st.link_button("Open the source", card.url, icon=":material/open_in_new:")


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
