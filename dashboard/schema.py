"""The tables, declared once: columns, types, allowed values, ranges, keys, descriptions, units.

Every other part of the project (the loader, the command line, the README's schema section,
the Data page, the generated ``datapackage.json``) loops over ``TABLES`` and reads the pandera
schemas below. Adding a table is one more ``TableSpec``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

MAX_TEXT = 2000
"""Longest text cell accepted, in characters: longer is a mistake (a pasted document, a runaway quote)."""

URL_SCHEMES = ("https", "http")
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
VERDICTS = ("not supported", "partly supported", "supported")
PAGES = ("overview", "mechanisms", "dosing", "side-effects")

SOURCE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]*$"
SOURCE_IDS_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]*(; ?[A-Za-z0-9][A-Za-z0-9-]*)*$"


# --- column helpers: one vocabulary for every table ------------------------------------


def _column(
    dtype: object,
    description: str,
    kind: str,
    *,
    checks: Sequence[pa.Check] = (),
    required: bool = True,
    optional: bool = False,
    unique: bool = False,
    unit: str | None = None,
    title: str | None = None,
) -> pa.Column:
    """``required``: the cell may not be empty. ``optional``: the column itself may be absent."""
    return pa.Column(
        dtype,
        checks=list(checks),
        nullable=not required,
        required=not optional,
        unique=unique,
        report_duplicates="exclude_first",
        title=title,
        description=description,
        metadata={"kind": kind, "unit": unit},
    )


def max_length_check(limit: int) -> pa.Check:
    """Text at most ``limit`` characters, counted by pyarrow (pandas' str.len() is slow on a
    million rows); named and described like pandera's own str_length check."""

    def holds(series: pd.Series) -> pd.Series:
        if isinstance(series.dtype, pd.CategoricalDtype):
            short = holds(pd.Series(series.cat.categories, dtype="str")).to_numpy()
            codes = series.cat.codes.to_numpy()
            return pd.Series(np.where(codes >= 0, short[np.maximum(codes, 0)], True), index=series.index)
        lengths = pc.utf8_length(pa_array(series))
        fits = pc.fill_null(pc.less_equal(lengths, limit), True)
        return pd.Series(fits.to_numpy(zero_copy_only=False), index=series.index)

    return pa.Check(
        holds,
        name="str_length",
        error=f"longer than {limit} characters",
        statistics={"min_value": None, "max_value": limit, "exact_value": None},
    )


def pa_array(series: pd.Series) -> pyarrow.Array:
    return pyarrow.array(series, type=pyarrow.string(), from_pandas=True)


def text(description: str, *, max_length: int = MAX_TEXT, **kw: object) -> pa.Column:
    return _column(str, description, "text", checks=[max_length_check(max_length)], **kw)  # type: ignore[arg-type]


def label(description: str, *, max_length: int = 300, **kw: object) -> pa.Column:
    """Free text that repeats across rows (a population, a comparator): held as a category."""
    return _column("category", description, "label", checks=[max_length_check(max_length)], **kw)  # type: ignore[arg-type]


def choice(description: str, values: Sequence[str], **kw: object) -> pa.Column:
    """A column of allowed values, held as a pandas category (fast filters and facet counts)."""
    check = pa.Check.isin(list(values), error="must be one of: " + ", ".join(values))
    return _column("category", description, "choice", checks=[check], **kw)  # type: ignore[arg-type]


def number(description: str, unit: str, *, minimum: float = 0, maximum: float | None = None, **kw: object) -> pa.Column:
    if maximum is None:
        check = pa.Check.ge(minimum, error=f"must be at least {minimum:g}")
    else:
        check = pa.Check.in_range(minimum, maximum, error=f"must be between {minimum:g} and {maximum:g}")
    return _column("float64", description, "number", checks=[check], unit=unit, **kw)  # type: ignore[arg-type]


def integer(description: str, unit: str | None, *, minimum: int, maximum: int, **kw: object) -> pa.Column:
    check = pa.Check.in_range(minimum, maximum, error=f"must be between {minimum} and {maximum}")
    return _column("Int64", description, "integer", checks=[check], unit=unit, **kw)  # type: ignore[arg-type]


def link(description: str, **kw: object) -> pa.Column:
    check = pa.Check.str_matches(r"^https?://[^\s/?#]+\.[^\s]*$", error="must be an https:// or http:// web address")
    return _column(str, description, "url", checks=[check], required=False, **kw)  # type: ignore[arg-type]


def source_ref() -> pa.Column:
    check = pa.Check.str_matches(SOURCE_ID_PATTERN, error="must be a source id (letters, digits, hyphens)")
    return _column("category", "The reference for this row: a source_id from sources.csv.", "source", checks=[check])


def source_refs() -> pa.Column:
    check = pa.Check.str_matches(SOURCE_IDS_PATTERN, error='must be source ids separated by "; "')
    return _column(
        str,
        'Further references for this row: source_ids from sources.csv, separated by "; ".',
        "sources",
        checks=[check],
        required=False,
        optional=True,
    )


def ordered(low: str, high: str) -> pa.Check:
    """A row-wise check that ``low <= high`` wherever both are given."""

    def holds(df: pd.DataFrame) -> pd.Series:
        if low not in df or high not in df:
            return pd.Series(True, index=df.index)
        return df[low].isna() | df[high].isna() | (df[low] <= df[high])

    return pa.Check(holds, name=f"{low}<={high}", error=f"{low} is greater than {high}")


