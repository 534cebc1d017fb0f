"""The ``sources.csv`` table: its columns, key, rules and references."""

from __future__ import annotations

import pandera.pandas as pa

from dashboard import kinds
from dashboard.columns import (
    SOURCE_ID_PATTERN,
    RowCheck,
    choice,
    column,
    date,
    distinct_dois,
    identifier,
    integer,
    link,
    text,
)
from dashboard.schema.spec import table
from dashboard.schema.values import IDENTIFIERS_PATTERN, SOURCE_KINDS

SOURCES = table(
    "sources",
    "Sources",
    "One reference: a drug label, trial, meta-analysis, review, consensus statement or the clinic article.",
    {
        "source_id": identifier(
            "Short id that other tables cite, e.g. ANA23.",
            checks=[pa.Check.str_matches(SOURCE_ID_PATTERN, error="must be letters, digits and hyphens")],
            unique=True,
        ),
        "citation": text("Full reference: authors, title, journal or publisher, year, volume and pages."),
        "year": integer("Year of publication or label revision.", None, minimum=1900, maximum=2100, required=False),
        "kind": choice("What sort of source it is; the clinic article is its own kind.", SOURCE_KINDS),
        "url": link("Web address of the source (DOI, PubMed, registry or official label page)."),
        "identifier": column(
            kinds.TEXT,
            'Identifiers of the source, separated by "; ": doi:10.xxxx/..., PMID n, PMCID PMCn, NCTnnnnnnnn, '
            "NDA nnnnnn or DailyMed setid <uuid>.",
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
        "accessed": date("Date the source text was last checked for this dataset.", required=False, optional=True),
    },
    order=10,
    key=("source_id",),
    checks=[
        RowCheck(
            "url or no_url_reason",
            ("url", "no_url_reason"),
            "url is empty and no_url_reason does not say why",
            lambda df: df["url"].notna() | df["no_url_reason"].notna(),
        ),
        distinct_dois("identifier"),
    ],
)
