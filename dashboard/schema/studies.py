"""The ``studies.csv`` table: the studies, label pools and analyses that outcome and side-effect
rows come from, kept apart from the sources where each figure was read."""

from __future__ import annotations

import pandera.pandas as pa

from dashboard import kinds
from dashboard.columns import SOURCE_ID_PATTERN, STUDY_ID_PATTERN, choice, column, identifier, label, text
from dashboard.schema.spec import table
from dashboard.schema.values import BLINDING, STUDY_KINDS

STUDIES = table(
    "studies",
    "Studies",
    "One study, label pool or analysis that outcome and side-effect rows come from: what kind of evidence "
    "it is, how it was blinded and who sponsored it, as the sources read say.",
    {
        "study_id": identifier(
            "Short unique id that outcome and side-effect rows cite, e.g. transform-2.",
            unique=True,
            checks=[
                pa.Check.str_matches(STUDY_ID_PATTERN, error="must be lower-case letters, digits, dots, hyphens"),
                pa.Check.str_length(max_value=60, error="longer than 60 characters"),
            ],
        ),
        "name": label("Short name a reader knows the study by.", max_length=150),
        "kind": choice(
            "Kind of evidence: a blinded or open-label randomised trial, a post hoc or pooled analysis of "
            "randomised trials, a label's pool with or without a comparator group, a meta-analysis, an "
            "observational study, a secondary summary, a case series, animal studies or the clinic article.",
            STUDY_KINDS,
        ),
        "blinding": choice("Blinding as the sources read state it (not stated: they do not say).", BLINDING),
        "sponsor": label(
            'Who sponsored the study, as the sources read state it ("not stated" where they do not).', max_length=150
        ),
        "registration": column(
            kinds.TEXT,
            'Trial registry numbers (NCTnnnnnnnn, separated by "; "), where the sources give them.',
            checks=[pa.Check.str_matches(r"^NCT\d{8}(; NCT\d{8})*$", error='must be NCT numbers separated by "; "')],
            required=False,
            optional=True,
        ),
        "report_source_id": column(
            kinds.SOURCE,
            "The study's own primary report: a source_id from sources.csv, where the dataset has it.",
            checks=[pa.Check.str_matches(SOURCE_ID_PATTERN, error="must be a source id (letters, digits, hyphens)")],
            required=False,
        ),
        "notes": text("Anything a reader must know about the study.", required=False, optional=True),
    },
    order=15,
    key=("study_id",),
)
