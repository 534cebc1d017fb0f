"""The ``dosing_regimens.csv`` table: its columns, key, rules and references."""

from __future__ import annotations

import pandera.pandas as pa

from dashboard.columns import (
    choice,
    identifier,
    label,
    number,
    ordered,
    source_ref,
    source_refs,
    text,
)
from dashboard.controls import Number
from dashboard.filters import Search
from dashboard.pagespec import PageSpec, chart_choice, facet
from dashboard.params import Param
from dashboard.schema.dosing_factors import DOSING_FACTORS
from dashboard.schema.sources import SOURCES
from dashboard.schema.spec import table
from dashboard.schema.values import DOSE_UNITS, DRUGS, PURPOSES, ROUTES

DOSING_REGIMENS = table(
    "dosing_regimens",
    "Dosing regimens",
    "One way of giving ketamine or esketamine: drug, route, dose, infusion time, frequency and setting.",
    {
        "regimen_id": identifier(
            "Short unique name of the regimen.",
            unique=True,
            checks=[pa.Check.str_length(max_value=80, error="longer than 80 characters")],
        ),
        "drug": choice("Active drug.", DRUGS),
        "label": text(
            "Short name a reader knows the regimen by (a trial, a label), shown on the charts.",
            max_length=80,
            required=False,
            optional=True,
        ),
        "brand": text("Brand name, if any.", max_length=100, required=False, optional=True),
        "route": choice("How it is given.", ROUTES),
        "purpose": choice("What the regimen is for; anaesthesia rows are shown for contrast.", PURPOSES),
        "population": label("Who the regimen is for."),
        "dose_min": number("Lowest dose of one administration.", "see dose_unit"),
        "dose_max": number(
            "Highest dose of one administration (equal to dose_min for a single dose).", "see dose_unit"
        ),
        "dose_unit": choice("Unit of dose_min and dose_max: per kg of body weight, or a fixed dose.", DOSE_UNITS),
        "duration_min_minutes": number("Shortest time over which one dose is given.", "min", required=False),
        "duration_max_minutes": number("Longest time over which one dose is given.", "min", required=False),
        "frequency": text("How often, and for how long a course lasts."),
        "monitoring": text("Setting and monitoring required.", required=False),
        "regulatory_status": text("Approval status for this use.", max_length=500),
        "source_id": source_ref(),
        "more_source_ids": source_refs(),
        "notes": text("Anything a reader must know to interpret the row.", required=False, optional=True),
    },
    order=30,
    key=("regimen_id",),
    checks=[ordered("dose_min", "dose_max"), ordered("duration_min_minutes", "duration_max_minutes")],
)

REGIMEN_PARAMS: tuple[Param, ...] = (
    Search("q", ("regimen_id", "population", "frequency", "monitoring", "regulatory_status", "notes", "source_id")),
    facet(DOSING_REGIMENS, "drug", "drug", "Drug"),
    facet(DOSING_REGIMENS, "route", "route", "Route"),
    facet(DOSING_REGIMENS, "purpose", "purpose", "Purpose"),
    facet(SOURCES, "kind", "source_kind", "Source kind", values_from="kind"),
)
WEIGHT = Number("kg", "Body weight (kg) for the arithmetic helper", 20.0, 250.0, 70.0, 1.0)
DOSING_CHART = chart_choice(("dose", "time to give"))
"""The dose-range chart on a first visit, the administration-time chart on request."""
FACTOR_PARAMS: tuple[Param, ...] = (
    Search("fq", ("factor", "effect_on_treatment", "guidance", "source_id"), "Search the factors"),
    facet(DOSING_FACTORS, "category", "category", "Category"),
    facet(DOSING_FACTORS, "applies", "applies_to", "Applies to"),
)
DOSING = PageSpec(
    "dosing",
    "Dosing",
    ":material/medication:",
    ("dosing_regimens", "dosing_factors", "precautions", "sources"),
    (*REGIMEN_PARAMS, DOSING_CHART, WEIGHT, *FACTOR_PARAMS),
    required=("dosing_regimens",),
    order=30,
    view="dosing",
)
