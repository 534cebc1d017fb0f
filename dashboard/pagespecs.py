"""Every page of the dashboard, in one ordered list: the pages declared beside their tables
(``dashboard.schema``) and the pages that are not one table's (the overview, the comparison, the
sources, the glossary, the data page), which are declared here.

Pure data: the navigation draws the pages from ``PAGES``; tests, the load benchmark, the cache
keys and the printable summary read the same definitions.
"""

from __future__ import annotations

from dashboard.controls import Choice
from dashboard.filters import Facet, Search
from dashboard.pagespec import BARS, MEASURE, SENSITIVITY, OneChart, PageSpec, TablePage, facet
from dashboard.params import Param
from dashboard.schema import SOURCES, TABLE_PAGES, TABLES
from dashboard.schema.dosing_regimens import DOSING, FACTOR_PARAMS, REGIMEN_PARAMS, WEIGHT
from dashboard.schema.neurotransmitters import MECHANISMS
from dashboard.schema.outcomes import OUTCOME_PARAMS, OUTCOMES_PAGE
from dashboard.schema.side_effects import SIDE_EFFECT_PARAMS, SIDE_EFFECTS_PAGE, SORT

COMPARE_PARAMS: tuple[Param, ...] = (
    Facet("regimen", "regimen_id", "Regimens to compare (up to three)", limit=3),
    SENSITIVITY,
)
SOURCE_PARAMS: tuple[Param, ...] = (
    Search("q", ("source_id", "citation", "identifier")),
    facet(SOURCES, "kind", "kind", "Kind"),
    facet(SOURCES, "source", "source_id", "Source"),
)
EVERY_TABLE = tuple(t.name for t in TABLES)
ARTICLE = Choice("article", "Draw the article's claim against trials", ("no chart", "infusion time", "IV dose"))
"""The overview's two charts of the clinic article against trial protocols, one at a time and only on
request: the claims above say the same in words, and a first visit draws no chart."""
ARTICLE_CHART = OneChart(ARTICLE, ("", "article-vs-trials-time", "article-vs-trials-dose"))
"""The chart (``views.overview.article_charts``) each option of ``ARTICLE`` draws ("no chart": none)."""

OVERVIEW = PageSpec(
    "overview",
    "Overview",
    ":material/home:",
    ("claims", "dosing_regimens", "side_effects", "outcomes", "studies", "sources", "neurotransmitters", "analyses"),
    (ARTICLE,),
    heading="Ketamine for depression: the evidence",
    order=10,
    view="overview",
)
COMPARE = PageSpec(
    "compare",
    "Compare regimens",
    ":material/compare_arrows:",
    ("dosing_regimens", "outcomes", "side_effects", "studies", "precautions", "sources", "analyses", "risk_of_bias"),
    COMPARE_PARAMS,
    heading="Compare regimens: benefit beside harm",
    required=("dosing_regimens",),
    order=60,
    view="compare",
)
SOURCES_PAGE = PageSpec(
    "sources",
    "Sources",
    ":material/menu_book:",
    EVERY_TABLE,
    (*SOURCE_PARAMS, BARS),
    required=("sources",),
    order=70,
    view="sources",
    table_page=TablePage(
        table="sources",
        intro=(
            "Every reference behind the tables: drug labels, trials, meta-analyses, reviews, and the clinic "
            "article that started the project, kept as one labelled source so its claims can be checked."
        ),
        noun="sources",
        columns=("source_id", "kind", "year", "citation", "url", "identifier", "rows_citing", "accessed"),
        summary=("source_id", "kind", "year", "citation", "url", "rows_citing"),
        alt="References with kind, year, link and the number of rows citing each.",
        heading="The references",
        glossary=False,
    ),
)
GLOSSARY = PageSpec("glossary", "Glossary", ":material/dictionary:", (), order=80)
DATA = PageSpec("data", "Data", ":material/table_view:", EVERY_TABLE, order=90)

PAGES: tuple[PageSpec, ...] = tuple(
    sorted((*TABLE_PAGES, OVERVIEW, COMPARE, SOURCES_PAGE, GLOSSARY, DATA), key=lambda page: page.order)
)
"""Every page in navigation order; the first is the home page."""
BY_PATH = {page.path: page for page in PAGES}
PATHS = tuple(BY_PATH)
"""Every page's URL path (a claim's ``page`` must be one of them)."""


def url(page: PageSpec) -> str:
    """The page's address relative to the site root (the home page is the root)."""
    return "/" if page is PAGES[0] else f"/{page.path}"


__all__ = [
    "ARTICLE",
    "ARTICLE_CHART",
    "BARS",
    "BY_PATH",
    "COMPARE",
    "COMPARE_PARAMS",
    "DATA",
    "DOSING",
    "FACTOR_PARAMS",
    "GLOSSARY",
    "MEASURE",
    "MECHANISMS",
    "OUTCOMES_PAGE",
    "OUTCOME_PARAMS",
    "OVERVIEW",
    "PAGES",
    "PATHS",
    "REGIMEN_PARAMS",
    "SIDE_EFFECTS_PAGE",
    "SIDE_EFFECT_PARAMS",
    "SORT",
    "SOURCES_PAGE",
    "SOURCE_PARAMS",
    "WEIGHT",
    "PageSpec",
    "url",
]
