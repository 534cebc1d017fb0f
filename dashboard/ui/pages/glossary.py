"""Glossary: the mechanism and side-effect terms in plain language."""

from __future__ import annotations

import streamlit as st

from dashboard.glossary import TERMS
from dashboard.pagespecs import GLOSSARY
from dashboard.ui import nav


def render() -> None:
    st.title(GLOSSARY.h1)
    st.markdown("Plain-language meanings of the terms used on the other pages.")
    for term in TERMS:  # developer-written constants, not CSV text
        st.subheader(term.term, anchor=term.anchor)
        st.markdown(term.meaning)
        for source_id in term.sources:
            nav.source_link(source_id)


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
