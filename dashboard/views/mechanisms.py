"""The mechanisms page's data: entities narrowed by the filters, the chain of action, the matrix."""

from __future__ import annotations

import pandas as pd

from dashboard import charts
from dashboard.catalog import Frames
from dashboard.filterset import Values
from dashboard.schema.neurotransmitters import MECHANISMS
from dashboard.views.common import Indexed, with_sources
from dashboard.views.tablepage import ChartBlock, TableView

MATRIX = ["entity", "direction", "confidence", "evidence_in", "source_id"]


def prepare(frames: Frames) -> Indexed:
    mechanism = frames["neurotransmitters"]
    assert mechanism is not None
    return Indexed.of(with_sources(mechanism, frames["sources"]), MECHANISMS.params)


def chain_edges(mechanism: pd.DataFrame) -> pd.DataFrame:
    """The proposed chain of action as (from, to) pairs, from the ``leads_to`` column."""
    if "leads_to" not in mechanism:
        return pd.DataFrame(columns=["entity", "leads_to", "confidence", "source_id"])
    edges = mechanism[mechanism["leads_to"].notna()]
    return edges[["entity", "leads_to", "confidence", "source_id"]].reset_index(drop=True)


def view(prepared: Indexed, values: Values) -> TableView:
    narrowed = prepared.narrow(values)
    shown = prepared.frame[narrowed.keep]
    edges = chain_edges(shown)
    chain = ChartBlock(
        "The proposed chain of action",
        charts.build_mechanism_chain(edges),
        edges,
        "mechanism-chain",
        "Steps of the proposed chain of action, with the confidence and source of each step.",
    )
    matrix = ChartBlock(
        "Direction and confidence, entity by entity",
        charts.build_mechanism_matrix(shown),
        shown[MATRIX],
        "mechanism-matrix",
        "Each entity with ketamine's direction of effect, the confidence and the evidence base.",
    )
    return TableView(narrowed.counts, shown, (chain, matrix), summary_chart=1)
