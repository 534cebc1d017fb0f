"""Figure builders, asserted on the figure object: trace types and counts, data, axis titles, empties."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard.catalog import load_catalog
from dashboard.charts.base import TOOLS_PX, distinct, unique_labels, wrap
from dashboard.views import effects as effect_views
from dashboard.views import mechanisms as mechanism_views
from dashboard.views import sources as source_views
from dashboard.views.common import with_sources
from dashboard.views.dosing import timed
from tests.conftest import DATA


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    catalog = load_catalog(DATA)
    out = {name: state.frame for name, state in catalog.tables.items()}
    assert all(frame is not None for frame in out.values())
    return out  # type: ignore[return-value]


def regimens(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return with_sources(tables["dosing_regimens"], tables["sources"])


def test_dose_ranges_one_panel_per_unit_and_one_trace_per_source_kind(tables: dict[str, pd.DataFrame]) -> None:
    frame = regimens(tables)
    fig = charts.build_dose_ranges(frame)
    assert {type(t) for t in fig.data} == {go.Scatter}
    assert fig.layout.xaxis.title.text == "Dose (mg/kg)"
    assert fig.layout.xaxis2.title.text == "Dose (mg)"
    names = [t.name for t in fig.data if t.showlegend is not False]
    assert sorted(names) == sorted(set(frame["source_kind"]))
    article = next(t for t in fig.data if t.name == "clinic article")
    assert [x for x in article.x if x is not None] == [0.5, 2.0]
    assert article.line.dash == "dot"
    assert "CLINIC-ARTICLE" in article.hovertext[0]


def test_durations_set_the_article_beside_the_40_minute_protocol(tables: dict[str, pd.DataFrame]) -> None:
    fig = charts.build_durations(timed(regimens(tables)))
    assert fig.layout.xaxis.title.text == "Administration time (minutes)"
    by_kind = {t.name: [x for x in t.x if x is not None] for t in fig.data}
    assert by_kind["clinic article"] == [120.0, 240.0]
    assert 40.0 in by_kind["trial"]
    assert "minutes" in fig.layout.title.text


@pytest.mark.parametrize("build", ["dose", "time"])
def test_regimen_rows_are_labelled_above_their_rows_at_a_phones_width(
    build: str, tables: dict[str, pd.DataFrame]
) -> None:
    """A phone keeps the plot's whole width: no tick labels beside the rows (they were cut at the
    left), one label above each regimen's row, wrapped to a phone's width; the title wraps too."""
    frame = regimens(tables)
    fig = charts.build_dose_ranges(frame) if build == "dose" else charts.build_durations(timed(frame))
    rows = len(frame) if build == "dose" else len(timed(frame))
    labels = [a for a in fig.layout.annotations if a.yref != "paper"]
    assert len(labels) == rows
    assert all(max(len(line) for line in a.text.split("<br>")) <= 44 for a in labels)
    for name in ("yaxis", "yaxis2") if build == "dose" else ("yaxis",):
        assert fig.layout[name].showticklabels is False
    assert max(len(line) for line in fig.layout.title.text.split("<br>")) <= 32
    drawn = {y for t in fig.data for y in t.y if y is not None}
    assert {a.text.replace("<br>", " ") for a in labels} == drawn


TRD_POOL = "Spravato US label: TRD short-term pool (ages 18-64), esketamine + oral AD vs placebo + oral AD"
MDSI_POOL = "Spravato US label: MDSI short-term pool, esketamine + oral AD vs placebo + oral AD"


def test_incidence_groups_drug_and_comparator(tables: dict[str, pd.DataFrame]) -> None:
    effects = effect_views.sort_effects(effect_views.with_difference(tables["side_effects"]), "rate")
    acute = effects[(effects["timeframe"] == "acute") & (effects["comparison"] == TRD_POOL)]
    acute = acute[acute["source_id"] == "SPR21"].dropna(subset=["incidence_pct", "comparator_pct"])
    fig = charts.build_incidence(acute)
    assert [type(t) for t in fig.data] == [go.Bar, go.Bar]
    assert fig.layout.barmode == "group"
    drug, comparator = fig.data
    assert list(drug.x) == acute["incidence_pct"].tolist()
    assert list(comparator.x) == acute["comparator_pct"].tolist()
    assert drug.y[0] == "Dissociation"
    assert drug.x[0] == 41
    assert fig.layout.xaxis.title.text == "Patients with the effect (%)"
    assert "SPR21" in drug.hovertext[0]
    # the comparator is drawn in its colour with the hatch on top, not as a white hatch on white
    assert comparator.marker.color == charts.base.BLUE
    assert comparator.marker.pattern.fillmode == "overlay"
    assert comparator.marker.pattern.fgcolor != comparator.marker.color
    assert drug.marker.pattern.shape is None


def test_each_comparison_gets_its_own_panel_and_heading(tables: dict[str, pd.DataFrame]) -> None:
    effects = effect_views.sort_effects(effect_views.with_difference(tables["side_effects"]), "rate")
    two = effects[effects["comparison"].isin([TRD_POOL, MDSI_POOL]) & effects["incidence_pct"].notna()]
    fig = charts.build_incidence(two, headings={TRD_POOL: "TRD pool heading", MDSI_POOL: "MDSI pool heading"})
    assert len(fig.data) == 4  # drug and comparator bars for each comparison
    assert {t.yaxis for t in fig.data} == {"y", "y2"}
    assert [a.text for a in fig.layout.annotations if a.yref == "paper"] == ["TRD pool heading", "MDSI pool heading"]
    first, second = fig.data[0].y, fig.data[2].y
    assert len(first) + len(second) == len(two)
    assert "Nausea" in first  # the same effect in two comparisons is never one row
    assert "Nausea" in second


def test_every_row_is_labelled_once_just_above_its_own_row(tables: dict[str, pd.DataFrame]) -> None:
    """Row labels sit above their rows (the plot keeps the phone's whole width): each row of each
    panel has one label, on that panel's axis, at that row's place, wrapped to a phone's width."""
    effects = effect_views.sort_effects(effect_views.with_difference(tables["side_effects"]), "rate")
    two = effects[effects["comparison"].isin([TRD_POOL, MDSI_POOL]) & effects["incidence_pct"].notna()]
    fig = charts.build_incidence(two, headings={TRD_POOL: "TRD pool heading", MDSI_POOL: "MDSI pool heading"})
    labels = [a for a in fig.layout.annotations if a.yref != "paper"]
    assert len(labels) == len(two)
    for trace in fig.data[::2]:  # one trace per arm: the drug's carries every row of its panel
        axis = fig.layout["yaxis" if trace.yaxis == "y" else f"yaxis{trace.yaxis[1:]}"]
        assert axis.showticklabels is False
        order = list(axis.categoryarray)
        mine = {a.text.replace("<br>", " "): a for a in labels if a.yref == trace.yaxis}
        assert set(mine) == set(trace.y)
        for row in trace.y:
            # on the top edge of its row's bars, which are grouped about the row and take 1 - bargap of it
            assert mine[row].y == pytest.approx(order.index(row) + (1 - fig.layout.bargap) / 2)
            assert mine[row].yanchor == "bottom"
            assert mine[row].yshift > 0
            assert max(len(line) for line in mine[row].text.split("<br>")) <= 44


def test_incidence_sorted_by_difference(tables: dict[str, pd.DataFrame]) -> None:
    effects = effect_views.with_difference(tables["side_effects"])
    pool = effects[(effects["source_id"] == "SPR21") & (effects["timeframe"] == "acute")]
    ordered = effect_views.sort_effects(pool, "difference").dropna(subset=["difference_pct"])
    assert ordered["difference_pct"].is_monotonic_decreasing
    assert ordered["effect"].iloc[0] == "Dissociation"


def test_incidence_caps_bars_and_says_so() -> None:
    many = pd.DataFrame(
        {
            "effect": [f"e{i}" for i in range(500)],
            "drug": "esketamine",
            "incidence_pct": 5.0,
            "comparator_pct": 1.0,
            "comparator": "placebo",
            "population": "p",
            "source_id": "X",
        }
    )
    fig = charts.build_incidence(many)
    assert len(fig.data[0].x) == charts.MAX_BARS
    assert f"first {charts.MAX_BARS} of 500 rows" in fig.layout.title.text.replace("<br>", " ")


def test_mechanism_chain_is_a_sankey_of_the_leads_to_links(tables: dict[str, pd.DataFrame]) -> None:
    edges = mechanism_views.chain_edges(tables["neurotransmitters"])
    fig = charts.build_mechanism_chain(edges)
    (sankey,) = fig.data
    assert isinstance(sankey, go.Sankey)
    assert len(sankey.link.source) == len(edges) >= 5
    assert "AMPA receptor" in sankey.node.label


def test_mechanism_chain_runs_top_to_bottom_with_names_a_phone_can_hold(tables: dict[str, pd.DataFrame]) -> None:
    """Left to right, nine steps left a 390 px phone a sliver each and names ran off the edge."""
    edges = mechanism_views.chain_edges(tables["neurotransmitters"])
    (sankey,) = charts.build_mechanism_chain(edges).data
    assert sankey.orientation == "v"
    lines = [line for label in sankey.node.label for line in label.split("<br>")]
    assert max(len(line) for line in lines) <= len("hydroxynorketamine")
    assert "(2R,6R)-<br>hydroxynorketamine" in sankey.node.label  # broken after its hyphen, not mid-word
    assert list(sankey.node.customdata) == list(dict.fromkeys([*edges["entity"], *edges["leads_to"]]))  # hover: whole


def test_mechanism_chain_is_as_tall_as_its_longest_run_of_steps() -> None:
    def edges(pairs: list[tuple[str, str]]) -> pd.DataFrame:
        return pd.DataFrame(
            [{"entity": a, "leads_to": b, "confidence": "probable", "source_id": "S"} for a, b in pairs]
        )

    short = charts.build_mechanism_chain(edges([("A", "B"), ("C", "B")]))
    long = charts.build_mechanism_chain(edges([("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")]))
    looped = charts.build_mechanism_chain(edges([("A", "B"), ("B", "A")]))  # a cycle still draws
    assert short.layout.height < long.layout.height
    assert looped.layout.height >= short.layout.height


def test_mechanism_matrix_names_the_direction_by_shape_and_in_each_label(tables: dict[str, pd.DataFrame]) -> None:
    mechanism = tables["neurotransmitters"]
    fig = charts.build_mechanism_matrix(mechanism)
    assert all(isinstance(t, go.Scatter) and t.mode == "markers" for t in fig.data)
    assert sum(len(t.y) for t in fig.data) == len(mechanism)
    labels = [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    for entity, direction in zip(mechanism["entity"], mechanism["direction"], strict=True):
        assert f"{entity}: {direction}" in labels  # above its row, not floating past the plot's edge
    symbols = {y: s for t in fig.data for y, s in zip(t.y, t.marker.symbol, strict=True)}
    assert symbols["NMDA receptor: block"] == "x"
    assert fig.layout.xaxis.title.text == "Confidence in the finding"


@pytest.mark.parametrize(
    ("text", "hyphens", "lines"),
    [
        ("Proposed chain of action (link shade = confidence of the step)", False, 2),
        ("(2R,6R)-hydroxynorketamine", False, 1),  # a long word stays whole
        ("(2R,6R)-hydroxynorketamine", True, 2),
        ("5-HT1B", True, 1),  # a hyphen before a digit is no break point
    ],
)
def test_wrap_breaks_at_spaces_and_only_where_asked_after_hyphens(text: str, hyphens: bool, lines: int) -> None:
    wrapped = wrap(text, 14 if hyphens else 32, hyphens=hyphens)
    assert wrapped.count("<br>") + 1 == lines
    assert wrapped.replace("<br>", " " if not hyphens else "").replace(" ", "") == text.replace(" ", "")


def test_titles_wider_than_a_phone_wrap_and_sit_lower(tables: dict[str, pd.DataFrame]) -> None:
    """Plotly lifts a title of several lines; its first line was cut at the chart's top edge."""
    fig = charts.build_mechanism_matrix(tables["neurotransmitters"])
    assert max(len(line) for line in fig.layout.title.text.split("<br>")) <= 32
    assert "<br>" in fig.layout.title.text
    one_line = charts.build_mechanism_chain(tables["neurotransmitters"].iloc[0:0]).layout.title.pad.t
    assert fig.layout.title.pad.t > one_line
    assert one_line == 12 + TOOLS_PX  # below the strip kept for plotly's tool bar


def test_source_usage_counts_rows(tables: dict[str, pd.DataFrame]) -> None:
    cited = {k: v for k, v in tables.items() if k != "sources"}
    usage = source_views.source_usage(tables["sources"], source_views.citations(tables["sources"], cited))
    fig = charts.build_source_usage(usage)
    total = sum(sum(t.x) for t in fig.data)
    cited = usage.loc[usage["rows_citing"] > 0, "rows_citing"].sort_values(ascending=False)
    assert total == cited.head(charts.MAX_BARS).sum()
    title = fig.layout.title.text.replace("<br>", " ")
    assert (len(cited) > charts.MAX_BARS) == (f"first {charts.MAX_BARS} of {len(cited)} sources" in title)
    assert fig.layout.xaxis.title.text == "Rows citing (count)"
    short = charts.build_source_usage(usage, bars=15)
    assert sorted((x for t in short.data for x in t.x), reverse=True) == cited.head(15).tolist()
    assert f"first 15 of {len(cited)} sources" in short.layout.title.text.replace("<br>", " ")
    assert short.layout.height < fig.layout.height
    assert short.layout.xaxis.range[1] >= 1.2 * cited.max()  # the top bar's count is not clipped
    patterned = [t for t in fig.data if t.marker.pattern.shape]
    assert patterned
    assert all(t.marker.pattern.fillmode == "overlay" for t in patterned)  # the fill stays under the lines


@pytest.mark.parametrize(
    "build",
    [
        charts.build_dose_ranges,
        charts.build_durations,
        charts.build_incidence,
        charts.build_mechanism_chain,
        charts.build_mechanism_matrix,
        charts.build_source_usage,
    ],
)
def test_empty_frame_gives_an_annotated_empty_figure(build: object, tables: dict[str, pd.DataFrame]) -> None:
    empties = {
        charts.build_dose_ranges: regimens(tables).iloc[0:0],
        charts.build_durations: regimens(tables).iloc[0:0],
        charts.build_incidence: tables["side_effects"].iloc[0:0],
        charts.build_mechanism_chain: mechanism_views.chain_edges(tables["neurotransmitters"]).iloc[0:0],
        charts.build_mechanism_matrix: tables["neurotransmitters"].iloc[0:0],
        charts.build_source_usage: source_views.source_usage(tables["sources"], {}).iloc[0:0],
    }
    fig = empties and build(empties[build])  # type: ignore[operator,index]
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text.startswith("No ")


def test_csv_text_is_inert_in_every_label() -> None:
    hostile = '<a href="https://evil.example">x</a><img src=x onerror=alert(1)>'
    effects = pd.DataFrame(
        {
            "effect": [hostile],
            "drug": [hostile],
            "incidence_pct": [5.0],
            "comparator_pct": [1.0],
            "comparator": [hostile],
            "population": [hostile],
            "source_id": [hostile],
        }
    )
    spec = json.dumps(charts.build_incidence(effects).to_plotly_json(), default=str)
    assert "<a href" not in spec
    assert "<img" not in spec
    assert "&lt;a href" in spec


def test_axis_labels_stay_distinct_so_no_row_hides_another() -> None:
    assert distinct(["Nausea", "Nausea", "Dizziness", "Nausea"]) == ["Nausea", "Nausea (2)", "Dizziness", "Nausea (3)"]
    rows = pd.DataFrame({"effect": ["Nausea", "Nausea", "Nausea"], "study": ["SPR19", "ROD22", "SPR19"]})
    assert unique_labels(rows, "effect", ["study"]) == ["Nausea · SPR19", "Nausea · ROD22", "Nausea · SPR19 (2)"]
