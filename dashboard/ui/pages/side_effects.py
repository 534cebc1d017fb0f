"""Side effects: drug against comparator, dosing-day effects apart from long-term risks."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard.pagespecs import SIDE_EFFECT_PARAMS, SIDE_EFFECTS_PAGE, SORT
from dashboard.schema import SIDE_EFFECTS
from dashboard.ui import filterbar, nav, tables
from dashboard.ui.pages.common import Count, Page, open_page, opening
from dashboard.views import effects
from dashboard.views.common import Selection, pick

INTRO = (
    "Rates are the share of patients with each effect on the drug and on the comparator (usually "
    "placebo) in the same trials. Dosing-day effects, effects over a course, and long-term risks are "
    "kept apart: they answer different questions."
)
LONG_TERM_TEXT = (
    "Risks of months to years of use, several known mainly from frequent recreational use. Most have no "
    "reliable rate, and they are not dosing-day effects: they are shown here, not in the charts above."
)
SUMMARY = ["effect", "body_system", "drug", "timeframe", "incidence_pct", "comparator_pct", "comparator"]
SUMMARY += ["population", "severity", "source_id"]
CHART = ["effect", "drug", "incidence_pct", "incidence_max_pct", "comparator_pct", "comparator_max_pct"]
CHART += ["comparator", "difference_pct", "n_drug", "n_comparator", "population", "source_id"]
COLUMNS = ["effect", "body_system", "drug", "timeframe", "incidence_pct", "incidence_max_pct", "comparator_pct"]
COLUMNS += ["comparator_max_pct", "comparator", "difference_pct", "n_drug", "n_comparator", "population"]
COLUMNS += ["severity", "onset", "resolution", "notes", "source", "source_kind", "source_url", "more_source_ids"]
LONG_TERM = ["effect", "body_system", "drug", "severity", "population", "incidence_pct", "onset", "resolution"]
LONG_TERM += ["notes", "source", "source_kind", "source_url"]


def render() -> None:
    page = open_page(SIDE_EFFECTS_PAGE, effects.prepare)
    view = page.view(effects.view)
    opening(
        page, INTRO, SIDE_EFFECT_PARAMS, view.counts, Count(view.everything.total, len(page.prepared.frame), "rows")
    )
    rows = partial(effects.rows, page.prepared, page.bar.values)
    summary_rows = partial(_summary_rows, page)
    tables.summary_button(
        page.bar, figure=view.summary_figure, rows=summary_rows, total=view.everything.total, catalog=page.catalog
    )
    nav.glossary_link()
    if not view.everything.total:
        st.info(tables.NO_ROWS, icon=":material/filter_alt_off:")
        return
    filterbar.widget(page.bar, SORT)
    for section in view.sections:
        _rated(page, section)
    _long_term(page, view.long_term)
    st.subheader("All rows")
    alt = "Side effects with rates on drug and comparator, population and source."
    tables.table(
        view.everything.top, SIDE_EFFECTS, key="side-effects", name="side-effects", alt=alt,
        columns=COLUMNS, total=view.everything.total, rows=rows,
    )  # fmt: skip


def _summary_rows(page: Page[effects.Prepared]) -> pd.DataFrame:
    return pick(effects.rows(page.prepared, page.bar.values), SUMMARY)


def _rated(page: Page[effects.Prepared], section: effects.Section) -> None:
    st.subheader(section.heading)
    tables.chart(
        section.figure,
        section.selection.top,
        SIDE_EFFECTS,
        key=f"side-effects:{section.timeframe}",
        name=f"side-effects-{section.timeframe.replace(' ', '-')}",
        alt=f"{section.heading}: percent of patients on the drug and on the comparator, with sources.",
        columns=CHART,
        total=section.selection.total,
        rows=partial(effects.rows, page.prepared, page.bar.values, section.timeframe, rated=True),
    )


def _long_term(page: Page[effects.Prepared], long_term: Selection) -> None:
    if not long_term.total:
        return
    st.subheader("Long-term risks")
    st.markdown(LONG_TERM_TEXT)
    tables.table(
        long_term.top,
        SIDE_EFFECTS,
        key="side-effects:long-term",
        name="side-effects-long-term",
        alt="Long-term risks of ketamine use with their sources.",
        columns=LONG_TERM,
        total=long_term.total,
        rows=partial(effects.rows, page.prepared, page.bar.values, effects.LONG_TERM),
    )


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
