"""Figure builders: ``build_x(df, ...) -> go.Figure``. Pure functions, one vocabulary (see ``base``)."""

from dashboard.charts.base import MAX_BARS, empty_figure, esc
from dashboard.charts.dosing import build_dose_ranges, build_durations
from dashboard.charts.effects import build_incidence
from dashboard.charts.forest import build_forest
from dashboard.charts.mechanism import build_mechanism_chain, build_mechanism_matrix
from dashboard.charts.scores import build_scores
from dashboard.charts.sources import build_source_usage

__all__ = [
    "MAX_BARS",
    "build_dose_ranges",
    "build_durations",
    "build_forest",
    "build_incidence",
    "build_mechanism_chain",
    "build_mechanism_matrix",
    "build_scores",
    "build_source_usage",
    "empty_figure",
    "esc",
]
