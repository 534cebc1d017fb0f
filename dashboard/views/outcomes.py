"""The outcomes page's data: benefit rows narrowed by the filters, with the same statistics as the
harms (``dashboard.stats`` through ``views.evidence``: one implementation for NNT and NNH), and a
forest plot per kind of outcome.

A proportion row (response, remission, relapse) gets its difference, ratio and number needed from
its counts; a score-change row keeps the mean difference and interval its source reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import charts, wording
from dashboard.catalog import Frames
from dashboard.filterset import Values
from dashboard.pagespec import MEASURE, SENSITIVITY
from dashboard.schema import HIGHER_IS
from dashboard.schema.outcomes import OUTCOMES_PAGE
from dashboard.views import evidence, scores
from dashboard.views import findings as sof
from dashboard.views.common import Indexed, with_sources, with_studies
from dashboard.views.tablepage import ChartBlock, TableView

HAPPENS = {"response": "respond", "remission": "reach remission", "relapse": "relapse", "score change": ""}
PANELS = {
    "response": "Response (higher is better)",
    "remission": "Remission (higher is better)",
    "relapse": "Relapse (lower is better)",
}


@dataclass(frozen=True)
class Prepared(Indexed):
    """The outcome rows with their filter index, and what the summary of findings pools."""

    pools: sof.Inputs | None = None


def prepare(frames: Frames) -> Prepared:
    outcomes = frames["outcomes"]
    assert outcomes is not None
    sourced = with_studies(with_sources(outcomes, frames["sources"]), frames["studies"])
    sourced["name"] = sourced["study"].astype(str) + ", " + sourced["timepoint"].astype(str)
    table = Indexed.of(sourced, OUTCOMES_PAGE.params)
    return Prepared(table.frame, table.index, table.params, sof.prepare_inputs(frames))


def with_evidence(rows: pd.DataFrame) -> pd.DataFrame:
    """Evidence columns for every row: computed for proportions; as reported for score changes."""
    kinds = rows["outcome"].astype(str)
    out = evidence.add(rows, higher_is=kinds.map(HIGHER_IS).tolist(), drug="drug", happens=kinds.map(HAPPENS).tolist())
    scored = (rows["measure"] != "proportion").to_numpy()
    if not scored.any():
        return out
    scales = rows["scale"] if "scale" in rows else pd.Series(pd.NA, index=rows.index)
    text = [
        wording.reported(d, lo, hi, str(measure), None if pd.isna(scale) else str(scale))
        for d, lo, hi, measure, scale in zip(
            rows["mean_difference"],
            rows["mean_difference_low"],
            rows["mean_difference_high"],
            rows["measure"],
            scales,
            strict=True,
        )
    ]
    out["difference_ci"] = np.where(scored, text, out["difference_ci"])
    out["interval_note"] = np.where(
        scored, np.where(rows["mean_difference"].notna(), wording.REPORTED, wording.NOT_REPORTED), out["interval_note"]
    )
    for column in ("number_needed", "per_100", "ratio_ci", "events_per_arm"):
        out[column] = np.where(scored, "", out[column])
    return out


FOREST: tuple[str, ...] = ("name", "outcome", "drug", "comparator", "drug_pct", "comparator_pct", "events_per_arm")
FOREST += ("difference_ci", "ratio_ci", "number_needed", "per_100", "interval_note", "source_id")


def view(prepared: Prepared, values: Values) -> TableView:
    narrowed = prepared.narrow(values)
    shown = with_evidence(prepared.frame[narrowed.keep])
    proportions = shown[(shown["measure"] == "proportion").to_numpy()]
    panels = proportions.assign(comparison=proportions["outcome"].astype(str).map(PANELS))
    forest = charts.build_forest(
        panels,
        measure=str(values[MEASURE.key]),
        title="Benefit: difference between drug and comparator, with 95% CI",
        label="name",
        group="drug",
        rates=("drug_pct", "comparator_pct"),
    )
    block = ChartBlock(
        "Response, remission and relapse: difference with 95% CI",
        forest,
        proportions,
        "outcomes-intervals",
        "Difference in response, remission or relapse between drug and comparator, with 95% intervals and NNT.",
        FOREST,
        "Only rows whose source gives both group sizes have an interval; the table says why the others do not.",
    )
    scored = score_block(shown)
    pooled = sof.findings(prepared.pools, str(values[SENSITIVITY.key]), drugs=values.get("drug", ()))
    charts_shown = (block,) if scored is None else (block, scored)
    return TableView(narrowed.counts, shown, charts_shown, findings=pooled)


def score_block(shown: pd.DataFrame) -> ChartBlock | None:
    """The score-change forest plot and its table: each reported difference of mean scores with its
    interval, one panel per scale or standardised measure. None when the filters leave no score
    change at all (a page narrowed to response rows shows no empty score chart)."""
    scored = scores.score_rows(shown)
    changes = int((shown["outcome"].astype(str) == "score change").sum())
    if not changes and scored.empty:
        return None
    missing = changes - int((scored["outcome"].astype(str) == "score change").sum())
    left_out = (
        f" {missing} score-change row(s) give no difference between the arms and are only in the table below."
        if missing
        else ""
    )
    return ChartBlock(
        "Score change: difference in depression scores with 95% CI",
        charts.build_scores(scored),
        scored,
        "outcomes-score-change",
        "Difference between drug and comparator in mean depression score, one panel per scale or standardised "
        "measure, with 95% intervals as the sources print them.",
        scores.COLUMNS,
        f"{wording.SCORE_DIRECTION} Each panel has its own unit; a standardised difference is in standard "
        f"deviations, not scale points.{left_out}",
    )
