"""Filters: a table of (spec -> rows), the query-string round trip, counts, hostile URLs."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pandas as pd
import pytest

from dashboard import filters
from dashboard.filters import Choice, Facet, Number, Search

FRAME = pd.DataFrame(
    {
        "effect": ["Dissociation", "Dizziness", "Nausea", "Blood pressure increased", "Cystitis"],
        "system": ["psychiatric", "nervous system", "gastrointestinal", "cardiovascular", "renal and urinary"],
        "timeframe": ["acute", "acute", "acute", "acute", "long-term"],
        "notes": ["peaks within 1 h", None, "resolves by 1.5 h", "peak ~40 min", "frequent recreational use"],
    }
).astype({"effect": "str", "system": "str", "timeframe": "str", "notes": "str"})
PARAMS = (
    Search("q", ("effect", "notes")),
    Facet("system", "system", "Body system"),
    Facet("timeframe", "timeframe", "Timeframe"),
    Choice("sort", "Sort", ("rate", "difference")),
    Number("kg", "Weight", 20, 250, 70),
)
OPTIONS = {"system": filters.options(FRAME, "system"), "timeframe": filters.options(FRAME, "timeframe")}


@pytest.mark.parametrize(
    ("values", "effects"),
    [
        ({}, ["Dissociation", "Dizziness", "Nausea", "Blood pressure increased", "Cystitis"]),
        ({"timeframe": ("long-term",)}, ["Cystitis"]),
        ({"system": ("psychiatric", "gastrointestinal")}, ["Dissociation", "Nausea"]),
        ({"system": ("psychiatric",), "timeframe": ("long-term",)}, []),
        ({"q": "DIZZ"}, ["Dizziness"]),
        ({"q": "1.5 h"}, ["Nausea"]),
        ({"q": "peak"}, ["Dissociation", "Blood pressure increased"]),
        ({"q": "peak pressure"}, ["Blood pressure increased"]),
        ({"q": "recreational", "timeframe": ("acute",)}, []),
        ({"q": "(.*"}, []),
    ],
)
def test_apply(values: dict[str, Any], effects: list[str]) -> None:
    assert filters.apply(FRAME, filters.defaults(PARAMS) | values, PARAMS)["effect"].tolist() == effects


@pytest.mark.parametrize(
    ("query", "expected", "ignored"),
    [
        ({}, {}, 0),
        ({"system": ["psychiatric"], "sort": ["difference"]}, {"system": ("psychiatric",), "sort": "difference"}, 0),
        ({"system": ["psychiatric", "nope", "psychiatric"]}, {"system": ("psychiatric",)}, 2),
        ({"unknown": ["x"], "utm_source": ["a", "b"]}, {}, 3),
        ({"sort": ["sideways"]}, {}, 1),
        ({"sort": ["rate", "difference"]}, {"sort": "difference"}, 1),
        ({"kg": ["80"]}, {"kg": 80.0}, 0),
        ({"kg": ["1e9"]}, {}, 1),
        ({"kg": ["nan"]}, {}, 1),
        ({"kg": ["<script>"]}, {}, 1),
        ({"q": ["  two   words "]}, {"q": "two words"}, 0),
        ({"q": ["x" * 5000]}, {"q": "x" * filters.MAX_SEARCH}, 1),
        ({"timeframe": ["acute"] * 10_000}, {"timeframe": ("acute",)}, 9_999),
    ],
)
def test_parse_keeps_only_what_is_valid(query: dict[str, list[str]], expected: dict[str, Any], ignored: int) -> None:
    values, dropped = filters.parse(query, PARAMS, OPTIONS)
    assert values == filters.defaults(PARAMS) | expected
    assert dropped == ignored


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"system": ("psychiatric", "renal and urinary")},
        {"q": "blood & pressure = high?", "sort": "difference", "kg": 82.5},
        {"timeframe": ("long-term",), "q": "ü ≥ 65"},
    ],
)
def test_query_string_round_trip(values: dict[str, Any]) -> None:
    full = filters.defaults(PARAMS) | values
    query = filters.to_query(full, PARAMS)
    assert filters.parse(query, PARAMS, OPTIONS) == (full, 0)
    assert parse_qs(filters.query_string(full, PARAMS)) == query


def test_defaults_are_left_out_of_the_url() -> None:
    assert filters.query_string(filters.defaults(PARAMS), PARAMS) == ""


def test_counts_apply_the_other_filters_but_not_their_own() -> None:
    values = filters.defaults(PARAMS) | {"timeframe": ("acute",), "system": ("psychiatric",)}
    assert filters.counts(FRAME, values, PARAMS, PARAMS[1]) == {
        "psychiatric": 1,
        "nervous system": 1,
        "gastrointestinal": 1,
        "cardiovascular": 1,
    }
    assert filters.counts(FRAME, values, PARAMS, PARAMS[2]) == {"acute": 1}


def test_options_follow_the_schema_order_then_alphabetical() -> None:
    assert filters.options(FRAME, "timeframe", ("long-term", "acute")) == ["long-term", "acute"]
    assert filters.options(FRAME, "system", ("renal and urinary",))[:2] == ["renal and urinary", "cardiovascular"]


def test_describe_puts_active_filters_in_words() -> None:
    values = filters.defaults(PARAMS) | {"system": ("psychiatric", "cardiovascular"), "kg": 80.0}
    assert filters.describe(values, PARAMS) == ["Body system: psychiatric, cardiovascular", "Weight: 80"]
