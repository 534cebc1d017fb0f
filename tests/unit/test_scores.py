"""Score changes on the Outcomes page: which rows the forest plot draws, in which panel and order,
with which interval and direction, and the table beside it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts, filterset, wording
from dashboard.catalog import Catalog, load_catalog
from dashboard.charts import scores as chart
from dashboard.pagespecs import OUTCOMES_PAGE
from dashboard.views import outcomes, scores
from tests.conftest import DATA


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DATA)


def rows() -> pd.DataFrame:
    """Six rows: MADRS and HDRS mean differences, an SMD, one without an interval, one without an
    estimate, and a response row (not a score change)."""
    return pd.DataFrame(
        {
            "outcome_id": ["k-madrs-d7", "e-madrs-d28", "k-madrs-24h", "k-hdrs", "k-smd", "k-none", "k-resp"],
            "study": ["Trial K", "Trial E", "Trial K", "Trial H", "Review R", "Trial N", "Trial K"],
            "drug": ["racemic ketamine", "esketamine", *["racemic ketamine"] * 5],
            "outcome": ["score change"] * 6 + ["response"],
            "measure": ["MD", "MD", "MD", "MD", "SMD", "MD", "proportion"],
            "scale": ["MADRS", "MADRS", "MADRS", "HDRS", "MADRS", "HAM-D-6", "MADRS"],
            "timepoint": ["day 7", "day 28", "24 h after infusion", "day 1", "24 h", "day 3", "day 1"],
            "comparator": "placebo",
            "definition": "change from baseline",
            "mean_difference": [-2.0, -4.0, -7.9, 1.5, -0.87, np.nan, np.nan],
            "mean_difference_low": [-5.0, -7.3, -12.7, np.nan, -1.26, np.nan, np.nan],
            "mean_difference_high": [1.0, -0.6, -3.2, np.nan, -0.48, np.nan, np.nan],
            "evidence": "RCT, blinded",
            "source_id": ["S1", "S2", "S1", "S3", "S4", "S5", "S1"],
        }
    )


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("24 h after first dose", 24.0),
        ("day 28", 672.0),
        ("4 weeks (day 28)", 672.0),
        ("days 1-3 after infusion", 24.0),
        ("end of 3-week initial treatment phase", 504.0),
        ("12 months after last treatment", 8760.0),
        ("week 8", 1344.0),
        ("within 72 h after infusion", 72.0),
    ],
)
def test_a_timepoint_reads_as_hours_from_the_first_time_it_names(text: str, hours: float) -> None:
    assert scores.timepoint_hours(text) == hours


@pytest.mark.parametrize("text", ["end of treatment", "after a single infusion", None])
def test_a_timepoint_without_a_time_sorts_last(text: object) -> None:
    assert math.isnan(scores.timepoint_hours(text))


def test_score_rows_keep_only_reported_differences_one_panel_per_unit() -> None:
    found = scores.score_rows(rows())
    # the response row and the score change without an estimate are left out
    assert set(found["outcome_id"]) == {"k-madrs-d7", "e-madrs-d28", "k-madrs-24h", "k-hdrs", "k-smd"}
    panels = dict(zip(found["outcome_id"], found["panel"], strict=True))
    assert panels["k-madrs-d7"] == panels["e-madrs-d28"] == "MADRS points (mean difference)"
    assert panels["k-hdrs"] == "HDRS points (mean difference)"
    # an SMD on MADRS is in standard deviations, never in MADRS points
    assert panels["k-smd"] == "SMD, in standard deviations"
    assert "points" not in panels["k-smd"]


def test_score_rows_are_ordered_by_panel_then_drug_then_time() -> None:
    found = scores.score_rows(rows())
    # MADRS (3 rows) before HDRS (1 row), both before the SMD; esketamine before racemic ketamine;
    # within a drug, 24 h before day 7
    assert found["outcome_id"].tolist() == ["e-madrs-d28", "k-madrs-24h", "k-madrs-d7", "k-hdrs", "k-smd"]


def test_score_rows_say_the_estimate_and_which_way_it_points() -> None:
    found = scores.score_rows(rows()).set_index("outcome_id")
    assert found.loc["k-madrs-24h", "estimate_ci"] == "−7.90 (−12.70 to −3.20) MADRS points"
    assert found.loc["k-madrs-24h", "favours"] == wording.FAVOURS_DRUG
    assert found.loc["k-madrs-d7", "favours"] == wording.NO_CLEAR_DIFFERENCE
    assert found.loc["k-hdrs", "favours"] == wording.NO_INTERVAL
    assert found.loc["k-hdrs", "estimate_ci"] == "+1.50 (no interval printed) HDRS points"
    assert found.loc["k-smd", "estimate_ci"] == "SMD −0.87 (−1.26 to −0.48)"
    assert not found.loc["k-hdrs", "has_interval"]


@pytest.mark.parametrize(
    ("estimate", "words"),
    [
        ((-4.0, -7.3, -0.6), wording.FAVOURS_DRUG),
        ((3.0, 0.5, 5.5), wording.FAVOURS_COMPARATOR),
        ((-3.6, -7.2, 0.07), wording.NO_CLEAR_DIFFERENCE),
        ((-1.0, np.nan, np.nan), wording.NO_INTERVAL),
        ((np.nan, np.nan, np.nan), ""),
    ],
)
def test_which_way_a_score_difference_points(estimate: tuple[float, float, float], words: str) -> None:
    assert wording.favours(*estimate) == words


def test_no_score_rows_gives_an_empty_frame_and_a_figure_that_says_so() -> None:
    none = scores.score_rows(rows().iloc[5:])
    assert none.empty
    fig = charts.build_scores(none)
    assert len(fig.data) == 0
    assert "reports a difference" in fig.layout.annotations[0].text


def points(fig: go.Figure) -> list[go.Scatter]:
    """The traces that draw rows (the legend key's traces draw nothing)."""
    return [t for t in fig.data if t.x is not None and any(x is not None for x in t.x)]


def test_the_forest_draws_one_panel_per_unit_with_each_interval() -> None:
    found = scores.score_rows(rows())
    fig = charts.build_scores(found)
    drawn = points(fig)
    assert len(drawn) == 3  # MADRS points, HDRS points, SMD
    # Wrapped short enough to end inside the figure beside the long row labels (lines joined here).
    panels = [a.text for a in fig.layout.annotations if a.yref == "paper"]  # the others label rows
    assert all(len(line) <= 36 for text in panels for line in text.split("<br>"))
    headings = [text.replace("<br>", " ") for text in panels]
    assert headings == [
        "MADRS points (mean difference): below 0 favours the drug",
        "HDRS points (mean difference): below 0 favours the drug",
        "SMD, in standard deviations: below 0 favours the drug",
    ]
    madrs, hdrs, smd = drawn
    assert list(madrs.x) == pytest.approx([-4.0, -7.9, -2.0])
    assert list(madrs.error_x.array) == pytest.approx([3.4, 4.7, 3.0])
    assert list(madrs.error_x.arrayminus) == pytest.approx([3.3, 4.8, 3.0])
    assert list(madrs.marker.symbol) == ["diamond", "diamond", "circle-open"]
    assert list(madrs.y) == [
        "esketamine: Trial E, day 28",
        "racemic ketamine: Trial K, 24 h after infusion",
        "racemic ketamine: Trial K, day 7",
    ]
    # the first row at the top of its panel
    assert list(fig.layout.yaxis.categoryarray) == list(madrs.y)[::-1]
    # no interval printed: the estimate alone, drawn as a cross
    assert list(hdrs.x) == [1.5]
    assert list(hdrs.error_x.array) == [None]
    assert list(hdrs.marker.symbol) == ["x-thin-open"]
    assert list(smd.x) == pytest.approx([-0.87])
    # each panel on its own axis, a dashed line at 0 in each, 0 never on the edge
    assert [t.xaxis for t in drawn] == ["x", "x2", "x3"]
    assert [s["x0"] for s in fig.layout.shapes] == [0.0, 0.0, 0.0]
    low, high = fig.layout.xaxis3.range
    assert low < -1.26
    assert high > 0
    assert fig.layout.xaxis3.title.text.replace("<br>", " ") == wording.SCORE_AXIS  # wrapped to a phone
    assert "favours drug" in wording.SCORE_AXIS
    assert [t.name for t in fig.data if t not in drawn] == [words for _, words in chart.KEY]
    assert "Source: S2" in madrs.hovertext[0]
    assert "favours the drug" in madrs.hovertext[0]


def test_the_forest_keeps_csv_text_inert() -> None:
    hostile = rows().assign(study="<a href='x'>Trial</a>")
    fig = charts.build_scores(scores.score_rows(hostile))
    labels = [y for t in points(fig) for y in t.y]
    assert all("<a" not in y for y in labels)
    assert all("<a href" not in h for t in points(fig) for h in t.hovertext)


def test_the_outcomes_view_has_a_score_change_block_beside_the_proportions(catalog: Catalog) -> None:
    prepared = outcomes.prepare(catalog.frames(OUTCOMES_PAGE.tables))
    view = outcomes.view(prepared, filterset.Values(filterset.defaults(OUTCOMES_PAGE.params)))
    proportions, block = view.charts
    assert (proportions.data["measure"] == "proportion").all()
    assert block.heading == "Score change: difference in depression scores with 95% CI"
    shown = view.shown
    expected = shown[shown["measure"].isin(scores.MEASURES) & shown["mean_difference"].notna()]
    assert set(block.data["outcome_id"]) == set(expected["outcome_id"]) != set()
    assert block.columns is not None
    assert set(block.columns) <= set(block.data.columns)
    # every panel holds one unit: a standardised difference never sits in a points panel
    for panel, part in block.data.groupby("panel"):
        assert part["measure"].nunique() == 1
        if part["measure"].iloc[0] != "MD":
            assert "points" not in str(panel)
            assert not part["estimate_ci"].str.contains("points").any()
        else:
            assert part["scale"].nunique() == 1
            assert str(panel).startswith(str(part["scale"].iloc[0]))
    drawn = points(block.figure)
    assert sum(len(t.x) for t in drawn) == len(block.data)
    assert len(drawn) == block.data["panel"].nunique()
    # rows the chart cannot draw are counted in the caption
    unmeasured = int(((shown["outcome"] == "score change") & shown["mean_difference"].isna()).sum())
    assert f"{unmeasured} score-change row(s) give no difference" in block.caption
    assert wording.SCORE_DIRECTION in block.caption


def test_the_score_change_block_follows_the_drug_filter(catalog: Catalog) -> None:
    prepared = outcomes.prepare(catalog.frames(OUTCOMES_PAGE.tables))
    chosen = filterset.Values(filterset.defaults(OUTCOMES_PAGE.params) | {"drug": ("esketamine",)})
    _, block = outcomes.view(prepared, chosen).charts
    assert set(block.data["drug"]) == {"esketamine"}
    assert not block.data.empty


def test_a_view_without_score_changes_has_no_score_chart(catalog: Catalog) -> None:
    prepared = outcomes.prepare(catalog.frames(OUTCOMES_PAGE.tables))
    chosen = filterset.Values(filterset.defaults(OUTCOMES_PAGE.params) | {"outcome": ("response",)})
    (forest,) = outcomes.view(prepared, chosen).charts
    assert (forest.data["measure"] == "proportion").all()


def test_score_changes_without_any_estimate_keep_the_block_and_say_why() -> None:
    shown = rows().iloc[5:6]  # one score change whose source gives no difference
    block = outcomes.score_block(shown)
    assert block is not None
    assert block.data.empty
    assert "1 score-change row(s) give no difference" in block.caption
    assert "reports a difference" in block.figure.layout.annotations[0].text
