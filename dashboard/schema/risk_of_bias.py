"""The ``risk_of_bias.csv`` table: published risk-of-bias judgements of the studies, one domain a
row, each with the tool and the source that made it. A study without rows is "not rated"."""

from __future__ import annotations

from dashboard.columns import choice, label, source_ref, study_ref, text
from dashboard.schema.spec import Reference, table

ROB_TOOLS = ("RoB 2", "Cochrane risk-of-bias tool (RoB 1)")
ROB_JUDGEMENTS = ("low", "some concerns", "unclear", "high")
"""RoB 2 judges low, some concerns or high; the first Cochrane tool low, unclear or high."""
OVERALL = "overall"
"""The domain name of a study's overall judgement, where the source gives one."""

RISK_OF_BIAS = table(
    "risk_of_bias",
    "Risk of bias: published judgements",
    "One published risk-of-bias judgement of one study in one domain (or overall), with the tool used and "
    "the source that made it. A study, or a domain, without a row has not been rated in the dataset.",
    {
        "study_id": study_ref(),
        "tool": choice("The risk-of-bias tool the source used.", ROB_TOOLS),
        "domain": label(
            'The domain judged, in the tool\'s words (e.g. random sequence generation), or "overall".', max_length=120
        ),
        "judgement": choice(
            "The source's judgement: low, some concerns (RoB 2), unclear (first Cochrane tool) or high.",
            ROB_JUDGEMENTS,
        ),
        "support": text("Why the source judged so, in a few words of our own.", max_length=400),
        "source_id": source_ref(),
    },
    order=17,
    key=("domain", "study_id", "tool"),
    references=(Reference("study_id", "studies", "study_id"),),
)
