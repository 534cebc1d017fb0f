"""The tables, declared once: one module of this package per table (its columns, types, allowed
values, ranges, key, rules, references and, where it has one, its page).

Every other part of the project (the loader, the command line, the README's schema section, the
Data page, the generated ``datapackage.json``, the filters' facet order, the navigation) loops over
``TABLES`` and ``TABLE_PAGES``, which are gathered here from the declaration modules: adding a table
is one more module, nothing to register. The column vocabulary is ``dashboard.columns``, the
allowed values are ``dashboard.schema.values``.
"""

from __future__ import annotations

import importlib
import pkgutil

from dashboard.pagespec import PageSpec
from dashboard.schema.spec import Reference, TableSpec, table
from dashboard.schema.values import (
    BODY_SYSTEMS,
    CONFIDENCE,
    DRUGS,
    EFFECT_DRUGS,
    HIGHER_IS,
    RANDOMISED_KINDS,
    SEVERITIES,
    SOURCE_KINDS,
    STUDY_KINDS,
    TIMEFRAMES,
    VERDICTS,
)

_NOT_TABLES = {"spec", "values"}


def _declared() -> tuple[tuple[TableSpec, ...], tuple[PageSpec, ...]]:
    """Each declaration module's table (the TableSpec named like the module) and the pages it declares."""
    tables: list[TableSpec] = []
    pages: dict[str, PageSpec] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in _NOT_TABLES:
            continue
        names = vars(importlib.import_module(f"{__name__}.{info.name}"))
        tables += [v for v in names.values() if isinstance(v, TableSpec) and v.name == info.name]
        pages |= {v.path: v for v in names.values() if isinstance(v, PageSpec)}
    return tuple(sorted(tables, key=lambda t: t.order)), tuple(pages.values())


TABLES, TABLE_PAGES = _declared()
"""Every table, in order; the pages declared beside them (``dashboard.pagespecs`` orders all pages)."""
BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}
BY_FILE: dict[str, TableSpec] = {t.file: t for t in TABLES}

SHARED_COLUMNS = {name: column for spec in reversed(TABLES) for name, column in spec.columns.items()}
"""Every declared column by name (the first table's where tables share a name, such as ``drug``):
a table that mixes tables' columns labels and explains them from here."""

SOURCES = BY_NAME["sources"]
NEUROTRANSMITTERS = BY_NAME["neurotransmitters"]
DOSING_REGIMENS = BY_NAME["dosing_regimens"]
DOSING_FACTORS = BY_NAME["dosing_factors"]
SIDE_EFFECTS = BY_NAME["side_effects"]
OUTCOMES = BY_NAME["outcomes"]
CLAIMS = BY_NAME["claims"]
STUDIES = BY_NAME["studies"]

__all__ = [
    "BODY_SYSTEMS",
    "BY_FILE",
    "BY_NAME",
    "CLAIMS",
    "CONFIDENCE",
    "DOSING_FACTORS",
    "DOSING_REGIMENS",
    "DRUGS",
    "EFFECT_DRUGS",
    "HIGHER_IS",
    "NEUROTRANSMITTERS",
    "OUTCOMES",
    "RANDOMISED_KINDS",
    "SEVERITIES",
    "SHARED_COLUMNS",
    "SIDE_EFFECTS",
    "SOURCES",
    "SOURCE_KINDS",
    "STUDIES",
    "STUDY_KINDS",
    "TABLES",
    "TABLE_PAGES",
    "TIMEFRAMES",
    "VERDICTS",
    "Reference",
    "TableSpec",
    "table",
]
