"""The ``outcomes.csv`` table: its columns, key, rules and references."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from dashboard.columns import (
    RowCheck,
    arm_checks,
    arm_columns,
    choice,
    counted,
    identifier,
    label,
    needs_when,
    number,
    ordered,
    source_ref,
    source_refs,
    study_ref,
    text,
)
from dashboard.filters import Param, Search
from dashboard.pagespec import MEASURE, SENSITIVITY, OneChart, PageSpec, TablePage, chart_choice, facet
from dashboard.schema.spec import Reference, table
from dashboard.schema.studies import STUDIES
from dashboard.schema.values import DRUGS, MEASURES, OUTCOMES_KINDS, RATIOS


def _fits_measure(df: pd.DataFrame) -> pd.Series:
    """A proportion row gives rates and no estimate; any other measure one estimate and no rates."""
    proportion = df["measure"] == "proportion"
    rates = df["drug_pct"].notna() | df["comparator_pct"].notna()
    difference = df["mean_difference"].notna() | df["mean_difference_low"].notna() | df["mean_difference_high"].notna()
    return (proportion & ~difference) | (~proportion & ~rates)


def _md_has_scale(df: pd.DataFrame) -> pd.Series:
    """A mean difference is in points of a scale: the row must say which."""
    return (df["measure"] != "MD") | df["scale"].notna()


def _ratio_positive(df: pd.DataFrame) -> pd.Series:
    """An odds or risk ratio and its limits are above zero."""
    ratio = df["measure"].isin(RATIOS)
    values = df[["mean_difference", "mean_difference_low", "mean_difference_high"]]
    return ~ratio | (values.isna() | (values > 0)).all(axis=1)


UNIT = "see measure and scale"

OUTCOMES = table(
    "outcomes",
    "Outcomes: benefit",
    "One outcome (response, remission, relapse, score change) of one comparison at one timepoint in one "
    "study or label pool, with both arms.",
    {
        "outcome_id": identifier(
            "Short unique id of the row, e.g. transform2-response-d28.",
            unique=True,
            checks=[
                pa.Check.str_matches(
                    r"^[a-z0-9][a-z0-9.-]*$", error="must be lower-case letters, digits, dots, hyphens"
                ),
                pa.Check.str_length(max_value=80, error="longer than 80 characters"),
            ],
        ),
        "study": text(
            "Short name a reader knows the study by, with the arm where a study has several.", max_length=100
        ),
        "study_id": study_ref(),
        "drug": choice("Active drug.", DRUGS),
        "regimen_id": text(
            "The regimen of dosing_regimens.csv the drug arm was given, where one applies.",
            max_length=80,
            required=False,
            optional=True,
        ),
        "comparator": label("What the drug was compared with.", max_length=200),
        "outcome": choice("Kind of outcome.", OUTCOMES_KINDS),
        "definition": text("How the outcome was defined (scale and threshold).", max_length=300),
        "timepoint": label("When it was measured.", max_length=100),
        "measure": choice(
            "How the result is given: a proportion on each arm, or one estimate between the arms as the source "
            "reports it: mean difference in scale points (MD), standardised mean difference (SMD, Hedges g), "
            "odds ratio (OR), risk ratio (RR) or risk difference in percentage points (RD).",
            MEASURES,
        ),
        "scale": label(
            "The rating scale the estimate or the threshold is on (MADRS, HDRS, HAM-D-6, QIDS-SR16 ...), as the "
            "definition states it; empty where the source names none.",
            max_length=100,
            required=False,
        ),
        "drug_pct": number("Share of the drug arm with the outcome.", "%", maximum=100, required=False),
        "comparator_pct": number("Share of the comparator arm with the outcome.", "%", maximum=100, required=False),
        **arm_columns("with the outcome"),
        "mean_difference": number(
            "The estimate between the arms in the row's measure, as the source reports it: drug minus comparator "
            "for a difference (MD, SMD, Hedges g, RD), drug over comparator for a ratio (OR, RR).",
            UNIT,
            minimum=None,
            required=False,
        ),
        "mean_difference_low": number(
            "Lower limit of its 95% confidence interval, as printed.", UNIT, minimum=None, required=False
        ),
        "mean_difference_high": number(
            "Upper limit of its 95% confidence interval, as printed.", UNIT, minimum=None, required=False
        ),
        "population": label("Who was studied."),
        "counted": counted("the rates"),
        "source_id": source_ref(),
        "more_source_ids": source_refs(),
        "notes": text("Anything a reader must know to interpret the row.", required=False, optional=True),
    },
    order=60,
    key=("outcome_id",),
    checks=[
        *arm_checks("drug_pct", "comparator_pct"),
        ordered("mean_difference_low", "mean_difference"),
        ordered("mean_difference", "mean_difference_high"),
        RowCheck(
            "measure fits",
            ("measure", "drug_pct", "mean_difference"),
            "a proportion row gives rates, a mean-difference row a difference, not both",
            _fits_measure,
        ),
        RowCheck("MD has a scale", ("scale", "measure"), "a mean difference (MD) needs its scale", _md_has_scale),
        RowCheck(
            "ratio above zero",
            ("mean_difference", "measure"),
            "an odds or risk ratio and its limits must be above zero",
            _ratio_positive,
        ),
        needs_when("counted", ("drug_pct", "comparator_pct")),
    ],
    references=(
        Reference("regimen_id", "dosing_regimens", "regimen_id"),
        Reference("study_id", "studies", "study_id"),
    ),
)

OUTCOME_PARAMS: tuple[Param, ...] = (
    Search("q", ("study", "definition", "timepoint", "population", "comparator", "counted", "notes", "source_id")),
    facet(OUTCOMES, "outcome", "outcome", "Outcome"),
    facet(OUTCOMES, "drug", "drug", "Drug"),
    facet(STUDIES, "design", "study_kind", "Kind of evidence", values_from="kind"),
    facet(OUTCOMES, "source", "source_id", "Source"),
)
OUTCOME_CHART = OneChart(
    chart_choice(("rates", "score changes")),
    ("outcomes-intervals", "outcomes-score-change"),
)
OUTCOMES_PAGE = PageSpec(
    "outcomes",
    "Outcomes",
    ":material/trending_up:",
    ("outcomes", "studies", "dosing_regimens", "sources", "analyses", "risk_of_bias", "side_effects"),
    (*OUTCOME_PARAMS, OUTCOME_CHART.choice, MEASURE, SENSITIVITY),
    heading="Outcomes: how often it helps",
    required=("outcomes",),
    order=50,
    view="outcomes",
    table_page=TablePage(
        table="outcomes",
        intro=(
            "How often people improve on ketamine or esketamine compared with what they were given instead. "
            "**Response** usually means the depression score fell by at least half; **remission** that it fell "
            "to a low level; **relapse** that symptoms came back. **NNT** is how many people need the treatment "
            "instead of the comparator for one more of them to benefit. Comparators differ (placebo, midazolam, "
            "ECT, quetiapine), so read each row with its comparator. Score changes carry their scale (MADRS points) "
            "or their measure (SMD, Hedges g, odds ratio); how large a MADRS change matters is in the glossary "
            "(meaningful change)."
        ),
        noun="outcome rows",
        columns=(
            *("study", "outcome", "definition", "timepoint", "counted", "drug", "comparator", "drug_pct"),
            *("comparator_pct", "events_per_arm", "difference_ci", "ratio_ci", "number_needed", "per_100"),
            *("evidence", "interval_note", "measure", "scale", "n_drug", "n_comparator", "population"),
            *("regimen_id", "notes", "source", "source_kind", "source_url", "more_source_ids", "study_id"),
            "outcome_id",
        ),
        summary=(
            *("study", "outcome", "timepoint", "drug", "comparator", "drug_pct", "comparator_pct", "difference_ci"),
            *("number_needed", "evidence", "interval_note", "source_id"),
        ),
        alt="Outcomes with both arms, the difference, NNT and the source.",
        heading="Every outcome row",
        chart=OUTCOME_CHART,
        on_request=True,
    ),
)
