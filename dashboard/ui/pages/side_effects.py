"""Side effects: drug against comparator, dosing-day effects apart from long-term risks."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from dashboard.pagespecs import SIDE_EFFECT_PARAMS, SIDE_EFFECTS_PAGE
from dashboard.schema import SIDE_EFFECTS
from dashboard.schema.side_effects import CHART, CHARTS
from dashboard.ui import filterbar, nav, tables
from dashboard.ui.pages.common import Count, Page, every_row, open_page, opening
from dashboard.views import effects
from dashboard.views.common import Selection, pick

INTRO = (
    "Rates are the share of patients with each effect on the drug and on the comparator (usually "
    "placebo) in the same trials. Acute effects (which come with a dose), effects over a course, and "
    "long-term risks are kept apart: they answer different questions. A label's rate is the share who had "
    "an effect at least once over the weeks of its trials, not on one dosing day: each row says what was counted."
)
LONG_TERM_TEXT = (
    "Risks of months to years of use, several known mainly from frequent recreational use. Most have no "
    "reliable rate, and they are not effects of a dose: they are shown here, not in the charts above."
)
SUMMARY = ["effect", "body_system", "drug", "timeframe", "incidence_pct", "comparator_pct", "comparator"]
SUMMARY += ["events_per_arm", "difference_ci", "ratio_ci", "number_needed", "per_100", "evidence", "comparison"]
SUMMARY += ["population", "severity", "source_id"]
EVIDENCE = ["events_per_arm", "difference_ci", "ratio_ci", "number_needed", "per_100", "evidence", "interval_note"]
RATES = ["comparison", "effect", "drug", "incidence_pct", "incidence_max_pct", "comparator_pct", "comparator_max_pct"]
RATES += ["comparator", "population", "source_id"]
FOREST = ["comparison", "body_system", "effect", *EVIDENCE, "rd_pct", "rd_low_pct", "rd_high_pct"]
FOREST += ["rr", "rr_low", "rr_high", "source_id"]
COLUMNS = ["effect", "body_system", "drug", "timeframe", "counted", "incidence_pct", "incidence_max_pct"]
COLUMNS += ["comparator_pct"]
COLUMNS += ["comparator_max_pct", "comparator", *EVIDENCE, "comparison", "population", "severity", "onset"]
COLUMNS += ["resolution", "notes", "source", "source_kind", "source_url", "more_source_ids", "regimen_id", "study_id"]
COLUMNS += ["difference_pct", "rd_pct", "rd_low_pct", "rd_high_pct", "rr", "rr_low", "rr_high"]
LONG_TERM = ["effect", "body_system", "drug", "severity", "population", "incidence_pct", "onset", "resolution"]
LONG_TERM += ["notes", "source", "source_kind", "source_url"]


def render() -> None:
    page = open_page(SIDE_EFFECTS_PAGE, effects.prepare)
    view = page.view(effects.view)
    opening(page, INTRO, SIDE_EFFECT_PARAMS, view.counts, Count(view.total, len(page.prepared.frame), "rows"))
    rows = partial(effects.rows, page.prepared, page.bar.values)
    summary_rows = partial(_summary_rows, page)
    tables.summary_button(
        page.bar, figure=view.summary_figure, rows=summary_rows, total=view.total, catalog=page.catalog
    )
    nav.glossary_link()
    if not view.total:
        st.info(tables.NO_ROWS, icon=":material/filter_alt_off:")
        return
    filterbar.controls(page.bar, effects.controls(view, page.bar.values))
    every = page.bar.values[CHARTS.key] != CHARTS.default
    for i, section in enumerate(view.sections):
        if i == 0 or every:
            _rated(page, section)
        else:
            _not_drawn(section)
    _long_term(page, view.long_term)
    every_row(page.bar, "All rows", key="side-effects:all:open", draw=partial(_every_row, page, view, rows))


def _every_row(page: Page[effects.Prepared], view: effects.EffectsView, rows: Callable[[], pd.DataFrame]) -> None:
    everything = page.view_from(effects.every_row, view)
    alt = "Side effects with rates on drug and comparator, population and source."
    tables.table(
        everything.top, SIDE_EFFECTS, key="side-effects", name="side-effects", alt=alt,
        columns=COLUMNS, total=everything.total, rows=rows,
    )  # fmt: skip


def _summary_rows(page: Page[effects.Prepared]) -> pd.DataFrame:
    return pick(effects.rows(page.prepared, page.bar.values), SUMMARY)


def _rated(page: Page[effects.Prepared], section: effects.Section) -> None:
    st.subheader(section.heading)
    st.text(effects.drawn_words(section))  # names comparisons from the CSV: plain text, never markdown
    name = section.timeframe.replace(" ", "-")
    path = SIDE_EFFECTS_PAGE.path
    every = partial(effects.section_rows, page.prepared, page.bar.values, section)
    if page.bar.values[CHART.key] == CHART.default:
        tables.chart(
            section.figure, section.selection.top, SIDE_EFFECTS, page=path,
            key=f"side-effects:{section.timeframe}",
            name=f"side-effects-{name}", columns=RATES, total=section.selection.total, rows=every,
            alt=f"{section.heading}: percent of patients on the drug and on the comparator, with sources.",
        )  # fmt: skip
        return
    tables.chart(
        section.forest, section.selection.top, SIDE_EFFECTS, page=path,
        key=f"side-effects:{section.timeframe}:forest",
        name=f"side-effects-{name}-intervals", columns=FOREST, total=section.selection.total, rows=every,
        alt=f"{section.heading}: difference between drug and comparator with its 95% interval and NNH.",
    )  # fmt: skip


def _not_drawn(section: effects.Section) -> None:
    st.subheader(section.heading)
    st.caption(f'Charts not drawn: choose "{CHARTS.options[1]}" under "{CHARTS.label}" above to see them.')


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
