"""The tables, declared once: columns, types, allowed values, ranges, keys, descriptions, units.

Every other part of the project (the loader, the command line, the README's schema section,
the Data page, the generated ``datapackage.json``, the filters' facet order) loops over ``TABLES``
and reads the pandera schemas below. Adding a table is one more ``TableSpec``. The module is long
only because it is the declarations themselves; the column vocabulary is in ``dashboard.columns``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
import pyarrow

from dashboard.columns import (
    READ_TYPES,
    SOURCE_ID_PATTERN,
    RowCheck,
    all_or_none,
    arm_checks,
    arm_columns,
    choice,
    column,
    integer,
    label,
    link,
    number,
    ordered,
    source_ref,
    source_refs,
    text,
    unique_together,
)

SOURCE_KINDS = (
    "label",
    "regulatory",
    "trial",
    "meta-analysis",
    "review",
    "consensus",
    "observational",
    "case series",
    "preclinical",
    "secondary summary",
    "news",
    "clinic article",
)
ENTITY_TYPES = (
    "receptor",
    "receptor population",
    "neurotransmitter",
    "neurotrophic factor",
    "signalling pathway",
    "structural change",
    "metabolite",
    "receptor system",
    "clinical outcome",
)
DIRECTIONS = ("block", "increase", "decrease", "modulate", "uncertain")
CONFIDENCE = ("established", "probable", "hypothesised", "contested")
EVIDENCE_IN = ("human", "animal", "human and animal")
DRUGS = ("esketamine", "racemic ketamine", "arketamine")
ROUTES = ("intranasal", "IV", "IM", "oral", "sublingual", "subcutaneous")
PURPOSES = ("depression", "anaesthesia")
DOSE_UNITS = ("mg/kg", "mg")
FACTOR_CATEGORIES = (
    "demographic",
    "organ function",
    "cardiovascular",
    "psychiatric history",
    "substance use",
    "reproductive",
    "co-medication",
    "pharmacogenetic",
    "clinical setting",
)
APPLIES_TO = ("esketamine", "racemic ketamine", "both")
EFFECT_DRUGS = ("esketamine", "racemic ketamine", "ketamine (any form)")
TIMEFRAMES = ("acute", "repeated use", "long-term")
BODY_SYSTEMS = (
    "psychiatric",
    "nervous system",
    "gastrointestinal",
    "ear and labyrinth",
    "cardiovascular",
    "respiratory",
    "skin",
    "renal and urinary",
    "general",
    "cognitive",
    "reproductive",
)
SEVERITIES = ("not graded", "mild to moderate", "serious")
DESIGNS = (
    "RCT",
    "pooled label data",
    "open-label",
    "observational",
    "meta-analysis",
    "systematic review",
    "case series",
    "post-marketing",
    "preclinical",
    "clinic article",
)
RANDOMISED = ("RCT", "pooled label data", "meta-analysis")
"""Designs whose comparisons rest on randomisation (a label pool is pooled randomised trials)."""

IDENTIFIER = (
    r"(doi:10\.\d{4,9}/[^\s;]+|PMID \d{1,9}|PMCID PMC\d{1,9}|NCT\d{8}|NDA \d{6}"
    r"|DailyMed setid [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
)
IDENTIFIERS_PATTERN = rf"^{IDENTIFIER}(; {IDENTIFIER})*$"
VERDICTS = ("not supported", "partly supported", "supported")
PAGES = ("overview", "mechanisms", "dosing", "side-effects", "outcomes")
OUTCOMES_KINDS = ("response", "remission", "relapse", "score change")
HIGHER_IS = {"response": "benefit", "remission": "benefit", "relapse": "harm", "score change": "harm"}
"""What a higher value on the drug means for each kind of outcome (a score change is on a depression
scale: lower, a larger drop, is better)."""
MEASURES = ("proportion", "mean difference")

# --- the registry ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """``column`` holds ids of ``target`` in table ``table`` (several, "; "-separated, if ``many``)."""

    column: str
    table: str
    target: str
    many: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    description: str
    schema: pa.DataFrameSchema
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    row_checks: tuple[RowCheck, ...] = ()

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> dict[str, pa.Column]:
        return dict(self.schema.columns)

    def kind(self, name: str) -> str:
        return str(self.columns[name].metadata["kind"])

    def unit(self, name: str) -> str | None:
        unit = self.columns[name].metadata["unit"]
        return None if unit is None else str(unit)

    def columns_of_kind(self, *kinds: str) -> list[str]:
        return [name for name, col in self.columns.items() if col.metadata["kind"] in kinds]

    def allowed(self, name: str) -> tuple[str, ...]:
        """The allowed values of a choice column, in their declared order (empty for other columns)."""
        for check in self.columns[name].checks:
            if "allowed_values" in check.statistics:
                return tuple(str(v) for v in check.statistics["allowed_values"])
        return ()

    def read_types(self) -> dict[str, pyarrow.DataType]:
        """How the reader parses each declared column; the rest is read as text."""
        return {name: READ_TYPES[kind] for name in self.columns if (kind := self.kind(name)) in READ_TYPES}

    def row_check(self, name: str) -> RowCheck | None:
        return next((c for c in self.row_checks if c.name == name), None)


def _table(
    name: str,
    title: str,
    description: str,
    columns: dict[str, pa.Column],
    key: Sequence[str],
    checks: Sequence[RowCheck] = (),
    references: Sequence[Reference] = (),
) -> TableSpec:
    source_refs_ = [
        Reference(c, "sources", "source_id", many=columns[c].metadata["kind"] == "sources")
        for c in columns
        if columns[c].metadata["kind"] in ("source", "sources")
    ]
    table_checks = [c.as_pandera() for c in checks]
    if len(key) > 1:
        table_checks.append(unique_together(key))
    schema = pa.DataFrameSchema(
        columns,
        checks=table_checks,
        strict=False,
        name=name,
        title=title,
        description=description,
    )
    return TableSpec(
        name, title, description, schema, tuple(key), tuple(source_refs_) + tuple(references), tuple(checks)
    )


# --- the tables ------------------------------------------------------------------------

SOURCES = _table(
    "sources",
    "Sources",
    "One reference: a drug label, trial, meta-analysis, review, consensus statement or the clinic article.",
    {
        "source_id": column(
            str,
            "Short id that other tables cite, e.g. ANA23.",
            "id",
            checks=[pa.Check.str_matches(SOURCE_ID_PATTERN, error="must be letters, digits and hyphens")],
            unique=True,
        ),
        "citation": text("Full reference: authors, title, journal or publisher, year, volume and pages."),
        "year": integer("Year of publication or label revision.", None, minimum=1900, maximum=2100, required=False),
        "kind": choice("What sort of source it is; the clinic article is its own kind.", SOURCE_KINDS),
        "url": link("Web address of the source (DOI, PubMed, registry or official label page)."),
        "identifier": column(
            str,
            'Identifiers of the source, separated by "; ": doi:10.xxxx/..., PMID n, PMCID PMCn, NCTnnnnnnnn, '
            "NDA nnnnnn or DailyMed setid <uuid>.",
            "text",
            checks=[
                pa.Check.str_matches(
                    IDENTIFIERS_PATTERN,
                    error='must be identifiers separated by "; ": doi:10.xxxx/..., PMID n, PMCID PMCn, NCT + 8 digits, '
                    "NDA + 6 digits or DailyMed setid <uuid>",
                )
            ],
            required=False,
            optional=True,
        ),
        "no_url_reason": text(
            "Why the source has no web address (only where url is empty).",
            max_length=500,
            required=False,
            optional=True,
        ),
        "accessed": text(
            "Date (YYYY-MM-DD) the source text was last checked for this dataset.",
            max_length=10,
            required=False,
            optional=True,
        ),
    },
    key=("source_id",),
    checks=[
        RowCheck(
            "url or no_url_reason",
            ("url", "no_url_reason"),
            "url is empty and no_url_reason does not say why",
            lambda df: df["url"].notna() | df["no_url_reason"].notna(),
        )
    ],
)

NEUROTRANSMITTERS = _table(
    "neurotransmitters",
    "Neurotransmitters and mechanism",
    "One thing ketamine acts on: a receptor, transmitter, neurotrophic factor, pathway or metabolite.",
    {
        "entity": text("What ketamine acts on.", max_length=200, unique=True),
        "entity_type": choice("Kind of entity.", ENTITY_TYPES),
        "normal_role": text("What it does without the drug (textbook background)."),
        "ketamine_action": text("What ketamine does to it, with the key finding."),
        "direction": choice("Direction of ketamine's effect.", DIRECTIONS),
        "time_course": text("When the effect appears and how long it lasts.", required=False),
        "confidence": choice("How sure the evidence is.", CONFIDENCE),
        "evidence_in": choice("Whether the evidence comes from humans, animals or both.", EVIDENCE_IN),
        "leads_to": text(
            "Next step in the proposed chain of action (an entity of this table).",
            max_length=200,
            required=False,
            optional=True,
        ),
        "source_id": source_ref(),
        "more_source_ids": source_refs(),
    },
    key=("entity",),
    references=(Reference("leads_to", "neurotransmitters", "entity"),),
)

DOSING_REGIMENS = _table(
    "dosing_regimens",
    "Dosing regimens",
    "One way of giving ketamine or esketamine: drug, route, dose, infusion time, frequency and setting.",
    {
        "regimen_id": column(
            str,
            "Short unique name of the regimen.",
            "id",
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
    key=("regimen_id",),
    checks=[ordered("dose_min", "dose_max"), ordered("duration_min_minutes", "duration_max_minutes")],
)

DOSING_FACTORS = _table(
    "dosing_factors",
    "Dosing factors",
    "One patient or clinical factor that changes dose, monitoring or eligibility.",
    {
        "factor": text("The patient or clinical factor.", max_length=200, unique=True),
        "category": choice("Group of factor.", FACTOR_CATEGORIES),
        "applies_to": choice("Which drug the guidance concerns.", APPLIES_TO),
        "effect_on_treatment": text("How the factor changes dose, duration, monitoring or eligibility."),
        "guidance": text("What the label or the evidence advises."),
        "source_id": source_ref(),
        "more_source_ids": source_refs(),
    },
    key=("factor",),
)

SIDE_EFFECTS = _table(
    "side_effects",
    "Side effects",
    "One adverse effect in one population and source, with the rate on drug and on the comparator.",
    {
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
        "design": choice("Kind of evidence the rate comes from.", DESIGNS, required=False, optional=True),
        "regimen_id": text(
            "The regimen of dosing_regimens.csv the patients were given, where one applies.",
            max_length=80,
            required=False,
            optional=True,
        ),
        "population": label("Who was studied."),
        "severity": choice("How serious the effect is, where the source grades it.", SEVERITIES),
        "onset": text("When the effect starts.", max_length=300, required=False),
        "resolution": text("When and how it resolves.", max_length=300, required=False),
        "source_id": source_ref(),
        "more_source_ids": source_refs(),
        "notes": text("Anything a reader must know to interpret the row.", required=False, optional=True),
    },
    key=("effect", "drug", "population", "timeframe", "source_id"),
    checks=[
        ordered("incidence_pct", "incidence_max_pct"),
        ordered("comparator_pct", "comparator_max_pct"),
        all_or_none("comparator", "comparator_pct"),
        *arm_checks("incidence_pct", "comparator_pct"),
    ],
    references=(Reference("regimen_id", "dosing_regimens", "regimen_id"),),
)

CLAIMS = _table(
    "claims",
    "Clinic article claims against the evidence",
    "One claim of the clinic article that started the project, with what trials and labels say.",
    {
        "claim_id": column(
            str,
            "Short id of the claim.",
            "id",
            unique=True,
            checks=[pa.Check.str_length(max_value=20, error="longer than 20 characters")],
        ),
        "topic": text("What the claim is about.", max_length=200),
        "article_says": text("The clinic article's claim, paraphrased."),
        "verdict": choice("Whether the evidence supports the claim.", VERDICTS),
        "evidence_says": text("What the trials, labels and reviews show."),
        "source_id": source_ref(),
        "more_source_ids": source_refs(),
        "page": choice("Dashboard page with the detail.", PAGES, required=False, optional=True),
    },
    key=("claim_id",),
)


def _fits_measure(df: pd.DataFrame) -> pd.Series:
    proportion = df["measure"] == "proportion"
    rates = df["drug_pct"].notna() | df["comparator_pct"].notna()
    difference = df["mean_difference"].notna() | df["mean_difference_low"].notna() | df["mean_difference_high"].notna()
    return (proportion & ~difference) | (~proportion & ~rates)


OUTCOMES = _table(
    "outcomes",
    "Outcomes: benefit",
    "One outcome (response, remission, relapse, score change) of one comparison at one timepoint in one "
    "study or label pool, with both arms.",
    {
        "outcome_id": column(
            str,
            "Short unique id of the row, e.g. transform2-response-d28.",
            "id",
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
        "measure": choice("A proportion on each arm, or a mean difference between the arms.", MEASURES),
        "drug_pct": number("Share of the drug arm with the outcome.", "%", maximum=100, required=False),
        "comparator_pct": number("Share of the comparator arm with the outcome.", "%", maximum=100, required=False),
        **arm_columns("with the outcome"),
        "mean_difference": number(
            "Drug minus comparator on the outcome's scale, as the source reports it.",
            "scale points",
            minimum=None,
            required=False,
        ),
        "mean_difference_low": number(
            "Lower limit of its 95% confidence interval, as printed.", "scale points", minimum=None, required=False
        ),
        "mean_difference_high": number(
            "Upper limit of its 95% confidence interval, as printed.", "scale points", minimum=None, required=False
        ),
        "population": label("Who was studied."),
        "design": choice("Kind of evidence.", DESIGNS),
        "source_id": source_ref(),
        "more_source_ids": source_refs(),
        "notes": text("Anything a reader must know to interpret the row.", required=False, optional=True),
    },
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
    ],
    references=(Reference("regimen_id", "dosing_regimens", "regimen_id"),),
)

TABLES: tuple[TableSpec, ...] = (
    SOURCES,
    NEUROTRANSMITTERS,
    DOSING_REGIMENS,
    DOSING_FACTORS,
    SIDE_EFFECTS,
    OUTCOMES,
    CLAIMS,
)
BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}
BY_FILE: dict[str, TableSpec] = {t.file: t for t in TABLES}
