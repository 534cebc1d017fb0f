"""The summary of findings: one line per pooled analysis of ``analyses.csv``, in the Cochrane
layout (outcome; assumed risk with the comparator and corresponding risk with the drug per 1,000;
relative effect; participants (studies); certainty with its reasons), with the HKSJ interval,
heterogeneity, the prediction interval and the sensitivity analysis the URL chose.

Pure: the pages (Outcomes, Compare) lay the lines out; the CSV export is ``Findings.frame``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard import certainty as grade
from dashboard import pooling, wording
from dashboard.catalog import Frames
from dashboard.pagespec import SENSITIVITY
from dashboard.schema.analyses import ids_of as _cell_ids
from dashboard.schema.risk_of_bias import OVERALL, ROB_JUDGEMENTS
from dashboard.schema.values import HARM_OUTCOME, HIGHER_IS, RANDOMISED_KINDS

__all__ = [
    "SENSITIVITY",
    "Finding",
    "Findings",
    "Inputs",
    "finding",
    "findings",
    "line",
    "prepare_inputs",
    "summary_notes",
]
FIRST = 7
"""Outcomes shown first, as in a Cochrane summary-of-findings table; the rest follow below."""
PRIMARY_KINDS = ("RCT, blinded", "RCT, open-label")
"""Study kinds that are a trial's own report (the others in ``RANDOMISED_KINDS`` are post hoc or pooled)."""
NOT_PRIMARY = tuple(k for k in RANDOMISED_KINDS if k not in PRIMARY_KINDS)


@dataclass(frozen=True)
class Inputs:
    """What the summary needs, prepared once per data version."""

    analyses: pd.DataFrame
    outcomes: pd.DataFrame
    """Indexed by outcome_id, with ``study_kind``."""
    low_rob: frozenset[str]
    """Study ids with a published overall judgement of low risk of bias."""
    effects: pd.DataFrame | None = None
    """Side-effect rows with an effect_id, in the outcome rows' shape (``harm_rows``), indexed by effect_id."""
    rob: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Per study_id, its published risk-of-bias judgements in words (``rob_summaries``)."""


@dataclass(frozen=True)
class Finding:
    analysis_id: str
    title: str
    outcome: str
    comparator_risk: str
    drug_risk: str
    relative: str
    number_needed: str
    """NNT or NNH with its interval from the pooled effect at the assumed comparator risk (ratio and
    difference pools; empty for a mean difference)."""
    hksj: str
    heterogeneity: str
    prediction: str
    participants: str
    certainty: str
    reasons: str
    sensitivity: str
    note: str
    regimen_ids: tuple[str, ...]
    drug: str
    risk_of_bias: str = ""
    """Each pooled study's published risk-of-bias judgements, or that it has none in the dataset."""


@dataclass(frozen=True)
class Findings:
    first: tuple[Finding, ...]
    rest: tuple[Finding, ...]
    sensitivity: str

    @property
    def all(self) -> tuple[Finding, ...]:
        return self.first + self.rest

    @property
    def frame(self) -> pd.DataFrame:
        """The table twin and CSV export: one row per finding, columns in the Cochrane order."""
        rows = [{COLUMNS[k]: getattr(f, k) for k in COLUMNS} for f in self.all]
        return pd.DataFrame(rows, columns=list(COLUMNS.values()))


COLUMNS = {
    "title": "Comparison",
    "outcome": "Outcome",
    "comparator_risk": "Assumed risk with comparator",
    "drug_risk": "Corresponding risk with drug (95% CI)",
    "relative": "Relative effect or difference (95% CI)",
    "number_needed": "NNT or NNH (95% CI)",
    "hksj": "HKSJ 95% CI",
    "heterogeneity": "Heterogeneity",
    "prediction": "95% prediction interval",
    "participants": "Participants (studies)",
    "certainty": "Certainty (GRADE)",
    "reasons": "Certainty reasons",
    "risk_of_bias": "Risk of bias per study",
    "sensitivity": "Sensitivity",
    "note": "Note",
    "analysis_id": "analysis_id",
}


ARM_COLUMNS = ("regimen_id", "n_drug", "n_comparator", "events_drug", "events_comparator")


