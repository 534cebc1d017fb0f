"""Mechanisms: what ketamine acts on, the proposed chain of action, direction and confidence."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, filters, views
from dashboard.pagespecs import BY_PATH, MECHANISM_PARAMS
from dashboard.schema import CONFIDENCE, DIRECTIONS, ENTITY_TYPES, EVIDENCE_IN, NEUROTRANSMITTERS
from dashboard.ui import nav, state, widgets
from dashboard.ui.pages.common import count_caption, figure, sourced_table

PAGE = "mechanisms"
SUMMARY = [
    "entity",
    "entity_type",
    "direction",
    "confidence",
    "evidence_in",
    "ketamine_action",
    "time_course",
    "source_id",
]
TABLES_USED = ("neurotransmitters", "sources")
ORDERS = {"entity_type": ENTITY_TYPES, "direction": DIRECTIONS, "confidence": CONFIDENCE, "evidence_in": EVIDENCE_IN}
COLUMNS = [
    "entity",
    "entity_type",
    "direction",
    "confidence",
    "evidence_in",
    "ketamine_action",
    "time_course",
    "normal_role",
    "leads_to",
    "source",
    "source_url",
    "more_source_ids",
]


def render() -> None:
    catalog = state.catalog()
    frame = sourced_table(catalog, "neurotransmitters")
    st.title(BY_PATH["mechanisms"].h1)
    st.markdown(
        "Ketamine blocks NMDA glutamate receptors; how that lifts mood is not settled. The leading model runs "
        "from a block on inhibitory interneurons, through a brief glutamate surge and AMPA receptor activation, "
        "to BDNF and mTOR signalling and new synapses. Much of it rests on animal work: the *Evidence in* and "
        "*Confidence* columns say how sure each step is."
    )
    values = widgets.start(
        PAGE,
        MECHANISM_PARAMS,
        {p.key: frame for p in MECHANISM_PARAMS},
        ORDERS,
        version=state.version(catalog, TABLES_USED),
    )
    widgets.filter_panel(PAGE, frame, MECHANISM_PARAMS, values)
    widgets.reset_button(PAGE, MECHANISM_PARAMS)
    shown = filters.apply(frame, values, MECHANISM_PARAMS)
    count_caption(len(shown), len(frame), "entities")
    matrix_figure = figure("matrix", catalog, TABLES_USED, values, lambda: charts.build_mechanism_matrix(shown))
    widgets.summary_button(
        BY_PATH[PAGE],
        values,
        figure=matrix_figure,
        rows=lambda: views.pick(shown, SUMMARY),
        total=len(shown),
        catalog=catalog,
    )
    st.page_link(
        nav.page("glossary"), label="What do these terms mean? Open the glossary", icon=":material/dictionary:"
    )

    st.subheader("The proposed chain of action")
    edges = views.chain_edges(shown)
    widgets.chart(
        figure("chain", catalog, TABLES_USED, values, lambda: charts.build_mechanism_chain(edges)),
        edges,
        key=f"{PAGE}:chain",
        name="mechanism-chain",
        alt="Steps of the proposed chain of action, with the confidence and source of each step.",
    )
    st.subheader("Direction and confidence, entity by entity")
    matrix = shown[["entity", "direction", "confidence", "evidence_in", "source_id"]]
    widgets.chart(
        matrix_figure,
        matrix,
        key=f"{PAGE}:matrix",
        name="mechanism-matrix",
        alt="Each entity with ketamine's direction of effect, the confidence and the evidence base.",
    )
    st.subheader("The table")
    widgets.show_table(
        shown,
        NEUROTRANSMITTERS,
        key=PAGE,
        name="neurotransmitters",
        columns=COLUMNS,
        alt="Neurotransmitters, receptors and pathways ketamine acts on, with sources.",
    )


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
