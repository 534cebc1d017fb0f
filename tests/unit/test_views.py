"""Page data shaping: source joins, weight arithmetic, headline figures."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.catalog import load_catalog
from dashboard.views import dosing, effects, mechanisms
from dashboard.views import sources as source_views
from dashboard.views.common import map_rows, map_values, with_sources, with_studies
from tests.conftest import DATA


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog(DATA)


def test_weight_doses_is_plain_multiplication_of_mg_per_kg_rows() -> None:
    regimens = pd.DataFrame(
        {
            "regimen_id": ["a", "b", "c"],
            "drug": "d",
            "route": "IV",
            "purpose": "depression",
            "dose_min": [0.5, 56.0, 1.0],
            "dose_max": [0.5, 84.0, 4.5],
            "dose_unit": ["mg/kg", "mg", "mg/kg"],
            "source_id": "S",
        }
    )
    out = dosing.weight_doses(regimens, 80)
    assert out["regimen_id"].tolist() == ["a", "c"]
    assert out["total_mg_min"].tolist() == [40.0, 80.0]
    assert out["total_mg_max"].tolist() == [40.0, 360.0]


def test_with_sources_links_to_the_sources_page_and_allow_lists_urls() -> None:
    rows = pd.DataFrame({"source_id": ["A1", "B2", "C3"]})
    sources = pd.DataFrame(
        {
            "source_id": ["A1", "B2", "C3"],
            "kind": ["trial", "label", "news"],
            "url": ["https://doi.org/10.1/x", "javascript:alert(1)", None],
        }
    )
    out = with_sources(rows, sources)
    assert out["source"].tolist() == ["sources?source=A1", "sources?source=B2", "sources?source=C3"]
    assert out["source_kind"].tolist() == ["trial", "label", "news"]
    assert out["source_url"].iloc[0] == "https://doi.org/10.1/x"
    assert out["source_url"].iloc[1:].isna().all()


def test_source_usage_counts_main_and_further_sources() -> None:
    sources = pd.DataFrame({"source_id": ["A", "B", "C"], "kind": "trial", "url": None})
    table = pd.DataFrame({"source_id": ["A", "A", "B"], "more_source_ids": [None, "B; C", "C"]})
    citing = source_views.citations(sources, {"t": table, "u": pd.DataFrame({"source_id": ["C", "D"]})})
    assert citing == {"A": {"t": 2}, "B": {"t": 2}, "C": {"t": 2, "u": 1}}  # D is no source: not counted
    usage = source_views.source_usage(sources, citing)
    assert usage.set_index("source_id")["rows_citing"].to_dict() == {"A": 2, "B": 2, "C": 3}


def test_headlines_come_from_the_tables(catalog) -> None:  # type: ignore[no-untyped-def]
    regimens = with_sources(catalog.frame("dosing_regimens"), catalog.frame("sources"))
    standard = dosing.standard_iv(regimens)
    article = dosing.article_dose(regimens)
    assert standard is not None
    assert standard.value == "0.5 mg/kg over 40 min"
    assert article is not None
    assert article.value == "0.5-2 mg/kg over 2-4 h"
    assert article.source_id == "CLINIC-ARTICLE"
    top = effects.headline_effects(catalog.frame("side_effects"))
    assert top[["effect", "incidence_pct", "comparator_pct"]].values.tolist() == [
        ["Dissociation", 41.0, 9.0],
        ["Dizziness", 29.0, 8.0],
        ["Nausea", 28.0, 9.0],
    ]


def test_the_article_headline_writes_a_single_dose_and_time_once(catalog) -> None:  # type: ignore[no-untyped-def]
    regimens = with_sources(catalog.frame("dosing_regimens"), catalog.frame("sources"))
    article = regimens[regimens["source_kind"] == "clinic article"].head(1)
    single = article.assign(dose_min=1.0, dose_max=1.0, duration_min_minutes=120.0, duration_max_minutes=120.0)
    headline = dosing.article_dose(single)
    assert headline is not None
    assert headline.value == "1 mg/kg over 2 h"  # not "1-1 mg/kg over 2-2 h"


def test_chain_edges_follow_leads_to(catalog) -> None:  # type: ignore[no-untyped-def]
    edges = mechanisms.chain_edges(catalog.frame("neurotransmitters"))
    steps = dict(zip(edges["entity"], edges["leads_to"], strict=True))
    assert steps["AMPA receptor"] == "BDNF"


def test_map_rows_gives_what_joining_the_rows_as_text_gives() -> None:
    """One value per distinct pair of cells, in the order the pairs first appear; an empty cell
    empties the row (as joining text with an empty cell does)."""
    sources = pd.Series(pd.Categorical(["B", "A", None, "B", "A", "C"]))
    groups = pd.Series(["p", "q", "p", "p", None, "q"], dtype="string")
    joined = sources.astype("string").str.cat(groups, sep=": ")
    pairs = map_rows([sources, groups], lambda s, g: None if s is None or g is None else f"{s}: {g}")
    assert list(pairs.cat.categories) == ["B: p", "A: q", "C: q"]
    assert pairs.astype("string").tolist() == joined.tolist()


def test_map_rows_merges_pairs_that_map_to_one_value() -> None:
    first = pd.Series(["a: b", "a", "x"])
    second = pd.Series(["c", "b: c", "y"])
    mapped = map_rows([first, second], lambda a, b: f"{a}: {b}")
    assert mapped.astype(str).tolist() == ["a: b: c", "a: b: c", "x: y"]
    assert mapped.cat.codes.tolist() == [0, 0, 1]


def test_with_studies_names_the_study_of_categorical_ids() -> None:
    rows = pd.DataFrame({"study_id": pd.Categorical(["s2", "s1", None, "s2"])})
    studies = pd.DataFrame({"study_id": ["s1", "s2"], "kind": ["RCT", "cohort"], "name": ["One", "Two"]})
    joined = with_studies(rows, studies)
    assert joined["study_kind"].astype("string").tolist() == ["cohort", "RCT", pd.NA, "cohort"]
    assert joined["study_name"].astype("string").tolist() == ["Two", "One", pd.NA, "Two"]


def test_map_values_maps_each_row_of_a_categorical_whatever_its_category_order() -> None:
    ids = pd.Series(pd.Categorical(["s2", "s1", None, "s2"], categories=["s1", "s2"]))
    kinds = map_values(ids, {"s1": "RCT", "s2": "cohort"})
    assert kinds.astype("string").tolist() == ["cohort", "RCT", pd.NA, "cohort"]
