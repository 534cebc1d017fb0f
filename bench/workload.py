"""What the benchmark asks of each page: a first render and five filter changes (values that exist
in the shipped data), the side-effects workload at scale, the floor app's, and the warm-up."""

from __future__ import annotations

from bench import servers
from bench.load import one_by_one

# A first render, then five filter changes, per page (values that exist in the shipped data).
QUERIES = {
    "overview": ["", "", "", "", "", ""],
    "mechanisms": ["", "direction=block", "confidence=probable", "type=receptor", "evidence=animal", ""],
    "dosing": ["", "drug=esketamine", "route=IV", "kg=80", "category=cardiovascular", ""],
    "side-effects": ["", "timeframe=acute", "system=cardiovascular", "sort=difference", "severity=serious", ""],
    "outcomes": ["", "outcome=response", "drug=esketamine", "measure=ratio", "design=meta-analysis", ""],
    "compare": [
        "",
        "regimen=esk-trd-induction&regimen=iv-karma-dep-2",
        "regimen=iv-elekt-d&regimen=iv-ketect",
        "regimen=esk-trd-maintenance&regimen=esk-mdsi&regimen=iv-0.5-40min",
        "regimen=iv-0.5-dose-finding",
        "",
    ],
    "sources": ["", "kind=trial", "source=ANA23", "q=ketamine", "kind=label", ""],
    "glossary": ["", "", "", "", "", ""],
    "data": ["", "", "", "", "", ""],
}
SCALE_QUERIES = [
    "",
    "timeframe=acute",
    "system=cardiovascular",
    "sort=difference",
    "severity=serious",
    "population=group+3",
]
FLOOR_QUERIES = ["", "timeframe=acute", "timeframe=long-term", "timeframe=repeated+use", "timeframe=acute", ""]
TTL_WAIT = 60


def warm(server: servers.Server, page: str, queries: list[str]) -> None:
    """A few sessions before measuring: first loads, compiled scripts, caches filled."""
    one_by_one(server.url, page, queries, 2)