DUPLICATE_KEY = "duplicate key"


def unique_together(columns: Sequence[str]) -> pa.Check:
    """Rows must differ on ``columns`` together; later copies fail. Each row's key becomes one
    integer (mixed-radix over the columns' factor codes), so a million rows take milliseconds."""

    def holds(df: pd.DataFrame) -> pd.Series:
        key = df[[c for c in columns if c in df]]
        combined = _key_numbers(key)
        if combined is None:  # too many distinct values to pack into 63 bits: compare as text
            return ~key.astype(str).duplicated(keep="first")
        return ~pd.Series(combined, index=df.index).duplicated(keep="first")

    return pa.Check(holds, name="unique:" + "+".join(columns), error=DUPLICATE_KEY)


def _key_numbers(key: pd.DataFrame) -> np.ndarray | None:
    combined = np.zeros(len(key), dtype=np.int64)
    span = 1
    for name in key.columns:
        codes, radix = _codes(key[name])
        if span > (2**62) // radix:
            return None
        combined = combined * radix + codes
        span *= radix
    return combined


def _codes(column: pd.Series) -> tuple[np.ndarray, int]:
    """Equal values get equal numbers in ``range(radix)``. Categories already have codes; free
    text is ranked by Arrow (a sort: about 4x faster than hashing a million distinct strings)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(dtype=np.int64) + 1, len(column.cat.categories) + 1
    if pd.api.types.is_string_dtype(column.dtype) and len(column):
        ranks = pc.rank(pa_array(column), sort_keys="ascending", tiebreaker="dense")  # nulls rank as one value
        codes = ranks.to_numpy(zero_copy_only=False).astype(np.int64)
        return codes, int(codes.max()) + 1
    factors, uniques = pd.factorize(column, use_na_sentinel=True)
    return factors + 1, len(uniques) + 1


def all_or_none(first: str, second: str) -> pa.Check:
    """``second`` is given only when ``first`` is (a comparator rate needs a comparator)."""

    def holds(df: pd.DataFrame) -> pd.Series:
        if first not in df or second not in df:
            return pd.Series(True, index=df.index)
        return df[second].isna() | df[first].notna()

    return pa.Check(holds, name=f"{second} needs {first}", error=f"{second} is given but {first} is empty")


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
    row_checks: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> dict[str, pa.Column]:
        return dict(self.schema.columns)

    def kind(self, column: str) -> str:
        return str(self.columns[column].metadata["kind"])

    def unit(self, column: str) -> str | None:
        unit = self.columns[column].metadata["unit"]
        return None if unit is None else str(unit)

    def columns_of_kind(self, *kinds: str) -> list[str]:
        return [name for name, col in self.columns.items() if col.metadata["kind"] in kinds]


def _table(
    name: str,
    title: str,
    description: str,
    columns: dict[str, pa.Column],
    key: Sequence[str],
    checks: Sequence[pa.Check] = (),
    references: Sequence[Reference] = (),
) -> TableSpec:
    source_refs_ = [
        Reference(c, "sources", "source_id", many=columns[c].metadata["kind"] == "sources")
        for c in columns
        if columns[c].metadata["kind"] in ("source", "sources")
    ]
    table_checks = [*checks, unique_together(key)] if len(key) > 1 else list(checks)
    schema = pa.DataFrameSchema(
        columns,
        checks=table_checks,
        strict=False,
        name=name,
        title=title,
        description=description,
    )
    row_checks = {str(c.error): _check_columns(c) for c in checks}
    return TableSpec(name, title, description, schema, tuple(key), tuple(source_refs_) + tuple(references), row_checks)


def _check_columns(check: pa.Check) -> tuple[str, ...]:
    name = str(check.name)
    for sep in ("<=", " needs "):
        if sep in name:
            return tuple(name.split(sep))
    raise ValueError(f"row check {name!r} does not name its columns")


# --- the tables ------------------------------------------------------------------------

SOURCES = _table(
    "sources",
    "Sources",
    "One reference: a drug label, trial, meta-analysis, review, consensus statement or the clinic article.",
    {
        "source_id": _column(
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
        "identifier": text("DOI, PMID, PMCID or trial registry number.", max_length=200, required=False, optional=True),
        "accessed": text(
            "Date (YYYY-MM-DD) the source text was last checked for this dataset.",
            max_length=10,
            required=False,
            optional=True,
        ),
    },
    key=("source_id",),
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
        "regimen_id": _column(
            str,
            "Short unique name of the regimen.",
            "id",
            unique=True,
            checks=[pa.Check.str_length(max_value=80, error="longer than 80 characters")],
        ),
        "drug": choice("Active drug.", DRUGS),
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
        "n_drug": integer(
            "Number of patients on the drug.", "patients", minimum=1, maximum=100_000_000, required=False, optional=True
        ),
        "n_comparator": integer(
            "Number of patients on the comparator.",
            "patients",
            minimum=1,
            maximum=100_000_000,
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
    ],
)

CLAIMS = _table(
    "claims",
    "Clinic article claims against the evidence",
    "One claim of the clinic article that started the project, with what trials and labels say.",
    {
        "claim_id": _column(
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

TABLES: tuple[TableSpec, ...] = (SOURCES, NEUROTRANSMITTERS, DOSING_REGIMENS, DOSING_FACTORS, SIDE_EFFECTS, CLAIMS)
BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}
BY_FILE: dict[str, TableSpec] = {t.file: t for t in TABLES}
