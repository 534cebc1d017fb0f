"""The ``precautions.csv`` table: its columns, key, rules and references."""

from __future__ import annotations

import pandera.pandas as pa

from dashboard.columns import choice, identifier, label, source_ref, source_refs, text
from dashboard.schema.spec import table
from dashboard.schema.values import PRECAUTION_DRUGS, PRECAUTION_TOPICS

PRECAUTIONS = table(
    "precautions",
    "Safety: contraindications, warnings and who needs care",
    "One safety item of one drug's label or source: a contraindication, a boxed warning, a warning, "
    "a group of people who need care, an interaction, abuse and misuse, monitoring or a limitation of use.",
    {
        "precaution_id": identifier(
            "Short unique name of the item.",
            unique=True,
            checks=[pa.Check.str_length(max_value=60, error="longer than 60 characters")],
        ),
        "drug": choice("The drug the item concerns.", PRECAUTION_DRUGS),
        "topic": choice("What sort of safety item it is.", PRECAUTION_TOPICS),
        "population": label(
            "The group of people the item is about (e.g. pregnancy, age 65 and over), where it concerns one.",
            max_length=120,
            required=False,
        ),
        "says": text("What the label or source says, in plain words."),
        "label_revision": text(
            "Which revision or copy of the label or source it was read in.", max_length=300, required=False
        ),
        "source_id": source_ref(),
        "more_source_ids": source_refs(),
        "notes": text("What a reader must know to weigh the item.", required=False, optional=True),
    },
    order=45,
    key=("precaution_id",),
)
