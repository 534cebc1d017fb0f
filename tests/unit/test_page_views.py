"""Every decision a page shows is a pure function of its tables and filter values: tested here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import charts, filterset
from dashboard.catalog import Catalog, load_catalog
from dashboard.pagespecs import (
    ARTICLE,
    ARTICLE_CHART,
    BARS,
    DOSING,
    MEASURE,
    MECHANISMS,
    OVERVIEW,
    PAGES,
    SIDE_EFFECTS_PAGE,
    SORT,
    SOURCES_PAGE,
)
from dashboard.schema.side_effects import CHART, CHARTS
from dashboard.views import dosing, effects, mechanisms, overview, sources, status
from tests.conftest import DATA


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DATA)


def defaults(params: tuple[object, ...], **chosen: object) -> filterset.Values:
    return filterset.Values(filterset.defaults(params) | chosen)  # type: ignore[arg-type]


def test_side_effect_sections_split_by_timeframe_and_keep_only_rated_rows(catalog: Catalog) -> None:
    prepared = effects.prepare(catalog.frames(SIDE_EFFECTS_PAGE.tables))
    view = effects.view(prepared, defaults(SIDE_EFFECTS_PAGE.params))
    frame = prepared.frame
    assert [s.timeframe for s in view.sections] == ["acute", "repeated use"]
    for section in view.sections:
        top = section.selection.top
        assert set(top["timeframe"]) == {section.timeframe}
        assert top["incidence_pct"].notna().all()
        assert not section.chosen
        assert len(section.comparisons) == 1
        assert set(top["comparison"]) == set(section.comparisons)
        shown = (frame["timeframe"] == section.timeframe) & frame["incidence_pct"].notna()
        assert section.selection.total == int((shown & (frame["comparison"] == section.comparisons[0])).sum())
        assert section.others == frame.loc[shown, "comparison"].nunique() - 1
        assert top["incidence_pct"].is_monotonic_decreasing
    assert view.sections[0].comparisons[0].startswith("Spravato US label: TRD short-term pool")
    assert view.sections[1].comparisons[0].startswith("SUSTAIN-1")
    assert set(view.long_term.top["timeframe"]) == {"long-term"}
    assert view.total == len(frame)
    everything = effects.every_row(prepared, view, defaults(SIDE_EFFECTS_PAGE.params))
    assert everything.total == len(frame)
    assert len(everything.top) == min(len(frame), effects.MAX_ROWS)
    assert {"difference_ci", "number_needed", "per_100"} <= set(everything.top.columns)
    assert view.summary_figure is view.sections[0].forest


def test_a_side_effect_chart_draws_its_first_15_rows_until_all_are_asked_for(catalog: Catalog) -> None:
    prepared = effects.prepare(catalog.frames(SIDE_EFFECTS_PAGE.tables))
    short = effects.view(prepared, defaults(SIDE_EFFECTS_PAGE.params)).sections[0]
    every = effects.view(prepared, defaults(SIDE_EFFECTS_PAGE.params, bars="all")).sections[0]
    assert BARS.limits == (15, charts.MAX_BARS)
    assert 15 < every.selection.total == short.selection.total <= charts.MAX_BARS
    assert len(short.selection.top) == 15
    assert short.selection.top["effect"].tolist() == every.selection.top["effect"].head(15).tolist()
    drawn = [y for t in short.figure.data if t.type == "bar" for y in t.y]
    assert len(set(drawn)) == 15
    for figure in (short.figure, short.forest):
        assert f"first 15 of {short.selection.total} rows" in figure.layout.title.text.replace("<br>", " ")
    assert "first" not in every.figure.layout.title.text
    assert short.figure.layout.height < every.figure.layout.height / 1.5


@pytest.mark.parametrize(
    ("chosen", "offered"),
    [
        ({}, (CHART, SORT, BARS, CHARTS)),
        ({"chart": "differences"}, (CHART, SORT, BARS, MEASURE, CHARTS)),
        ({"timeframe": ("acute",)}, (CHART, SORT, BARS)),
    ],
)
def test_side_effects_offer_only_the_chart_settings_that_change_something(
    catalog: Catalog, chosen: dict[str, object], offered: tuple[object, ...]
) -> None:
    prepared = effects.prepare(catalog.frames(SIDE_EFFECTS_PAGE.tables))
    values = defaults(SIDE_EFFECTS_PAGE.params, **chosen)
    assert effects.controls(effects.view(prepared, values), values) == offered


def test_a_limit_reads_its_own_options() -> None:
    assert BARS.limit("first 15") == 15
    assert BARS.limit("all") == charts.MAX_BARS
    assert BARS.limit("nonsense") == 15  # a link's unknown value draws the short chart
    assert BARS.parse(["all"], ()) == ("all", 0)
    assert BARS.parse(["999"], ()) == ("first 15", 1)


def test_chosen_comparisons_are_drawn_side_by_side(catalog: Catalog) -> None:
    prepared = effects.prepare(catalog.frames(SIDE_EFFECTS_PAGE.tables))
    names = [c for c in prepared.options["comparison"] if c.startswith("Spravato US label: ") and "pool" in c]
    view = effects.view(prepared, defaults(SIDE_EFFECTS_PAGE.params, comparison=tuple(names)))
    acute = view.sections[0]
    assert acute.chosen
    assert set(acute.comparisons) == set(names)
    assert set(acute.selection.top["comparison"]) == set(names)
    assert "chosen in the Comparison filter" in effects.drawn_words(acute)


def test_sorting_by_difference_puts_the_largest_gap_first(catalog: Catalog) -> None:
    prepared = effects.prepare(catalog.frames(SIDE_EFFECTS_PAGE.tables))
    view = effects.view(prepared, defaults(SIDE_EFFECTS_PAGE.params, sort="difference"))
    gaps = view.sections[0].selection.top["difference_pct"].dropna()
    assert gaps.is_monotonic_decreasing
    assert gaps.iloc[0] == pytest.approx(gaps.max())


def test_top_rows_pick_the_highest_without_sorting_everything() -> None:
    frame = pd.DataFrame({"incidence_pct": [5.0, 50.0, np.nan, 20.0, 40.0], "comparator_pct": 1.0})
    chosen = effects.top_rows(effects.with_difference(frame), np.array([True, True, True, False, True]), "rate", 2)
    assert chosen.total == 4
    assert chosen.top["incidence_pct"].tolist() == [50.0, 40.0]


def test_a_filter_with_no_match_gives_empty_sections(catalog: Catalog) -> None:
    prepared = effects.prepare(catalog.frames(SIDE_EFFECTS_PAGE.tables))
    view = effects.view(prepared, defaults(SIDE_EFFECTS_PAGE.params, q="no-such-effect-anywhere"))
    assert view.total == 0
    assert view.sections == ()
    assert view.summary_figure is None


@pytest.mark.parametrize(
    "chosen",
    [{}, {"system": ("cardiovascular",)}, {"q": "dissociation"}, {"q": "blood pressure", "timeframe": ("acute",)}],
    ids=["none", "facet", "search", "search-and-facet"],
)
def test_the_table_of_every_row_takes_the_views_matches_which_are_the_filters_own(
    catalog: Catalog, chosen: dict[str, object]
) -> None:
    """The table of every row picks from the rows the view matched (not filtering again): they must
    be exactly the rows the filters give, and the table the same as filtering again would give."""
    prepared = effects.prepare(catalog.frames(SIDE_EFFECTS_PAGE.tables))
    values = defaults(SIDE_EFFECTS_PAGE.params, **chosen)
    view = effects.view(prepared, values)
    keep = view.keep(len(prepared.frame))
    assert keep.dtype == bool
    assert np.array_equal(keep, filterset.mask(prepared.index, values, prepared.params))
    assert int(keep.sum()) == view.total > 0
    shown = effects.every_row(prepared, view, values)
    assert shown.total == view.total
    again = effects.rows(prepared, values).head(effects.MAX_ROWS)
    assert shown.top["effect"].tolist() == again["effect"].tolist()
    assert shown.top["source_id"].tolist() == again["source_id"].tolist()


def test_download_rows_are_every_matching_row_in_display_order(catalog: Catalog) -> None:
    prepared = effects.prepare(catalog.frames(SIDE_EFFECTS_PAGE.tables))
    chosen = defaults(SIDE_EFFECTS_PAGE.params, system=("cardiovascular",))
    view = effects.view(prepared, chosen)
    section = view.sections[0]
    rows = effects.section_rows(prepared, chosen, section)
    assert rows["effect"].tolist() == section.selection.top["effect"].tolist()
    assert set(rows["body_system"]) == {"cardiovascular"}
    assert {"difference_ci", "number_needed", "events_per_arm"} <= set(rows.columns)
    everything = effects.rows(prepared, chosen)
    assert len(everything) == view.total
    shown = effects.every_row(prepared, view, chosen)
    assert shown.total == view.total
    assert shown.top["effect"].tolist() == everything["effect"].head(effects.MAX_ROWS).tolist()


def test_the_duration_chart_and_its_table_show_the_same_regimens(catalog: Catalog) -> None:
    regimens = catalog.frame("dosing_regimens")
    assert regimens is not None
    broken = regimens.copy()
    broken.loc[broken.index[0], "duration_min_minutes"] = 10.0  # a minimum without a maximum
    broken.loc[broken.index[0], "duration_max_minutes"] = np.nan
    frames = catalog.frames(DOSING.tables)
    prepared = dosing.prepare(
        type(frames)(tuple((n, broken if n == "dosing_regimens" else f) for n, f in frames.items()))
    )
    view = dosing.view(prepared, defaults(DOSING.params, chart="time to give"))
    assert view.chart.name == "durations"
    plotted = {y for trace in view.chart.figure.data for y in trace.y if y is not None}
    assert len(plotted) == len(view.chart.data)
    assert broken["regimen_id"].iloc[0] not in set(view.chart.data["regimen_id"])


@pytest.mark.parametrize(
    ("chosen", "name", "axis"),
    [("dose", "dose-ranges", "Dose (mg/kg)"), ("time to give", "durations", "Administration time (minutes)")],
)
def test_the_dosing_page_builds_only_the_chart_the_reader_chose(
    catalog: Catalog, chosen: str, name: str, axis: str
) -> None:
    prepared = dosing.prepare(catalog.frames(DOSING.tables))
    view = dosing.view(prepared, defaults(DOSING.params, chart=chosen))
    assert view.chart.name == name
    assert view.chart.figure.layout.xaxis.title.text == axis
    assert set(view.chart.columns or ()) <= set(view.chart.data.columns)


def test_the_overview_draws_no_article_chart_until_one_is_chosen(catalog: Catalog) -> None:
    view = overview.prepare(catalog.frames(OVERVIEW.tables))
    assert ARTICLE_CHART.pick(view.article, defaults(OVERVIEW.params)) == ()
    for option, title in zip(ARTICLE.options[1:], ("Infusion time", "IV dose"), strict=True):
        (block,) = ARTICLE_CHART.pick(view.article, defaults(OVERVIEW.params, article=option))
        assert block.figure.layout.title.text.startswith(title)
        assert "clinic article" in set(block.data["source_kind"])  # the claim is among the rows it draws


def test_dosing_view_narrows_regimens_and_factors_separately(catalog: Catalog) -> None:
    prepared = dosing.prepare(catalog.frames(DOSING.tables))
    view = dosing.view(prepared, defaults(DOSING.params, drug=("esketamine",), category=("cardiovascular",), kg=80.0))
    assert set(view.regimens["drug"]) == {"esketamine"}
    assert view.factors is not None
    assert set(view.factors["category"]) == {"cardiovascular"}
    assert view.weight.empty  # esketamine is dosed in mg, not per kilogram
    assert set(view.counts) >= {"drug", "route", "category", "applies"}


def test_mechanism_view_keeps_the_chain_within_the_filter(catalog: Catalog) -> None:
    prepared = mechanisms.prepare(catalog.frames(MECHANISMS.tables))
    view = mechanisms.view(prepared, defaults(MECHANISMS.params, evidence=("human",)))
    assert set(view.shown["evidence_in"]) == {"human"}
    chain, matrix = view.charts
    assert set(chain.data["entity"]) <= set(view.shown["entity"])
    assert list(matrix.data["entity"]) == list(view.shown["entity"])
    assert view.figure is matrix.figure  # the printable summary carries the matrix


def test_sources_view_gives_a_card_for_one_source(catalog: Catalog) -> None:
    prepared = sources.prepare(catalog.frames(SOURCES_PAGE.tables))
    one = sources.view(prepared, defaults(SOURCES_PAGE.params, source=("ANA23",)))
    assert one.card is not None
    citation, cited_by = one.card.lines
    assert citation.startswith("Anand A")
    assert cited_by.startswith("Rows citing it: ")
    assert "Side effects: " in cited_by
    assert sources.view(prepared, defaults(SOURCES_PAGE.params)).card is None


def test_overview_orders_claims_by_verdict_and_names_detail_pages(catalog: Catalog) -> None:
    view = overview.prepare(catalog.frames(OVERVIEW.tables))
    assert view.claims is not None
    verdicts = view.claims["verdict"].tolist()
    assert verdicts == sorted(verdicts, key=["not supported", "partly supported", "supported"].index)
    assert overview.detail_page("dosing") is not None
    assert overview.detail_page("overview") is None
    assert overview.detail_page(None) is None
    assert [h.label for h in view.headlines] == ["Usual IV ketamine protocol", "The clinic article claims"]
    assert view.time_course is not None


def test_status_words_are_one_vocabulary_for_banner_and_data_page(catalog: Catalog) -> None:
    table = catalog.tables["side_effects"]
    assert status.status(table, public=True).banner == ""
    broken = type(table)(table.spec, table.frame, (*table.problems, object()), True, table.loaded_at, table.checked_at)  # type: ignore[arg-type]
    words = status.status(broken, public=True)
    assert words.state == "fallback"
    assert "Showing the last valid version" in words.banner
    assert "Data page" in status.status(broken, public=False).banner
    rows = status.table_rows(catalog)
    assert rows["status"].tolist() == ["valid"] * len(rows)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.path)
def test_every_page_reads_only_tables_that_exist(page: object) -> None:
    from dashboard.schema import BY_NAME

    assert set(page.tables) <= set(BY_NAME)  # type: ignore[attr-defined]
    assert set(page.required) <= set(page.tables)  # type: ignore[attr-defined]
