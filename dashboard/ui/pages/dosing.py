"""Dosing: regimens as dose and time ranges, the article's claim beside them, a weight helper, the factors."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.pagespecs import DOSING, FACTOR_PARAMS, REGIMEN_PARAMS, WEIGHT
from dashboard.schema import BY_NAME, DOSING_FACTORS, DOSING_REGIMENS
from dashboard.schema.dosing_regimens import DOSING_CHART
from dashboard.ui import filterbar, tables
from dashboard.ui.filterbar import on_request
from dashboard.ui.pages.common import Count, Page, count_caption, open_page, opening
from dashboard.views import dosing
from dashboard.views.common import pick

INTRO = (
    "Each row is one way of giving ketamine or esketamine, from drug labels, trials and, for contrast, "
    "the anaesthetic label and the clinic article. Doses per kilogram and fixed doses are drawn on "
    "separate panels."
)
WEIGHT_WARNING = (
    "Arithmetic only, not a prescription: it multiplies each per-kilogram dose in the table by a "
    "body weight. Doses are decided by the treating clinician."
)
SUMMARY = ["regimen_id", "drug", "route", "purpose", "population", "dose_min", "dose_max", "dose_unit"]
SUMMARY += ["duration_min_minutes", "duration_max_minutes", "frequency", "source_id"]
REGIMENS = ["regimen_id", "drug", "brand", "route", "purpose", "population", "dose_min", "dose_max", "dose_unit"]
REGIMENS += ["duration_min_minutes", "duration_max_minutes", "frequency", "monitoring", "regulatory_status", "notes"]
REGIMENS += ["source", "source_kind", "source_url", "more_source_ids"]
FACTORS = ["factor", "category", "applies_to", "effect_on_treatment", "guidance", "source", "source_url"]
FACTORS += ["more_source_ids"]
SAFETY = ["drug", "topic", "population", "says", "label_revision", "notes", "source", "source_url", "more_source_ids"]
SAFETY_INTRO = (
    "Who must not take each drug, what its label warns of, and who needs extra care, in plain words, "
    "with the label revision each item was read in. The Drug filter above narrows this list too."
)


WEIGHT_LABEL = "Weight-based arithmetic: the total milligrams of each per-kilogram regimen"
FACTORS_LABEL = "Factors that change dose, monitoring or eligibility"


def render() -> None:
    page = open_page(DOSING, dosing.prepare)
    view = page.view(dosing.view)
    count = Count(len(view.regimens), len(page.prepared.regimens.frame), "regimens")
    opening(page, INTRO, REGIMEN_PARAMS, view.counts, count, heading="Filter the regimens")
    summary_rows = partial(pick, view.regimens, SUMMARY)
    note = dosing.safety_note(view.safety)
    tables.summary_button(
        page.bar,
        figure=view.chart.figure,
        rows=summary_rows,
        total=len(view.regimens),
        catalog=page.catalog,
        notes=(note,) if note else (),
    )
    filterbar.widget(page.bar, DOSING_CHART)
    tables.chart_block(view.chart, page=DOSING.path, key=f"dosing:{view.chart.name}")
    weight = on_request(page.bar, WEIGHT_LABEL, (WEIGHT,), key="dosing:weight:open")
    if weight is not None:
        with weight:
            _weight(page, view)
    st.subheader("All regimens")
    alt = "Dosing regimens with dose, time, frequency and source."
    tables.table(
        view.regimens, DOSING_REGIMENS, key="dosing:regimens", name="dosing-regimens", alt=alt, columns=REGIMENS
    )
    _safety(view)
    factors = on_request(page.bar, FACTORS_LABEL, FACTOR_PARAMS, key="dosing:factors:open")
    if factors is not None:
        with factors:
            _factors(page, view)


def _safety(view: dosing.DosingView) -> None:
    st.subheader(dosing.SAFETY_HEADING)
    if view.safety is None:
        st.info("The safety table is not available right now.", icon=":material/database_off:")
        return
    st.markdown(SAFETY_INTRO)
    tables.table(
        view.safety,
        BY_NAME["precautions"],
        key="dosing:safety",
        name="safety",
        columns=SAFETY,
        alt="Contraindications, warnings and groups who need care for each drug, with sources.",
        empty="The tables hold no safety items for the chosen drug.",
    )


def _weight(page: Page[dosing.Prepared], view: dosing.DosingView) -> None:
    st.warning(WEIGHT_WARNING, icon=":material/calculate:")
    filterbar.widget(page.bar, WEIGHT)
    tables.table(
        view.weight,
        None,
        key="dosing:weight",
        name="weight-arithmetic",
        alt="Total milligrams of each per-kilogram regimen at the chosen body weight.",
        config={
            "weight_kg": st.column_config.NumberColumn("Weight (kg)", format="%g"),
            "dose_min": st.column_config.NumberColumn("Dose min (mg/kg)", format="%g"),
            "dose_max": st.column_config.NumberColumn("Dose max (mg/kg)", format="%g"),
            "total_mg_min": st.column_config.NumberColumn("Total min (mg)", format="%g"),
            "total_mg_max": st.column_config.NumberColumn("Total max (mg)", format="%g"),
        },
    )


def _factors(page: Page[dosing.Prepared], view: dosing.DosingView) -> None:
    if view.factors is None or page.prepared.factors is None:
        st.info("The dosing factors table is not available right now.", icon=":material/database_off:")
        return
    filterbar.panel(page.bar, FACTOR_PARAMS, view.counts, heading="Filter the factors")
    count_caption(len(view.factors), len(page.prepared.factors.frame), "factors")
    tables.table(
        view.factors,
        DOSING_FACTORS,
        key="dosing:factors",
        name="dosing-factors",
        columns=FACTORS,
        alt="Patient and clinical factors with their effect on treatment and sources.",
    )


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
