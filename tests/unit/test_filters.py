"""Filters: a table of (values -> rows), the query-string round trip, counts, hostile URLs, and the
fast kernels checked against the plain pandas implementation they replaced."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import numpy as np
import pandas as pd
import pytest

from dashboard import filterset
from dashboard.columns import arrow_strings
from dashboard.controls import Choice, Number
from dashboard.filters import MAX_SEARCH, MAX_VALUES, Facet, Search, find_joined, literal_pattern
from dashboard.filterset import Values
from dashboard.frameindex import SAMPLE, index
from dashboard.params import Param
from dashboard.widgets import MultiSelect, NumberBox, Radio, TextBox, Widget

FRAME = pd.DataFrame(
    {
        "effect": ["Dissociation", "Dizziness", "Nausea", "Blood pressure increased", "Cystitis"],
        "system": ["psychiatric", "nervous system", "gastrointestinal", "cardiovascular", "renal and urinary"],
        "timeframe": pd.Categorical(["acute", "acute", "acute", "acute", "long-term"]),
        "notes": ["peaks within 1 h", None, "resolves by 1.5 h", "peak ~40 min", "frequent recreational use"],
    }
).astype({"effect": "str", "system": "str", "notes": "str"})
PARAMS: tuple[Param, ...] = (
    Search("q", ("effect", "notes")),
    Facet("system", "system", "Body system"),
    Facet("timeframe", "timeframe", "Timeframe", order=("long-term", "acute")),
    Choice("sort", "Sort", ("rate", "difference")),
    Number("kg", "Weight", 20, 250, 70),
)
INDEX = index(FRAME, PARAMS)
OPTIONS = filterset.options(INDEX, PARAMS)


def values(**chosen: Any) -> Values:
    return Values(filterset.defaults(PARAMS) | chosen)


@pytest.mark.parametrize(
    ("chosen", "effects"),
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
def test_mask(chosen: dict[str, Any], effects: list[str]) -> None:
    assert FRAME[filterset.mask(INDEX, values(**chosen), PARAMS)]["effect"].tolist() == effects


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
        ({"q": ["x" * 5000]}, {"q": "x" * MAX_SEARCH}, 1),
        ({"timeframe": ["acute"] * 10_000}, {"timeframe": ("acute",)}, 9_999),
    ],
)
def test_parse_keeps_only_what_is_valid(query: dict[str, list[str]], expected: dict[str, Any], ignored: int) -> None:
    parsed, dropped = filterset.parse(query, PARAMS, OPTIONS)
    assert parsed == values(**expected)
    assert dropped == ignored


@pytest.mark.parametrize(
    "chosen",
    [
        {},
        {"system": ("psychiatric", "renal and urinary")},
        {"q": "blood & pressure = high?", "sort": "difference", "kg": 82.5},
        {"timeframe": ("long-term",), "q": "ü ≥ 65"},
    ],
)
def test_query_string_round_trip(chosen: dict[str, Any]) -> None:
    full = values(**chosen)
    query = filterset.to_query(full, PARAMS)
    assert filterset.parse(query, PARAMS, OPTIONS) == (full, 0)
    assert parse_qs(filterset.query_string(full, PARAMS)) == query


def test_defaults_are_left_out_of_the_url() -> None:
    assert filterset.query_string(values(), PARAMS) == ""


def test_counts_apply_the_other_filters_but_not_their_own() -> None:
    narrowed = filterset.narrow(INDEX, values(timeframe=("acute",), system=("psychiatric",)), PARAMS)
    assert narrowed.counts["system"] == {
        "psychiatric": 1,
        "nervous system": 1,
        "gastrointestinal": 1,
        "cardiovascular": 1,
    }
    assert narrowed.counts["timeframe"] == {"acute": 1}
    assert narrowed.total == 1
    assert set(narrowed.counts) == {"system", "timeframe"}


def test_options_follow_the_declared_order_then_alphabetical() -> None:
    assert OPTIONS["timeframe"] == ["long-term", "acute"]
    assert OPTIONS["system"][:2] == ["cardiovascular", "gastrointestinal"]
    assert set(OPTIONS) == {"system", "timeframe"}


def test_controls_never_narrow_rows() -> None:
    assert [p.key for p in filterset.filters(PARAMS)] == ["q", "system", "timeframe"]
    narrowed = filterset.narrow(INDEX, values(sort="difference", kg=120.0), PARAMS)
    assert narrowed.total == len(FRAME)
    assert set(narrowed.counts) == {"system", "timeframe"}


def test_describe_puts_active_filters_in_words() -> None:
    chosen = values(system=("psychiatric", "cardiovascular"), kg=80.0)
    assert filterset.describe(chosen, PARAMS) == ["Body system: psychiatric, cardiovascular", "Weight: 80"]


@pytest.mark.parametrize(
    ("param", "line"),
    [
        (PARAMS[0], "`q` (search)"),
        (PARAMS[1], "`system` (body system, repeatable)"),
        (PARAMS[3], "`sort` (rate or difference)"),
        (PARAMS[4], "`kg` (weight, 20 to 250)"),
    ],
)
def test_each_kind_documents_itself(param: Param, line: str) -> None:
    assert param.doc() == line


@pytest.mark.parametrize(
    ("param", "described"),
    [
        (PARAMS[0], TextBox("Search", MAX_SEARCH, "Type words to find in the text columns")),
        (PARAMS[1], MultiSelect("Body system", max_selections=None)),
        (Facet("regimen", "regimen_id", "Regimens", limit=3), MultiSelect("Regimens", max_selections=3)),
        (Facet("drug", "drug", "Drug", limit=MAX_VALUES), MultiSelect("Drug", max_selections=None)),
        (Facet("drug", "drug", "Drug", limit=MAX_VALUES - 1), MultiSelect("Drug", max_selections=MAX_VALUES - 1)),
        (PARAMS[3], Radio("Sort", ("rate", "difference"))),
        (PARAMS[4], NumberBox("Weight", 20, 250, 1.0)),
        (Number("kg", "Body weight (kg)", 20.0, 250.0, 70.0, 0.5), NumberBox("Body weight (kg)", 20.0, 250.0, 0.5)),
    ],
)
def test_each_kind_describes_its_input(param: Param, described: Widget) -> None:
    assert param.widget() == described


def test_search_boxes_span_the_panel_and_the_other_inputs_take_a_grid_cell() -> None:
    assert [p.key for p in PARAMS if p.widget().spans] == ["q"]


class Drawn:
    """Records which input each description asks to be drawn."""

    def __init__(self) -> None:
        self.drawn: list[tuple[str, str]] = []

    def text_box(self, box: TextBox) -> None:
        self.drawn.append(("text box", box.label))

    def multi_select(self, box: MultiSelect) -> None:
        self.drawn.append(("multi-select", box.label))

    def radio(self, box: Radio) -> None:
        self.drawn.append(("radio", box.label))

    def number_box(self, box: NumberBox) -> None:
        self.drawn.append(("number box", box.label))


def test_each_input_is_drawn_as_its_own_kind() -> None:
    drawer = Drawn()
    for param in PARAMS:
        param.widget().draw(drawer)
    assert drawer.drawn == [
        ("text box", "Search"),
        ("multi-select", "Body system"),
        ("multi-select", "Timeframe"),
        ("radio", "Sort"),
        ("number box", "Weight"),
    ]


def test_values_are_hashable_and_equal_by_content() -> None:
    one, two = values(system=("psychiatric",)), values(system=("psychiatric",))
    assert one == two
    assert hash(one) == hash(two)
    assert {one: 1}[two] == 1
    assert one != values(system=("cardiovascular",))


# --- the fast kernels against the implementation they replaced --------------------------------


def reference_search(df: pd.DataFrame, columns: tuple[str, ...], text: str) -> np.ndarray:
    """The previous search: every column converted to text and scanned row by row, per word."""
    keep = np.ones(len(df), dtype=bool)
    for word in text.split()[:10]:
        hit = np.zeros(len(df), dtype=bool)
        for column in columns:
            found = df[column].astype("string").str.contains(word, case=False, regex=False)
            hit |= found.to_numpy(dtype=bool, na_value=False)
        keep &= hit
    return keep


TRICKY = pd.DataFrame(
    {
        "text": ["Émile ÉTÉ", "émile été", "STRASSE", "straße", "", None, "a.b*c", "İstanbul", "ǅungla", "x" * 300],
        "label": pd.Categorical(["Ünïcode", "ünïcode", None, "", "ÆØÅ", "æøå", "a", "A", "b", "B"]),
        "number": [1.5, 2.0, None, 10.0, 0.0, -3.0, 1e6, 2.5, 7.0, 8.0],
    }
).astype({"text": "str"})
TRICKY_SEARCH = Search("q", ("text", "label", "number"))


@pytest.mark.parametrize(
    "text",
    [
        *("émile", "ÉMILE", "été", "strasse", "straße", "STRASSE", "ünï", "æø", "a.b*c", ".", "*"),
        *("istanbul", "i̇stanbul", "ǆ", "ǅ", "1.5", "1e", "0", "-3", "x" * 100, "a b", "zzz", "A", "b"),
    ],
)
def test_search_matches_the_previous_implementation(text: str) -> None:
    found = TRICKY_SEARCH.mask(index(TRICKY, [TRICKY_SEARCH]), text)
    assert found is not None
    assert found.tolist() == reference_search(TRICKY, TRICKY_SEARCH.columns, text).tolist()


def test_facets_match_isin_including_missing_and_empty_values() -> None:
    facet = Facet("label", "label", "Label")
    idx = index(TRICKY, [facet])
    for chosen in [("a",), ("",), ("A", "b"), ("ÆØÅ", "nope"), ()]:
        found = facet.mask(idx, chosen)
        expected = TRICKY["label"].isin(list(chosen)).to_numpy(dtype=bool)
        assert (found if found is not None else np.ones(len(TRICKY), bool)).tolist() == (
            expected if chosen else np.ones(len(TRICKY), bool)
        ).tolist()
    counts = facet.counts(idx, None)
    assert counts == {k: int(v) for k, v in TRICKY["label"].value_counts(dropna=True).items() if v}


def test_a_large_table_is_searched_through_its_distinct_values() -> None:
    rng = np.random.default_rng(3)
    words = np.array([f"w{i}-{'x' * (i % 7)}" for i in range(300)])
    big = pd.DataFrame({"text": rng.choice(words, 50_000), "label": pd.Categorical(rng.choice(words, 50_000))})
    search = Search("q", ("text", "label"))
    idx = index(big, [search])
    assert len(idx.columns["text"].values) <= 300
    for text in ["w1", "W12-X", "xx w2", "-", "nothing"]:
        found = search.mask(idx, text)
        assert found is not None
        assert np.array_equal(found, reference_search(big, search.columns, text))


def test_a_column_of_all_different_values_is_searched_and_faceted_like_any_other() -> None:
    distinct = pd.DataFrame({"text": [f"Row {i} ÉTÉ" if i % 3 else f"row {i}" for i in range(2_000)]}).astype(
        {"text": "str"}
    )
    search = Search("q", ("text",))
    facet = Facet("text", "text", "Text")
    idx = index(distinct, [search, facet])
    coded = idx.columns["text"]
    assert len(coded.values) == len(distinct)
    # the column itself, in row order: its text bytes are the frame's, not a second copy
    assert coded.values.buffers()[2].address == arrow_strings(distinct["text"]).buffers()[2].address
    assert coded.labels[:3] == ["row 0", "Row 1 ÉTÉ", "Row 2 ÉTÉ"]
    for text in ["row 1", "été", "19", "nothing"]:
        found = search.mask(idx, text)
        assert found is not None
        assert np.array_equal(found, reference_search(distinct, search.columns, text))
    chosen = ("row 3", "Row 1999 ÉTÉ", "absent")
    found = facet.mask(idx, chosen)
    assert found is not None
    assert np.flatnonzero(found).tolist() == [3, 1999]
    assert facet.counts(idx, np.flatnonzero(found)) == {"row 3": 1, "Row 1999 ÉTÉ": 1}


def test_free_text_only_searched_keeps_its_rows_and_finds_what_a_plain_search_finds() -> None:
    rows = SAMPLE + 5_000
    tail = " and more words" * 7  # long notes (a lower-case copy is searched)
    notes = [None if i % 11 == 0 else f"Record R-{i:07d}: (mild) a.b\\c nausea{tail}" for i in range(rows)]
    notes[5] = notes[6] = "Same note TWICE"
    frame = pd.DataFrame({"notes": notes}).astype({"notes": "str"})
    search = Search("q", ("notes",))
    coded = index(frame, [search]).columns["notes"]
    assert len(coded.values) == rows  # row by row: no dictionary of a million distinct notes
    assert coded.folded is not None  # long notes, all ASCII: searched in lower case
    for text in ["r-000001", "TWICE", "(MILD)", "a.b\\c", "nausea r-0069", ".", "\\", "nothing", "record r"]:
        found = search.mask(index(frame, [search]), text)
        assert found is not None
        assert np.array_equal(found, reference_search(frame, search.columns, text)), text
    facet = Facet("notes", "notes", "Notes")
    exact = index(frame, [search, facet]).columns["notes"]
    assert len(exact.values) == rows - rows // 11 - 2  # a facet counts values: an exact dictionary
    assert facet.counts(index(frame, [facet]), np.array([5, 6, 7]))["Same note TWICE"] == 2


def test_several_free_text_columns_are_searched_as_one_and_find_what_each_search_finds() -> None:
    """An analyst's extract: a record name and a note of its own on every row, two columns nearly
    always empty, a few non-ASCII signs; words are looked for in one joined lower-case text."""
    rows = SAMPLE + 5_000
    frame = pd.DataFrame(
        {
            "effect": [f"Nausea #R-{i:07d}" if i % 7 else f"BP rise ≥{i % 50} mmHg #R-{i:07d}" for i in range(rows)],
            "onset": [f"day {i}" if i % 1000 == 0 else None for i in range(rows)],
            "notes": [f"Record {i}: ÉTÉ (mild) a.b" if i % 3 else f"note {i} ends ab" for i in range(rows)],
            "population": ["adults" if i % 2 else "older adults" for i in range(rows)],
        }
    ).astype("str")
    frame.loc[frame["onset"] == "None", "onset"] = None
    search = Search("q", ("effect", "onset", "notes", "population"))
    idx = index(frame, [search, Facet("population", "population", "Population")])
    joined = idx.free_text  # made with the index, before any search: a first search would wait for it
    assert joined is not None
    assert joined.columns == ("effect", "onset", "notes")  # the facet's column keeps its dictionary
    assert idx.nbytes >= joined.folded.nbytes + idx.columns["population"].shifted.nbytes  # the memory it holds
    words = ["r-000001", "NAUSEA", "≥4", "mmhg #r", "day 2000", "été", "(MILD) a.b", "older", "ab", "ab nausea"]
    for text in [*words, "b n", "7 n", "\\", "nothing"]:
        found = search.mask(idx, text)
        assert found is not None
        assert np.array_equal(found, reference_search(frame, search.columns, text)), text
    # a word never matches across two columns (row 7000: effect "... #R-0007000", onset "day 7000")
    record = search.mask(idx, "0007000")
    assert record is not None
    assert np.flatnonzero(record).tolist() == [7000]
    assert not search.mask(idx, "0day").any()  # type: ignore[union-attr]
    for parts in (2, 3, 7):  # a large text is searched in slices at once: the same flags, in row order
        for text in ["r-000001", "≥4", "day 2000", "record 1"]:
            assert np.array_equal(find_joined(joined, text, parts), find_joined(joined, text, 1)), (text, parts)
    assert find_joined(joined, "été") is None  # a word beyond ASCII: each column searched as it is
    narrower = Search("q", ("effect", "notes"))  # leaves out a joined column: each column on its own
    found = narrower.mask(idx, "day")
    assert found is not None
    assert np.array_equal(found, reference_search(frame, narrower.columns, "day"))


def test_short_text_and_text_beyond_ascii_are_searched_case_insensitively_as_before() -> None:
    short = pd.DataFrame({"text": [f"Effect {i}" for i in range(SAMPLE + 10)]}).astype({"text": "str"})
    assert index(short, [Search("q", ("text",))]).columns["text"].folded is None  # no copy of short text
    long = " and a long note" * 10
    frame = pd.DataFrame({"text": [f"Émile {i} ÉTÉ{long}" for i in range(SAMPLE + 10)]}).astype({"text": "str"})
    search = Search("q", ("text",))
    idx = index(frame, [search])
    assert idx.columns["text"].folded is None
    for text in ["été", "émile 7", "ÉMILE 12 é", "mile"]:
        found = search.mask(idx, text)
        assert found is not None
        assert np.array_equal(found, reference_search(frame, search.columns, text)), text


def test_literal_pattern_escapes_what_re2_would_read_as_syntax() -> None:
    assert literal_pattern("a.b-(x)*") == r"a\.b\-\(x\)\*"
    assert literal_pattern("r-0001_x") == r"r\-0001\_x"


def test_a_category_per_row_in_another_order_is_faceted_by_its_codes() -> None:
    frame = pd.DataFrame({"label": pd.Categorical(["b", "a", "c"], categories=["a", "b", "c"])})
    facet = Facet("label", "label", "Label")
    found = facet.mask(index(frame, [facet]), ("a",))
    assert found is not None
    assert found.tolist() == [False, True, False]


def test_a_panel_shows_its_search_and_first_filters_and_keeps_the_rest_for_more() -> None:
    from dashboard.pagespecs import SIDE_EFFECT_PARAMS

    values = filterset.defaults(SIDE_EFFECT_PARAMS)
    split = filterset.panel(SIDE_EFFECT_PARAMS, values)
    assert [p.key for p in split.across] == ["q"]
    assert [p.key for p in split.grid] == ["system", "timeframe", "drug"]
    assert [p.key for p in split.more] == ["comparison", "severity", "population", "source"]
    assert (split.in_use, split.more_label) == (0, "More filters (4)")
    used = filterset.panel(SIDE_EFFECT_PARAMS, values | {"source": ("SPR21",), "severity": ("mild",), "q": "x"})
    assert (used.in_use, used.more_label) == (2, "More filters (4, 2 in use)")  # it opens by itself
    few = filterset.panel(SIDE_EFFECT_PARAMS[:3], values)
    assert (len(few.grid), few.more) == (2, ())
