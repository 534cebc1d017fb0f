"""The ``dosing_factors.csv`` table: its columns, key, rules and references."""

from __future__ import annotations

from dashboard.columns import (
    choice,
    source_ref,
    source_refs,
    text,
)
from dashboard.schema.spec import table
from dashboard.schema.values import APPLIES_TO, FACTOR_CATEGORIES

DOSING_FACTORS = table(
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
    order=40,
    key=("factor",),
)
