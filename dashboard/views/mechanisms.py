"""The mechanisms page's data: entities narrowed by the filters, the chain of action, the matrix."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.catalog import Frames
from dashboard.filterset import Values
from dashboard.pagespecs import MECHANISMS
from dashboard.views.common import Indexed, with_sources

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


@dataclass(frozen=True)
class MechanismView:
    counts: dict[str, dict[str, int]]
    shown: pd.DataFrame
    edges: pd.DataFrame
    chain_figure: go.Figure
    matrix: pd.DataFrame
    matrix_figure: go.Figure


def view(prepared: Indexed, values: Values) -> MechanismView:
    narrowed = prepared.narrow(values)
    shown = prepared.frame[narrowed.keep]
    edges = chain_edges(shown)
    return MechanismView(
        counts=dict(narrowed.counts),  # type: ignore[arg-type]
        shown=shown,
        edges=edges,
        chain_figure=charts.build_mechanism_chain(edges),
        matrix=shown[MATRIX],
        matrix_figure=charts.build_mechanism_matrix(shown),
    )
