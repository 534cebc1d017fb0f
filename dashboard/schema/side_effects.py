"""The ``side_effects.csv`` table: its columns, key, rules and references."""

from __future__ import annotations

import pandera.pandas as pa

from dashboard import kinds
from dashboard.columns import (
    all_or_none,
    arm_checks,
    arm_columns,
    choice,
    column,
    counted,
    label,
    needs_when,
    number,
    ordered,
    source_ref,
    source_refs,
    study_ref,
    text,
)
from dashboard.controls import Choice
from dashboard.filters import Search
from dashboard.pagespec import BARS, MEASURE, PageSpec, chart_choice, facet
from dashboard.params import Param
from dashboard.schema.spec import Reference, table
from dashboard.schema.values import BODY_SYSTEMS, EFFECT_DRUGS, SEVERITIES, TIMEFRAMES

SIDE_EFFECTS = table(
    "side_effects",
    "Side effects",
    "One adverse effect in one population and source, with the rate on drug and on the comparator.",
    {
        "effect_id": column(
            kinds.IDENTIFIER,
            "Short unique id of the row, e.g. trd-pool-dissociation: what an analysis of analyses.csv names to "
            "pool the row. Empty for a row no analysis pools.",
            required=False,
            optional=True,
            loses="no analysis can pool side-effect rows",
            checks=[
                pa.Check.str_matches(
                    r"^[a-z0-9][a-z0-9.-]*$", error="must be lower-case letters, digits, dots, hyphens"
                ),
                pa.Check.str_length(max_value=80, error="longer than 80 characters"),
                pa.Check(lambda s: ~s.duplicated(keep="first"), error="repeats the effect_id of an earlier row"),
            ],
        ),
        "effect": text("The adverse effect as the source names it.", max_length=300),
        "body_system": choice("Organ system.", BODY_SYSTEMS),
        "drug": choice("Drug the rate was observed with.", EFFECT_DRUGS),
        "timeframe": choice("Acute (dosing day), repeated use (a course), or long-term.", TIMEFRAMES),
        "incidence_pct": number(
            "Share of treated patients with the effect (low end of a range).", "%", maximum=100, required=False
        ),
        "incidence_max_pct": number(
            "High end when the source gives a range.", "%", maximum=100, required=False, optional=True
        ),
        "comparator_pct": number(
            "Share of the comparator group with the effect (low end of a range).", "%", maximum=100, required=False
        ),
        "comparator_max_pct": number(
            "High end of the comparator range.", "%", maximum=100, required=False, optional=True
        ),
        "comparator": label(
            "What the drug was compared with (e.g. placebo); empty if nothing.", max_length=200, required=False
        ),
        **arm_columns("with the effect"),
        "comparison": label(
            "The comparison the row belongs to (one trial or label pool and its arms); rows of one comparison "
            "share it exactly.",
            max_length=200,
            required=False,
            optional=True,
        ),
        "study_id": study_ref(),
        "regimen_id": text(
            "The regimen of dosing_regimens.csv the patients were given, where one applies.",
            max_length=80,
            required=False,
            optional=True,
        ),
        "population": label("Who was studied."),
        "counted": counted("the rates"),
        "severity": choice("How serious the effect is, where the source grades it.", SEVERITIES),
        "onset": text("When the effect starts.", max_length=300, required=False),
        "resolution": text("When and how it resolves.", max_length=300, required=False),
        "source_id": source_ref(),
        "more_source_ids": source_refs(),
        "notes": text("Anything a reader must know to interpret the row.", required=False, optional=True),
    },
    order=50,
    key=("effect", "drug", "population", "timeframe", "source_id"),
    checks=[
        ordered("incidence_pct", "incidence_max_pct"),
        ordered("comparator_pct", "comparator_max_pct"),
        all_or_none("comparator", "comparator_pct"),
        *arm_checks("incidence_pct", "comparator_pct"),
        needs_when("counted", ("incidence_pct", "comparator_pct")),
    ],
    references=(
        Reference("regimen_id", "dosing_regimens", "regimen_id"),
        Reference("study_id", "studies", "study_id"),
    ),
)

SIDE_EFFECT_PARAMS: tuple[Param, ...] = (
    Search("q", ("effect", "population", "counted", "comparator", "onset", "resolution", "notes", "source_id")),
    facet(SIDE_EFFECTS, "system", "body_system", "Body system"),
    facet(SIDE_EFFECTS, "timeframe", "timeframe", "Timeframe"),
    facet(SIDE_EFFECTS, "drug", "drug", "Drug"),
    facet(SIDE_EFFECTS, "comparison", "comparison", "Comparison (trial or label pool)"),
    facet(SIDE_EFFECTS, "severity", "severity", "Severity"),
    facet(SIDE_EFFECTS, "population", "population", "Population"),
    facet(SIDE_EFFECTS, "source", "source_id", "Source"),
)
"""The search, then the filters in the order the panel shows them: the first three at once, the
rest under "More filters"."""
SORT = Choice("sort", "Sort the chart by", ("rate", "difference"))
CHART = chart_choice(("rates", "differences"))
"""Each timeframe's rates on drug and comparator on a first visit; the differences with their
intervals on request."""
CHARTS = Choice("charts", "Draw the charts of", ("the first timeframe", "every timeframe"))
"""On first view only the first timeframe's charts are drawn (the others on request: less for a
browser to draw, most visitors read the first)."""
SIDE_EFFECTS_PAGE = PageSpec(
    "side-effects",
    "Side effects",
    ":material/monitor_heart:",
    ("side_effects", "studies", "sources"),
    (*SIDE_EFFECT_PARAMS, CHART, SORT, MEASURE, CHARTS, BARS),
    required=("side_effects",),
    order=40,
    view="effects",
)
