"""The evidence columns and the forest plot: what a clinician reads beside every two-arm row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard.views import evidence

ROWS = pd.DataFrame(
    {
        "effect": ["Dissociation", "Headache", "Dysarthria", "Sedation (MOAA/S)", "Nausea"],
        "body_system": ["psychiatric", "nervous system", "nervous system", "nervous system", "gastrointestinal"],
        "drug": "esketamine",
        "incidence_pct": [41.0, 20.0, 4.0, 49.0, 13.3],
        "incidence_max_pct": [np.nan, np.nan, np.nan, 61.0, np.nan],
        "comparator_pct": [9.0, 17.0, 0.0, np.nan, np.nan],
        "comparator": ["placebo", "placebo", "placebo", None, None],
        "n_drug": [346, 346, 346, np.nan, 203],
        "n_comparator": [222, 222, 222, np.nan, np.nan],
        "events_drug": [142, 70, 15, np.nan, np.nan],
        "events_comparator": [21, 38, 0, np.nan, np.nan],
        "comparison": ["pool A", "pool A", "pool A", "ranges", "cohort B"],
        "study_kind": [*["label pool with comparator"] * 4, "observational"],
        "source_id": "SPR21",
    }
)


@pytest.fixture(scope="module")
def added() -> pd.DataFrame:
    return evidence.add(ROWS)


def test_rows_with_both_arms_get_every_evidence_column(added: pd.DataFrame) -> None:
    first = added.iloc[0]
    assert first["events_per_arm"] == "142/346 vs 21/222"
    assert first["difference_ci"].startswith("+31.6 (")
    assert first["ratio_ci"].startswith("4.34 (")
    assert first["number_needed"] == "NNH 4 (95% CI 3 to 5)"  # 3.2 people, rounded up
    assert first["per_100"] == "about 32 more in every 100"
    assert first["evidence"] == "label pool with comparator"
    assert first["interval_note"] == ""


def test_an_interval_through_zero_is_said_in_words_not_negative_numbers(added: pd.DataFrame) -> None:
    headache = added.iloc[1]
    assert "through infinity" in headache["number_needed"]
    assert "-" not in headache["number_needed"]
    assert headache["difference_ci"].count("−") == 1  # the lower limit is below zero, written with a minus sign


def test_a_zero_cell_ratio_is_adjusted_and_says_so(added: pd.DataFrame) -> None:
    dysarthria = added.iloc[2]
    assert dysarthria["ratio_ci"].endswith("*")
    assert "0.5 added" in dysarthria["interval_note"]
    assert np.isfinite(dysarthria["rr"])


@pytest.mark.parametrize(("row", "reason"), [(3, "no comparator in the source"), (4, "no comparator in the source")])
def test_rows_without_a_comparison_say_why(added: pd.DataFrame, row: int, reason: str) -> None:
    assert added.iloc[row]["interval_note"] == reason
    assert added.iloc[row]["difference_ci"] == ""
    assert added.iloc[row]["number_needed"] == ""
    assert np.isnan(added.iloc[row]["rd_pct"])


def test_missing_comparisons_fall_back_to_source_and_population() -> None:
    frame = pd.DataFrame({"source_id": pd.Categorical(["A", "A", "B"]), "population": pd.Categorical(["p", "p", "q"])})
    assert evidence.with_comparison(frame)["comparison"].astype(str).tolist() == ["A: p", "A: p", "B: q"]
    given = frame.assign(comparison=["named", None, "named"])
    assert evidence.with_comparison(given)["comparison"].astype(str).tolist() == ["named", "A: p", "named"]


def test_the_largest_randomised_comparison_wins_over_a_larger_cohort() -> None:
    rows = ROWS.assign(n_drug=[346, 346, 346, np.nan, 5000])
    assert evidence.largest_randomised(rows) == "pool A"
    assert evidence.largest_randomised(rows[rows["comparison"] == "cohort B"]) is None  # a cohort is not randomised
    facts = evidence.comparison_facts(rows)
    assert evidence.largest_of(["cohort B"], facts) == "cohort B"  # but it is drawn when nothing else matches
    assert evidence.largest_randomised(rows.iloc[0:0]) is None


def test_a_label_pool_without_a_comparator_is_never_the_largest_randomised_comparison() -> None:
    unpooled = pd.DataFrame(
        {
            "comparison": ["anaesthesia label", "cohort B", "small trial"],
            "study_kind": ["label pool without comparator", "observational", "RCT, blinded"],
            "n_drug": [100_000, 200, 20],
            "n_comparator": [np.nan, np.nan, 20],
        }
    )
    assert evidence.largest_randomised(unpooled) == "small trial"
    facts = evidence.comparison_facts(unpooled)
    assert not facts.randomised["anaesthesia label"]
    assert facts.uncompared == {"anaesthesia label"}
    assert evidence.largest_of(["anaesthesia label", "cohort B"], facts) == "cohort B"
    assert evidence.largest_randomised(unpooled.iloc[:2]) is None


def test_the_kind_of_evidence_is_the_studys_never_the_sources() -> None:
    read_in_a_blog = pd.DataFrame({"study_kind": ["RCT, blinded", None], "source_kind": ["secondary summary"] * 2})
    assert evidence.evidence_kind(read_in_a_blog).tolist() == ["RCT, blinded", ""]
    assert evidence.randomised(read_in_a_blog).tolist() == [True, False]


def test_heading_names_the_comparison_its_sizes_and_kind_of_evidence() -> None:
    assert evidence.heading(ROWS.iloc[:3]) == "pool A; n = 346 vs 222; label pool with comparator"


def test_forest_plot_draws_each_interval_around_a_line_at_no_effect(added: pd.DataFrame) -> None:
    fig = charts.build_forest(added)
    trace, *key = fig.data
    assert isinstance(trace, go.Scatter)
    assert [k.name for k in key] == ["95% interval excludes no effect", "95% interval includes no effect"]
    assert [k.marker.symbol for k in key] == ["diamond", "circle-open"]
    shown = added[added["rd_pct"].notna()]
    assert len(trace.x) == len(shown) == 3
    order = charts.forest.forest_order(shown)
    assert list(trace.x) == pytest.approx(order["rd_pct"].tolist())
    assert list(trace.error_x.array) == pytest.approx((order["rd_high_pct"] - order["rd_pct"]).tolist())
    assert list(trace.error_x.arrayminus) == pytest.approx((order["rd_pct"] - order["rd_low_pct"]).tolist())
    assert [s["x0"] for s in fig.layout.shapes] == [0]
    # grouped by body system (in order of appearance), largest difference first within a group:
    # dysarthria (+4.3 points) above headache (+3.1), the first row at the top of the chart
    labels = list(trace.y)
    assert labels == ["psychiatric: Dissociation", "nervous system: Dysarthria", "nervous system: Headache"]
    assert list(fig.layout.yaxis.categoryarray) == labels[::-1]
    # a filled diamond where the interval excludes zero, an open circle where it includes it
    symbols = dict(zip(labels, trace.marker.symbol, strict=True))
    assert symbols["nervous system: Headache"] == "circle-open"
    assert symbols["psychiatric: Dissociation"] == "diamond"
    assert "Difference:" in trace.hovertext[0]
    assert "Source: SPR21" in trace.hovertext[0]


def test_forest_plot_on_the_ratio_scale_is_logarithmic_around_one(added: pd.DataFrame) -> None:
    fig = charts.build_forest(added, measure="ratio")
    assert fig.layout.xaxis.type == "log"
    assert [s["x0"] for s in fig.layout.shapes] == [1]
    assert "Relative risk" in fig.layout.xaxis.title.text


def test_forest_plot_without_any_interval_says_so() -> None:
    fig = charts.build_forest(evidence.add(ROWS.iloc[3:]))
    assert len(fig.data) == 0  # not even the legend key
    assert "no interval" in fig.layout.annotations[0].text
