"""Outcomes: how often ketamine and esketamine help (response, remission, relapse, score change),
with NNT and its interval from the same statistics as the harms."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.pagespecs import MEASURE, OUTCOME_PARAMS, OUTCOMES_PAGE
from dashboard.schema import OUTCOMES
from dashboard.ui import filterbar, nav, tables
from dashboard.ui.pages.common import Count, open_page, opening
from dashboard.views import outcomes
from dashboard.views.common import pick

INTRO = (
    "How often people improve on ketamine or esketamine compared with what they were given instead. "
    "**Response** usually means the depression score fell by at least half; **remission** that it fell "
    "to a low level; **relapse** that symptoms came back. **NNT** is how many people need the treatment "
    "instead of the comparator for one more of them to benefit. Comparators differ (placebo, midazolam, "
    "ECT, quetiapine), so read each row with its comparator."
)
FOREST = ["name", "outcome", "drug", "comparator", "drug_pct", "comparator_pct", "events_per_arm", "difference_ci"]
FOREST += ["ratio_ci", "number_needed", "per_100", "interval_note", "source_id"]
COLUMNS = ["study", "outcome", "definition", "timepoint", "drug", "comparator", "drug_pct", "comparator_pct"]
COLUMNS += ["events_per_arm", "difference_ci", "ratio_ci", "number_needed", "per_100", "evidence", "interval_note"]
COLUMNS += ["n_drug", "n_comparator", "population", "regimen_id", "notes", "source", "source_kind", "source_url"]
COLUMNS += ["more_source_ids", "outcome_id"]
SUMMARY = ["study", "outcome", "timepoint", "drug", "comparator", "drug_pct", "comparator_pct", "difference_ci"]
SUMMARY += ["number_needed", "evidence", "interval_note", "source_id"]


def render() -> None:
    page = open_page(OUTCOMES_PAGE, outcomes.prepare)
    view = page.view(outcomes.view)
    opening(page, INTRO, OUTCOME_PARAMS, view.counts, Count(view.total, len(page.prepared.frame), "outcome rows"))
    rows = partial(pick, view.shown, SUMMARY)
    tables.summary_button(page.bar, figure=view.forest, rows=rows, total=view.total, catalog=page.catalog)
    nav.glossary_link()
    if not view.total:
        st.info(tables.NO_ROWS, icon=":material/filter_alt_off:")
        return
    filterbar.widget(page.bar, MEASURE)
    st.subheader("Response, remission and relapse: difference with 95% CI")
    st.caption("Only rows whose source gives both group sizes have an interval; the table says why the others do not.")
    alt = "Difference in response, remission or relapse between drug and comparator, with 95% intervals and NNT."
    tables.chart(
        view.forest,
        view.proportions,
        OUTCOMES,
        key="outcomes:forest",
        name="outcomes-intervals",
        alt=alt,
        columns=FOREST,
    )
    st.subheader("Every outcome row")
    alt = "Outcomes with both arms, the difference, NNT and the source."
    tables.table(view.shown, OUTCOMES, key="outcomes", name="outcomes", alt=alt, columns=COLUMNS)


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
