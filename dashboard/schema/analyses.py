"""The ``analyses.csv`` table: which outcome rows pool together, on which measure, by which method
and why. An analyst changes a pooling by editing this file; the rows it names must fit together."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import pandera.pandas as pa

from dashboard import kinds
from dashboard.columns import (
    RowCheck,
    choice,
    column,
    identifier,
    label,
    max_length_check,
    source_ref,
    source_refs,
    text,
)
from dashboard.schema.spec import CrossCheck, CrossFailure, Reference, table
from dashboard.schema.values import ANALYSIS_OUTCOMES, DRUGS, HARM_OUTCOME

POOL_MEASURES = ("RR", "RD", "MD")
"""Risk ratio and risk difference from each study's arms; mean difference in points of one scale."""
METHODS = ("random effects, DerSimonian-Laird, with the HKSJ interval",)
CONTINUITY_RULES = (
    "0.5 added to every cell of a study with a zero cell; studies with no events in either arm left out",
    "not applicable (mean differences)",
)
GRADE_RATINGS = ("no serious concern", "serious", "very serious")
"""A GRADE domain's rating: no serious concern, serious (down one level) or very serious (down two)."""
JUDGED_DOMAINS = {
    "risk_of_bias": "risk of bias",
    "indirectness": "indirectness",
    "publication_bias": "publication bias",
}
"""GRADE domains that need a published judgement (column prefix: the domain's name); imprecision and
inconsistency are rated by a stated rule from the pooled result (``dashboard.certainty``)."""
OUTCOME_IDS_PATTERN = r"^[a-z0-9][a-z0-9.-]*(; [a-z0-9][a-z0-9.-]*)+$"

_MD_CELLS = ("mean_difference", "mean_difference_low", "mean_difference_high")


def ids_of(cell: object) -> list[str]:
    """The row ids of an ``outcome_ids`` or ``effect_ids`` cell (none for an empty cell)."""
    return [] if cell is None or pd.isna(cell) else [x.strip() for x in str(cell).split(";")]


def _row_problems(analysis: Mapping[str, object], rows: pd.DataFrame) -> list[tuple[str, str]]:
    """(column, message) for each way the named outcome rows do not fit the analysis or each other."""
    found: list[tuple[str, str]] = []
    ids = ids_of(analysis["outcome_ids"])
    if len(set(ids)) < len(ids):
        found.append(("outcome_ids", "names an outcome row twice"))
    needed = ["study_id", "outcome", "drug", "measure", "scale", "comparator", "drug_pct", "comparator_pct"]
    needed += ["n_drug", "n_comparator", "events_drug", "events_comparator", *_MD_CELLS]
    named = rows.set_index("outcome_id").reindex(index=ids, columns=needed)  # optional columns may be absent
    measure = analysis["measure"]
    for oid, row in named.iterrows():
        if row["outcome"] != analysis["outcome"]:
            found.append(("outcome", f"{oid} is a {row['outcome']} row, not {analysis['outcome']}"))
        if row["drug"] != analysis["drug"]:
            found.append(("drug", f"{oid} is on {row['drug']}, not {analysis['drug']}"))
        if measure == "MD":
            if row["measure"] != "MD" or any(pd.isna(row[c]) for c in _MD_CELLS):
                found.append(("measure", f"{oid} has no mean difference with its 95% interval"))
        else:
            sizes = pd.notna(row["n_drug"]) and pd.notna(row["n_comparator"])
            events = (pd.notna(row["events_drug"]) or pd.notna(row["drug_pct"])) and (
                pd.notna(row["events_comparator"]) or pd.notna(row["comparator_pct"])
            )
            if row["measure"] != "proportion" or not (sizes and events):
                found.append(("measure", f"{oid} has no group sizes with events or rates on both arms"))
    scales = named["scale"].dropna().unique() if measure == "MD" else ()
    if len(scales) > 1:
        found.append(("outcome_ids", f"mixes mean differences on different scales ({', '.join(sorted(scales))})"))
    shared = named.dropna(subset=["n_comparator"]).duplicated(
        subset=["study_id", "comparator", "n_comparator", "comparator_pct"], keep=False
    )
    if shared.any():
        found.append(("outcome_ids", f"{', '.join(shared[shared].index)} share one comparator arm (counted twice)"))
    return found


