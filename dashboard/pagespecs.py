"""Every page's URL path, the tables it reads, and its filter parameters (its query-string keys).

Pure data: the UI draws the pages from it; tests, the load benchmark, the cache keys and the
printable summary read the same definitions. A facet lists its values in the order the schema
declares them.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.controls import Choice, Number
from dashboard.filters import Facet, Search
from dashboard.params import Param
from dashboard.schema import (
    DOSING_FACTORS,
    DOSING_REGIMENS,
    NEUROTRANSMITTERS,
    OUTCOMES,
    SIDE_EFFECTS,
    SOURCES,
    TABLES,
    TableSpec,
)


def facet(spec: TableSpec, key: str, column: str, label: str, *, values_from: str | None = None) -> Facet:
    """A facet over ``column``, offering values in the order ``spec`` declares (``values_from``
    names the declared column when ``column`` is derived from it, as ``source_kind`` from ``kind``)."""
    return Facet(key, column, label, spec.allowed(values_from or column))


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    tables: tuple[str, ...]
    """Every table the page reads: its cache keys and its warning banner come from this."""
    params: tuple[Param, ...] = ()
    heading: str = ""
    """The page's main heading (its title when empty)."""
    required: tuple[str, ...] = ()
    """Tables without which the page has nothing to show."""

    @property
    def h1(self) -> str:
        return self.heading or self.title

    @property
    def url(self) -> str:
        """The page's address relative to the site root (the first page is the root)."""
        return "/" if self is PAGES[0] else f"/{self.path}"

    def param(self, key: str) -> Param:
        return next(p for p in self.params if p.key == key)


MECHANISM_PARAMS: tuple[Param, ...] = (
    Search("q", ("entity", "normal_role", "ketamine_action", "time_course", "source_id")),
    facet(NEUROTRANSMITTERS, "type", "entity_type", "Entity type"),
    facet(NEUROTRANSMITTERS, "direction", "direction", "Direction"),
    facet(NEUROTRANSMITTERS, "confidence", "confidence", "Confidence"),
    facet(NEUROTRANSMITTERS, "evidence", "evidence_in", "Evidence in"),
)

REGIMEN_PARAMS: tuple[Param, ...] = (
    Search("q", ("regimen_id", "population", "frequency", "monitoring", "regulatory_status", "notes", "source_id")),
    facet(DOSING_REGIMENS, "drug", "drug", "Drug"),
    facet(DOSING_REGIMENS, "route", "route", "Route"),
    facet(DOSING_REGIMENS, "purpose", "purpose", "Purpose"),
    facet(SOURCES, "kind", "source_kind", "Source kind", values_from="kind"),
)
WEIGHT = Number("kg", "Body weight (kg) for the arithmetic helper", 20.0, 250.0, 70.0, 1.0)
FACTOR_PARAMS: tuple[Param, ...] = (
    Search("fq", ("factor", "effect_on_treatment", "guidance", "source_id"), "Search the factors"),
    facet(DOSING_FACTORS, "category", "category", "Category"),
    facet(DOSING_FACTORS, "applies", "applies_to", "Applies to"),
)

SIDE_EFFECT_PARAMS: tuple[Param, ...] = (
    Search("q", ("effect", "population", "comparator", "onset", "resolution", "notes", "source_id")),
    facet(SIDE_EFFECTS, "system", "body_system", "Body system"),
    facet(SIDE_EFFECTS, "timeframe", "timeframe", "Timeframe"),
    facet(SIDE_EFFECTS, "severity", "severity", "Severity"),
    facet(SIDE_EFFECTS, "drug", "drug", "Drug"),
    facet(SIDE_EFFECTS, "population", "population", "Population"),
    facet(SIDE_EFFECTS, "source", "source_id", "Source"),
    facet(SIDE_EFFECTS, "comparison", "comparison", "Comparison (trial or label pool)"),
)
SORT = Choice("sort", "Sort the chart by", ("rate", "difference"))
MEASURE = Choice("measure", "Compare drug and comparator by", ("difference", "ratio"))

OUTCOME_PARAMS: tuple[Param, ...] = (
    Search("q", ("study", "definition", "timepoint", "population", "comparator", "notes", "source_id")),
    facet(OUTCOMES, "outcome", "outcome", "Outcome"),
    facet(OUTCOMES, "drug", "drug", "Drug"),
    facet(OUTCOMES, "design", "design", "Kind of evidence"),
    facet(OUTCOMES, "source", "source_id", "Source"),
)
COMPARE_PARAMS: tuple[Param, ...] = (Facet("regimen", "regimen_id", "Regimens to compare (up to three)", limit=3),)

SOURCE_PARAMS: tuple[Param, ...] = (
    Search("q", ("source_id", "citation", "identifier")),
    facet(SOURCES, "kind", "kind", "Kind"),
    facet(SOURCES, "source", "source_id", "Source"),
)

OVERVIEW = PageSpec(
    "overview",
    "Overview",
    ":material/home:",
    ("claims", "dosing_regimens", "side_effects", "outcomes", "sources", "neurotransmitters"),
    heading="Ketamine for depression: the evidence",
)
MECHANISMS = PageSpec(
    "mechanisms",
    "Mechanisms",
    ":material/neurology:",
    ("neurotransmitters", "sources"),
    MECHANISM_PARAMS,
    heading="Mechanisms: what ketamine acts on",
    required=("neurotransmitters",),
)
DOSING = PageSpec(
    "dosing",
    "Dosing",
    ":material/medication:",
    ("dosing_regimens", "dosing_factors", "sources"),
    (*REGIMEN_PARAMS, WEIGHT, *FACTOR_PARAMS),
    required=("dosing_regimens",),
)
SIDE_EFFECTS_PAGE = PageSpec(
    "side-effects",
    "Side effects",
    ":material/monitor_heart:",
    ("side_effects", "sources"),
    (*SIDE_EFFECT_PARAMS, SORT, MEASURE),
    required=("side_effects",),
)
OUTCOMES_PAGE = PageSpec(
    "outcomes",
    "Outcomes",
    ":material/trending_up:",
    ("outcomes", "dosing_regimens", "sources"),
    (*OUTCOME_PARAMS, MEASURE),
    heading="Outcomes: how often it helps",
    required=("outcomes",),
)
COMPARE = PageSpec(
    "compare",
    "Compare regimens",
    ":material/compare_arrows:",
    ("dosing_regimens", "outcomes", "side_effects", "sources"),
    COMPARE_PARAMS,
    heading="Compare regimens: benefit beside harm",
    required=("dosing_regimens",),
)
SOURCES_PAGE = PageSpec(
    "sources",
    "Sources",
    ":material/menu_book:",
    tuple(t.name for t in TABLES),
    SOURCE_PARAMS,
    required=("sources",),
)
GLOSSARY = PageSpec("glossary", "Glossary", ":material/dictionary:", ())
DATA = PageSpec("data", "Data", ":material/table_view:", tuple(t.name for t in TABLES))

PAGES: tuple[PageSpec, ...] = (
    OVERVIEW,
    MECHANISMS,
    DOSING,
    SIDE_EFFECTS_PAGE,
    OUTCOMES_PAGE,
    COMPARE,
    SOURCES_PAGE,
    GLOSSARY,
    DATA,
)
BY_PATH = {page.path: page for page in PAGES}
