"""Every page through AppTest: renders, filters narrow, the URL restores the view, the links are right."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.pagespecs import BY_PATH, PAGES
from dashboard.ui import inview
from tests.app.conftest import RunApp, switch_page


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def table(at: AppTest, column: str, last: bool = True):  # type: ignore[no-untyped-def]
    """The last (or first) dataframe on the page that has ``column``."""
    frames = [df.value for df in at.dataframe if column in df.value.columns]
    return frames[-1] if last else frames[0]


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_every_page_renders_without_exception(data_dir: Path, run_app: RunApp, page: str) -> None:
    at = run_app(data_dir, page=page)
    assert not at.exception
    assert not at.error
    assert at.title[0].value == BY_PATH[page].h1
    if BY_PATH[page].tables:  # a table at once, or the table of every row one click away
        on_request = [e for e in at.expander if e.label.endswith("every column, with the download")]
        assert len(at.dataframe) >= 1 or on_request
    else:
        assert len(at.dataframe) == 0
    assert any("not medical advice" in i.value for i in at.info)


def test_filter_change_narrows_the_table_and_updates_the_url(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="side-effects", every_row=True)
    everything = table(at, "timeframe")
    assert set(everything["timeframe"]) == {"acute", "repeated use", "long-term"}
    at.multiselect(key="side-effects:timeframe").select("long-term").run()
    assert not at.exception
    narrowed = table(at, "timeframe")
    assert set(narrowed["timeframe"]) == {"long-term"}
    assert 0 < len(narrowed) < len(everything)
    assert f"{len(narrowed)} of {len(everything)} rows match the filters." in captions(at)
    assert at.query_params["timeframe"] == "long-term"


def test_query_string_restores_the_view(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(
        data_dir,
        page="side-effects",
        query={"system": ["cardiovascular"], "timeframe": ["acute"], "sort": "difference"},
        every_row=True,
    )
    assert not at.exception
    assert at.multiselect(key="side-effects:system").value == ["cardiovascular"]
    assert at.radio(key="side-effects:sort").value == "difference"
    shown = table(at, "body_system")
    assert set(shown["body_system"]) == {"cardiovascular"}
    assert set(shown["timeframe"]) == {"acute"}


def test_unknown_and_invalid_parameters_are_ignored_with_a_notice(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(
        data_dir, page="mechanisms", query={"utm_source": "mail", "direction": ["block", "<script>alert(1)</script>"]}
    )
    assert not at.exception
    assert at.multiselect(key="mechanisms:direction").value == ["block"]
    assert "2 link parameter(s) were not recognised or not valid and have been ignored." in captions(at)
    assert set(table(at, "direction")["direction"]) == {"block"}
    assert "utm_source" not in at.query_params


def test_search_with_no_match_shows_a_friendly_empty_state(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="dosing", query={"q": "no-such-regimen-anywhere"})
    assert not at.exception
    assert any("No rows match the current filters" in i.value for i in at.info)


def test_reset_clears_filters(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="sources", query={"kind": ["trial"]})
    assert set(table(at, "kind")["kind"]) == {"trial"}
    at.button(key="sources:reset").click().run()
    assert len(set(table(at, "kind")["kind"])) > 3
    assert "kind" not in at.query_params


def test_source_click_through_lands_on_one_source(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="sources", query={"source": "ANA23"})
    assert "Selected source" in captions(at)
    assert table(at, "source_id")["source_id"].tolist() == ["ANA23"]
    assert any(t.startswith("Anand A") for t in texts(at))


def test_rows_link_to_their_source(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="dosing")
    regimens = table(at, "regimen_id")
    cited = pd.read_csv(data_dir / "dosing_regimens.csv").set_index("regimen_id")["source_id"]
    assert regimens["source"].tolist() == [f"sources?source={cited[r]}" for r in regimens["regimen_id"]]
    assert regimens["source"].str.match(r"^sources\?source=[A-Za-z0-9-]+$").all()


def test_weight_helper_multiplies(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="dosing", query={"kg": "80"})
    totals = table(at, "total_mg_max").set_index("regimen_id")
    assert totals.loc["iv-0.5-40min", "total_mg_min"] == 40
    assert totals.loc["ketalar-anaesthesia-iv", "total_mg_max"] == 360
    assert any("Arithmetic only, not a prescription" in w.value for w in at.warning)


def test_dosing_builds_the_weight_helper_and_the_factors_on_request(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="dosing")
    labels = [e.label for e in at.expander]
    assert any(label.startswith("Weight-based arithmetic") for label in labels)
    assert "Factors that change dose, monitoring or eligibility" in labels
    assert not [df for df in at.dataframe if "total_mg_max" in df.value.columns]  # closed: nothing built
    assert not [df for df in at.dataframe if "factor" in df.value.columns]
    assert not [n for n in at.number_input if n.key == "dosing:kg"]
    at.session_state["dosing:factors:open"] = True
    at.run()
    factors = table(at, "factor")
    at.multiselect(key="dosing:category").select(factors["category"].iloc[0]).run()
    assert at.query_params["category"] == factors["category"].iloc[0]
    assert set(table(at, "factor")["category"]) == {factors["category"].iloc[0]}
    linked = run_app(data_dir, page="dosing", query={"category": factors["category"].iloc[0]})
    assert set(table(linked, "factor")["category"]) == {factors["category"].iloc[0]}  # open by itself


def test_appointment_button_carries_the_configured_url(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, url="https://clinic.example.org/book?from=dashboard")
    (button,) = at.get("link_button")
    assert button.proto.url == "https://clinic.example.org/book?from=dashboard"
    assert button.proto.label == "Request an appointment"


@pytest.mark.parametrize("url", [None, "javascript:alert(document.cookie)", "data:text/html,x"])
def test_missing_or_unsafe_appointment_url_shows_a_disabled_button(
    data_dir: Path, run_app: RunApp, url: str | None
) -> None:
    at = run_app(data_dir, url=url)
    assert not at.exception
    assert not at.get("link_button")
    assert at.button(key="appointment-disabled").disabled
    assert "Appointment booking is not available on this site yet." in captions(at)


def test_bad_data_folder_shows_the_banner_not_an_exception(tmp_path: Path, run_app: RunApp) -> None:
    at = run_app(tmp_path / "nothing-here", page="side-effects")
    assert not at.exception
    assert any("side effects table is unavailable" in w.value for w in at.warning)
    assert any("not available right now" in i.value for i in at.info)


def test_broken_replacement_serves_the_last_valid_version_with_a_warning(data_dir: Path, run_app: RunApp) -> None:
    first = run_app(data_dir, page="side-effects", every_row=True)
    rows = len(table(first, "timeframe"))
    path = data_dir / "side_effects.csv"
    original = path.read_bytes()
    path.write_bytes(original[: original.index(b"\n", len(original) // 2)] + b"\nDizziness,nervous sys")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    again = run_app(data_dir, page="side-effects", every_row=True)
    assert not again.exception
    assert len(table(again, "timeframe")) == rows
    assert any("Showing the last valid version" in w.value for w in again.warning)


@pytest.mark.parametrize("public", [False, True])
def test_public_mode_hides_upload_and_paths(data_dir: Path, run_app: RunApp, public: bool) -> None:
    at = run_app(data_dir, page="data", public=public)
    assert not at.exception
    uploads = at.get("file_uploader")
    assert (len(uploads) == 0) is public
    assert (str(data_dir) in texts(at)) is not public


def test_an_analysts_folder_without_optional_columns_and_with_extra_ones_works(data_dir: Path, run_app: RunApp) -> None:
    import csv

    from dashboard.schema import TABLES

    for spec in TABLES:
        path = data_dir / spec.file
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        if spec.name == "analyses":  # pools of side effects name rows by effect_id, an optional column left out here
            rows = [row for row in rows if row["outcome"] != "adverse effect"]
        keep = [name for name, column in spec.columns.items() if column.required] + ["analyst_flag"]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=keep, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(row | {"analyst_flag": f"checked {i}"} for i, row in enumerate(rows))
    for spec in PAGES:
        at = run_app(data_dir, page=spec.path)
        assert not at.exception, spec.path
        assert not at.error, spec.path
        assert not [w.value for w in at.warning if "problem" in w.value], spec.path
    shown = table(run_app(data_dir, page="data"), "status")
    assert shown["status"].tolist() == ["valid"] * len(TABLES)
    effects = table(run_app(data_dir, page="side-effects", every_row=True), "timeframe")
    assert effects["analyst_flag"].str.startswith("checked ").all()


def test_a_url_changed_by_the_browser_back_button_takes_over(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="side-effects", query={"timeframe": "acute"}, every_row=True)
    assert set(table(at, "timeframe")["timeframe"]) == {"acute"}
    at.multiselect(key="side-effects:system").select("cardiovascular").run()
    assert set(table(at, "body_system")["body_system"]) == {"cardiovascular"}
    at.query_params.clear()
    at.query_params["timeframe"] = "long-term"
    at.run()
    assert at.multiselect(key="side-effects:system").value == []
    assert set(table(at, "timeframe")["timeframe"]) == {"long-term"}


def test_outcomes_page_narrows_by_the_url_and_shows_nnt(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(
        data_dir, page="outcomes", query={"outcome": ["response"], "drug": ["racemic ketamine"]}, every_row=True
    )
    assert not at.exception
    shown = table(at, "outcome_id")
    assert set(shown["outcome"]) == {"response"}
    assert set(shown["drug"]) == {"racemic ketamine"}
    assert shown["number_needed"].str.startswith("NNT ").any()
    assert at.query_params["outcome"] == "response"


def test_compare_page_lays_out_the_chosen_regimens(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="compare", query={"regimen": ["esk-trd-induction", "iv-elekt-d"]})
    assert not at.exception
    assert at.multiselect(key="compare:regimen").value == ["esk-trd-induction", "iv-elekt-d"]
    shown = texts(at)
    assert any(t.startswith("Spravato US, TRD induction") for t in shown)
    assert any(t.startswith("ELEKT-D, IV 0.5 mg/kg") for t in shown)
    assert "no data in these tables" in shown  # ELEKT-D has no rated side-effect rows in these tables
    harms = table(at, "effect", last=False)
    assert harms["number_needed"].str.startswith("NNH ").any()
    assert (harms["number_needed"].str.startswith("NNH ") | (harms["interval_note"] != "")).all()


def test_compare_keeps_at_most_three_regimens_from_a_link(data_dir: Path, run_app: RunApp) -> None:
    four = ["esk-trd-induction", "iv-elekt-d", "iv-ketect", "iv-karma-dep-2"]
    at = run_app(data_dir, page="compare", query={"regimen": four})
    assert at.multiselect(key="compare:regimen").value == four[:3]
    assert "1 link parameter(s) were not recognised or not valid and have been ignored." in captions(at)


def test_a_broken_outcomes_file_keeps_the_last_valid_version(data_dir: Path, run_app: RunApp) -> None:
    first = run_app(data_dir, page="outcomes", every_row=True)
    rows = len(table(first, "outcome_id"))
    path = data_dir / "outcomes.csv"
    path.write_text(path.read_text(encoding="utf-8") + "bad-row,x,esketamine,no-such-regimen\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    again = run_app(data_dir, page="outcomes", every_row=True)
    assert not again.exception
    assert len(table(again, "outcome_id")) == rows
    assert any("outcomes: benefit table could not be updated" in w.value for w in again.warning)


COMPARED = "compare:esk-trd-induction"


@pytest.mark.parametrize(
    ("page", "query", "downloads"),
    [
        ("data", {}, {"data:status:download": "Download the status (CSV)"}),
        ("overview", {}, {"overview:top-effects:download": "Download CSV"}),
        (
            "compare",
            {"regimen": ["esk-trd-induction"]},
            {f"{COMPARED}-benefit:download": "Download CSV", f"{COMPARED}-harm:download": "Download CSV"},
        ),
    ],
)
def test_every_table_comes_with_its_download(
    data_dir: Path, run_app: RunApp, page: str, query: dict[str, list[str]], downloads: dict[str, str]
) -> None:
    """The status, top-effects and per-regimen tables go through the shared table block."""
    at = run_app(data_dir, page=page, query=query)
    assert not at.exception
    assert {key: at.download_button(key=key).label for key in downloads} == downloads


def test_a_valid_swap_is_listed_on_the_data_page_with_its_downloads(data_dir: Path, run_app: RunApp) -> None:
    run_app(data_dir, page="data")
    path = data_dir / "dosing_factors.csv"
    path.write_bytes(path.read_bytes().replace(b"from body weight", b"from weight in kg", 1))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    at = run_app(data_dir, page="data")
    assert not at.exception
    assert table(at, "what changed")["rows changed"].tolist() == [1]
    assert at.download_button(key="data:versions:download").label == "Download the list of changes (CSV)"
    assert at.download_button(key="data:changes:download").label == "Download the changed cells (CSV)"


def test_a_tables_details_list_its_problems_and_columns_with_their_downloads(data_dir: Path, run_app: RunApp) -> None:
    path = data_dir / "dosing_factors.csv"
    path.write_text(path.read_text(encoding="utf-8") + "Broken,row\n", encoding="utf-8")
    at = run_app(data_dir, page="data")
    at.session_state["data:dosing_factors:details"] = True  # open the table's expander
    at.run()
    assert not at.exception
    assert table(at, "message")["file"].tolist() == ["dosing_factors.csv"]
    assert "description" in table(at, "presence")
    assert at.download_button(key="data:dosing_factors:problems:download").label == "Download the problems (CSV)"
    assert at.download_button(key="data:dosing_factors:schema:download").label == "Download the column list (CSV)"


def test_side_effects_draws_the_first_timeframes_rates_and_the_rest_on_request(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="side-effects")
    headings = [h.value for h in at.subheader]
    titles = [_title(json.loads(e.proto.spec)) for e in at.get("plotly_chart")]
    assert len(titles) == 1  # the dosing-day section's rates only
    assert "drug vs comparator" in titles[0]
    assert any(c.startswith("Charts not drawn") for c in captions(at))

    at.radio(key="side-effects:chart").set_value("differences").run()
    assert not at.exception
    assert at.query_params["chart"] == "differences"
    (forest,) = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    assert "difference with 95% CI" in _title(forest)  # the intervals, not the rates

    at.radio(key="side-effects:charts").set_value("every timeframe").run()
    assert not at.exception
    assert at.query_params["charts"] == "every timeframe"
    assert len(at.get("plotly_chart")) == 2  # one chart per rated timeframe
    assert not any(c.startswith("Charts not drawn") for c in captions(at))
    assert [h.value for h in at.subheader] == headings  # the same sections, in the same order

    again = run_app(data_dir, page="side-effects", query={"charts": "every timeframe", "chart": "differences"})
    reopened = [_title(json.loads(e.proto.spec)) for e in again.get("plotly_chart")]
    assert len(reopened) == 2
    assert all("difference with 95% CI" in title for title in reopened)


def test_a_control_shown_for_one_chart_keeps_its_value_while_hidden(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="side-effects")
    assert not [r for r in at.radio if r.key == "side-effects:measure"]  # rates: the measure changes nothing
    at.radio(key="side-effects:chart").set_value("differences").run()
    at.radio(key="side-effects:measure").set_value("ratio").run()
    assert at.query_params["measure"] == "ratio"
    at.radio(key="side-effects:chart").set_value("rates").run()
    assert not [r for r in at.radio if r.key == "side-effects:measure"]
    at.run()  # one more run without its widget: Streamlit has dropped the widget's state by now
    assert at.query_params["measure"] == "ratio"
    at.radio(key="side-effects:chart").set_value("differences").run()
    assert not at.exception
    assert at.radio(key="side-effects:measure").value == "ratio"
    (forest,) = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    assert forest["layout"]["xaxis"]["type"] == "log"  # the ratio, on its log axis
    at.radio(key="side-effects:chart").set_value("rates").run()
    at.button(key="side-effects:reset").click().run()  # a reset clears the hidden control too
    assert "measure" not in at.query_params
    at.radio(key="side-effects:chart").set_value("differences").run()
    assert at.radio(key="side-effects:measure").value == "difference"


def test_more_filters_wait_behind_their_expander_and_open_for_a_link_that_uses_them(
    data_dir: Path, run_app: RunApp
) -> None:
    at = run_app(data_dir, page="side-effects")
    keys = {m.key for m in at.multiselect}
    assert keys == {"side-effects:system", "side-effects:timeframe", "side-effects:drug"}
    assert [e.label for e in at.expander if e.label.startswith("More filters")] == ["More filters (4)"]
    at.session_state["side-effects:q:more"] = True  # the reader opens it
    at.run()
    assert "side-effects:severity" in {m.key for m in at.multiselect}
    at.multiselect(key="side-effects:severity").select("serious").run()
    assert at.query_params["severity"] == "serious"
    narrowed = len(table(at, "severity"))
    at.session_state["side-effects:q:more"] = False  # closed again: the filter it hides still holds
    at.run()
    at.run()
    assert "side-effects:severity" not in {m.key for m in at.multiselect}
    assert at.query_params["severity"] == "serious"
    assert len(table(at, "severity")) == narrowed

    linked = run_app(data_dir, page="side-effects", query={"severity": "serious"})
    assert linked.multiselect(key="side-effects:severity").value == ["serious"]  # open: one of them is in use
    assert [e.label for e in linked.expander if e.label.startswith("More")] == ["More filters (4, 1 in use)"]
    assert len(table(linked, "severity")) == narrowed
    assert set(table(linked, "severity")["severity"]) == {"serious"}


def test_the_table_of_every_row_is_built_when_opened_and_stays_open_through_filters(
    data_dir: Path, run_app: RunApp
) -> None:
    at = run_app(data_dir, page="side-effects")
    assert "All rows: every column, with the download" in [e.label for e in at.expander]
    assert not [df for df in at.dataframe if "counted" in df.value.columns]  # closed: not built
    at.session_state["side-effects:all:open"] = True
    at.run()
    everything = table(at, "counted")
    at.multiselect(key="side-effects:timeframe").select("acute").run()
    narrowed = table(at, "counted")  # still open after a filter change
    assert 0 < len(narrowed) < len(everything)
    assert any(b.label == "Download CSV" for b in at.download_button)


def test_a_long_chart_draws_its_first_15_rows_and_all_on_request(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="side-effects")
    (short,) = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    assert "first 15 of" in _title(short).replace("<br>", " ")
    at.radio(key="side-effects:bars").set_value("all").run()
    assert at.query_params["bars"] == "all"
    (every,) = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    assert "first" not in _title(every)
    drawn = {y for t in every["data"] if t["type"] == "bar" for y in t["y"]}
    assert len(drawn) > 15
    sources = run_app(data_dir, page="sources", query={"bars": "all"})
    (usage,) = [json.loads(e.proto.spec) for e in sources.get("plotly_chart")]
    assert sum(len(t["y"]) for t in usage["data"]) > 15
    assert sources.radio(key="sources:bars").value == "all"


def test_outcomes_page_shows_the_score_change_forest_with_its_direction(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="outcomes", query={"chart": "score changes"})
    assert not at.exception
    assert "Score change: difference in depression scores with 95% CI" in [h.value for h in at.subheader]
    assert any(c.startswith("On every depression scale here a lower score") for c in captions(at))
    figures = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    (score,) = [f for f in figures if f["layout"]["title"]["text"].startswith("Score change")]
    headings = [a["text"].replace("<br>", " ") for a in score["layout"]["annotations"]]
    assert "MADRS points (mean difference): below 0 favours the drug" in headings
    assert "SMD, in standard deviations: below 0 favours the drug" in headings
    # narrowed by the drug filter like the rest of the page: only esketamine rows are drawn
    at = run_app(data_dir, page="outcomes", query={"drug": ["esketamine"], "chart": "score changes"})
    figures = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    (score,) = [f for f in figures if f["layout"]["title"]["text"].startswith("Score change")]
    labels = [y for trace in score["data"] if trace.get("y") and trace["y"][0] is not None for y in trace["y"]]
    assert labels
    assert all(label.startswith("esketamine: ") for label in labels)


@pytest.mark.parametrize(
    ("page", "query", "first", "chosen"),
    [
        ("mechanisms", {"chart": "entity by entity"}, "The proposed chain of action", "Direction and confidence"),
        ("dosing", {"chart": "time to give"}, "Dose of one administration", "How long one dose takes to give"),
        ("outcomes", {"chart": "score changes"}, "Response, remission and relapse", "Score change"),
    ],
)
def test_a_page_draws_one_chart_on_first_view_and_another_from_its_link(
    data_dir: Path, run_app: RunApp, page: str, query: dict[str, str], first: str, chosen: str
) -> None:
    at = run_app(data_dir, page=page)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    assert any(h.value.startswith(first) for h in at.subheader)
    assert not any(h.value.startswith(chosen) for h in at.subheader)

    at.radio(key=f"{page}:chart").set_value(query["chart"]).run()
    assert at.query_params["chart"] == query["chart"]
    again = run_app(data_dir, page=page, query=query)
    for shown in (at, again):
        assert len(shown.get("plotly_chart")) == 1
        assert any(h.value.startswith(chosen) for h in shown.subheader)
        assert not any(h.value.startswith(first) for h in shown.subheader)


def test_the_overview_draws_no_chart_until_one_of_the_articles_is_chosen(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="overview")
    assert not at.exception
    assert not at.get("plotly_chart")
    at.radio(key="overview:article").set_value("IV dose").run()
    assert at.query_params["article"] == "IV dose"
    (dose,) = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    assert _title(dose).startswith("IV dose: the article's claim")
    again = run_app(data_dir, page="overview", query={"article": "infusion time"})
    (time,) = [json.loads(e.proto.spec) for e in again.get("plotly_chart")]
    assert _title(time).startswith("Infusion time: the article's claim")


def _title(figure: dict) -> str:
    """A chart's title as read (wrapped lines joined)."""
    return str(figure["layout"]["title"]["text"]).replace("<br>", " ")


def test_a_page_draws_its_charts_once_the_reader_scrolls_to_one_and_keeps_drawing_them(
    data_dir: Path, run_app: RunApp
) -> None:
    at = run_app(data_dir, page="side-effects", scrolled=False)
    assert not at.get("plotly_chart")
    assert inview.WAITING in captions(at)
    (draw,) = [button for button in at.button if button.label == inview.DRAW_NOW]
    draw.click().run()  # the button, or the watcher in the browser, tells the server the reader is there
    assert len(at.get("plotly_chart")) == 1
    assert inview.WAITING not in captions(at)
    at.query_params["system"] = "cardiovascular"  # a later run of the same page draws its chart at once
    at.run()
    assert len(at.get("plotly_chart")) == 1
    switch_page(at, "dosing").run()  # another page waits for the reader again
    assert not at.get("plotly_chart")
    assert inview.WAITING in captions(at)
