"""The open data API holds the same rows as the catalog and the pages' evidence views, says where
they come from and under which licence and version, and lists every dataset."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from dashboard import wording
from dashboard.bake.api import write_api
from dashboard.catalog import Catalog, load_catalog
from dashboard.export import neutralise
from dashboard.schema import BY_NAME, TABLES
from dashboard.settings import DEFAULT_DATA_DIR
from dashboard.views import evidence, outcomes
from dashboard.views.common import cited_ids, with_sources, with_studies

LICENCE = "CC-BY-4.0"
VIEWS = {
    "side-effects-evidence": ("side_effects", "studies", "sources"),
    "outcomes-evidence": ("outcomes", "studies", "sources"),
}
"""The computed datasets and the tables each is read from."""
EVIDENCE = ["rd_pct", "rd_low_pct", "rd_high_pct", "rr", "rr_low", "rr_high", "ratio_ci", "difference_ci"]
EVIDENCE += ["number_needed", "per_100", "counted", "evidence", "source_id"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    found = load_catalog(DEFAULT_DATA_DIR)
    assert not found.problems
    return found


@pytest.fixture(scope="module")
def baked(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("api")
    return out, write_api(catalog, out, licence=LICENCE)


def shown_views(catalog: Catalog) -> dict[str, pd.DataFrame]:
    """The evidence rows as the Overview builds them (dashboard/views/overview.py)."""
    sources, studies = catalog.frame("sources"), catalog.frame("studies")
    side_effects, outcome_rows = catalog.frame("side_effects"), catalog.frame("outcomes")
    assert side_effects is not None
    assert outcome_rows is not None
    harms = evidence.add(evidence.with_comparison(with_sources(with_studies(side_effects, studies), sources)))
    benefits = outcomes.with_evidence(with_sources(with_studies(outcome_rows, studies), sources))
    return {"side-effects-evidence": harms, "outcomes-evidence": benefits}


def read_csv(path: Path) -> pd.DataFrame:
    """A written CSV as text cells, empty cells as "" (nothing guessed)."""
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def assert_same_values(got: pd.Series, want: pd.Series, *, spreadsheet: bool) -> None:
    """A column as written (CSV text cells, or JSON values) against the frame's column: numbers
    as numbers, dates as YYYY-MM-DD, text as text (in a CSV, formula-like text neutralised)."""
    name = want.name
    if pd.api.types.is_datetime64_any_dtype(want):
        expected = [None if pd.isna(v) else v.strftime("%Y-%m-%d") for v in want]
        assert [None if v in ("", None) else v for v in got] == expected, name
    elif pd.api.types.is_numeric_dtype(want) and not pd.api.types.is_bool_dtype(want):
        cells = pd.to_numeric(got.replace("", np.nan)) if spreadsheet else got
        numbers = pd.Series(cells, dtype="float64").to_numpy()
        expected = want.to_numpy(dtype="float64", na_value=np.nan)
        if spreadsheet:  # a CSV cell is the number's shortest exact text
            np.testing.assert_array_equal(numbers, expected, err_msg=str(name))
        else:  # JSON: 15 significant digits, and no infinity (null there)
            expected = np.where(np.isinf(expected), np.nan, expected)
            np.testing.assert_allclose(numbers, expected, rtol=1e-14, atol=0, err_msg=str(name))
    else:
        text = [None if pd.isna(v) else str(v) for v in want]
        if spreadsheet:
            text = ["" if v is None else str(neutralise(v)) for v in text]
        cells = [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in got]
        assert cells == text, name


def test_each_table_csv_holds_the_catalog_rows(catalog: Catalog, baked: tuple[Path, list[Path]]) -> None:
    out, _ = baked
    for spec in TABLES:
        frame = catalog.frame(spec.name)
        assert frame is not None
        written = read_csv(out / f"{spec.name}.csv")
        assert list(written.columns) == list(frame.columns), spec.name
        assert len(written) == len(frame) > 0, spec.name
        for name in frame.columns:
            assert_same_values(written[name], frame[name], spreadsheet=True)


def test_evidence_csv_holds_the_rows_the_pages_compute(catalog: Catalog, baked: tuple[Path, list[Path]]) -> None:
    out, _ = baked
    for name, view in shown_views(catalog).items():
        written = read_csv(out / f"{name}.csv")
        assert set(EVIDENCE) <= set(written.columns), name
        assert set(written.columns) <= set(view.columns), name
        assert len(written) == len(view), name
        for column in written.columns:
            assert_same_values(written[column], view[column], spreadsheet=True)
    # What a reader checks against the Side effects page: the label pool's esketamine dissociation
    # row, 142/346 vs 21/222, a difference of +31.6 points whose interval excludes no difference.
    harms = read_csv(out / "side-effects-evidence.csv")
    row = harms[(harms["effect"] == "Dissociation") & (harms["drug"] == "esketamine")].iloc[0]
    assert row["events_per_arm"] == "142/346 vs 21/222"
    assert round(float(row["rd_pct"]), 1) == 31.6
    assert 0 < float(row["rd_low_pct"]) < float(row["rd_pct"]) < float(row["rd_high_pct"])
    assert row["difference_ci"].startswith("'+31.6 (")  # a leading + is a formula to a spreadsheet
    assert row["number_needed"].startswith("NNH ")


def test_json_parses_with_the_same_rows_nulls_and_iso_dates(catalog: Catalog, baked: tuple[Path, list[Path]]) -> None:
    out, _ = baked
    frames = {spec.name: catalog.frame(spec.name) for spec in TABLES} | shown_views(catalog)
    for name, frame in frames.items():
        assert frame is not None
        records = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert isinstance(records, list)
        assert len(records) == len(frame), name
        written = read_csv(out / f"{name}.csv")
        assert all(list(r) == list(written.columns) for r in records), name
        for column in written.columns:
            values = pd.Series([r[column] for r in records], dtype=object)
            assert_same_values(values, frame[column], spreadsheet=False)
    accessed = [r["accessed"] for r in json.loads((out / "sources.json").read_text(encoding="utf-8"))]
    assert all(a is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", a) for a in accessed)
    assert any(a is not None for a in accessed)
    first = json.loads((out / "side_effects.json").read_text(encoding="utf-8"))[0]
    assert first["incidence_max_pct"] is None  # an empty cell is null, not NaN (which is not JSON)


def metadata(out: Path, name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((out / f"{name}.metadata.json").read_text(encoding="utf-8"))
    return document


def test_metadata_carries_licence_versions_columns_and_every_cited_source(
    catalog: Catalog, baked: tuple[Path, list[Path]]
) -> None:
    out, _ = baked
    sources = catalog.frame("sources")
    assert sources is not None
    citations = dict(zip(sources["source_id"].astype(str), sources["citation"].astype(str), strict=True))
    frames = {spec.name: catalog.frame(spec.name) for spec in TABLES} | shown_views(catalog)
    for name, frame in frames.items():
        assert frame is not None
        meta = metadata(out, name)
        assert meta["licence"] == LICENCE
        assert meta["data_version"] == catalog.version
        assert meta["last_updated"] == catalog.as_of
        assert meta["rows"] == len(frame)
        assert meta["title"]
        assert meta["description"]
        read_from = VIEWS.get(name, (name,))
        assert meta["table_versions"] == dict(catalog.versions(read_from))
        if name in BY_NAME:
            assert meta["version"] == catalog.tables[name].version
        columns = meta["columns"]
        assert [c["name"] for c in columns] == list(read_csv(out / f"{name}.csv").columns)
        assert all(c["description"] and c["type"] for c in columns), name
        listed = {s["source_id"]: s for s in meta["sources"]}
        if name == "sources":  # its rows are the sources; they cite none
            assert listed == {}
            continue
        if name == "studies":
            cited = set(frame["report_source_id"].dropna().astype(str))
        elif name == "analyses":  # a pool cites the sources that pooled the same trials or rated it
            cited = {s.strip() for s in frame["source_ids"].dropna().astype(str).str.split(";").explode()}
        else:
            cited = set(cited_ids(frame))
        assert cited, name
        for source_id in cited:
            assert listed[source_id]["citation"] == citations[source_id], (name, source_id)
    harms = {c["name"]: c for c in metadata(out, "side-effects-evidence")["columns"]}
    assert harms["incidence_pct"]["unit"] == BY_NAME["side_effects"].unit("incidence_pct")
    assert harms["incidence_pct"]["description"] == BY_NAME["side_effects"].columns["incidence_pct"].description
    assert harms["number_needed"]["title"] == wording.COLUMNS["number_needed"].title
    assert harms["rd_pct"]["type"] == "number"
    assert harms["rd_pct"]["unit"] == "percentage points"
    assert metadata(out, "sources")["columns"][-1] == {
        "name": "accessed",
        "title": "accessed",
        "type": "date",
        "kind": "date",
        "unit": None,
        "description": BY_NAME["sources"].columns["accessed"].description,
        "computed": False,
    }


def test_index_lists_every_dataset_with_its_files(catalog: Catalog, baked: tuple[Path, list[Path]]) -> None:
    out, written = baked
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in index["datasets"]] == [spec.name for spec in TABLES] + list(VIEWS)
    assert index["licence"] == LICENCE
    assert index["data_version"] == catalog.version
    assert index["last_updated"] == catalog.as_of
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "<title>" in page
    assert "<script" not in page.lower()
    assert f"Licence: {LICENCE}." in page
    assert catalog.version in page
    for dataset in index["datasets"]:
        assert dataset["available"] is True
        assert dataset["rows"] == metadata(out, dataset["name"])["rows"] > 0
        assert dataset["version"] == metadata(out, dataset["name"])["version"]
        assert sorted(dataset["files"].values()) == sorted(
            f"{dataset['name']}.{ext}" for ext in ("csv", "json", "metadata.json")
        )
        for file in dataset["files"].values():
            assert (out / file).is_file()
            assert f'<a href="{file}">{file}</a>' in page
    assert sorted(written) == sorted(p for p in out.iterdir())


def test_a_formula_cell_is_neutralised_in_the_csv_and_kept_in_the_json(data_dir: Path, tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example","click")'
    path = data_dir / "side_effects.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    table[1][table[0].index("notes")] = formula
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    changed = load_catalog(data_dir)
    assert not changed.problems
    out = tmp_path / "api"
    write_api(changed, out, licence=LICENCE)
    for name in ("side_effects", "side-effects-evidence"):
        assert read_csv(out / f"{name}.csv")["notes"][0] == "'" + formula, name
        assert json.loads((out / f"{name}.json").read_text(encoding="utf-8"))[0]["notes"] == formula, name


def test_an_unavailable_table_is_listed_as_such_and_not_written(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "api"
    out.mkdir()
    (out / "side_effects.csv").write_text("a file of an earlier run\n", encoding="utf-8")
    (data_dir / "side_effects.csv").unlink()
    catalog = load_catalog(data_dir)
    assert catalog.frame("side_effects") is None
    write_api(catalog, out, licence=LICENCE)
    index = {d["name"]: d for d in json.loads((out / "index.json").read_text(encoding="utf-8"))["datasets"]}
    for name in ("side_effects", "side-effects-evidence"):
        assert index[name]["available"] is False
        assert index[name]["files"] == {}
        assert not list(out.glob(f"{name}.*")), name
    assert index["outcomes-evidence"]["available"] is True
    assert (out / "outcomes-evidence.csv").is_file()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "(side_effects): unavailable right now" in page
    assert 'href="side_effects.csv"' not in page


def test_licence_comes_from_the_setting_and_is_escaped_in_the_page(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_LICENCE", "<b>Open</b> & free")
    write_api(catalog, tmp_path)
    assert metadata(tmp_path, "claims")["licence"] == "<b>Open</b> & free"
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Licence: &lt;b&gt;Open&lt;/b&gt; &amp; free." in page
    assert "<b>" not in page
    monkeypatch.delenv("DASHBOARD_DATA_LICENCE")
    write_api(catalog, tmp_path)
    assert json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))["licence"] == "not declared"
