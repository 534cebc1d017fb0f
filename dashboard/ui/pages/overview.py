"""Overview: what the drugs are, headline figures from the tables, and the article's claims against the evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, views
from dashboard.catalog import Catalog
from dashboard.pagespecs import BY_PATH
from dashboard.ui import nav, state, widgets
from dashboard.ui.pages.common import figure, sourced, sourced_or_none

TABLES_USED = ("dosing_regimens", "sources")

INTRO = """
**Ketamine** is an anaesthetic, approved in the US since 1970 for anaesthesia, that blocks the brain's NMDA
glutamate receptors. At lower doses, usually given as an intravenous infusion, it can ease depression within
hours, an off-label use studied in many trials. **Esketamine** (Spravato), one of ketamine's two mirror-image
forms, is a nasal spray approved for treatment-resistant depression and for depression with suicidal thoughts;
it is given in certified clinics with monitoring for at least two hours.

This dashboard collects the dosing, the side effects and the proposed mechanism from labels and trials, each row
with its source, and sets the claims of a clinic's marketing article beside them.
"""

VERDICTS = {
    "not supported": ("Not supported by the evidence", "red", ":material/cancel:"),
    "partly supported": ("Partly supported", "orange", ":material/help:"),
    "supported": ("Supported", "green", ":material/check_circle:"),
}


def render() -> None:
    catalog = state.catalog()
    st.title(BY_PATH["overview"].h1)
    st.markdown(INTRO)
    st.page_link(
        nav.page("glossary"),
        label="Words like NMDA, BDNF or dissociation: see the glossary",
        icon=":material/dictionary:",
    )
    _headlines(catalog)
    _claims(catalog)
    _article_against_trials(catalog)


def _headlines(catalog: Catalog) -> None:
    regimens = sourced_or_none(catalog, "dosing_regimens")
    left, middle, right = st.columns(3)
    if regimens is not None:
        for column, headline in ((left, views.standard_iv(regimens)), (middle, views.article_dose(regimens))):
            if headline is None:
                continue
            with column, st.container(border=True):
                st.markdown(f"**{headline.label}**")
                st.markdown(f"### {headline.value}")  # built from numbers and validated units only
                st.caption(headline.detail)
                nav.source_link(headline.source_id)
    mechanism = catalog.frame("neurotransmitters")
    if mechanism is not None:
        outcome = mechanism[mechanism["entity_type"] == "clinical outcome"]
        if not outcome.empty:
            row = outcome.iloc[0]
            with right, st.container(border=True):
                st.markdown("**How soon it works, and for how long**")
                st.text(str(row["time_course"] if pd.notna(row["time_course"]) else row["ketamine_action"]))
                nav.source_link(str(row["source_id"]))
    if catalog.frame("side_effects") is not None:
        top = state.derived(
            "overview:top-effects",
            state.version(catalog, ("side_effects", "sources")),
            lambda: sourced(catalog, views.top_effects(catalog.frame("side_effects"))),
        )
        if not top.empty:
            st.markdown("**The most common dosing-day side effects, on the drug and on placebo**")
            st.dataframe(
                top[["effect", "drug", "incidence_pct", "comparator_pct", "comparator", "population", "source"]],
                hide_index=True,
                width="stretch",
                alt="The three most common dosing-day side effects.",
                column_config=widgets.column_config(None, pd.DataFrame(columns=["source"]))
                | {
                    "incidence_pct": st.column_config.NumberColumn("On the drug (%)", format="%g"),
                    "comparator_pct": st.column_config.NumberColumn("On the comparator (%)", format="%g"),
                },
            )
            st.page_link(nav.page("side-effects"), label="All side effects", icon=":material/arrow_forward:")


def _claims(catalog: Catalog) -> None:
    claims = catalog.frame("claims")
    st.subheader("Where the clinic article and the evidence disagree")
    st.markdown(
        "The project began from a clinic's marketing article. Each of its claims is set against "
        "labels, trials and reviews:"
    )
    if claims is None:
        st.info("The claims table is not available right now.", icon=":material/database_off:")
        return
    order = {"not supported": 0, "partly supported": 1, "supported": 2}
    for _, claim in claims.sort_values("verdict", key=lambda s: s.map(order)).iterrows():
        label, colour, icon = VERDICTS[str(claim["verdict"])]
        with st.container(border=True):
            st.badge(label, color=colour, icon=icon)  # type: ignore[arg-type]
            st.text(str(claim["topic"]))
            said, found = st.columns(2)
            with said:
                st.caption("The clinic article says")
                st.text(str(claim["article_says"]))
            with found:
                st.caption("The evidence says")
                st.text(str(claim["evidence_says"]))
                nav.source_link(str(claim["source_id"]))
                page = claim.get("page")
                if isinstance(page, str) and page in BY_PATH and page != "overview":
                    st.page_link(
                        nav.page(page),
                        label=f"Details on the {BY_PATH[page].title} page",
                        icon=":material/arrow_forward:",
                    )


def _article_against_trials(catalog: Catalog) -> None:
    regimens = sourced_or_none(catalog, "dosing_regimens")
    if regimens is None:
        return
    iv = regimens[(regimens["route"] == "IV") & (regimens["dose_unit"] == "mg/kg")]
    st.subheader("The article's infusion against trial protocols and the anaesthetic label")
    data = iv[
        [
            "regimen_id",
            "purpose",
            "dose_min",
            "dose_max",
            "duration_min_minutes",
            "duration_max_minutes",
            "source_id",
            "source_kind",
        ]
    ]
    widgets.chart(
        figure(
            "overview:duration",
            catalog,
            TABLES_USED,
            {},
            lambda: charts.build_durations(iv, title="Infusion time: the article's claim against trials"),
        ),
        data,
        key="overview:duration",
        name="article-vs-trials-time",
        alt="Infusion time of IV regimens: the clinic article against trials and the anaesthetic label.",
    )
    widgets.chart(
        figure(
            "overview:dose",
            catalog,
            TABLES_USED,
            {},
            lambda: charts.build_dose_ranges(iv, title="IV dose: the article's claim against trials"),
        ),
        data,
        key="overview:dose",
        name="article-vs-trials-dose",
        alt="IV dose ranges: the clinic article against trials and the anaesthetic label.",
    )


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
