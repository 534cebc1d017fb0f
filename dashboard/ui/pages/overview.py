"""Overview: what the drugs are, headline figures from the tables, and the article's claims against the evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.pagespecs import OVERVIEW
from dashboard.ui import nav, resources, tables
from dashboard.views import overview
from dashboard.views.dosing import Headline

INTRO = """
**Ketamine** is an anaesthetic, approved in the US since 1970 for anaesthesia, that blocks the brain's NMDA
glutamate receptors. At lower doses, usually given as an intravenous infusion, it can ease depression within
hours, an off-label use studied in many trials. **Esketamine** (Spravato), one of ketamine's two mirror-image
forms, is a nasal spray approved for treatment-resistant depression and for depression with suicidal thoughts;
it is given in certified clinics with monitoring for at least two hours.

This dashboard collects the dosing, the side effects and the proposed mechanism from labels and trials, each row
with its source, and sets the claims of a clinic's marketing article beside them.
"""
CLAIMS_INTRO = (
    "The project began from a clinic's marketing article. Each of its claims is set against labels, trials and reviews:"
)
VERDICTS = {
    "not supported": ("Not supported by the evidence", "red", ":material/cancel:"),
    "partly supported": ("Partly supported", "orange", ":material/help:"),
    "supported": ("Supported", "green", ":material/check_circle:"),
}
TOP_EFFECTS = ["effect", "drug", "incidence_pct", "comparator_pct", "difference_ci", "number_needed", "per_100"]
TOP_EFFECTS += ["events_per_arm", "comparator", "population", "source"]
TOP_CONFIG = {
    "incidence_pct": st.column_config.NumberColumn("On the drug (%)", format="%g"),
    "comparator_pct": st.column_config.NumberColumn("On the comparator (%)", format="%g"),
}


def render() -> None:
    view = resources.derive(overview.view, resources.catalog(), OVERVIEW.tables)
    st.title(OVERVIEW.h1)
    st.markdown(INTRO)
    nav.glossary_link("Words like NMDA, BDNF or dissociation: see the glossary")
    _headlines(view)
    _benefit_harm(view.benefit_harm)
    _top_effects(view.top_effects)
    _claims(view.claims)
    if view.article is not None:
        _article(view.article)


def _headlines(view: overview.OverviewView) -> None:
    columns = st.columns(3)
    for column, headline in zip(columns, view.headlines, strict=False):
        with column:
            _headline(headline)
    if view.time_course is not None:
        with columns[2], st.container(border=True):
            st.markdown("**How soon it works, and for how long**")
            st.text(view.time_course.text)
            nav.source_link(view.time_course.source_id)


def _headline(headline: Headline) -> None:
    with st.container(border=True):
        st.markdown(f"**{headline.label}**")
        st.markdown(f"### {headline.value}")  # built from numbers and validated units only
        st.caption(headline.detail)
        nav.source_link(headline.source_id)


def _benefit_harm(pairs: tuple[overview.BenefitHarm, ...]) -> None:
    st.subheader("Benefit beside harm, by drug")
    st.markdown(
        "For each drug, the benefit figure from the largest randomised comparison whose group sizes the tables "
        "hold, and the most common dosing-day side effect from the largest randomised comparison. **NNT** is how "
        "many people treated for one more to benefit; **NNH** for one more to have the side effect."
    )
    for column, pair in zip(st.columns(len(pairs)), pairs, strict=True):
        with column, st.container(border=True):
            st.markdown(f"**{pair.drug.capitalize()}**")  # one of the schema's drug names, not free text
            st.caption("Benefit")
            st.text(pair.benefit)
            if pair.benefit_source:
                nav.source_link(pair.benefit_source)
            st.caption("Harm")
            st.text(pair.harm)
            if pair.harm_source:
                nav.source_link(pair.harm_source)
    nav.link("compare", "Compare regimens side by side", ":material/compare_arrows:")


def _top_effects(top: pd.DataFrame | None) -> None:
    if top is None or top.empty:
        return
    st.markdown(
        "**The most common dosing-day side effects, on the drug and on placebo, with how many more people in "
        "every 100 have them and the 95% confidence interval**"
    )
    alt = "The three most common dosing-day side effects."
    tables.table(
        top,
        None,
        key="overview:top-effects",
        name="most-common-side-effects",
        alt=alt,
        columns=TOP_EFFECTS,
        config=TOP_CONFIG,
    )
    nav.link("side-effects", "All side effects", ":material/arrow_forward:")


def _claims(claims: pd.DataFrame | None) -> None:
    st.subheader("Where the clinic article and the evidence disagree")
    st.markdown(CLAIMS_INTRO)
    if claims is None:
        st.info("The claims table is not available right now.", icon=":material/database_off:")
        return
    for claim in claims.itertuples(index=False):
        _claim(claim)


def _claim(claim: object) -> None:
    label, colour, icon = VERDICTS[str(claim.verdict)]  # type: ignore[attr-defined]
    with st.container(border=True):
        st.badge(label, color=colour, icon=icon)  # type: ignore[arg-type]
        st.text(str(claim.topic))  # type: ignore[attr-defined]
        said, found = st.columns(2)
        with said:
            st.caption("The clinic article says")
            st.text(str(claim.article_says))  # type: ignore[attr-defined]
        with found:
            st.caption("The evidence says")
            st.text(str(claim.evidence_says))  # type: ignore[attr-defined]
            nav.source_link(str(claim.source_id))  # type: ignore[attr-defined]
            detail = overview.detail_page(getattr(claim, "page", None))
            if detail is not None:
                nav.link(detail.path, f"Details on the {detail.title} page", ":material/arrow_forward:")


def _article(article: overview.ArticleCharts) -> None:
    st.subheader("The article's infusion against trial protocols and the anaesthetic label")
    alt = "Infusion time of IV regimens: the clinic article against trials and the anaesthetic label."
    tables.chart(
        article.durations, article.timed, None, key="overview:duration", name="article-vs-trials-time", alt=alt
    )
    alt = "IV dose ranges: the clinic article against trials and the anaesthetic label."
    tables.chart(article.doses, article.regimens, None, key="overview:dose", name="article-vs-trials-dose", alt=alt)


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
