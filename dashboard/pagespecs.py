"""Every page's URL path, the tables it uses, and its filter parameters (its query-string keys).

Pure data: the UI draws the pages from it; tests, the load benchmark and the printable summary
read the same definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.filters import Choice, Facet, Number, Param, Search


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    tables: tuple[str, ...]
    params: tuple[Param, ...] = ()
    heading: str = ""
    """The page's main heading (its title when empty)."""

    @property
    def h1(self) -> str:
        return self.heading or self.title


MECHANISM_PARAMS: tuple[Param, ...] = (
    Search("q", ("entity", "normal_role", "ketamine_action", "time_course", "source_id")),
    Facet("type", "entity_type", "Entity type"),
    Facet("direction", "direction", "Direction"),
    Facet("confidence", "confidence", "Confidence"),
    Facet("evidence", "evidence_in", "Evidence in"),
)

REGIMEN_PARAMS: tuple[Param, ...] = (
    Search("q", ("regimen_id", "population", "frequency", "monitoring", "regulatory_status", "notes", "source_id")),
    Facet("drug", "drug", "Drug"),
    Facet("route", "route", "Route"),
    Facet("purpose", "purpose", "Purpose"),
    Facet("kind", "source_kind", "Source kind"),
)
WEIGHT = Number("kg", "Body weight (kg) for the arithmetic helper", 20.0, 250.0, 70.0, 1.0)
FACTOR_PARAMS: tuple[Param, ...] = (
    Search("fq", ("factor", "effect_on_treatment", "guidance", "source_id"), "Search the factors"),
    Facet("category", "category", "Category"),
    Facet("applies", "applies_to", "Applies to"),
)

SIDE_EFFECT_PARAMS: tuple[Param, ...] = (
    Search("q", ("effect", "population", "comparator", "onset", "resolution", "notes", "source_id")),
    Facet("system", "body_system", "Body system"),
    Facet("timeframe", "timeframe", "Timeframe"),
    Facet("severity", "severity", "Severity"),
    Facet("drug", "drug", "Drug"),
    Facet("population", "population", "Population"),
    Facet("source", "source_id", "Source"),
)
SORT = Choice("sort", "Sort the chart by", ("rate", "difference"))

SOURCE_PARAMS: tuple[Param, ...] = (
    Search("q", ("source_id", "citation", "identifier")),
    Facet("kind", "kind", "Kind"),
    Facet("source", "source_id", "Source"),
)

PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "overview",
        "Overview",
        ":material/home:",
        ("claims", "dosing_regimens", "side_effects", "sources", "neurotransmitters"),
        heading="Ketamine for depression: the evidence",
    ),
    PageSpec(
        "mechanisms",
        "Mechanisms",
        ":material/neurology:",
        ("neurotransmitters", "sources"),
        MECHANISM_PARAMS,
        heading="Mechanisms: what ketamine acts on",
    ),
    PageSpec(
        "dosing",
        "Dosing",
        ":material/medication:",
        ("dosing_regimens", "dosing_factors", "sources"),
        (*REGIMEN_PARAMS, WEIGHT, *FACTOR_PARAMS),
    ),
    PageSpec(
        "side-effects",
        "Side effects",
        ":material/monitor_heart:",
        ("side_effects", "sources"),
        (*SIDE_EFFECT_PARAMS, SORT),
    ),
    PageSpec("sources", "Sources", ":material/menu_book:", ("sources",), SOURCE_PARAMS),
    PageSpec("glossary", "Glossary", ":material/dictionary:", ()),
    PageSpec(
        "data",
        "Data",
        ":material/table_view:",
        ("sources", "neurotransmitters", "dosing_regimens", "dosing_factors", "side_effects", "claims"),
    ),
)
BY_PATH = {page.path: page for page in PAGES}