def _harm_problems(analysis: Mapping[str, object], rows: pd.DataFrame) -> list[tuple[str, str]]:
    """(column, message) for each way the named side-effect rows do not fit the analysis or each other:
    one effect on one drug, counts on both arms, and no comparison (its comparator arm) twice."""
    found: list[tuple[str, str]] = []
    ids = ids_of(analysis.get("effect_ids"))
    if len(set(ids)) < len(ids):
        found.append(("effect_ids", "names a side-effect row twice"))
    needed = ["effect", "drug", "study_id", "comparison", "incidence_pct", "comparator_pct"]
    needed += ["n_drug", "n_comparator", "events_drug", "events_comparator"]
    named = rows.dropna(subset=["effect_id"]).set_index("effect_id").reindex(index=ids, columns=needed)
    for eid, row in named.iterrows():
        if row["drug"] != analysis["drug"]:
            found.append(("drug", f"{eid} is on {row['drug']}, not {analysis['drug']}"))
        sizes = pd.notna(row["n_drug"]) and pd.notna(row["n_comparator"])
        events = (pd.notna(row["events_drug"]) or pd.notna(row["incidence_pct"])) and (
            pd.notna(row["events_comparator"]) or pd.notna(row["comparator_pct"])
        )
        if not (sizes and events):
            found.append(("effect_ids", f"{eid} has no group sizes with events or rates on both arms"))
    effects = named["effect"].dropna().unique()
    if len(effects) > 1:
        found.append(("effect_ids", f"pools different effects ({', '.join(sorted(map(str, effects)))})"))
    where = named["comparison"].fillna(named["study_id"])
    twice = where[where.duplicated(keep=False)]
    if len(twice):
        found.append(("effect_ids", f"{', '.join(twice.index)} come from one comparison (its arms counted twice)"))
    return found


def _one_kind_of_row(df: pd.DataFrame) -> pd.Series:
    """Outcome rows for a benefit or score outcome, side-effect rows for an adverse effect; never both."""
    effects = df["effect_ids"] if "effect_ids" in df else pd.Series(pd.NA, index=df.index)
    has_outcomes, has_effects = df["outcome_ids"].notna(), effects.notna()
    return (has_outcomes != has_effects) & ((df["outcome"] == HARM_OUTCOME) == has_effects)


def _continuity_fits(df: pd.DataFrame) -> pd.Series:
    """Counts get the zero-cell rule; mean differences have no cells."""
    binary = df["measure"].isin(("RR", "RD"))
    return (binary & (df["continuity"] == CONTINUITY_RULES[0])) | (~binary & (df["continuity"] == CONTINUITY_RULES[1]))


def _ids_column(description: str, what: str, *, optional: bool = False, loses: str | None = None) -> pa.Column:
    """Row ids of another table, "; "-separated; the cell is empty where the analysis names the other kind."""
    pattern = pa.Check.str_matches(OUTCOME_IDS_PATTERN, error=f'must be two or more {what} ids separated by "; "')
    return column(
        kinds.TEXT,
        description,
        checks=[max_length_check(1000), pattern],
        required=False,
        optional=optional,
        loses=loses,
    )


def _judged_columns() -> dict[str, pa.Column]:
    found: dict[str, pa.Column] = {}
    for prefix, domain in JUDGED_DOMAINS.items():
        found[prefix] = choice(
            f"The GRADE rating of {domain} for this pool, as a published assessment gives it; empty: not rated.",
            GRADE_RATINGS,
            required=False,
            optional=True,
        )
        ref = source_ref()
        found[f"{prefix}_source_id"] = column(
            kinds.SOURCE,
            f"The source that rated {domain}: a source_id of sources.csv (required with a rating).",
            checks=ref.checks,
            required=False,
            optional=True,
        )
    return found


def _rated_with_source(prefix: str) -> RowCheck:
    source = f"{prefix}_source_id"
    return RowCheck(
        f"{prefix} has a source",
        (prefix, source),
        f"a {JUDGED_DOMAINS[prefix]} rating needs the source that made it",
        lambda df: df[prefix].isna() | df[source].notna(),
    )


def _failures(
    analyses: pd.DataFrame, column: str, rows: pd.DataFrame, problems: Callable[..., list[tuple[str, str]]]
) -> list[CrossFailure]:
    """Each analysis that names rows in ``column``, checked against the table those rows are in."""
    failures: list[CrossFailure] = []
    for position, analysis in enumerate(analyses.to_dict("records")):
        if pd.notna(analysis[column]):
            for name, message in problems(analysis, rows):
                failures.append((position, name, message, str(analysis.get(name, ""))))
    return failures


