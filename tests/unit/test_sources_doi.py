"""The sources table refuses a second source with a DOI an earlier source already carries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from dashboard.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[2]


def _folder_with(tmp_path: Path, identifiers: dict[str, str]) -> Path:
    """A copy of the shipped data whose sources carry the given identifiers (by source id)."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    sources = pd.read_csv(folder / "sources.csv", dtype=str, keep_default_na=False)
    for source_id, identifier in identifiers.items():
        sources.loc[sources["source_id"] == source_id, "identifier"] = identifier
    sources.to_csv(folder / "sources.csv", index=False)
    return folder


def _line_of(folder: Path, source_id: str) -> int:
    sources = pd.read_csv(folder / "sources.csv", dtype=str, keep_default_na=False)
    return int(sources.index[sources["source_id"] == source_id][0]) + 2  # the header is line 1


def test_a_later_source_with_the_same_doi_is_refused_and_names_the_first(tmp_path: Path) -> None:
    folder = _folder_with(tmp_path, {"CIT20": "doi:10.1002/CPT.2024; PMID 32479321"})  # KATZ21's DOI, other case
    table = load_catalog(folder).tables["sources"]
    katz, citrome = _line_of(folder, "KATZ21"), _line_of(folder, "CIT20")
    assert katz < citrome
    assert [(p.line, p.column, p.message) for p in table.problems] == [
        (citrome, "identifier", f"same DOI as line {katz}: doi:10.1002/cpt.2024")
    ]


def test_distinct_dois_pass(tmp_path: Path) -> None:
    folder = _folder_with(tmp_path, {"CIT20": "doi:10.1016/j.jad.2020.03.106; PMID 32479321"})
    assert load_catalog(folder).tables["sources"].problems == ()


def test_the_shipped_sources_carry_each_doi_once() -> None:
    sources = pd.read_csv(ROOT / "data" / "sources.csv", dtype=str, keep_default_na=False)
    dois = sources["identifier"].str.lower().str.findall(r"doi:10\.\d{4,9}/[^\s;]+").explode().dropna()
    assert not dois.duplicated().any(), sorted(set(dois[dois.duplicated()]))
