"""Overview: what the drugs are, headline figures from the tables, and the article's claims against the evidence."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from dashboard import wording
from dashboard.pagespecs import ARTICLE, ARTICLE_CHART, OVERVIEW
from dashboard.ui import filterbar, nav, resources, tables
from dashboard.ui.filterbar import FilterBar
from dashboard.views import headline, overview
from dashboard.views.dosing import Headline
from dashboard.views.tablepage import ChartBlock

INTRO = """
**Ketamine** is an anaesthetic, approved in the US since 1970 for anaesthesia, that blocks the brain's NMDA
glutamate receptors. At lower doses, usually given as an intravenous infusion, it is used off-label for
depression and has been studied in many trials. **Esketamine** (Spravato), one of ketamine's two mirror-image
forms, is a nasal spray approved for treatment-resistant depression and for depressive symptoms in adults with
major depression and suicidal thoughts or actions; it is given in certified clinics with monitoring for at least
two hours after each dose.

**How soon, and for how long.** In a meta-analysis of single infusions (Kishimoto 2016), ketamine beat placebo
from 40 minutes, most clearly at day 1, and the difference was gone by days 10 to 12: one infusion helps for
days, not months. **Placebo helps many people too**: the figures below give the comparator's rate beside the
drug's. **Suicidal thoughts**: the esketamine label says it has not been shown to prevent suicide or to reduce
suicidal thoughts or behaviour.

This dashboard collects the dosing, the side effects and the proposed mechanism from labels and trials, each row
with its source, and sets the claims of a clinic's marketing article beside them.
"""
INTRO_SOURCES = ("KISH16", "SPR21")
"""Where the onset, durability and label statements of the introduction were read."""
CLAIMS_INTRO = (
    "The project began from a clinic's marketing article. Each of its claims is set against labels, trials and reviews:"
)
VERDICTS = {
    "not supported": ("Not supported by the evidence", "red", ":material/cancel:"),
    "partly supported": ("Partly supported", "orange", ":material/help:"),
    "supported": ("Supported", "green", ":material/check_circle:"),
}
TOP_EFFECTS = ["effect", "drug", "incidence_pct", "comparator_pct", "counted", "difference_ci", "number_needed"]
TOP_EFFECTS += ["per_100"]
TOP_EFFECTS += ["events_per_arm", "comparator", "population", "source"]
TOP_CONFIG = {
    "incidence_pct": st.column_config.NumberColumn("On the drug (%)", format="%g"),
    "comparator_pct": st.column_config.NumberColumn("On the comparator (%)", format="%g"),
}


def render() -> None:
    view = resources.prepare(overview.prepare, resources.catalog(), OVERVIEW.tables)
    st.title(OVERVIEW.h1)
    st.markdown(INTRO)
    for source_id in INTRO_SOURCES:
        nav.source_link(source_id)
    nav.glossary_link("Words like NMDA, BDNF or dissociation: see the glossary")
    _headlines(view)
    _benefit_harm(view.benefit_harm, view.pooled)
    _top_effects(view.top_effects)
    _claims(view.claims)
    if view.article:
        _article(view.article, FilterBar.start(OVERVIEW, {}))


def _headlines(view: overview.OverviewView) -> None:
    columns = st.columns(3)
    for column, figure in zip(columns, view.headlines, strict=False):
        with column:
            _headline(figure)
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


def _benefit_harm(pairs: tuple[headline.DrugHeadline, ...], pooled: Mapping[str, tuple[str, ...]]) -> None:
    st.subheader("Benefit beside harm, by drug")
    st.markdown(
        "**NNT** is how many people need the treatment for one more of them to benefit; **NNH**, for one more to "
        "have the side effect (both rounded up to whole people). The comparator's own rate shows how many improve "
        "or have the effect without the drug."
    )
    st.caption(wording.HEADLINE_RULE)
    for column, pair in zip(st.columns(len(pairs)), pairs, strict=True):
        with column, st.container(border=True):
            st.markdown(f"**{pair.drug.capitalize()}**")  # one of the schema's drug names, not free text
            if pooled.get(pair.drug):
                st.markdown(f"*{wording.POOLED_HEADING}*")  # a constant heading
                for line in pooled[pair.drug]:
                    st.text(line)  # built from CSV text: plain, never markdown
                nav.link(
                    "outcomes", "The summary of findings, with certainty", ":material/trending_up:", {"drug": pair.drug}
                )
            for tier in pair.tiers:
                _tier(tier)
    nav.link("compare", "Compare regimens side by side", ":material/compare_arrows:")


def _tier(tier: headline.Tier) -> None:
    st.markdown(f"*{tier.heading}*")  # a constant heading
    for label, lines in (("Benefit", tier.benefits), ("Harm", tier.harms)):
        for line in lines:
            st.caption(label)
            st.text(line.text)  # built from CSV text: plain, never markdown
            nav.source_link(line.source_id)
    for gap in tier.gaps:
        st.info(gap, icon=":material/help:")


def _top_effects(top: pd.DataFrame | None) -> None:
    if top is None:
        st.info(
            wording.unavailable_table("side-effects", "the most common side effects"), icon=":material/database_off:"
        )
        return
    if top.empty:
        return
    st.markdown(
        "**The most common short-term side effects, on the drug and on placebo, with what was counted, how many "
        "more people in every 100 have them and the 95% confidence interval**"
    )
    alt = "The three most common short-term side effects, with what was counted."
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


def _article(article: tuple[ChartBlock, ...], bar: FilterBar) -> None:
    st.subheader(article[0].heading)
    filterbar.widget(bar, ARTICLE)
    for block in ARTICLE_CHART.pick(article, bar.values):
        key = f"overview:{block.name}"
        tables.chart(block.figure, block.data, None, page=OVERVIEW.path, key=key, name=block.name, alt=block.alt)


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