def _fit_together(analyses: pd.DataFrame, served: Mapping[str, pd.DataFrame]) -> list[CrossFailure]:
    return _failures(analyses, "outcome_ids", served["outcomes"], _row_problems)


def _harms_fit_together(analyses: pd.DataFrame, served: Mapping[str, pd.DataFrame]) -> list[CrossFailure]:
    if "effect_ids" not in analyses or "effect_id" not in served["side_effects"]:
        return []  # the id reference has already said what is missing
    return _failures(analyses, "effect_ids", served["side_effects"], _harm_problems)


ANALYSES = table(
    "analyses",
    "Analyses: what pools together",
    "One pooled analysis: the outcome rows that pool together (same drug or regimen family, outcome, "
    "comparator class and timepoint window), the effect measure, the method, the zero-cell rule and why.",
    {
        "analysis_id": identifier(
            "Short unique id of the analysis, e.g. esk-mdsi-madrs-24h.",
            unique=True,
            checks=[
                pa.Check.str_matches(
                    r"^[a-z0-9][a-z0-9.-]*$", error="must be lower-case letters, digits, dots, hyphens"
                ),
                pa.Check.str_length(max_value=80, error="longer than 80 characters"),
            ],
        ),
        "title": label("What the pool compares, in a reader's words.", max_length=200),
        "outcome_ids": _ids_column(
            'The outcome rows pooled: two or more outcome_ids of outcomes.csv, separated by "; ". They must '
            "have the analysis's outcome, drug and measure (rates with group sizes for RR and RD; a mean "
            "difference with its interval, all on one scale, for MD), and no comparator arm twice. Empty for "
            "an adverse-effect analysis, which names side-effect rows instead.",
            "outcome",
        ),
        "effect_ids": _ids_column(
            "For an adverse-effect analysis, the side-effect rows pooled: two or more effect_ids of "
            'side_effects.csv, separated by "; ". They must name one effect on the analysis\'s drug, with group '
            "sizes and events or rates on both arms, each from a different comparison (no comparator arm twice).",
            "effect",
            optional=True,
            loses="no analysis can pool side effects",
        ),
        "drug": choice("Active drug of every pooled row.", DRUGS),
        "regimen_family": label(
            "The drug or regimen family pooled, e.g. esketamine nasal spray induction.", max_length=200
        ),
        "outcome": choice(
            f'Kind of outcome every pooled row gives; "{HARM_OUTCOME}" for a pool of side-effect rows.',
            ANALYSIS_OUTCOMES,
        ),
        "comparator_class": label("What every pooled row compared the drug with, as one class.", max_length=200),
        "timepoint_window": label("The window every pooled row's timepoint falls in.", max_length=150),
        "measure": choice(
            "Effect measure pooled: risk ratio (RR, on the log scale), risk difference (RD) or mean difference "
            "in points of one scale (MD).",
            POOL_MEASURES,
        ),
        "method": choice("How the rows are pooled.", METHODS),
        "continuity": choice("The rule for a study with a zero cell.", CONTINUITY_RULES),
        "why": text("Why these rows pool together: one sentence.", max_length=600),
        **_judged_columns(),
        "source_ids": source_refs(),
        "notes": text("Anything a reader must know about the pool.", required=False, optional=True),
    },
    order=65,
    key=("analysis_id",),
    checks=[
        RowCheck(
            "one kind of row",
            ("outcome_ids", "outcome"),
            f'an analysis pools either outcome rows (outcome_ids) or, for an "{HARM_OUTCOME}" outcome, '
            "side-effect rows (effect_ids): one of the two, never both",
            _one_kind_of_row,
        ),
        RowCheck(
            "continuity fits",
            ("continuity", "measure"),
            "RR and RD pools take the zero-cell rule; MD pools are not applicable",
            _continuity_fits,
        ),
        *(_rated_with_source(prefix) for prefix in JUDGED_DOMAINS),
    ],
    references=(
        Reference("outcome_ids", "outcomes", "outcome_id", many=True),
        Reference("effect_ids", "side_effects", "effect_id", many=True),
    ),
    cross_checks=(
        CrossCheck("rows fit together", ("outcomes",), _fit_together),
        CrossCheck("side-effect rows fit together", ("side_effects",), _harms_fit_together),
    ),
)
