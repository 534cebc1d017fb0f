"""Compare regimens: up to three side by side, with the benefit and harm rows of the same trials."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import wording
from dashboard.pagespecs import COMPARE, COMPARE_PARAMS
from dashboard.ui import filterbar, findings, nav, tables
from dashboard.ui.pages.common import open_page
from dashboard.views import compare

INTRO = (
    "Choose up to three ways of giving ketamine or esketamine. Each column shows how the regimen is "
    "given and monitored, its regulatory status, and the benefit (NNT) and harm (NNH) figures from the "
    "trials or label pool behind it. Where the tables hold nothing for a regimen, it says so."
)
PARTS: dict[str, tuple[str, dict[str, Any]]] = {
    "benefit": (
        "Benefit (number needed to treat)",
        {"drug_pct": st.column_config.NumberColumn("On the drug (%)", format="%g")},
    ),
    "harm": (
        "Harm (number needed to harm)",
        {"incidence_pct": st.column_config.NumberColumn("On the drug (%)", format="%g")},
    ),
}
"""Each part of a regimen's column: its heading and the labels its table overrides."""
COUNTS = {
    "benefit_rows": st.column_config.NumberColumn("Benefit rows", help="Outcome rows from its trials.", format="%d"),
    "harm_rows": st.column_config.NumberColumn("Harm rows", help="Side-effect rows with a rate.", format="%d"),
}


def render() -> None:
    page = open_page(COMPARE, compare.prepare)
    view = page.view(compare.view)
    st.title(COMPARE.h1)
    st.markdown(INTRO)
    filterbar.widget(page.bar, COMPARE_PARAMS[0], names=view.options)
    filterbar.widget(page.bar, COMPARE_PARAMS[1])
    filterbar.reset_button(page.bar)
    rows = partial(compare.summary_rows, view)
    tables.summary_button(page.bar, figure=None, rows=rows, total=len(view.columns), catalog=page.catalog)
    findings.block(view.findings, key="compare")
    if not view.columns:
        st.info("Choose one to three regimens above to compare them.", icon=":material/compare_arrows:")
    else:
        for column, regimen in zip(st.columns(len(view.columns)), view.columns, strict=True):
            with column:
                _column(regimen)
        tables.download(rows, key="compare", name="regimens-compared", label="Download the comparison (CSV)")
    st.subheader("What there is to compare")
    alt = "Every regimen with the number of benefit and harm rows that rest on it."
    tables.table(view.catalogue, None, key="compare:catalogue", name="regimens-evidence", alt=alt, config=COUNTS)


def _column(regimen: compare.Column) -> None:
    with st.container(border=True):
        st.markdown("**Regimen**")
        st.text(f"{regimen.name}\n(regimen id: {regimen.regimen_id})")  # CSV text: plain, never markdown
    if regimen.pooled:
        st.markdown(f"**{wording.POOLED_HEADING}**")  # a constant heading; the lines are plain text
        for line in regimen.pooled:
            st.text(line)
    for label, value in regimen.facts:
        st.markdown(f"**{label}**")  # a constant label; the value below comes from a CSV and stays plain text
        st.text(value)
    st.markdown("**Contraindications and warnings for this drug**")
    st.text("\n\n".join(regimen.warnings) or compare.NO_DATA)  # CSV text: plain, never markdown
    _rows(regimen.regimen_id, "benefit", regimen.benefits)
    _rows(regimen.regimen_id, "harm", regimen.harms)
    st.markdown("**Kind of evidence**")
    st.text(regimen.kinds)
    st.markdown("**Sources**")
    for source_id in regimen.sources:
        nav.source_link(source_id)


def _rows(regimen_id: str, part: str, rows: pd.DataFrame) -> None:
    heading, config = PARTS[part]
    st.markdown(f"**{heading}**")
    if rows.empty:
        st.text(compare.NO_DATA)  # said in words, never an empty grid
        return
    name, alt = f"{regimen_id}-{part}", f"{heading} for {regimen_id}"
    tables.table(rows, None, key=f"compare:{name}", name=name, alt=alt, config=config)


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
