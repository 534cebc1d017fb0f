"""Mechanisms: what ketamine acts on, the proposed chain of action, direction and confidence."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.pagespecs import MECHANISM_PARAMS, MECHANISMS
from dashboard.schema import NEUROTRANSMITTERS
from dashboard.ui import nav, tables
from dashboard.ui.pages.common import Count, open_page, opening
from dashboard.views import mechanisms
from dashboard.views.common import pick

INTRO = (
    "Ketamine blocks NMDA glutamate receptors; how that lifts mood is not settled. The leading model runs "
    "from a block on inhibitory interneurons, through a brief glutamate surge and AMPA receptor activation, "
    "to BDNF and mTOR signalling and new synapses. Much of it rests on animal work: the *Evidence in* and "
    "*Confidence* columns say how sure each step is."
)
SUMMARY = ["entity", "entity_type", "direction", "confidence", "evidence_in", "ketamine_action", "time_course"]
SUMMARY += ["source_id"]
COLUMNS = ["entity", "entity_type", "direction", "confidence", "evidence_in", "ketamine_action", "time_course"]
COLUMNS += ["normal_role", "leads_to", "source", "source_url", "more_source_ids"]


def render() -> None:
    page = open_page(MECHANISMS, mechanisms.prepare)
    view = page.view(mechanisms.view)
    opening(page, INTRO, MECHANISM_PARAMS, view.counts, Count(len(view.shown), len(page.prepared.frame), "entities"))
    summary_rows = partial(pick, view.shown, SUMMARY)
    tables.summary_button(
        page.bar, figure=view.matrix_figure, rows=summary_rows, total=len(view.shown), catalog=page.catalog
    )
    nav.glossary_link()
    st.subheader("The proposed chain of action")
    alt = "Steps of the proposed chain of action, with the confidence and source of each step."
    tables.chart(view.chain_figure, view.edges, None, key="mechanisms:chain", name="mechanism-chain", alt=alt)
    st.subheader("Direction and confidence, entity by entity")
    alt = "Each entity with ketamine's direction of effect, the confidence and the evidence base."
    tables.chart(view.matrix_figure, view.matrix, None, key="mechanisms:matrix", name="mechanism-matrix", alt=alt)
    st.subheader("The table")
    alt = "Neurotransmitters, receptors and pathways ketamine acts on, with sources."
    tables.table(view.shown, NEUROTRANSMITTERS, key="mechanisms", name="neurotransmitters", alt=alt, columns=COLUMNS)


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
