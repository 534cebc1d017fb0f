"""The ``claims.csv`` table: its columns, key, rules and references."""

from __future__ import annotations

import pandera.pandas as pa

from dashboard.columns import (
    choice,
    identifier,
    source_ref,
    source_refs,
    text,
)
from dashboard.schema.spec import PAGES_TARGET, Reference, table
from dashboard.schema.values import VERDICTS

CLAIMS = table(
    "claims",
    "Clinic article claims against the evidence",
    "One claim of the clinic article that started the project, with what trials and labels say.",
    {
        "claim_id": identifier(
            "Short id of the claim.",
            unique=True,
            checks=[pa.Check.str_length(max_value=20, error="longer than 20 characters")],
        ),
        "topic": text("What the claim is about.", max_length=200),
        "article_says": text("The clinic article's claim, paraphrased."),
        "verdict": choice("Whether the evidence supports the claim.", VERDICTS),
        "evidence_says": text("What the trials, labels and reviews show."),
        "source_id": source_ref(),
        "more_source_ids": source_refs(),
        "page": text(
            "Dashboard page with the detail: the path of one of its pages, e.g. side-effects.",
            max_length=40,
            required=False,
            optional=True,
        ),
    },
    order=70,
    key=("claim_id",),
    references=(Reference("page", PAGES_TARGET, "path"),),
)
