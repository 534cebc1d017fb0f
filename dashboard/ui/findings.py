"""The summary of findings block: one bordered card per pooled analysis, three abreast on a wide
screen and stacked on a phone (no sideways scrolling), the first seven outcomes open and the rest
behind them, and its CSV. Only layout: ``dashboard.views.findings`` decides every figure."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard import wording
from dashboard.ui import tables
from dashboard.views.findings import Finding, Findings

PER_ROW = 3
LINES = (
    ("outcome", "Outcome"),
    ("comparator_risk", "Assumed risk with comparator"),
    ("drug_risk", "Corresponding risk with drug"),
    ("relative", "Relative effect or difference"),
    ("number_needed", "NNT or NNH"),
    ("hksj", "HKSJ 95% CI"),
    ("participants", "Participants (studies)"),
    ("certainty", "Certainty (GRADE)"),
    ("sensitivity", "Sensitivity"),
    ("note", "Note"),
)
"""The key figures on each card, in the Cochrane order: a constant label, then the value as plain text."""
DETAILS = (
    ("heterogeneity", "Heterogeneity"),
    ("prediction", "95% prediction interval"),
    ("reasons", "Why this certainty"),
    ("risk_of_bias", "Risk of bias per study"),
)
"""Behind the card's expander: on a phone the key figures of every card come first."""


def block(found: Findings, *, key: str) -> None:
    st.subheader(wording.SOF_HEADING)
    st.caption(wording.SOF_INTRO)
    if not found.all:
        st.info(wording.SOF_NONE, icon=":material/info:")
        return
    st.caption(f"Sensitivity shown: {wording.SENSITIVITY_LABELS[found.sensitivity]}.")
    _cards(found.first, key=key)
    if found.rest:
        more = st.expander(f"{len(found.rest)} more pooled outcome(s)", key=f"{key}:sof:more", on_change="rerun")
        if more.open:
            with more:
                _cards(found.rest, key=key)
    tables.download(
        lambda: found.frame,
        key=f"{key}:sof",
        name="summary-of-findings",
        label="Download the summary of findings (CSV)",
    )


def _cards(found: Sequence[Finding], *, key: str) -> None:
    """Each card's details are built only when its expander is opened (Streamlit's lazy expanders):
    a closed expander's content would still be sent and laid out in the browser."""
    for start in range(0, len(found), PER_ROW):
        row = found[start : start + PER_ROW]
        for column, finding in zip(st.columns(PER_ROW), row, strict=False):
            with column, st.container(border=True):
                st.markdown(f"**{wording.SOF_CARD}**")  # a constant; the title below comes from a CSV
                st.text(finding.title)
                _lines(finding, LINES)
                details = st.expander(
                    wording.SOF_DETAILS, key=f"{key}:sof:{finding.analysis_id}:details", on_change="rerun"
                )
                if details.open:
                    with details:
                        _lines(finding, DETAILS)


def _lines(finding: Finding, lines: Sequence[tuple[str, str]]) -> None:
    for name, label in lines:
        value = getattr(finding, name)
        if value and value != wording.SOF_NOT_APPLICABLE:  # per-1,000 lines: ratio pools only
            st.caption(label)
            st.text(value)  # CSV-derived text: plain, never markdown