def harm_rows(
    effects: pd.DataFrame, names: Mapping[str, str], kinds: Mapping[str, str], named: Iterable[str] | None = None
) -> pd.DataFrame:
    """Side-effect rows that have an effect_id (only those whose id is in ``named``, when given), in the
    shape pooling reads from outcome rows: the row's id in ``outcome_id``, the study's name in
    ``study``, the drug's rate in ``drug_pct``."""
    if "effect_id" not in effects:
        rows = effects.iloc[:0].copy()
    else:
        ids = effects["effect_id"]
        rows = effects[(ids.notna() if named is None else ids.isin(list(named))).to_numpy()].copy()
    for optional in ("effect_id", *ARM_COLUMNS):
        if optional not in rows:
            rows[optional] = pd.NA
    rows = rows.rename(columns={"incidence_pct": "drug_pct"})
    rows["outcome_id"] = rows["effect_id"].astype(str)
    rows["study"] = rows["study_id"].map(names).fillna(rows["study_id"]).astype(str)
    rows["study_kind"] = rows["study_id"].map(kinds)
    rows["scale"] = pd.NA
    return rows.set_index("outcome_id", drop=False)


def rob_summaries(rob: pd.DataFrame | None) -> dict[str, str]:
    """Per study_id, its published risk-of-bias judgements in words, one phrase per tool and source:
    how many domains were judged at each level, and the overall judgement where the source gives one."""
    if rob is None or rob.empty:
        return {}
    found: dict[str, list[str]] = {}
    for (study, tool, source), group in rob.groupby(["study_id", "tool", "source_id"], observed=True, sort=False):
        is_overall = group["domain"] == OVERALL
        domains = group.loc[~is_overall, "judgement"].astype(str)
        counts = [(j, int((domains == j).sum())) for j in ROB_JUDGEMENTS if (domains == j).any()]
        overall = group.loc[is_overall, "judgement"]
        phrase = wording.rob_phrase(
            str(tool), str(source), len(domains), counts, str(overall.iloc[0]) if len(overall) else None
        )
        found.setdefault(str(study), []).append(phrase)
    return {study: "; ".join(phrases) for study, phrases in found.items()}


def _rob_line(inputs: Inputs, rows: pd.DataFrame) -> str:
    """Each pooled row's study, with its published judgements or that it has none in the dataset."""
    seen = dict.fromkeys(zip(rows["study"].astype(str), rows["study_id"].astype(str), strict=True))
    return "; ".join(f"{name}: {inputs.rob.get(study, wording.ROB_NOT_ASSESSED)}" for name, study in seen)


def prepare_inputs(frames: Frames) -> Inputs | None:
    """None where the analyses or outcomes table is unavailable (the page then shows no summary)."""
    analyses, outcomes = frames.get("analyses"), frames.get("outcomes")
    if analyses is None or outcomes is None:
        return None
    studies, rob, effects = frames.get("studies"), frames.get("risk_of_bias"), frames.get("side_effects")
    rows = outcomes.copy()
    for optional in ARM_COLUMNS:
        if optional not in rows:  # an analyst's file may leave optional columns out
            rows[optional] = pd.NA
    kinds = {} if studies is None else dict(zip(studies["study_id"], studies["kind"], strict=True))
    names = {} if studies is None else dict(zip(studies["study_id"], studies["name"], strict=True))
    rows["study_kind"] = rows["study_id"].map(kinds)
    low: frozenset[str] = frozenset()
    if rob is not None:
        overall = rob[(rob["domain"] == OVERALL) & (rob["judgement"] == "low")]
        low = frozenset(overall["study_id"].astype(str))
    harms = None if effects is None else harm_rows(effects, names, kinds, named_effects(analyses))
    return Inputs(analyses, rows.set_index("outcome_id", drop=False), low, harms, rob_summaries(rob))


def named_effects(analyses: pd.DataFrame) -> set[str]:
    """The effect ids the adverse-effect analyses pool: the only side-effect rows a summary reads. An
    analyst's extract may hold a million rows with ids; a copy of them all was kept by every page
    with a summary (about 200 MB each at a million rows)."""
    return {i for analysis in analyses.to_dict("records") if is_harm(analysis) for i in ids_of(analysis)}


def is_harm(analysis: Mapping[str, object]) -> bool:
    """An adverse-effect analysis pools side-effect rows (``effect_ids``), the others outcome rows."""
    return analysis["outcome"] == HARM_OUTCOME


def ids_of(analysis: Mapping[str, object]) -> list[str]:
    """The row ids an analysis pools: effect_ids for an adverse effect, outcome_ids otherwise."""
    return _cell_ids(analysis.get("effect_ids") if is_harm(analysis) else analysis["outcome_ids"])


