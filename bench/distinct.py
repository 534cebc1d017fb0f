"""Filters no server has seen before: new search words and new facet combinations on the side-effects table.

Each ``Distinct`` draws from the values present in one generated table and remembers what it has
handed out, so every filter it returns is new to a server that only ever received filters from it.
The same ``Filter`` is written as the dashboard's query string and as a Datasette JSON request.
"""

from __future__ import annotations

import json
import random
import re
import string
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from dashboard import filterset
from dashboard.filters import Facet, Search
from dashboard.pagespecs import SIDE_EFFECT_PARAMS, SIDE_EFFECTS_PAGE

PARAMS = SIDE_EFFECTS_PAGE.params
SEARCH = next(p for p in SIDE_EFFECT_PARAMS if isinstance(p, Search))
FACETS = [p for p in SIDE_EFFECT_PARAMS if isinstance(p, Facet) and p.key != "comparison"]
"""The facets of the generated tables (their comparison is given on the shipped rows only; the dashboard
fills it in per source and population and counts it too, so it does a little more work than Datasette here)."""
DRAWN = ("system", "timeframe", "severity", "drug", "population")
"""The facets that distinct combinations are drawn from (the source facet is counted, not drawn)."""
ROWS_SHOWN = 1000
"""Rows the dashboard sends for a view (dashboard/ui/tables.MAX_ROWS_SHOWN); Datasette is asked for as many."""
TABLE = "side_effects"


@dataclass(frozen=True)
class Filter:
    kind: str
    """``search``, ``facets`` or ``both``."""
    search: str = ""
    facets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(facet key, chosen values) pairs, keys in PARAMS order."""

    def query_string(self) -> str:
        """The dashboard's URL query string for this filter, as the dashboard itself writes it."""
        values: dict[str, object] = {SEARCH.key: self.search, **dict(self.facets)}
        return filterset.query_string(values, PARAMS)

    def datasette_path(self, database: str) -> str:
        """A Datasette JSON request with the same rows, row count and facet counts as the page shows."""
        return datasette_path(database, self)


def datasette_path(database: str, chosen: Filter | None) -> str:
    column = {p.key: p.column for p in FACETS}
    pairs: list[tuple[str, str]] = []
    if chosen is not None:
        for key, values in chosen.facets:
            if len(values) == 1:
                pairs.append((column[key], values[0]))
            else:
                pairs.append((f"{column[key]}__in", json.dumps(list(values))))
        if chosen.search:
            # FTS5 prefix query: the word as the start of a token (the dashboard matches any substring).
            pairs += [("_search", f"{chosen.search}*"), ("_searchmode", "raw")]
    pairs += [("_facet", p.column) for p in FACETS]
    pairs += [("_facet_size", "max"), ("_size", str(ROWS_SHOWN)), ("_sort_desc", "incidence_pct")]
    return f"/{database}/{TABLE}.json?" + urlencode(pairs)


class Distinct:
    """Draws filters from the values in ``csv``; never hands out the same search word or facet combination twice."""

    def __init__(self, csv: Path, seed: int = 12) -> None:
        self.rng = random.Random(seed)
        columns = [p.column for p in FACETS if p.key in DRAWN]
        frame = pd.read_csv(csv, usecols=[*columns, *SEARCH.columns], dtype=str, keep_default_na=False)
        self.values = {p.key: sorted(v for v in frame[p.column].unique() if v) for p in FACETS if p.key in DRAWN}
        sample = frame[list(SEARCH.columns)].sample(n=min(len(frame), 20_000), random_state=seed)
        text = " ".join(sample.to_numpy().ravel().tolist()).lower()
        self.tokens = [t for t in re.split(r"[^0-9a-z]+", text) if t]
        self.seen_words: set[str] = set()
        self.seen_facets: set[tuple[tuple[str, tuple[str, ...]], ...]] = set()

    def word(self) -> str:
        """A new word of 1-3 characters: mostly the start of a token in the searched columns (what a
        visitor types, and a prefix both the dashboard and FTS match), else random letters and digits."""
        for attempt in range(2_000):
            if self.tokens and attempt < 1_000:
                token = self.rng.choice(self.tokens)
                word = token[: self.rng.randint(1, min(3, len(token)))]
            else:
                word = "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=self.rng.randint(1, 3)))
            if word not in self.seen_words:
                self.seen_words.add(word)
                return word
        raise RuntimeError("no new search word left")

    def combination(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """A new combination: one to three facets, each with a proper subset of its values (at most three)."""
        drawable = [key for key in DRAWN if len(self.values[key]) > 1]
        for _ in range(10_000):
            keys = self.rng.sample(drawable, self.rng.randint(1, min(3, len(drawable))))
            chosen = []
            for key in sorted(keys, key=DRAWN.index):
                pool = self.values[key]
                chosen.append((key, tuple(sorted(self.rng.sample(pool, self.rng.randint(1, min(3, len(pool) - 1)))))))
            combination = tuple(chosen)
            if combination not in self.seen_facets:
                self.seen_facets.add(combination)
                return combination
        raise RuntimeError("no new facet combination left")

    def search(self) -> Filter:
        return Filter("search", search=self.word())

    def facets(self) -> Filter:
        return Filter("facets", facets=self.combination())

    def both(self) -> Filter:
        return Filter("both", search=self.word(), facets=self.combination())

    def mixed(self, i: int) -> Filter:
        """The i-th filter of a mixed stream: facets alone, search alone, both, in turn."""
        return (self.facets, self.search, self.both)[i % 3]()