def rows_of(inputs: Inputs, analysis: Mapping[str, object]) -> tuple[pd.DataFrame, list[str]]:
    """The rows an analysis pools, from the table it names, and the ids the served table lacks."""
    if not is_harm(analysis):
        table = inputs.outcomes
    elif inputs.effects is not None:
        table = inputs.effects
    else:  # no side-effect table served: every row it names is missing
        table = inputs.outcomes.iloc[:0]
    ids = ids_of(analysis)
    missing = [i for i in ids if i not in table.index]
    return table.loc[[i for i in ids if i not in missing]], missing


def _scale(rows: pd.DataFrame) -> str | None:
    scales = rows["scale"].dropna().unique()
    return str(scales[0]) if len(scales) == 1 else None


def _summary(result: pooling.Pooled | pooling.NotPooled, scale: str | None) -> str:
    if isinstance(result, pooling.NotPooled):
        return result.reason
    return wording.pooled_estimate(result.measure, scale, result.estimate, result.low, result.high) + (
        f", k = {result.k}"
    )


def _single(rows: pd.DataFrame, measure: str, scale: str | None) -> str:
    """One study's own estimate on the pool's measure (what leave-one-out leaves of a two-study pool)."""
    if measure == "MD":  # the study's own printed interval (it may be asymmetric after rounding)
        row = rows.iloc[0]
        return wording.pooled_estimate(
            measure, scale, row["mean_difference"], row["mean_difference_low"], row["mean_difference_high"]
        )
    found, _ = pooling.contributions(rows, measure)
    if not found:
        return "no usable estimate"
    return wording.pooled_estimate(measure, scale, *pooling.study_interval(found[0], measure))


def sensitivity(inputs: Inputs, rows: pd.DataFrame, measure: str, choice: str) -> str:
    """How the pooled estimate moves under the chosen sensitivity analysis, in words."""
    scale = _scale(rows) if measure == "MD" else None
    label = wording.SENSITIVITY_LABELS[choice]
    if choice == "all":
        return ""
    if choice == "leave-one-out":
        parts = []
        for oid in rows.index:
            kept = rows.drop(index=oid)
            study = str(rows.loc[oid, "study"])
            if len(kept) >= 2:
                parts.append(wording.left_out(study, _summary(pooling.pool(kept, measure), scale)))
            else:
                only = str(kept["study"].iloc[0])
                parts.append(wording.left_out(study, f"{wording.alone(only)}, {_single(kept, measure, scale)}"))
        return wording.sensitivity_line(label, "; ".join(parts))
    if choice == "rct-only":
        kept = rows[rows["study_kind"].isin(PRIMARY_KINDS)]
    else:
        kept = rows[rows["study_id"].isin(inputs.low_rob)]
        if kept.empty:
            return wording.sensitivity_line(
                label, "no trial in this pool has a published overall low risk-of-bias judgement in the dataset"
            )
    if len(kept) == len(rows):
        return wording.sensitivity_line(label, "every pooled row qualifies; the estimate does not move")
    if len(kept) == 1:
        return wording.sensitivity_line(
            label, f"{wording.alone(str(kept['study'].iloc[0]))}, {_single(kept, measure, scale)}"
        )
    if kept.empty:
        return wording.sensitivity_line(label, "no row qualifies")
    return wording.sensitivity_line(label, _summary(pooling.pool(kept, measure), scale))


def finding(inputs: Inputs, analysis: Mapping[str, object], choice: str = "all") -> Finding:
    # a served analyses table may be the last valid version while the rows it names have changed
    rows, missing = rows_of(inputs, analysis)
    measure = str(analysis["measure"])
    result = pooling.pool(rows, measure)
    scale = _scale(rows) if measure == "MD" else None
    title, outcome = str(analysis["title"]), f"{analysis['outcome']}, {analysis['timepoint_window']}"
    if is_harm(analysis):
        effects = list(rows["effect"].dropna().unique()) if "effect" in rows else []
        named = str(effects[0]) if len(effects) == 1 else HARM_OUTCOME
        outcome = f"{wording.harm_outcome(named)}, {analysis['timepoint_window']}"
    if measure == "MD":
        outcome = f"{outcome} ({scale} points; lower is better)"
    regimens = tuple(sorted({str(r) for r in rows["regimen_id"].dropna()}))
    notes = [wording.POST_HOC] if rows["study_kind"].isin(NOT_PRIMARY).any() else []
    if missing:
        notes.append(wording.missing_rows(missing))
    note = "; ".join(notes)
    if isinstance(result, pooling.NotPooled):
        na = result.reason
        return Finding(
            str(analysis["analysis_id"]),
            title,
            outcome,
            na,
            na,
            na,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            note,
            regimens,
            str(analysis["drug"]),
            _rob_line(inputs, rows),
        )
    rated = grade.certainty(analysis, result)
    needed = ""
    if measure == "MD":
        comparator = drug = wording.SOF_NOT_APPLICABLE
        relative = wording.pooled_estimate(measure, scale, result.estimate, result.low, result.high)
    else:
        risk = result.comparator_risk or 0.0
        # the difference at the assumed risk: risk x (RR - 1) for a ratio, the pooled RD itself for a difference
        diffs = [risk * (x - 1) if measure == "RR" else x for x in (result.estimate, result.low, result.high)]
        needed = wording.number_needed(*diffs, higher_is=HIGHER_IS[str(analysis["outcome"])])
        if measure == "RR":
            a = pooling.absolute(result.estimate, result.low, result.high, risk)
            comparator, drug = wording.per_1000(
                a.comparator_per_1000, a.drug_per_1000, a.drug_low_per_1000, a.drug_high_per_1000
            )
        else:
            per = [round(1000 * (risk + x)) for x in (result.estimate, result.low, result.high)]
            comparator, drug = wording.per_1000(round(1000 * risk), *per)
        relative = wording.pooled_estimate(measure, scale, result.estimate, result.low, result.high)
    hksj = wording.interval_only(measure, result.hksj_low, result.hksj_high)
    if result.hksj_narrower:
        hksj = f"{hksj} ({wording.SOF_HKSJ_NARROWER})"
    prediction = (
        wording.interval_only(measure, result.pi_low, result.pi_high)
        if result.pi_low is not None and result.pi_high is not None
        else result.pi_reason
    )
    reasons = "; ".join(wording.domain_reason(r.domain, r.rating, r.basis, r.reason) for r in rated.ratings)
    return Finding(
        str(analysis["analysis_id"]),
        title,
        outcome,
        comparator,
        drug,
        relative,
        needed,
        hksj,
        wording.heterogeneity(result.i2, result.tau2),
        prediction,
        wording.participants(result.participants, result.k, result.known_sizes),
        wording.certainty_line(rated.overall, rated.missing),
        reasons,
        sensitivity(inputs, rows, measure, choice),
        note,
        regimens,
        str(analysis["drug"]),
        _rob_line(inputs, rows),
    )


def findings(
    inputs: Inputs | None,
    choice: str = "all",
    *,
    drugs: Iterable[str] = (),
    regimen_ids: Iterable[str] = (),
) -> Findings:
    """Every analysis (or those of the chosen drugs / regimens), the first ``FIRST`` apart."""
    if inputs is None:
        return Findings((), (), choice)
    wanted_drugs, wanted_regimens = set(drugs), set(regimen_ids)
    found = []
    for analysis in inputs.analyses.to_dict("records"):
        if wanted_drugs and analysis["drug"] not in wanted_drugs:
            continue
        line = finding(inputs, analysis, choice)
        if wanted_regimens and not wanted_regimens & set(line.regimen_ids):
            continue
        found.append(line)
    return Findings(tuple(found[:FIRST]), tuple(found[FIRST:]), choice)


def line(f: Finding) -> str:
    """One finding on one line, for the printable summary and the comparison's download."""
    parts = [f.relative, f"HKSJ {f.hksj}", f.heterogeneity, f.participants, f"certainty: {f.certainty}"]
    if f.comparator_risk != wording.SOF_NOT_APPLICABLE:
        parts.insert(0, f"{f.drug_risk} against {f.comparator_risk} with the comparator")
        parts.insert(2, f.number_needed)
    if f.sensitivity:
        parts.append(f.sensitivity)
    if f.note:
        parts.append(f.note)
    return "; ".join(parts)


def summary_notes(found: Findings | None) -> tuple[str, ...]:
    """The summary of findings as lines for the printable summary (before the rows)."""
    if found is None:
        return ()
    return tuple(f"Pooled: {f.title}. {f.outcome}: {line(f)}" for f in found.all)
